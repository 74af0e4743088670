// Reads and validates a GGUF file's header (metadata and tensor table) before llama.cpp sees it:
// llama.cpp aborts the process or reads past the end on a corrupt or truncated file, so every
// structural fault becomes one YardstickError naming the file here instead.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { YardstickError } from '../../errors.js';
import { GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GgufValueType, SCALAR_BYTES, ggmlTensorBytes, ggmlTypeName, isKnownGgmlType } from './gguf-format.js';

export type GgufValue = number | bigint | boolean | string | GgufValue[];

export interface GgufTensorInfo {
  name: string;
  /** fastest-moving dimension first (the reverse of a row-major shape) */
  dims: number[];
  type: number;
  /** relative to the start of the data section */
  offset: number;
  bytes: number;
}

export interface GgufHeader {
  path: string;
  version: number;
  fileBytes: number;
  metadata: Map<string, GgufValue>;
  tensors: GgufTensorInfo[];
  alignment: number;
  /** absolute file offset of the tensor data section */
  dataOffset: number;
}

// Sanity bounds far above any real file, so a corrupt count fails cleanly instead of allocating GBs.
const MAX_COUNT = 1 << 24;
const MAX_STRING = 1 << 26;

class HeaderFault extends Error {}

/** Reads forward through a file descriptor with a growing window (headers run to a few MB). */
class Cursor {
  private buf = Buffer.alloc(0);
  private bufStart = 0;
  pos = 0;

  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  private need(n: number): number {
    if (this.pos + n > this.size) throw new HeaderFault(`the file ends inside its header (at byte ${this.pos}, ${n} more needed)`);
    const rel = this.pos - this.bufStart;
    if (rel + n <= this.buf.length) return rel;
    const want = Math.min(Math.max(n, 1 << 20), this.size - this.pos);
    this.buf = Buffer.alloc(want);
    let got = 0;
    while (got < want) {
      const r = readSync(this.fd, this.buf, got, want - got, this.pos + got);
      if (r === 0) throw new HeaderFault(`the file ends inside its header (at byte ${this.pos + got})`);
      got += r;
    }
    this.bufStart = this.pos;
    return 0;
  }

  u8(): number {
    const at = this.need(1);
    this.pos += 1;
    return this.buf[at]!;
  }
  u32(): number {
    const at = this.need(4);
    this.pos += 4;
    return this.buf.readUInt32LE(at);
  }
  u64(): number {
    const at = this.need(8);
    this.pos += 8;
    const v = this.buf.readBigUInt64LE(at);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new HeaderFault(`a 64-bit count or size (${v}) is out of range`);
    return Number(v);
  }
  string(): string {
    const n = this.u64();
    if (n > MAX_STRING) throw new HeaderFault(`a string claims ${n} bytes`);
    const at = this.need(n);
    this.pos += n;
    return this.buf.toString('utf8', at, at + n);
  }
  scalar(type: number): GgufValue {
    const bytes = SCALAR_BYTES[type]!;
    const at = this.need(bytes);
    this.pos += bytes;
    const b = this.buf;
    switch (type) {
      case GgufValueType.UINT8: return b.readUInt8(at);
      case GgufValueType.INT8: return b.readInt8(at);
      case GgufValueType.UINT16: return b.readUInt16LE(at);
      case GgufValueType.INT16: return b.readInt16LE(at);
      case GgufValueType.UINT32: return b.readUInt32LE(at);
      case GgufValueType.INT32: return b.readInt32LE(at);
      case GgufValueType.FLOAT32: return b.readFloatLE(at);
      case GgufValueType.BOOL: return b.readUInt8(at) !== 0;
      case GgufValueType.UINT64: return toNumberIfSafe(b.readBigUInt64LE(at));
      case GgufValueType.INT64: return toNumberIfSafe(b.readBigInt64LE(at));
      default: return b.readDoubleLE(at);
    }
  }
}

function toNumberIfSafe(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
}

function readValue(c: Cursor, type: number, depth = 0): GgufValue {
  if (type === GgufValueType.STRING) return c.string();
  if (type === GgufValueType.ARRAY) {
    if (depth > 2) throw new HeaderFault('arrays nest too deeply');
    const elementType = c.u32();
    const n = c.u64();
    if (n > MAX_COUNT) throw new HeaderFault(`an array claims ${n} elements`);
    const out: GgufValue[] = new Array<GgufValue>(n);
    for (let i = 0; i < n; i++) out[i] = readValue(c, elementType, depth + 1);
    return out;
  }
  if (SCALAR_BYTES[type] === undefined) throw new HeaderFault(`unknown metadata value type ${type}`);
  return c.scalar(type);
}

function parse(c: Cursor, path: string): GgufHeader {
  if (c.size < 24) throw new HeaderFault(`it is ${c.size} bytes, shorter than a GGUF header`);
  const magic = String.fromCharCode(c.u8(), c.u8(), c.u8(), c.u8());
  if (magic !== GGUF_MAGIC) throw new HeaderFault('it does not start with the GGUF magic bytes');
  const version = c.u32();
  if (version !== 2 && version !== 3) throw new HeaderFault(`GGUF version ${version} is not supported (2 or 3)`);
  const tensorCount = c.u64();
  const kvCount = c.u64();
  if (tensorCount > MAX_COUNT || kvCount > MAX_COUNT) throw new HeaderFault(`implausible counts (${tensorCount} tensors, ${kvCount} metadata entries)`);

  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    const key = c.string();
    metadata.set(key, readValue(c, c.u32()));
  }
  const alignmentValue = metadata.get('general.alignment') ?? GGUF_DEFAULT_ALIGNMENT;
  const alignment = typeof alignmentValue === 'number' ? alignmentValue : NaN;
  if (!Number.isInteger(alignment) || alignment <= 0 || (alignment & (alignment - 1)) !== 0) {
    throw new HeaderFault(`general.alignment ${String(alignmentValue)} is not a power of two`);
  }

  const tensors: GgufTensorInfo[] = [];
  const names = new Set<string>();
  for (let i = 0; i < tensorCount; i++) {
    const name = c.string();
    const nDims = c.u32();
    if (nDims < 1 || nDims > 4) throw new HeaderFault(`tensor ${name} has ${nDims} dimensions`);
    const dims: number[] = [];
    for (let d = 0; d < nDims; d++) dims.push(c.u64());
    const type = c.u32();
    const offset = c.u64();
    if (names.has(name)) throw new HeaderFault(`tensor ${name} appears twice`);
    names.add(name);
    if (!isKnownGgmlType(type)) throw new HeaderFault(`tensor ${name} has unknown ggml type ${type}`);
    const bytes = ggmlTensorBytes(type, dims);
    if (bytes === undefined) throw new HeaderFault(`tensor ${name} [${dims.join(', ')}] is not a whole number of ${ggmlTypeName(type)} blocks`);
    if (offset % alignment !== 0) throw new HeaderFault(`tensor ${name} starts at unaligned offset ${offset}`);
    tensors.push({ name, dims, type, offset, bytes });
  }
  const dataOffset = Math.ceil(c.pos / alignment) * alignment;
  const dataBytes = c.size - dataOffset;
  for (const t of tensors) {
    if (t.offset + t.bytes > dataBytes) {
      throw new HeaderFault(`it is truncated: tensor ${t.name} needs bytes up to ${dataOffset + t.offset + t.bytes}, the file has ${c.size}`);
    }
  }
  return { path, version, fileBytes: c.size, metadata, tensors, alignment, dataOffset };
}

/** Reads and checks the header and tensor table; throws one YardstickError naming the file. */
export function readGgufHeader(path: string): GgufHeader {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new YardstickError('model', `cannot open GGUF file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      hint: 'check the path (--model gguf:FILE.gguf)',
    });
  }
  try {
    return parse(new Cursor(fd, fstatSync(fd).size), path);
  } catch (e) {
    if (!(e instanceof HeaderFault)) throw e;
    throw new YardstickError('model', `${path} is not a valid GGUF file: ${e.message}`, {
      hint: 're-download or re-convert the model',
    });
  } finally {
    closeSync(fd);
  }
}

/** A metadata value of the expected JS type, or undefined. */
export function metaNumber(h: GgufHeader, key: string): number | undefined {
  const v = h.metadata.get(key);
  return typeof v === 'number' ? v : undefined;
}
export function metaString(h: GgufHeader, key: string): string | undefined {
  const v = h.metadata.get(key);
  return typeof v === 'string' ? v : undefined;
}
export function metaBool(h: GgufHeader, key: string): boolean | undefined {
  const v = h.metadata.get(key);
  return typeof v === 'boolean' ? v : undefined;
}

/** Checks what the llama engine needs beyond a well-formed container: an architecture, a vocabulary. */
export function checkLlamaCompatible(h: GgufHeader): void {
  const arch = metaString(h, 'general.architecture');
  const fail = (why: string): never => {
    throw new YardstickError('model', `${h.path} cannot be evaluated: ${why}`, { hint: 'use a GGUF converted from a causal language model' });
  };
  if (!arch) fail('it has no general.architecture');
  if (!Array.isArray(h.metadata.get('tokenizer.ggml.tokens'))) fail('it has no embedded tokenizer (tokenizer.ggml.tokens)');
  if (!h.tensors.some((t) => t.name === 'token_embd.weight')) fail('it has no token_embd.weight tensor');
}
