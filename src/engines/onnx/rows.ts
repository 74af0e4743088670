// Reading one input's continuation scores out of a logits tensor (float64 log-softmax per row, with
// the top-k alternatives when asked), wherever its rows lie: a scoring pass or a pass after a prefix.
import { scoreRow, scoreRowWithTop } from '../logsoftmax.js';
import type { ScoreInput, ScoreResult, TokenLogprob } from '../types.js';

/** `rowOf(i)`: the logits row (of width V) holding input position i's prediction. */
export function scoreContinuations(data: Float32Array, V: number, r: ScoreInput, rowOf: (position: number) => number): ScoreResult[] {
  const L = r.input.length;
  const k = r.topLogprobs ?? 0;
  return r.continuations.map((continuation) => {
    const C = continuation.length;
    const tokenLogprobs: number[] = [];
    const top: TokenLogprob[][] = [];
    let isGreedy = true;
    for (let t = 0; t < C; t++) {
      const offset = rowOf(L - C + t) * V;
      let scored: { logprob: number; isArgmax: boolean };
      if (k > 0) {
        const withTop = scoreRowWithTop(data, offset, V, continuation[t]!, k);
        top.push(withTop.top);
        scored = withTop;
      } else scored = scoreRow(data, offset, V, continuation[t]!);
      tokenLogprobs.push(scored.logprob);
      if (!scored.isArgmax) isGreedy = false;
    }
    let logprob = 0;
    for (const lp of tokenLogprobs) logprob += lp;
    return k > 0 ? { logprob, isGreedy, tokenLogprobs, topLogprobs: top } : { logprob, isGreedy, tokenLogprobs };
  });
}
