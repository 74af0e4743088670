// The scheduler in front of the ONNX engine on the tiny model: batches respect the row cap and the
// padded-token budget, and every request's score is the same (1e-5 nats) whatever the batching,
// and matches the float64 reference.
import { beforeAll, describe, expect, it } from 'vitest';
import type { OnnxEngine } from '../../src/engines/onnx/engine.js';
import { PASS_COST_TOKENS } from '../../src/engines/batching.js';
import { scoreAll } from '../../src/engines/scheduler.js';
import type { Engine, ScoreBatchOptions, ScoreInput, ScoreRequest } from '../../src/engines/types.js';
import { referenceContinuationLogprob, type ReferenceModel } from '../helpers/reference-llama.js';
import { openTinyOnnx } from '../helpers/tiny-model.js';

let engine: OnnxEngine;
let reference: ReferenceModel;

beforeAll(async () => {
  ({ engine, reference } = await openTinyOnnx());
});

const TEXTS = [
  'The quick brown fox jumps over the lazy dog.',
  'A',
  'When the river rose in spring, the people of the valley moved their houses up the hill and waited for the water to go down again.',
  'Numbers like 1234 and 56.78 tokenize into several pieces, which is fine.',
  'Short one.',
  'Every benchmark number should come with its standard error; otherwise nobody can tell a real difference from noise.',
  'She said, "hello there" and walked away into the evening light.',
  'Tokens, tokens, tokens.',
];

/** Requests of many lengths: a split of each text, plus four one-token answers after one context. */
function requests(): ScoreRequest[] {
  const out: ScoreRequest[] = [];
  TEXTS.forEach((t, i) => {
    const ids = engine.tokenizer.encode(t, true);
    const split = Math.max(1, Math.floor(ids.length * (0.4 + 0.05 * i)));
    out.push({ input: ids.slice(0, -1), continuation: ids.slice(split) });
  });
  const ctx = engine.tokenizer.encode('Question: which letter? Answer:', true);
  for (const a of [65, 66, 67, 68]) out.push({ input: ctx, continuation: [a] });
  return out;
}

type RecordedPass = { rows: number; longest: number; padTo: number | undefined };

/** The engine, recording each pass's rows and padded length; `padsBatches` as the engine declares it. */
function recording(passes: RecordedPass[], padsBatches = false): Engine {
  return {
    padsBatches,
    info: engine.info,
    tokenizer: engine.tokenizer,
    maxLength: engine.maxLength,
    scoreBatch: (batch: ScoreInput[], options?: ScoreBatchOptions) => {
      passes.push({ rows: batch.length, longest: Math.max(...batch.map((b) => b.input.length)), padTo: options?.padTo });
      return engine.scoreBatch(batch, options);
    },
    generateBatch: (batch) => engine.generateBatch(batch),
    close: async () => undefined,
  };
}

describe('scoreAll batching', () => {
  it('gives every request the same score (1e-5 nats) under any row cap and token budget, matching the reference', async () => {
    const reqs = requests();
    const baseline = await scoreAll(engine, reqs, 1);
    reqs.forEach((r, i) => expect(Math.abs(baseline[i]!.logprob - referenceContinuationLogprob(reference, r.input, r.continuation))).toBeLessThan(1e-4));
    const plans = [{ batchSize: 16 }, { batchSize: 64, maxBatchTokens: 64 }, { batchSize: 3, maxBatchTokens: 40 }, { batchSize: 64, maxBatchTokens: 1 << 16 }];
    for (const [batching, pads] of plans.flatMap((b) => [[b, false], [b, true]] as const)) {
      const passes: RecordedPass[] = [];
      const got = await scoreAll(recording(passes, pads), reqs, batching);
      got.forEach((r, i) => {
        expect(Math.abs(r.logprob - baseline[i]!.logprob)).toBeLessThan(1e-5);
        expect(r.isGreedy).toBe(baseline[i]!.isGreedy);
        r.tokenLogprobs.forEach((lp, k) => expect(Math.abs(lp - baseline[i]!.tokenLogprobs[k]!)).toBeLessThan(1e-5));
      });
      // 8 texts + 1 shared context = 9 inputs
      expect(passes.reduce((a, p) => a + p.rows, 0)).toBe(9);
      for (const p of passes) {
        expect(p.rows).toBeLessThanOrEqual(batching.batchSize);
        expect(p.padTo).toBeGreaterThanOrEqual(p.longest);
        expect(p.padTo! - p.longest).toBeLessThan(Math.max(1, p.longest / 32)); // padding under 1/32
        if (p.rows > 1) expect(p.rows * p.padTo!).toBeLessThanOrEqual(batching.maxBatchTokens ?? Infinity);
      }
    }
  });

  it('fills every pass for an engine that does not pad, and cuts where padding costs more than a pass for one that does', async () => {
    const reqs = requests();
    const filled: RecordedPass[] = [];
    const cut: RecordedPass[] = [];
    await scoreAll(recording(filled, false), reqs, { batchSize: 16 });
    await scoreAll(recording(cut, true), reqs, { batchSize: 16 });
    expect(filled.map((p) => p.rows)).toEqual([9]);
    expect(cut.length).toBeGreaterThan(1);
    // a pass costs PASS_COST_TOKENS of compute: the cut plan's padded tokens plus its passes cost less
    const cost = (passes: RecordedPass[]): number => passes.reduce((a, p) => a + PASS_COST_TOKENS + p.rows * p.padTo!, 0);
    expect(cost(cut)).toBeLessThan(cost(filled));
  });
});

describe('scoreAll prefix sharing', () => {
  /** MMLU 5-shot-like: one few-shot block per subject, a question per doc, four one-token answers. */
  function fewShotRequests(): ScoreRequest[] {
    const out: ScoreRequest[] = [];
    const subjects = [
      'The following are multiple choice questions (with answers) about astronomy.\n\nQuestion: What is the Sun?\nA. A planet\nB. A star\nC. A moon\nD. A comet\nAnswer: B\n\nQuestion: Which planet is largest?\nA. Mars\nB. Venus\nC. Jupiter\nD. Earth\nAnswer: C\n\n',
      'The following are multiple choice questions (with answers) about virology.\n\nQuestion: What is a virus made of?\nA. Cells\nB. Protein and nucleic acid\nC. Fat only\nD. Sugar\nAnswer: B\n\n',
    ];
    const questions = ['Question: How far is the Moon?', 'Question: What is a light year, in short?', 'Question: Name a gas giant planet.'];
    for (const block of subjects) {
      for (const q of questions) {
        const ctx = engine.tokenizer.encode(`${block}${q}\nA. one\nB. two\nC. three\nD. four\nAnswer:`, true);
        for (const letter of [' A', ' B', ' C', ' D']) {
          const cont = engine.tokenizer.encode(letter, false);
          const full = [...ctx, ...cont];
          out.push({ input: full.slice(0, -1), continuation: cont });
        }
      }
    }
    // a multi-token continuation after a shared context, and one request with nothing to share
    const ctx = engine.tokenizer.encode(`${subjects[0]}Question: Which is hotter?\nAnswer:`, true);
    const cont = engine.tokenizer.encode(' the surface of the Sun', false);
    out.push({ input: [...ctx, ...cont].slice(0, -1), continuation: cont });
    const alone = engine.tokenizer.encode('A short line with nothing in common.', true);
    out.push({ input: alone.slice(0, -1), continuation: alone.slice(-3) });
    return out;
  }

  it('computes each few-shot block once and agrees with the plain path within 1e-5 nats (and the reference)', async () => {
    const reqs = fewShotRequests();
    const plain = await scoreAll(engine, reqs, { batchSize: 4, prefixSharing: false });
    const prefixes: number[] = [];
    let plainRows = 0;
    const counting: Engine = {
      ...recording([]),
      scoreBatch: (batch, options) => {
        plainRows += batch.length;
        return engine.scoreBatch(batch, options);
      },
      scoreSharedPrefix: (prefix, batch, options) => {
        prefixes.push(prefix.length);
        return engine.scoreSharedPrefix(prefix, batch, options);
      },
    };
    let computed = 0;
    for (const batching of [{ batchSize: 4 }, { batchSize: 2, maxBatchTokens: 200 }, { batchSize: 1 }]) {
      prefixes.length = 0;
      plainRows = 0;
      const shared = await scoreAll(counting, reqs, batching, (p) => (computed = p.tokens));
      shared.forEach((r, i) => {
        expect(Math.abs(r.logprob - plain[i]!.logprob)).toBeLessThan(1e-5);
        expect(r.isGreedy).toBe(plain[i]!.isGreedy);
      });
      // two subjects' blocks; the unrelated request scored plainly
      expect(new Set(prefixes).size).toBe(2);
      expect(plainRows).toBe(1);
    }
    const distinctInputs = new Map(reqs.map((r) => [r.input.join(','), r.input.length]));
    const full = [...distinctInputs.values()].reduce((a, n) => a + n, 0);
    expect(computed).toBeLessThan(full / 2);
    reqs.forEach((r, i) => expect(Math.abs(plain[i]!.logprob - referenceContinuationLogprob(reference, r.input, r.continuation))).toBeLessThan(1e-4));
  });
});
