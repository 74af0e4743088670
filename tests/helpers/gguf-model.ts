// Tiny generated models with every GGUF variant, and GGUF files deliberately broken in one way
// (two tensors swapped, truncated, bad magic) for the self-check and header tests.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeModel } from '../../src/models/make-model.js';
import { readGgufHeader } from '../../src/engines/llamacpp/gguf-file.js';

const cache = new Map<string, Promise<string>>();

/** A tiny model folder with model.gguf (f32), model-f16.gguf and model-q8_0.gguf beside the HF files and ONNX export. */
export function tinyGgufModel(options: { seed?: number; bos?: boolean } = {}): Promise<string> {
  const seed = options.seed ?? 1;
  const bos = options.bos ?? true;
  const key = `${seed}:${bos}`;
  let p = cache.get(key);
  if (!p) {
    const dir = join(mkdtempSync(join(tmpdir(), 'yardstick-gguf-')), `tiny-s${seed}-${bos ? 'bos' : 'nobos'}`);
    p = makeModel({ preset: 'tiny', seed, outDir: dir, bos, gguf: ['f32', 'f16', 'q8_0'] }).then(() => dir);
    cache.set(key, p);
  }
  return p;
}

/** A copy of `src` at `dest` with the data of two same-shaped tensors exchanged. */
export function swapTensors(src: string, dest: string, a: string, b: string): void {
  const header = readGgufHeader(src);
  const bytes = readFileSync(src);
  const find = (name: string) => {
    const t = header.tensors.find((x) => x.name === name);
    if (!t) throw new Error(`no tensor ${name} in ${src}`);
    return { start: header.dataOffset + t.offset, bytes: t.bytes };
  };
  const ta = find(a);
  const tb = find(b);
  if (ta.bytes !== tb.bytes) throw new Error(`${a} and ${b} differ in size`);
  const saved = Buffer.from(bytes.subarray(ta.start, ta.start + ta.bytes));
  bytes.copy(bytes, ta.start, tb.start, tb.start + tb.bytes);
  saved.copy(bytes, tb.start);
  writeFileSync(dest, bytes);
}

/** A copy of `src` cut to its first `keep` bytes. */
export function truncatedCopy(src: string, dest: string, keep: number): void {
  writeFileSync(dest, readFileSync(src).subarray(0, keep));
}
