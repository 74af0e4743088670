// Log-softmax of one logits row in float64, returning what scoring needs: the target's
// log-probability, whether the target is the (first) argmax, and the most likely tokens.
import type { TokenLogprob } from './types.js';

/** The row's maximum and log-sum-exp pieces; every log-probability below is x - max - logSum. */
function normaliser(logits: Float32Array, offset: number, vocab: number): { argmax: number; max: number; logSum: number } {
  const argmax = argmaxRow(logits, offset, vocab);
  const max = logits[offset + argmax]!;
  let sum = 0;
  for (let v = 0; v < vocab; v++) sum += Math.exp(logits[offset + v]! - max);
  return { argmax, max, logSum: Math.log(sum) };
}

export function scoreRow(logits: Float32Array, offset: number, vocab: number, target: number): { logprob: number; isArgmax: boolean } {
  const { argmax, max, logSum } = normaliser(logits, offset, vocab);
  const logprob = logits[offset + target]! - max - logSum;
  return { logprob, isArgmax: argmax === target };
}

/** scoreRow plus the k most likely tokens (ties by lower id), with log-probabilities computed by the
 *  same expression, so a greedy target's logprob equals the first entry's exactly. */
export function scoreRowWithTop(
  logits: Float32Array,
  offset: number,
  vocab: number,
  target: number,
  k: number,
): { logprob: number; isArgmax: boolean; top: TokenLogprob[] } {
  const { argmax, max, logSum } = normaliser(logits, offset, vocab);
  // k = 1 (what lm-eval asks a server for) is the argmax; larger k: insertion into a short sorted
  // list (an API's logprobs is at most 20 or so)
  const best: number[] = k === 1 ? [argmax] : [];
  for (let v = 0; v < vocab && k > 1; v++) {
    const x = logits[offset + v]!;
    if (best.length === k && x <= logits[offset + best[k - 1]!]!) continue;
    let at = best.length;
    while (at > 0 && x > logits[offset + best[at - 1]!]!) at--;
    best.splice(at, 0, v);
    if (best.length > k) best.pop();
  }
  return {
    logprob: logits[offset + target]! - max - logSum,
    isArgmax: argmax === target,
    top: best.map((token) => ({ token, logprob: logits[offset + token]! - max - logSum })),
  };
}

/** Index of the first maximum of one logits row (greedy decoding). */
export function argmaxRow(logits: Float32Array, offset: number, vocab: number): number {
  let max = -Infinity;
  let argmax = 0;
  for (let v = 0; v < vocab; v++) {
    const x = logits[offset + v]!;
    if (x > max) {
      max = x;
      argmax = v;
    }
  }
  return argmax;
}
