// Greedy generation of the ONNX engine (KV cache, left-padded batches) against a greedy loop on the
// independent float64 reference model, plus lm-eval's stop rule (semantics §5.4): a stop string found
// in the decoded last len(tokens(stop)) + 2 generated tokens ends the row, and at most max_gen_toks
// tokens are generated.
import { beforeAll, describe, expect, it } from 'vitest';
import type { OnnxEngine } from '../../src/engines/onnx/engine.js';
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
