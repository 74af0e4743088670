// The safetensors container: an 8-byte little-endian header length, a JSON header naming each
// tensor's dtype, shape and byte range, then the raw data. Written header-first, data streamed.
import { elementCount } from './weights.js';

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

/** F32 tensors stored back to back in the given order. */
export function safetensorsLayout(entries: SafetensorsEntry[], metadata: Record<string, string>): SafetensorsLayout {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const offsets: Array<[number, number]> = [];
  let position = 0;
  for (const { name, shape } of entries) {
    const end = position + elementCount(shape) * 4;
    header[name] = { dtype: 'F32', shape, data_offsets: [position, end] };
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
