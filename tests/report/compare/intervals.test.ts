// 95 % intervals: expected bounds computed by hand (Python: math.exp, statistics.stdev).
import { expect, test } from 'vitest';
import { interval95, metricScale } from '../../../src/report/compare/intervals.js';

test('value ± 1.96·stderr, clipped to the range of a bounded metric', () => {
  const acc = interval95('acc', 0.8, 0.2)!;
  expect(acc.lo).toBeCloseTo(0.408, 12);
  expect(acc.hi).toBe(1); // 1.192 clipped
  const mcc = interval95('mcc', -0.9, 0.1)!;
  expect(mcc.lo).toBe(-1);
  expect(mcc.hi).toBeCloseTo(-0.704, 12);
  const free = interval95('my_score', 5, 1)!; // unknown metric: no clipping
  expect([free.lo, free.hi]).toEqual([5 - 1.96, 5 + 1.96]);
  expect(interval95('acc', 0.5, null)).toBeNull();
  expect(interval95('acc', null, 0.1)).toBeNull();
});

test('perplexity on the log scale from the per-document log-likelihoods: always positive', () => {
  expect(metricScale('perplexity')).toBe('log');
  expect(metricScale('word_perplexity')).toBe('log');
  expect(metricScale('acc')).toBe('linear');
  // lls -1, -2, -3: mean NLL 2, sample sd 1, stderr 1/√3; exp(2 ± 1.96/√3)
  const ppl = interval95('perplexity', Math.exp(2), 1e9, [-1, -2, -3])!;
  expect(ppl.lo).toBeCloseTo(2.3830792939087444, 12);
  expect(ppl.hi).toBeCloseTo(22.910756756059072, 12);
});

test('perplexity without sample logs: the logged stderr by the delta method (stderr / value on the log scale)', () => {
  // 20 · exp(± 1.96 · 2/20)
  const ppl = interval95('perplexity', 20, 2)!;
  expect(ppl.lo).toBeCloseTo(16.44024469356373, 12);
  expect(ppl.hi).toBeCloseTo(24.330538106686323, 12);
  // a stderr a thousand times the value (lm-eval's bootstrap on a random model) cannot be drawn: none
  expect(interval95('perplexity', 1.0877e13, 1.04e16)).toBeNull();
});

test('no stderr in the results file (a group\'s "N/A"): that of the per-document values of a mean metric', () => {
  // ten 1s and ten 0s: sample sd √(5/19), stderr √(5/19)/√20
  const acc = interval95('acc', 0.5, null, Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 1 : false)))!;
  expect(acc.lo).toBeCloseTo(0.2751725808068495, 12);
  expect(acc.hi).toBeCloseTo(0.7248274191931505, 12);
  expect(interval95('acc', 0.5, null, [1])).toBeNull(); // one document: no spread to estimate
});
