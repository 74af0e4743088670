// Writes a GGUF v3 file: header, typed metadata, the tensor table, then each tensor's data padded to
// the alignment. Tensor data is produced one tensor at a time, so the whole model is never in memory.
import { open, type FileHandle } from 'node:fs/promises';
import { writeAll } from '../file-io.js';
import { GGUF_DEFAULT_ALIGNMENT, GgufValueType, ggmlTensorBytes, ggmlTypeName } from '../../engines/llamacpp/gguf-format.js';

export type GgufMetaValue =
  | { type: 'u32'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'strings'; value: readonly string[] }
  | { type: 'i32s'; value: readonly number[] };

export const meta = {
  u32: (value: number): GgufMetaValue => ({ type: 'u32', value }),
  i32: (value: number): GgufMetaValue => ({ type: 'i32', value }),
  f32: (value: number): GgufMetaValue => ({ type: 'f32', value }),
  bool: (value: boolean): GgufMetaValue => ({ type: 'bool', value }),
  string: (value: string): GgufMetaValue => ({ type: 'string', value }),
  strings: (value: readonly string[]): GgufMetaValue => ({ type: 'strings', value }),
  i32s: (value: readonly number[]): GgufMetaValue => ({ type: 'i32s', value }),
};

export interface GgufTensorSource {
  name: string;
  /** row-major shape (GGUF stores it reversed) */
  shape: readonly number[];
  type: number;
  /** the tensor's bytes in ggml's layout for `type`; called once, when the tensor is written */
  data: () => Uint8Array;
}

/** Growable little-endian byte buffer for the header. */
class ByteSink {
  private buf = Buffer.alloc(1 << 16);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  u32(v: number): void {
    this.reserve(4);
    this.buf.writeUInt32LE(v, this.length);
    this.length += 4;
  }
  i32(v: number): void {
    this.reserve(4);
    this.buf.writeInt32LE(v, this.length);
    this.length += 4;
  }
  u64(v: number): void {
    this.reserve(8);
    this.buf.writeBigUInt64LE(BigInt(v), this.length);
    this.length += 8;
  }
  f32(v: number): void {
    this.reserve(4);
    this.buf.writeFloatLE(v, this.length);
    this.length += 4;
  }
  u8(v: number): void {
    this.reserve(1);
    this.buf[this.length++] = v;
  }
  string(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.reserve(bytes.length);
    bytes.copy(this.buf, this.length);
    this.length += bytes.length;
  }
  pad(alignment: number): void {
    const n = (alignment - (this.length % alignment)) % alignment;
    this.reserve(n);
    this.buf.fill(0, this.length, this.length + n);
    this.length += n;
  }
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

function writeMeta(sink: ByteSink, key: string, v: GgufMetaValue): void {
  sink.string(key);
  switch (v.type) {
    case 'u32':
      sink.u32(GgufValueType.UINT32);
      sink.u32(v.value);
      break;
    case 'i32':
      sink.u32(GgufValueType.INT32);
      sink.i32(v.value);
      break;
    case 'f32':
      sink.u32(GgufValueType.FLOAT32);
      sink.f32(v.value);
      break;
    case 'bool':
      sink.u32(GgufValueType.BOOL);
      sink.u8(v.value ? 1 : 0);
      break;
    case 'string':
      sink.u32(GgufValueType.STRING);
      sink.string(v.value);
      break;
    case 'strings':
      sink.u32(GgufValueType.ARRAY);
      sink.u32(GgufValueType.STRING);
      sink.u64(v.value.length);
      for (const s of v.value) sink.string(s);
      break;
    case 'i32s':
      sink.u32(GgufValueType.ARRAY);
      sink.u32(GgufValueType.INT32);
      sink.u64(v.value.length);
      for (const n of v.value) sink.i32(n);
      break;
  }
}

/** Writes the file; returns its size in bytes. */
export async function writeGguf(path: string, metadata: ReadonlyArray<[string, GgufMetaValue]>, tensors: readonly GgufTensorSource[]): Promise<number> {
  const alignment = GGUF_DEFAULT_ALIGNMENT;
  const sink = new ByteSink();
  for (const c of 'GGUF') sink.u8(c.charCodeAt(0));
  sink.u32(3);
  sink.u64(tensors.length);
  sink.u64(metadata.length);
  for (const [key, value] of metadata) writeMeta(sink, key, value);

  const sizes: number[] = [];
  let offset = 0;
  for (const t of tensors) {
    const dims = [...t.shape].reverse();
    const bytes = ggmlTensorBytes(t.type, dims);
    if (bytes === undefined) throw new Error(`gguf: ${t.name} [${t.shape.join(', ')}] does not fit ${ggmlTypeName(t.type)} blocks`);
    sink.string(t.name);
    sink.u32(dims.length);
    for (const d of dims) sink.u64(d);
    sink.u32(t.type);
    sink.u64(offset);
    sizes.push(bytes);
    offset += Math.ceil(bytes / alignment) * alignment;
  }
  sink.pad(alignment);

  let handle: FileHandle | undefined;
  let total = 0;
  try {
    handle = await open(path, 'w');
    const header = sink.bytes();
    await writeAll(handle, header);
    total += header.length;
    for (const [i, t] of tensors.entries()) {
      const data = t.data();
      if (data.length !== sizes[i]) throw new Error(`gguf: ${t.name} produced ${data.length} bytes, expected ${sizes[i]}`);
      await writeAll(handle, data);
      const padding = (alignment - (data.length % alignment)) % alignment;
      if (padding > 0) await writeAll(handle, new Uint8Array(padding));
      total += data.length + padding;
    }
  } finally {
    await handle?.close();
  }
  return total;
}
