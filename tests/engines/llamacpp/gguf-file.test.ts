// The GGUF header reader on make-model's files, and one-line errors naming the file for every
// structural fault, through the reader and through the engine (before llama.cpp sees the file).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readGgufHeader } from '../../../src/engines/llamacpp/gguf-file.js';
import { ggufEngineFactory, openGgufFile } from '../../../src/engines/llamacpp/factory.js';
import { YardstickError } from '../../../src/errors.js';
import { tinyGgufModel, truncatedCopy } from '../../helpers/gguf-model.js';

let dir: string;
let work: string;
let good: string;

beforeAll(async () => {
  dir = await tinyGgufModel();
  good = join(dir, 'model.gguf');
  work = mkdtempSync(join(tmpdir(), 'yardstick-gguf-bad-'));
});

function headerError(path: string): YardstickError {
  try {
    readGgufHeader(path);
  } catch (e) {
    expect(e).toBeInstanceOf(YardstickError);
    return e as YardstickError;
  }
  throw new Error(`${path} was accepted`);
}

describe('readGgufHeader', () => {
  it('reads version, counts, alignment and the tensor table', () => {
    const h = readGgufHeader(good);
    expect(h.version).toBe(3);
    expect(h.alignment).toBe(32);
    expect(h.dataOffset % 32).toBe(0);
    const embd = h.tensors.find((t) => t.name === 'token_embd.weight')!;
    expect(embd.dims).toEqual([64, 512]);
    expect(embd.bytes).toBe(64 * 512 * 4);
    // the last tensor ends exactly at the end of the file
    const last = h.tensors.reduce((a, b) => (a.offset > b.offset ? a : b));
    expect(h.dataOffset + last.offset + last.bytes).toBe(h.fileBytes);
  });

  it('rejects a file cut inside its tensor data, naming the file and the tensor', () => {
    const path = join(work, 'cut-data.gguf');
    truncatedCopy(good, path, readFileSync(good).length - 1000);
    const e = headerError(path);
    expect(e.message).toContain(path);
    expect(e.message).toMatch(/truncated: tensor \S+ needs bytes up to \d+, the file has \d+/);
    expect(e.oneLine()).not.toContain('\n');
  });

  it('rejects a file cut inside its header', () => {
    const path = join(work, 'cut-header.gguf');
    truncatedCopy(good, path, 5000);
    expect(headerError(path).message).toMatch(/is not a valid GGUF file: the file ends inside its header/);
  });

  it('rejects a file that is not GGUF at all', () => {
    const path = join(work, 'not.gguf');
    writeFileSync(path, 'this is a text file, not a model, but long enough to have a header');
    expect(headerError(path).message).toMatch(/not.gguf is not a valid GGUF file: it does not start with the GGUF magic bytes/);
  });

  it('rejects implausible counts and an unknown tensor type', () => {
    const bytes = readFileSync(good);
    const counts = Buffer.from(bytes);
    counts.writeBigUInt64LE(1n << 40n, 8); // tensor count
    writeFileSync(join(work, 'counts.gguf'), counts);
    expect(headerError(join(work, 'counts.gguf')).message).toMatch(/implausible counts/);

    const h = readGgufHeader(good);
    // the tensor table's last entry ends with its type (u32) and offset (u64), right before the padding
    const last = h.tensors.at(-1)!;
    const typeAt = bytes.indexOf(Buffer.from(last.name)) + last.name.length + 4 + 8 * last.dims.length;
    const badType = Buffer.from(bytes);
    badType.writeUInt32LE(99, typeAt);
    writeFileSync(join(work, 'type.gguf'), badType);
    expect(headerError(join(work, 'type.gguf')).message).toMatch(/tensor output_norm.weight has unknown ggml type 99/);
  });

  it('names a missing file', () => {
    expect(headerError(join(work, 'missing.gguf')).message).toMatch(/cannot open GGUF file .*missing.gguf: ENOENT/);
  });
});

describe('opening a broken GGUF', () => {
  it('fails in one line naming the file, without starting llama.cpp', async () => {
    const path = join(work, 'cut-for-engine.gguf');
    truncatedCopy(good, path, 300_000);
    const started = Date.now();
    const e = await openGgufFile(path, { selfCheckDir: join(work, 'records') }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(YardstickError);
    expect((e as YardstickError).oneLine()).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a valid GGUF file: it is truncated`));
    // llama.cpp's binding takes seconds to start; the header check does not need it
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses several sequences per context, in one line, before opening anything', async () => {
    const path = join(work, 'cut-for-sequences.gguf');
    truncatedCopy(good, path, 300_000);
    const open = (sequences: string): Promise<unknown> =>
      ggufEngineFactory.open({ engine: 'gguf', args: { pretrained: path, sequences } }, {}).catch((x: unknown) => x);
    // one sequence gets as far as the file, which is truncated
    expect(((await open('1')) as YardstickError).oneLine()).toMatch(/is not a valid GGUF file/);
    const refused = (await open('4')) as YardstickError;
    expect(refused).toBeInstanceOf(YardstickError);
    expect(refused.oneLine()).toMatch(/^--model-args sequences=4: several sequences per llama\.cpp context give wrong log-probs under CPU load .*docs\/gguf\.md/);
    // the reproduction harness (bench/gguf/sequences_fault.sh) gets past it, with a warning
    const warnings: string[] = [];
    process.env.YARDSTICK_UNSAFE_GGUF_SEQUENCES = '1';
    try {
      const e = await ggufEngineFactory.open({ engine: 'gguf', args: { pretrained: path, sequences: '4' } }, { onWarning: (m) => warnings.push(m) }).catch((x: unknown) => x);
      expect((e as YardstickError).oneLine()).toMatch(/is not a valid GGUF file/);
    } finally {
      delete process.env.YARDSTICK_UNSAFE_GGUF_SEQUENCES;
    }
    expect(warnings).toEqual(['sequences=4 (YARDSTICK_UNSAFE_GGUF_SEQUENCES=1): these log-probs may be wrong; do not report them']);
  });
});
