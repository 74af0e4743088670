// Reads safetensors files one tensor at a time (header validated up front, data read on demand and
// upcast to float32), and the sharded layout that model.safetensors.index.json describes.
import { halfToFloat } from '../half.js';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { YardstickError } from '../../errors.js';

/** Storage dtypes we upcast to float32 (bytes per element); anything else is refused. */
export const READABLE_DTYPES = { F32: 4, F16: 2, BF16: 2 } as const;
export type ReadableDtype = keyof typeof READABLE_DTYPES;

export interface TensorInfo {
  name: string;
  dtype: ReadableDtype;
  shape: number[];
  /** the file it lives in */
  file: string;
  /** absolute byte range in that file */
  begin: number;
  end: number;
}

// Real headers are at most a few MB of JSON; the limit stops a non-safetensors file from asking
// for gigabytes.
const MAX_HEADER_BYTES = 100 << 20;
const REFETCH = 're-download or re-create the model folder';

function badFile(file: string, what: string, hint = REFETCH): YardstickError {
  return new YardstickError('model', `${file}: ${what}`, { hint });
}

/** Parses and checks one file's header: every tensor's dtype, shape and byte range. */
export function readSafetensorsHeader(file: string): TensorInfo[] {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e) {
    throw badFile(file, `cannot read (${(e as Error).message})`);
  }
  if (size < 8) throw badFile(file, `truncated: ${size} bytes, not even the 8-byte header length`);
  const headerLength = Number(readRange(file, 0, 8).readBigUInt64LE(0));
  if (headerLength > MAX_HEADER_BYTES) throw badFile(file, `not a safetensors file (header length ${headerLength} bytes)`);
  if (8 + headerLength > size) {
    throw badFile(file, `truncated: the header needs ${8 + headerLength} bytes but the file has ${size}`);
  }
  let header: unknown;
  try {
    header = JSON.parse(readRange(file, 8, headerLength).toString('utf8'));
  } catch (e) {
    throw badFile(file, `the header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw badFile(file, 'the header is not a JSON object');
  const dataStart = 8 + headerLength;
  const dataLength = size - dataStart;
  const tensors: TensorInfo[] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const entry = (value ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const { shape, data_offsets: offsets } = entry;
    const isCount = (d: unknown): d is number => Number.isSafeInteger(d) && (d as number) >= 0;
    if (!Array.isArray(shape) || !shape.every(isCount) || !Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
      throw badFile(file, `tensor ${name} has a malformed header entry`);
    }
    const dtype = String(entry.dtype);
    if (!Object.hasOwn(READABLE_DTYPES, dtype)) {
      throw badFile(file, `tensor ${name} has dtype ${dtype}; yardstick reads F32, F16 and BF16 safetensors`, 'use an unquantised (fp32/fp16/bf16) checkpoint, an ONNX export or a GGUF file');
    }
    const [begin, end] = offsets as [number, number];
    const bytes = shape.reduce((a: number, b: number) => a * b, 1) * READABLE_DTYPES[dtype as ReadableDtype];
    if (end < begin || end - begin !== bytes) {
      throw badFile(file, `tensor ${name} is ${dtype} [${shape.join(', ')}] (${bytes} bytes) but its data_offsets cover ${end - begin} bytes`);
    }
    if (end > dataLength) {
      throw badFile(file, `truncated: tensor ${name} ends at data byte ${end} but the file holds ${dataLength} bytes of data (header offsets run past the end)`);
    }
    tensors.push({ name, dtype: dtype as ReadableDtype, shape: shape as number[], file, begin: dataStart + begin, end: dataStart + end });
  }
  return tensors;
}

/** `length` bytes at `position`, without loading the (GB-sized) rest of the file. */
function readRange(file: string, position: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    let at = 0;
    while (at < length) {
      const n = readSync(fd, out, at, length - at, position + at);
      if (n === 0) throw badFile(file, 'truncated while reading the header');
      at += n;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Little-endian stored values to float32; bf16 is the top half of a float32, so the upcast is exact. */
export function toFloat32(bytes: Uint8Array, dtype: ReadableDtype): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = bytes.byteLength / READABLE_DTYPES[dtype];
  if (dtype === 'F32') {
    if (HOST_IS_LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, count);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
    return out;
  }
  const out = new Float32Array(count);
  if (dtype === 'BF16') {
    const bits = new Uint32Array(out.buffer);
    // host-order integer bits read back as host-order floats: right on either endianness
    for (let i = 0; i < count; i++) bits[i] = view.getUint16(i * 2, true) << 16;
    return out;
  }
  // F16: a 65536-entry table is faster than decoding every element of a large matrix
  const table = halfTable();
  for (let i = 0; i < count; i++) out[i] = table[view.getUint16(i * 2, true)]!;
  return out;
}

let halfCache: Float32Array | undefined;
function halfTable(): Float32Array {
  if (!halfCache) {
    halfCache = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) halfCache[h] = halfToFloat(h);
  }
  return halfCache;
}

/** One tensor's data as float32 (a fresh array, owned by the caller). */
export async function readTensorFloat32(t: TensorInfo): Promise<Float32Array> {
  const length = t.end - t.begin;
  const bytes = new Uint8Array(length);
  const handle = await open(t.file, 'r');
  try {
    let at = 0;
    while (at < length) {
      const { bytesRead } = await handle.read(bytes, at, length - at, t.begin + at);
      if (bytesRead === 0) throw badFile(t.file, `truncated while reading tensor ${t.name}`);
      at += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return toFloat32(bytes, t.dtype);
}

/** Every tensor of a model folder: model.safetensors, or the shards that its index names. */
export interface SafetensorsWeights {
  /** the weight files, for hashing */
  files: string[];
  tensors: Map<string, TensorInfo>;
}

export const INDEX_FILE = 'model.safetensors.index.json';
export const SINGLE_FILE = 'model.safetensors';

export function hasSafetensors(dir: string): boolean {
  return existsSync(join(dir, INDEX_FILE)) || existsSync(join(dir, SINGLE_FILE));
}

export function openSafetensorsWeights(dir: string): SafetensorsWeights {
  const indexPath = join(dir, INDEX_FILE);
  let files: string[];
  let weightMap: Record<string, string> | undefined;
  if (existsSync(indexPath)) {
    let index: { weight_map?: unknown };
    try {
      index = JSON.parse(readFileSync(indexPath, 'utf8')) as { weight_map?: unknown };
    } catch (e) {
      throw badFile(indexPath, `cannot parse (${(e as Error).message})`);
    }
    if (!index.weight_map || typeof index.weight_map !== 'object') throw badFile(indexPath, 'has no weight_map');
    weightMap = index.weight_map as Record<string, string>;
    files = [...new Set(Object.values(weightMap))].sort();
    for (const f of files) {
      if (typeof f !== 'string' || f.includes('..') || !existsSync(join(dir, f))) {
        throw badFile(indexPath, `names shard ${String(f)}, which is not in ${dir}`, 'download every shard the index lists');
      }
    }
    files = files.map((f) => join(dir, f));
  } else {
    files = [join(dir, SINGLE_FILE)];
  }
  const tensors = new Map<string, TensorInfo>();
  for (const file of files) {
    for (const t of readSafetensorsHeader(file)) {
      if (tensors.has(t.name)) throw badFile(file, `tensor ${t.name} also appears in ${tensors.get(t.name)!.file}`);
      tensors.set(t.name, t);
    }
  }
  if (weightMap) {
    for (const [name, shard] of Object.entries(weightMap)) {
      const t = tensors.get(name);
      if (!t || t.file !== join(dir, shard)) throw badFile(indexPath, `says ${name} is in ${shard}, but that file has no such tensor`);
    }
  }
  return { files, tensors };
}
