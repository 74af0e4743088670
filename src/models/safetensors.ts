// The safetensors container: an 8-byte little-endian header length, a JSON header naming each
// tensor's dtype, shape and byte range, then the raw data. Written header-first, data streamed;
// F32, or BF16/F16 rounded to nearest-even as torch's .to(dtype) does.
import { elementCount } from './weights.js';

export type StoredDtype = 'F32' | 'F16' | 'BF16';
export const STORED_BYTES: Readonly<Record<StoredDtype, number>> = { F32: 4, F16: 2, BF16: 2 };

export interface SafetensorsEntry {
  name: string;
  shape: number[];
}

export interface SafetensorsLayout {
  /** the 8-byte length plus the space-padded JSON header */
  header: Uint8Array;
  /** byte ranges relative to the end of the header, in entry order */
  offsets: Array<[number, number]>;
  totalBytes: number;
}

/** Tensors of one dtype stored back to back in the given order. */
export function safetensorsLayout(entries: SafetensorsEntry[], metadata: Record<string, string>, dtype: StoredDtype = 'F32'): SafetensorsLayout {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const offsets: Array<[number, number]> = [];
  let position = 0;
  for (const { name, shape } of entries) {
    const end = position + elementCount(shape) * STORED_BYTES[dtype];
    header[name] = { dtype, shape, data_offsets: [position, end] };
    offsets.push([position, end]);
    position = end;
  }
  let json = JSON.stringify(header);
  // Pad with spaces so the data starts 8-byte aligned, as the reference implementation does.
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const jsonBytes = Buffer.from(json, 'utf8');
  const bytes = new Uint8Array(8 + jsonBytes.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(jsonBytes.length), true);
  bytes.set(jsonBytes, 8);
  return { header: bytes, offsets, totalBytes: bytes.length + position };
}

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

function floatBits(v: number): number {
  scratch[0] = v;
  return scratchBits[0]!;
}

/** bfloat16 bits of a float32, round to nearest even (finite inputs). */
export function bf16Bits(v: number): number {
  const bits = floatBits(v);
  return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
}

/** IEEE half bits of a float32, round to nearest even, with subnormals and overflow to infinity. */
export function halfBits(v: number): number {
  const bits = floatBits(v);
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  const round = (value: number, dropped: number, shift: number): number => {
    const halfway = 1 << (shift - 1);
    return dropped > halfway || (dropped === halfway && (value & 1) === 1) ? value + 1 : value;
  };
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    return sign | round(mantissa >>> shift, mantissa & ((1 << shift) - 1), shift);
  }
  // a carry out of the mantissa correctly bumps the exponent (up to infinity)
  return sign | round((e << 10) | (mantissa >>> 13), mantissa & 0x1fff, 13);
}

/** The values as stored: little-endian bytes of `dtype`. */
export function encodeStored(values: Float32Array, dtype: StoredDtype): Uint8Array {
  const out = new Uint8Array(values.length * STORED_BYTES[dtype]);
  const view = new DataView(out.buffer);
  if (dtype === 'F32') values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  else {
    const encode = dtype === 'BF16' ? bf16Bits : halfBits;
    for (let i = 0; i < values.length; i++) view.setUint16(i * 2, encode(values[i]!), true);
  }
  return out;
}
