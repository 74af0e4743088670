// The startup self-check: a GGUF with two tensors swapped is caught at first load by the ONNX export
// beside it (f32 and q8_0); a record that no longer matches is caught at a later load; faithful files
// pass and are recorded; and, pinned down as a limitation, a swapped file with no independent
// implementation beside it is recorded as it is.
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LlamaCppEngine } from '../../../src/engines/llamacpp/engine.js';
import type { SelfCheckRecord } from '../../../src/engines/llamacpp/self-check.js';
import { YardstickError } from '../../../src/errors.js';
import { swapTensors, tinyGgufModel } from '../../helpers/gguf-model.js';

let dir: string;
let work: string;

beforeAll(async () => {
  dir = await tinyGgufModel();
  work = mkdtempSync(join(tmpdir(), 'yardstick-selfcheck-'));
});

function records(d: string): string[] {
  return existsSync(d) ? readdirSync(d) : [];
}

async function openError(path: string, selfCheckDir: string): Promise<YardstickError> {
  const e = await LlamaCppEngine.open(path, { threads: 1, sequences: 1, selfCheckDir }).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(YardstickError);
  return e as YardstickError;
}

describe('self-check at first load', () => {
  it('records faithful f32, f16 and q8_0 files, checked against the ONNX export beside them, loaded side by side', async () => {
    const selfCheckDir = join(work, 'faithful');
    const engines = await Promise.all(
      ['model.gguf', 'model-f16.gguf', 'model-q8_0.gguf'].map((f) => LlamaCppEngine.open(join(dir, f), { threads: 1, sequences: 1, selfCheckDir })),
    );
    try {
      const [f32, f16, q8] = engines.map((e) => e.selfCheck);
      for (const s of [f32!, f16!, q8!]) {
        expect(s.status).toBe('recorded');
        expect(s.reference?.what).toContain('the ONNX export in');
      }
      expect(f32!.reference!.maxAbsDiff).toBeLessThan(1e-4);
      expect(f16!.reference!.maxAbsDiff).toBeLessThan(0.1);
      expect(q8!.reference!.meanAbsDiff).toBeLessThan(0.3);
    } finally {
      await Promise.all(engines.map((e) => e.close()));
    }
    expect(records(selfCheckDir)).toHaveLength(3);
    // a later load in a fresh process reproduces the record
    const again = await LlamaCppEngine.open(join(dir, 'model-q8_0.gguf'), { threads: 1, sequences: 1, selfCheckDir });
    expect(again.selfCheck.status).toBe('matched');
    expect(again.selfCheck.maxAbsDiff).toBeLessThan(1e-6);
    await again.close();
  });

  for (const [file, a, b] of [
    ['model.gguf', 'blk.1.ffn_gate.weight', 'blk.1.ffn_up.weight'],
    ['model.gguf', 'blk.0.attn_norm.weight', 'blk.0.ffn_norm.weight'],
    ['model-q8_0.gguf', 'blk.1.ffn_gate.weight', 'blk.1.ffn_up.weight'],
  ] as const) {
    it(`catches ${a} and ${b} swapped in ${file}, and records nothing`, async () => {
      const folder = join(work, `swap-${file}-${a}`);
      cpSync(dir, folder, { recursive: true });
      swapTensors(join(dir, file), join(folder, file), a, b);
      const selfCheckDir = join(work, `records-${file}-${a}`);
      const e = await openError(join(folder, file), selfCheckDir);
      expect(e.oneLine()).toMatch(/^self-check failed for .*: its log-probs differ from the ONNX export in .* by .* nats.*not a faithful conversion/);
      expect(e.oneLine()).not.toContain('\n');
      expect(records(selfCheckDir)).toEqual([]);
    });
  }
});

describe('self-check against the record', () => {
  it('fails when a load no longer reproduces the recorded log-probs', async () => {
    const selfCheckDir = join(work, 'tampered');
    const first = await LlamaCppEngine.open(join(dir, 'model.gguf'), { threads: 1, sequences: 1, selfCheckDir });
    await first.close();
    const [name] = records(selfCheckDir);
    const path = join(selfCheckDir, name!);
    const record = JSON.parse(readFileSync(path, 'utf8')) as SelfCheckRecord;
    expect(record.file).toBe('model.gguf');
    expect(record.sha256).toBe(first.info.fingerprint.weights);
    expect(record.logprobs).toHaveLength(record.tokens.length - 1);
    // what a process computing this file wrongly would produce at one position
    record.logprobs[5]! += 0.01;
    writeFileSync(path, JSON.stringify(record));
    const e = await openError(join(dir, 'model.gguf'), selfCheckDir);
    expect(e.oneLine()).toMatch(/self-check failed for .*model\.gguf: llama\.cpp's log-probs differ from those recorded when the file was first loaded by 0\.0100 nats \(position 6/);
  });

  it('cannot judge a swapped file with no independent implementation beside it: it is recorded as it is', async () => {
    const alone = join(work, 'alone');
    cpSync(dir, alone, { recursive: true, filter: (src) => !src.includes('onnx') });
    swapTensors(join(dir, 'model.gguf'), join(alone, 'model.gguf'), 'blk.1.ffn_gate.weight', 'blk.1.ffn_up.weight');
    const engine = await LlamaCppEngine.open(join(alone, 'model.gguf'), { threads: 1, sequences: 1, selfCheckDir: join(work, 'alone-records') });
    expect(engine.selfCheck.status).toBe('recorded');
    expect(engine.selfCheck.reference).toBeNull();
    await engine.close();
  });

  it('keeps separate records per KV cache type', async () => {
    const selfCheckDir = join(work, 'kv');
    copyFileSync(join(dir, 'model.gguf'), join(work, 'kv.gguf'));
    for (const kvCache of ['f32', 'f16'] as const) {
      const e = await LlamaCppEngine.open(join(work, 'kv.gguf'), { threads: 1, sequences: 1, selfCheckDir, kvCache });
      expect(e.selfCheck.status).toBe('recorded');
      expect(e.info.fingerprint.settings.kv_cache).toBe(kvCache);
      await e.close();
    }
    expect(records(selfCheckDir)).toHaveLength(2);
  });
});
