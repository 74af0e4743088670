// The llama.cpp engine on make-model's f32 GGUF against the independent float64 reference and the
// ONNX engine: every position, batches of several sequences, prefix reuse, several continuations
// per input; greedy generation against ONNX's, lm-eval's stop rule; close() ends the process.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlamaCppEngine } from '../../../src/engines/llamacpp/engine.js';
import { OnnxEngine } from '../../../src/engines/onnx/engine.js';
import { generateAll, scoreAll } from '../../../src/engines/scheduler.js';
import type { ScoreRequest } from '../../../src/engines/types.js';
import { YardstickError } from '../../../src/errors.js';
import { loadReferenceModel, referenceContinuationLogprobs, referenceLogprobs, type ReferenceModel } from '../../helpers/reference-llama.js';
import { tinyGgufModel } from '../../helpers/gguf-model.js';

let dir: string;
let engine: LlamaCppEngine;
let onnx: OnnxEngine;
let reference: ReferenceModel;

beforeAll(async () => {
  dir = await tinyGgufModel();
  const selfCheckDir = join(mkdtempSync(join(tmpdir(), 'yardstick-selfcheck-')), 'records');
  engine = await LlamaCppEngine.open(join(dir, 'model.gguf'), { threads: 1, sequences: 4, selfCheckDir });
  onnx = await OnnxEngine.load(dir, { threads: 1 });
  reference = loadReferenceModel(dir);
});

afterAll(async () => {
  await engine?.close();
  await onnx?.close();
});

const TEXTS = [
  'The quick brown fox jumps over the lazy dog.',
  'In the beginning there was a small model that could barely count.',
  'A',
  'Numbers like 1234 and 56.78 tokenize into several pieces, which is fine.',
  'She said, "hello there" and walked away into the evening light.',
  'Short one.',
  'Evaluation harnesses should give the same numbers as each other, every time, on every machine.',
  'When the river rose in spring, the people of the valley moved their houses up the hill and waited.',
];

/** Every position of every text (continuation = all but the first token). */
function everyPosition(): ScoreRequest[] {
  return TEXTS.map((t) => {
    const ids = engine.tokenizer.encode(t, true);
    return { input: ids.slice(0, -1), continuation: ids.slice(1) };
  });
}

const referenceScore = (r: ScoreRequest): number[] => referenceContinuationLogprobs(reference, r.input, r.continuation);

describe('LlamaCppEngine scoring', () => {
  it('matches the float64 reference and the ONNX engine within 1e-4 nats at every position', async () => {
    const reqs = everyPosition();
    const got = await scoreAll(engine, reqs, 8);
    const viaOnnx = await scoreAll(onnx, reqs, 8);
    let positions = 0;
    let worstRef = 0;
    let worstOnnx = 0;
    got.forEach((res, i) => {
      const expected = referenceScore(reqs[i]!);
      expected.forEach((e, k) => {
        worstRef = Math.max(worstRef, Math.abs(e - res.tokenLogprobs[k]!));
        worstOnnx = Math.max(worstOnnx, Math.abs(viaOnnx[i]!.tokenLogprobs[k]! - res.tokenLogprobs[k]!));
        positions++;
      });
      expect(res.isGreedy).toBe(viaOnnx[i]!.isGreedy);
    });
    expect(positions).toBeGreaterThanOrEqual(150);
    expect(worstRef).toBeLessThan(1e-4);
    expect(worstOnnx).toBeLessThan(1e-4);
  });

  it('gives the same scores with batch size 1 and 8, whichever sequence serves a request', async () => {
    const reqs = everyPosition().map((r) => ({ input: r.input, continuation: r.continuation.slice(-3) }));
    const one = await scoreAll(engine, reqs, 1);
    const eight = await scoreAll(engine, [...reqs].reverse(), 8);
    one.forEach((r, i) => {
      const other = eight[reqs.length - 1 - i]!;
      expect(Math.abs(r.logprob - other.logprob)).toBeLessThan(1e-6);
      expect(r.isGreedy).toBe(other.isGreedy);
    });
  });

  it('reuses a cached prefix without changing results', async () => {
    const ctx = engine.tokenizer.encode('The answer to the question about the river is', true);
    const conts = [' yes', ' no', ' the valley', ' spring'].map((c) => engine.tokenizer.encode(c, false));
    // one request at a time on the same sequence: each shares the context with the previous one
    for (const cont of conts) {
      const input = [...ctx, ...cont].slice(0, -1);
      const res = (await engine.scoreBatch([{ input, continuations: [cont] }]))[0]![0]!;
      const expected = referenceScore({ input, continuation: cont });
      res.tokenLogprobs.forEach((lp, k) => expect(Math.abs(lp - expected[k]!)).toBeLessThan(1e-4));
    }
    // the same input again (everything cached): the scored positions are evaluated again
    const input = [...ctx, ...conts[2]!].slice(0, -1);
    const again = await engine.scoreBatch([{ input, continuations: [conts[2]!] }]);
    const expected = referenceScore({ input, continuation: conts[2]! });
    again[0]![0]!.tokenLogprobs.forEach((lp, k) => expect(Math.abs(lp - expected[k]!)).toBeLessThan(1e-4));
  });

  it('scores several continuations of one input, including one-token answers at the same position', async () => {
    const ctx = engine.tokenizer.encode('Question: which letter? Answer:', true);
    // four one-token answers after the same context, like MMLU's ' A'..' D'
    const answers = [[65], [66], [67], [68]];
    const [results] = await engine.scoreBatch([{ input: ctx, continuations: answers }]);
    const row = referenceLogprobs(reference, ctx).at(-1)!;
    let argmax = 0;
    for (let v = 1; v < row.length; v++) if (row[v]! > row[argmax]!) argmax = v;
    results!.forEach((r, i) => {
      expect(Math.abs(r.logprob - row[answers[i]![0]!]!)).toBeLessThan(1e-4);
      expect(r.isGreedy).toBe(answers[i]![0] === argmax);
    });
  });

  it('refuses a request longer than its context instead of letting llama.cpp shift it', async () => {
    const long = Array.from({ length: engine.maxLength + 10 }, (_, i) => 3 + (i % 200));
    await expect(engine.scoreBatch([{ input: long, continuations: [[5]] }])).rejects.toThrow(YardstickError);
  });
});

describe('LlamaCppEngine generation', () => {
  const prompts = ['Once upon a time', 'The river', 'Numbers like 12', 'She said'];

  it('generates the same greedy tokens as the ONNX engine', async () => {
    const reqs = prompts.map((p) => ({ input: engine.tokenizer.encode(p, true), maxNewTokens: 12, until: [] }));
    const got = await generateAll(engine, reqs, 4);
    const viaOnnx = await generateAll(onnx, reqs, 4);
    got.forEach((g, i) => {
      expect(g.tokens).toHaveLength(12);
      expect(g.tokens).toEqual(viaOnnx[i]!.tokens);
    });
  });

  it('stops at a stop string found in the last tokens, and at max_gen_toks', async () => {
    const input = engine.tokenizer.encode(prompts[0]!, true);
    const [free] = await engine.generateBatch([{ input, maxNewTokens: 12, until: [] }]);
    const text = engine.tokenizer.decode(free!.tokens, false);
    // stop on the text of the 5th generated token: generation ends as soon as it appears
    const stop = engine.tokenizer.decode(free!.tokens.slice(4, 5), false);
    expect(stop.length).toBeGreaterThan(0);
    const [stopped] = await engine.generateBatch([{ input, maxNewTokens: 12, until: [stop] }]);
    const firstAt = free!.tokens.findIndex((_, k) => engine.tokenizer.decode(free!.tokens.slice(0, k + 1), false).includes(stop));
    expect(stopped!.tokens).toEqual(free!.tokens.slice(0, firstAt + 1));
    expect(text.startsWith(engine.tokenizer.decode(stopped!.tokens, false))).toBe(true);
    const [short] = await engine.generateBatch([{ input, maxNewTokens: 3, until: [] }]);
    expect(short!.tokens).toEqual(free!.tokens.slice(0, 3));
  });

  it('rejects sampling', async () => {
    const input = engine.tokenizer.encode('Hi', true);
    await expect(engine.generateBatch([{ input, maxNewTokens: 2, until: [], sampling: { doSample: true, temperature: 1 } }])).rejects.toThrow(/greedily/);
  });
});

describe('LlamaCppEngine info', () => {
  it('fingerprints the file, tokenizer, engine version and number-changing settings', () => {
    const fp = engine.info.fingerprint;
    expect(fp.engine).toBe('llamacpp');
    expect(fp.engineVersion).toMatch(/^node-llama-cpp 3\.21\.1 /);
    expect(fp.weights).toMatch(/^[0-9a-f]{64}$/);
    expect(fp.tokenizer).toMatch(/^[0-9a-f]{64}$/);
    expect(fp.dtype).toBe('f32');
    expect(fp.settings).toMatchObject({ kv_cache: 'f32', flash_attention: false, device: 'cpu', max_length: 2048 });
    expect(engine.tokenizer.source).toBe('gguf');
    expect(engine.info.numParameters).toBe(reference.vocab * reference.hidden + 2 * (2 * 64 + 2 * 64 * 64 + 2 * 64 * 32 + 3 * 64 * 128) + 64);
  });

  it('close() ends the llama.cpp process and is safe twice', async () => {
    const other = await LlamaCppEngine.open(join(dir, 'model.gguf'), { threads: 1, sequences: 1, selfCheckDir: join(mkdtempSync(join(tmpdir(), 'yardstick-sc-')), 'r') });
    const pid = (other as unknown as { child: { proc: { pid: number } } }).child.proc.pid;
    expect(() => process.kill(pid, 0)).not.toThrow();
    await other.close();
    await other.close();
    expect(() => process.kill(pid, 0)).toThrow();
    await expect(other.scoreBatch([{ input: [0, 5], continuations: [[6]] }])).rejects.toThrow(/closed/);
  });
});
