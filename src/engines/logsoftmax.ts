// Log-softmax of one logits row in float64, returning what scoring needs: the target's
// log-probability and whether the target is the (first) argmax.

export function scoreRow(logits: Float32Array, offset: number, vocab: number, target: number): { logprob: number; isArgmax: boolean } {
  const argmax = argmaxRow(logits, offset, vocab);
  const max = logits[offset + argmax]!;
  let sum = 0;
  for (let v = 0; v < vocab; v++) sum += Math.exp(logits[offset + v]! - max);
  const logprob = logits[offset + target]! - max - Math.log(sum);
  return { logprob, isArgmax: argmax === target };
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
