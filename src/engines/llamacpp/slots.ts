// Which of the context's sequences serves each request of a batch. A sequence keeps the KV cache of
// its last request, so a request that shares a prefix with it evaluates only the rest.
//
// Scoring is compute-bound on a CPU (total tokens evaluated is the cost), so it goes where the
// shared prefix is longest. Generation decodes one token per step, where batching sequences is
// nearly free, so it spreads requests over the sequences first and uses prefixes to break ties.

export function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** A sequence per input; updates `slotTokens` to what each sequence will hold afterwards. */
export function assignSlots(inputs: readonly number[][], slotTokens: number[][], mode: 'score' | 'generate'): number[] {
  const work = slotTokens.map(() => 0);
  const count = slotTokens.map(() => 0);
  return inputs.map((input) => {
    let best = 0;
    let bestKey: [number, number] = [Infinity, Infinity];
    slotTokens.forEach((tokens, s) => {
      const toEvaluate = input.length - commonPrefixLength(input, tokens);
      const key: [number, number] = mode === 'score' ? [toEvaluate, work[s]!] : [count[s]!, toEvaluate];
      if (key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) {
        best = s;
        bestKey = key;
      }
    });
    work[best]! += input.length - commonPrefixLength(input, slotTokens[best]!);
    count[best]!++;
    slotTokens[best] = input.slice();
    return best;
  });
}
