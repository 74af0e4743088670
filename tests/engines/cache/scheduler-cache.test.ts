// The scheduler with a response cache, on tiny generated models: only misses reach the engine (in the
// order and batches the scheduler gives them anyway), every batch is stored as it returns, and no
// answer crosses to another model (other weights, max length) or another request (BOS policy).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseCache } from '../../../src/engines/cache/index.js';
import { OnnxEngine } from '../../../src/engines/onnx/engine.js';
import { generateAll, scoreAll } from '../../../src/engines/scheduler.js';
import type { Engine, GenerateRequest, ScoreInput, ScoreRequest } from '../../../src/engines/types.js';
import { encodePair, toScoreRequest, type BosPolicy } from '../../../src/requests/tokenize.js';
import { loadReferenceModel, referenceContinuationLogprob } from '../../helpers/reference-llama.js';
import { tinyModel } from '../../helpers/tiny-model.js';

const dir = mkdtempSync(join(tmpdir(), 'yardstick-cache-sched-'));
let n = 0;
const freshCache = (): ResponseCache => ResponseCache.open(join(dir, `c${n++}.sqlite`));

let dirA: string;
let engineA: OnnxEngine;
let engineB: OnnxEngine;

beforeAll(async () => {
  dirA = await tinyModel({ seed: 1 });
  engineA = await OnnxEngine.load(dirA);
  engineB = await OnnxEngine.load(await tinyModel({ seed: 2 }));
});
afterAll(async () => {
  await engineA.close();
  await engineB.close();
  rmSync(dir, { recursive: true, force: true });
});

const pairs: Array<[string, string]> = [
  ['The river was', ' quiet today.'],
  ['Question: what is two plus two?\nAnswer:', ' four'],
  ['Question: what is two plus two?\nAnswer:', ' five'],
  ['Question: what is two plus two?\nAnswer:', ' three'],
  ['She opened the window and', ' the music came in from the garden.'],
  ['Numbers like 1234 and', ' 56.78 tokenize into pieces.'],
  ['A', ' B'],
  ['In winter the stone path was', ' bright with light.'],
  ['The paper near the', ' window'],
  ['The paper near the', ' door'],
];

function requestsFor(engine: Engine, bos: BosPolicy = 'tokenizer'): ScoreRequest[] {
  const rules = { bos, maxLength: engine.maxLength };
  return pairs.map(([c, x], i) => toScoreRequest(encodePair(engine.tokenizer, c, x, rules), engine.maxLength, `pair ${i}`));
}

/** The engine, recording what it is asked; after `failAfter` batches it throws, like a run killed mid-way. */
function recording(engine: Engine, failAfter = Infinity): Engine & { batches: ScoreInput[][]; generated: GenerateRequest[][] } {
  const batches: ScoreInput[][] = [];
  const generated: GenerateRequest[][] = [];
  return {
    info: engine.info,
    tokenizer: engine.tokenizer,
    maxLength: engine.maxLength,
    batches,
    generated,
    scoreBatch: async (batch) => {
      if (batches.length >= failAfter) throw new Error('killed');
      batches.push(batch);
      return engine.scoreBatch(batch);
    },
    generateBatch: async (batch) => {
      if (batches.length + generated.length >= failAfter) throw new Error('killed');
      generated.push(batch);
      return engine.generateBatch(batch);
    },
    close: async () => undefined,
  };
}

const key = (r: ScoreRequest): string => `${r.input.join(',')}|${r.continuation.join(',')}`;

describe('scoreAll with a cache', () => {
  it('sends only the misses to the engine, batched and ordered as without a cache', async () => {
    const all = requestsFor(engineA);
    all.push(all[4]!); // a repeated request counts twice, is computed once
    const cache = freshCache();
    const model = cache.forModel(engineA.info);
    const seen = all.filter((_, i) => i % 3 === 0);
    await scoreAll(engineA, seen, 1, undefined, model);
    expect(model.counts).toEqual({ fromCache: 0, computed: seen.length });

    const withCache = recording(engineA);
    const progress: number[] = [];
    await scoreAll(withCache, all, 3, (p) => progress.push(p.total), model);
    const seenKeys = new Set(seen.map(key));
    const misses = all.filter((r) => !seenKeys.has(key(r)));
    const withoutCache = recording(engineA);
    await scoreAll(withoutCache, misses, 3);
    expect(withCache.batches).toEqual(withoutCache.batches);
    expect(withCache.batches.flat().flatMap((g) => g.continuations.map((c) => key({ input: g.input, continuation: c }))).some((k) => seenKeys.has(k))).toBe(false);
    expect(model.counts).toEqual({ fromCache: all.length - misses.length, computed: seen.length + misses.length });
    expect(progress.every((t) => t === misses.length)).toBe(true);

    // everything is cached now: the engine is not called, and no progress is reported
    const idle = recording(engineA, 0);
    const again = await scoreAll(idle, all, 3, () => expect.fail('no progress expected'), model);
    expect(again.every((r) => r !== undefined)).toBe(true);
    cache.close();
  });

  it('loses only the batches in flight when a run dies, and the rerun gives the uninterrupted numbers bit for bit', async () => {
    const all = requestsFor(engineA);
    const uninterrupted = await scoreAll(engineA, all, 1);
    const cache = freshCache();
    const dying = recording(engineA, 4);
    await expect(scoreAll(dying, all, 1, undefined, cache.forModel(engineA.info))).rejects.toThrow('killed');
    // the four passes that returned are in the file: one per distinct input
    const stored = cache.forModel(engineA.info).getScores(all);
    const storedKeys = new Set(all.filter((_, i) => stored[i] !== undefined).map(key));
    const passedKeys = new Set(dying.batches.flat().flatMap((g) => g.continuations.map((c) => key({ input: g.input, continuation: c }))));
    expect(storedKeys).toEqual(passedKeys);
    expect(dying.batches).toHaveLength(4);

    const rerun = recording(engineA);
    const model = cache.forModel(engineA.info);
    const resumed = await scoreAll(rerun, all, 1, undefined, model);
    const recomputed = rerun.batches.flat().flatMap((g) => g.continuations.map((c) => key({ input: g.input, continuation: c })));
    expect(recomputed.filter((k) => storedKeys.has(k))).toEqual([]);
    expect(model.counts.fromCache).toBe(all.filter((r) => storedKeys.has(key(r))).length);
    expect(resumed).toEqual(uninterrupted);
    cache.close();
  });

  it('never gives one model the rows of another with the same architecture and tokenizer', async () => {
    const fa = engineA.info.fingerprint;
    const fb = engineB.info.fingerprint;
    expect({ ...fb, weights: fa.weights }).toEqual(fa); // they differ in the weights only
    const all = requestsFor(engineA);
    expect(requestsFor(engineB)).toEqual(all);
    const cache = freshCache();
    const a = await scoreAll(engineA, all, 1, undefined, cache.forModel(engineA.info));
    const modelB = cache.forModel(engineB.info);
    const b = await scoreAll(engineB, all, 1, undefined, modelB);
    expect(modelB.counts).toEqual({ fromCache: 0, computed: all.length });
    // B's numbers are B's: the float64 reference forward of model B, not A's
    const refB = loadReferenceModel(await tinyModel({ seed: 2 }));
    all.forEach((r, i) => {
      const expected = referenceContinuationLogprob(refB, r.input, r.continuation);
      expect(Math.abs(b[i]!.logprob - expected)).toBeLessThan(1e-4);
      expect(Math.abs(b[i]!.logprob - a[i]!.logprob)).toBeGreaterThan(1e-3);
    });
    // and B's rows did not overwrite A's
    const modelA = cache.forModel(engineA.info);
    expect(await scoreAll(recording(engineA, 0), all, 1, undefined, modelA)).toEqual(a);
    cache.close();
  });

  it('misses when the BOS policy changes the requests', async () => {
    const withBos = requestsFor(engineA, 'tokenizer');
    const noBos = requestsFor(engineA, 'never');
    expect(withBos[0]!.input[0]).toBe(engineA.tokenizer.bosTokenId);
    expect(noBos[0]!.input[0]).not.toBe(engineA.tokenizer.bosTokenId);
    const cache = freshCache();
    await scoreAll(engineA, withBos, 1, undefined, cache.forModel(engineA.info));
    const model = cache.forModel(engineA.info);
    await scoreAll(engineA, noBos, 1, undefined, model);
    expect(model.counts).toEqual({ fromCache: 0, computed: noBos.length });
    await scoreAll(engineA, withBos, 1, undefined, model);
    expect(model.counts.fromCache).toBe(withBos.length);
    cache.close();
  });

  it('misses when the max length differs, even for requests with the same token ids', async () => {
    const short = await OnnxEngine.load(dirA, { maxLength: 48 });
    try {
      expect(short.info.fingerprint.settings.max_length).toBe(48);
      expect(short.info.fingerprint.settings.max_length).not.toBe(engineA.info.fingerprint.settings.max_length);
      const all = requestsFor(engineA);
      expect(requestsFor(short)).toEqual(all); // short enough that truncation changes nothing
      const cache = freshCache();
      await scoreAll(engineA, all, 1, undefined, cache.forModel(engineA.info));
      const model = cache.forModel(short.info);
      await scoreAll(short, all, 1, undefined, model);
      expect(model.counts).toEqual({ fromCache: 0, computed: all.length });
      cache.close();
    } finally {
      await short.close();
    }
  });
});

describe('generateAll with a cache', () => {
  it('stores generations and answers a rerun without the engine', async () => {
    const ids = (t: string): number[] => engineA.tokenizer.encode(t, true);
    const requests: GenerateRequest[] = [
      { input: ids('Once upon a time'), maxNewTokens: 6, until: ['\n\n'] },
      { input: ids('The answer is'), maxNewTokens: 4, until: ['.'] },
      { input: ids('The answer is'), maxNewTokens: 5, until: ['.'] },
    ];
    const cache = freshCache();
    const first = recording(engineA);
    const model = cache.forModel(engineA.info);
    const computed = await generateAll(first, requests, 2, undefined, model);
    expect(first.generated.flat()).toHaveLength(3);
    const cached = await generateAll(recording(engineA, 0), requests, 2, undefined, model);
    const silent = recording(engineA);
    await generateAll(silent, requests, 2, undefined, model);
    expect(silent.generated).toEqual([]);
    expect(cached).toEqual(computed);
    expect(model.counts).toEqual({ fromCache: 6, computed: 3 });
    cache.close();
  });

  it('keeps repeated samples apart: each repeat gets its own answer back', async () => {
    // a sampling engine stand-in: every call answers with a fresh token
    let next = 100;
    const sampler: Engine = {
      ...recording(engineA),
      generateBatch: async (batch) => batch.map(() => ({ tokens: [next++] })),
    };
    const sampled: GenerateRequest = { input: [1, 2, 3], maxNewTokens: 1, until: [], sampling: { doSample: true, temperature: 1, seed: 7 } };
    const greedy: GenerateRequest = { input: [1, 2, 3], maxNewTokens: 1, until: [] };
    const requests = [sampled, greedy, sampled, sampled];
    const cache = freshCache();
    const model = cache.forModel(engineA.info);
    const first = await generateAll(sampler, requests, 1, undefined, model);
    expect(new Set(first.filter((_, i) => i !== 1).map((r) => r.tokens[0])).size).toBe(3);
    const again = await generateAll(recording(engineA, 0), requests, 1, undefined, model);
    expect(again).toEqual(first);
    // a run with one more repeat computes only the new one
    const more = await generateAll(sampler, [...requests, sampled], 1, undefined, model);
    expect(more.slice(0, 4)).toEqual(first);
    expect(more[4]!.tokens).toEqual([next - 1]);
    cache.close();
  });
});
