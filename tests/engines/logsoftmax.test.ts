// Row log-softmax helpers against hand-computed values: the target's log-prob, the argmax rule
// (first maximum), and the top-k list (ties by lower id) computed by the same expression.
import { describe, expect, it } from 'vitest';
import { scoreRow, scoreRowWithTop } from '../../src/engines/logsoftmax.js';

describe('scoreRowWithTop', () => {
  // logits 1, 3, 3, 0: log-sum-exp = 3 + log(e^-2 + 2 + e^-3)
  const row = new Float32Array([1, 3, 3, 0]);
  const logSum = Math.log(Math.exp(-2) + 2 + Math.exp(-3));

  it('agrees with scoreRow and with the hand-computed log-softmax', () => {
    const plain = scoreRow(row, 0, 4, 0);
    const withTop = scoreRowWithTop(row, 0, 4, 0, 3);
    expect(withTop.logprob).toBe(plain.logprob);
    expect(withTop.logprob).toBeCloseTo(-2 - logSum, 14);
    expect(withTop.isArgmax).toBe(false);
    expect(withTop.top).toEqual([
      { token: 1, logprob: -logSum },
      { token: 2, logprob: -logSum },
      { token: 0, logprob: withTop.logprob },
    ]);
  });

  it('k = 1 is the first maximum, and a greedy target equals it exactly', () => {
    const r = scoreRowWithTop(row, 0, 4, 1, 1);
    expect(r.isArgmax).toBe(true);
    expect(r.top).toEqual([{ token: 1, logprob: r.logprob }]);
    // the second of two equal maxima is not the argmax (lm-eval's first-argmax rule)
    expect(scoreRowWithTop(row, 0, 4, 2, 1).isArgmax).toBe(false);
  });

  it('reads its row at an offset and asks for no more than the vocabulary', () => {
    const two = new Float32Array([9, 9, 9, 9, 0, 5, 1, 2]);
    const r = scoreRowWithTop(two, 4, 4, 3, 10);
    expect(r.top.map((t) => t.token)).toEqual([1, 3, 2, 0]);
    expect(scoreRowWithTop(two, 4, 4, 3, 0).top).toEqual([]);
  });
});
