// Greedy generation of the ONNX engine (KV cache, left-padded batches) against a greedy loop on the
// independent float64 reference model, plus lm-eval's stop rule (semantics §5.4): a stop string found
// in the decoded last len(tokens(stop)) + 2 generated tokens ends the row, and at most max_gen_toks
// tokens are generated.
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OnnxEngine } from '../../src/engines/onnx/engine.js';
import { OwnCache, promptGroups } from '../../src/engines/onnx/generate.js';
import { generateAll } from '../../src/engines/scheduler.js';
import { referenceLogprobs, type ReferenceModel } from '../helpers/reference-llama.js';
import { openTinyOnnx } from '../helpers/tiny-model.js';

let engine: OnnxEngine;
let reference: ReferenceModel;

beforeAll(async () => {
  ({ engine, reference } = await openTinyOnnx());
});

/** float32 vs float64 can swap the argmax where the top two are this close. */
const NEAR_TIE = 1e-3;

interface ReferenceRun {
  tokens: number[];
  /** number of leading tokens whose step had a top-2 margin above NEAR_TIE */
  confident: number;
}

const MAX_NEW = 16;
const referenceRuns = new Map<string, ReferenceRun>();

/** Greedy decoding on the float64 reference (cached per prompt; shorter runs are prefixes). */
function referenceGreedy(prompt: number[], maxNew: number): ReferenceRun {
  if (maxNew > MAX_NEW) throw new Error(`referenceGreedy: at most ${MAX_NEW} tokens`);
  const key = prompt.join(',');
  let run = referenceRuns.get(key);
  if (!run) {
    run = referenceGreedyUncached(prompt, MAX_NEW);
    referenceRuns.set(key, run);
  }
  return { tokens: run.tokens.slice(0, maxNew), confident: Math.min(run.confident, maxNew) };
}

/** Argmax (first on ties) each step, stopping at EOS. */
function referenceGreedyUncached(prompt: number[], maxNew: number): ReferenceRun {
  const seq = [...prompt];
  const tokens: number[] = [];
  let confident = -1;
  for (let step = 0; step < maxNew; step++) {
    const row = referenceLogprobs(reference, seq).at(-1)!;
    let best = 0;
    for (let v = 1; v < row.length; v++) if (row[v]! > row[best]!) best = v;
    let second = -Infinity;
    for (let v = 0; v < row.length; v++) if (v !== best) second = Math.max(second, row[v]!);
    if (confident === -1 && row[best]! - second <= NEAR_TIE) confident = step;
    tokens.push(best);
    seq.push(best);
    if (best === engine.tokenizer.eosTokenId) break;
  }
  return { tokens, confident: confident === -1 ? tokens.length : confident };
}

const PROMPTS = [
  'Problem: What is 2+2?\nAnswer:',
  'Hi',
  'The quick brown fox jumps over the lazy dog because',
  'Numbers: 1, 2, 3, 4,',
  'In the beginning there was a small model that could barely count, and yet it',
  'Q: Why?\nA:',
];

describe('OnnxEngine.generateBatch', () => {
  it('generates exactly the float64 reference greedy tokens in one left-padded batch', async () => {
    const maxNew = 12;
    const inputs = PROMPTS.map((p) => engine.tokenizer.encode(p, true));
    expect(new Set(inputs.map((i) => i.length)).size).toBeGreaterThan(3);
    const out = await engine.generateBatch(inputs.map((input) => ({ input, maxNewTokens: maxNew, until: [] })));
    let compared = 0;
    inputs.forEach((input, b) => {
      const ref = referenceGreedy(input, maxNew);
      const got = out[b]!.tokens;
      // identical up to (and including) the first near-tied step; after a near tie the float32
      // engine may legitimately take the other branch
      const n = Math.min(ref.tokens.length, ref.confident + 1);
      expect(got.slice(0, n), `prompt ${b}`).toEqual(ref.tokens.slice(0, n));
      if (ref.confident === ref.tokens.length) expect(got).toEqual(ref.tokens);
      compared += ref.confident;
    });
    expect(compared).toBeGreaterThanOrEqual(40);
  });

  it('does not depend on batch composition (batch size 1 vs all at once)', async () => {
    const requests = PROMPTS.map((p) => ({ input: engine.tokenizer.encode(p, true), maxNewTokens: 8, until: [] }));
    const single = await generateAll(engine, requests, 1);
    const batched = await generateAll(engine, requests, requests.length);
    requests.forEach((r, i) => {
      const ref = referenceGreedy(r.input, 8);
      const n = Math.min(ref.tokens.length, ref.confident + 1);
      expect(single[i]!.tokens.slice(0, n)).toEqual(batched[i]!.tokens.slice(0, n));
    });
  });

  // The tiny model soon repeats one token, so this run would not notice a slot lost as the cache grows;
  // the OwnCache test below checks every slot through the growth steps.
  it('generates the reference tokens over 48 steps, past two growth steps of the engine-kept cache', async () => {
    const maxNew = 48;
    // the longest prompt and the shortest, so the short one's first slots stay unfilled throughout
    const inputs = [PROMPTS[4]!, PROMPTS[1]!].map((p) => engine.tokenizer.encode(p, true));
    const out = await engine.generateBatch(inputs.map((input) => ({ input, maxNewTokens: maxNew, until: [] })));
    let compared = 0;
    inputs.forEach((input, b) => {
      const ref = referenceGreedyUncached(input, maxNew);
      const n = Math.min(ref.tokens.length, ref.confident + 1);
      expect(out[b]!.tokens.slice(0, n), `prompt ${b}`).toEqual(ref.tokens.slice(0, n));
      if (ref.confident === ref.tokens.length) expect(out[b]!.tokens).toEqual(ref.tokens);
      compared = Math.max(compared, ref.confident);
    });
    // the comparison reaches past the first growth step (slot P + 32)
    expect(compared).toBeGreaterThan(33);
  });

  it('stops at max_gen_toks', async () => {
    const input = engine.tokenizer.encode(PROMPTS[2]!, true);
    const ref = referenceGreedy(input, 3);
    const [out] = await engine.generateBatch([{ input, maxNewTokens: 3, until: [] }]);
    expect(out!.tokens).toHaveLength(ref.tokens.length);
    expect(out!.tokens.slice(0, ref.confident)).toEqual(ref.tokens.slice(0, ref.confident));
    const [none] = await engine.generateBatch([{ input, maxNewTokens: 0, until: [] }]);
    expect(none!.tokens).toEqual([]);
  });

  it("honours each row's stop strings with lm-eval's look-back window", async () => {
    const tok = engine.tokenizer;
    const maxNew = MAX_NEW;
    // a confident prompt, and a stop string that first appears a few tokens into its generation
    const candidates = PROMPTS.map((p) => tok.encode(p, true))
      .map((input) => ({ input, ref: referenceGreedy(input, maxNew) }))
      .filter((c) => c.ref.confident === c.ref.tokens.length && c.ref.tokens.length === maxNew);
    expect(candidates.length).toBeGreaterThan(0);
    let checked = 0;
    for (const { input, ref } of candidates) {
      const text = (ids: number[]): string => tok.decode(ids, false);
      const j = ref.tokens.findIndex((t, k) => k >= 2 && text([t]).trim() !== '' && !text(ref.tokens.slice(0, k)).includes(text([t])));
      if (j === -1) continue;
      const stop = text([ref.tokens[j]!]);
      // the spec's rule, applied to the reference tokens: after step t, look at the decoded last
      // len(encode(stop)) + 2 generated tokens
      const window = tok.encode(stop, false).length + 2;
      let expectedLength = ref.tokens.length;
      for (let t = 1; t <= ref.tokens.length; t++) {
        if (text(ref.tokens.slice(0, t).slice(-window)).includes(stop)) {
          expectedLength = t;
          break;
        }
      }
      expect(expectedLength).toBeLessThan(maxNew);
      // the stopping row next to one that must run to max_gen_toks
      const other = candidates.find((c) => c.input !== input) ?? { input, ref };
      const out = await engine.generateBatch([
        { input, maxNewTokens: maxNew, until: ['never-generated-stop-string', stop] },
        { input: other.input, maxNewTokens: maxNew, until: [] },
      ]);
      expect(out[0]!.tokens).toEqual(ref.tokens.slice(0, expectedLength));
      expect(out[1]!.tokens).toEqual(other.ref.tokens);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('promptGroups', () => {
  it('cuts prompts sorted longest first where padding would cost more than another pass (16 tokens)', () => {
    // [306][120][100 90][80 75][70 65]: 322 + 136 + 216 + 176 + 156 = 1006; [120 100 90 80] would pad 480 for 390
    expect(promptGroups([65, 306, 120, 100, 90, 80, 75, 70])).toEqual([[1], [2], [3, 4], [5, 6], [7, 0]]);
    expect(promptGroups([7, 7, 7])).toEqual([[0, 1, 2]]);
    expect(promptGroups([2, 18])).toEqual([[1, 0]]); // 16 padded tokens: no dearer than a pass
    expect(promptGroups([2, 40])).toEqual([[1], [0]]); // 38 padded tokens: dearer than a pass
    expect(promptGroups([])).toEqual([]);
  });
});

describe('OwnCache (the engine-kept generation cache)', () => {
  /** new.0.key / new.0.value outputs [rows, kv=2, n, hd=2]: key = base + ((row * 2 + head) * n + t) * 2 + d, value = -key */
  function outputs(rows: number, n: number, base: number): ort.InferenceSession.OnnxValueMapType {
    const key = Float32Array.from({ length: rows * 2 * n * 2 }, (_, i) => base + i);
    return {
      'new.0.key': new ort.Tensor('float32', key, [rows, 2, n, 2]),
      'new.0.value': new ort.Tensor('float32', key.map((x) => -x), [rows, 2, n, 2]),
    };
  }

  it('holds each prompt ending at slot P-1 and each step after it, masked where unfilled, as it grows and drops rows', () => {
    const P = 3;
    const cache = new OwnCache(1, 2, 2, P + 40 - 1, 2, P);
    // expected[row][head][slot] = [key0, key1], or undefined where nothing was written (masked)
    const expected: Array<Array<Array<[number, number] | undefined>>> = [0, 1].map(() => [0, 1].map(() => []));
    // what row `g` of an output (n tokens from `base`) wrote at its token t, into `row`'s `slot`
    const write = (row: number, g: number, n: number, base: number, slot: number, t: number) => {
      for (const h of [0, 1]) {
        const at = base + ((g * 2 + h) * n + t) * 2;
        expected[row]![h]![slot] = [at, at + 1];
      }
    };
    // row 0: a 3-token prompt (first one padding); row 1: a 1-token prompt, in its own group
    cache.writePrompts(outputs(1, 3, 100), [0], 3, [[0, 1, 1]]);
    for (const t of [1, 2]) write(0, 0, 3, 100, t, t);
    cache.writePrompts(outputs(1, 1, 200), [1], 1, [[1]]);
    write(1, 0, 1, 200, 2, 0);

    let rows = [0, 1];
    const check = () => {
      const feeds = cache.feeds();
      const key = feeds['past_key_values.0.key']!;
      const value = feeds['past_key_values.0.value']!;
      const mask = feeds.attention_mask!;
      const C = key.dims[2]!;
      expect(key.dims).toEqual([rows.length, 2, C, 2]);
      expect(mask.dims).toEqual([rows.length, C + 1]);
      rows.forEach((row, b) => {
        for (let slot = 0; slot < C; slot++) {
          const want = expected[row]![0]![slot];
          expect(mask.data[b * (C + 1) + slot], `row ${row} slot ${slot}`).toBe(want ? 1n : 0n);
          for (const h of [0, 1]) {
            const w = expected[row]![h]![slot];
            if (!w) continue;
            const at = ((b * 2 + h) * C + slot) * 2;
            expect([key.data[at], key.data[at + 1]], `row ${row} head ${h} slot ${slot}`).toEqual(w);
            expect([value.data[at], value.data[at + 1]]).toEqual([-w[0], -w[1]]);
          }
        }
        expect(mask.data[b * (C + 1) + C]).toBe(1n);
      });
      return C;
    };
    const capacities = [check()];
    for (let s = 0; s < 39; s++) {
      const base = 1000 * (s + 1);
      cache.update(outputs(rows.length, 1, base));
      rows.forEach((row, b) => write(row, b, 1, base, P + s, 0));
      if (s === 20) {
        cache.keepRows([1]); // row 0 finished
        rows = [1];
      }
      capacities.push(check());
    }
    // P + 32 slots at first, then all P + 39 the longest generation needs (40 tokens, the last never fed back)
    expect(capacities[0]).toBe(P + 32);
    expect(capacities.at(-1)).toBe(P + 39);
    expect(() => cache.update(outputs(1, 1, 0))).toThrow(/cache overflow/);
  });
});
