// float32 -> ggml storage types, bit-exact with ggml's reference conversions: f16 with
// round-to-nearest-even (as F16C's _cvtss_sh and ggml_compute_fp32_to_fp16), and q8_0 blocks of 32
// (an f16 scale amax/127, then roundf(x/scale) as int8), as gguf-py and quantize_row_q8_0_ref do.
import { float32ToHalf, halfToFloat } from '../half.js';

/** Little-endian f16 bytes of a float32 tensor. */
export function toF16Bytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setUint16(i * 2, float32ToHalf(values[i]!), true);
  return out;
}

export const Q8_0_BLOCK = 32;
const Q8_0_BLOCK_BYTES = 2 + Q8_0_BLOCK;

/** C's roundf: halves round away from zero. */
function roundf(v: number): number {
  return v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5);
}

/** q8_0 blocks of a float32 tensor whose length is a multiple of 32 (rows are, for every tensor quantised). */
export function toQ8_0Bytes(values: Float32Array): Uint8Array {
  if (values.length % Q8_0_BLOCK !== 0) throw new Error(`q8_0 needs a multiple of ${Q8_0_BLOCK} values, got ${values.length}`);
  const blocks = values.length / Q8_0_BLOCK;
  const out = new Uint8Array(blocks * Q8_0_BLOCK_BYTES);
  const view = new DataView(out.buffer);
  for (let b = 0; b < blocks; b++) {
    const base = b * Q8_0_BLOCK;
    let amax = 0;
    for (let j = 0; j < Q8_0_BLOCK; j++) amax = Math.max(amax, Math.abs(values[base + j]!));
    // ggml computes in float32: d = amax / 127, id = 1 / d, q = roundf(x * id)
    const d = Math.fround(amax / 127);
    const id = d !== 0 ? Math.fround(1 / d) : 0;
    const at = b * Q8_0_BLOCK_BYTES;
    view.setUint16(at, float32ToHalf(d), true);
    for (let j = 0; j < Q8_0_BLOCK; j++) view.setInt8(at + 2 + j, roundf(Math.fround(values[base + j]! * id)));
  }
  return out;
}

/** float32 values of q8_0 blocks (scale times int8), for measuring quantisation error. */
export function fromQ8_0Bytes(bytes: Uint8Array): Float32Array {
  const blocks = bytes.length / Q8_0_BLOCK_BYTES;
  const out = new Float32Array(blocks * Q8_0_BLOCK);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let b = 0; b < blocks; b++) {
    const d = halfToFloat(view.getUint16(b * Q8_0_BLOCK_BYTES, true));
    for (let j = 0; j < Q8_0_BLOCK; j++) out[b * Q8_0_BLOCK + j] = d * view.getInt8(b * Q8_0_BLOCK_BYTES + 2 + j);
  }
  return out;
}
