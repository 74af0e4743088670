import { describe, expect, test } from 'vitest';
import { binomial, logFactorial, multinomialCounts, SeededRandom } from '../../src/metrics/paired-sampling.js';
import { pairedBootstrap } from '../../src/metrics/paired.js';

describe('logFactorial', () => {
  test('equals the summed logarithms, in the table and in the Stirling range', () => {
    let s = 0;
    for (let i = 1; i <= 3000; i++) {
      s += Math.log(i);
      if ([2, 10, 1023, 1024, 1025, 2000, 3000].includes(i)) {
        expect(Math.abs(logFactorial(i) - s) / s).toBeLessThan(1e-13);
      }
    }
    expect(logFactorial(0)).toBe(0);
  });
});

describe('binomial', () => {
  const draws = 20_000;
  // both samplers: inversion (n·p < 10) and BTRS, and p > 0.5 through symmetry
  for (const [n, p] of [
    [20, 0.3],
    [1000, 0.3],
    [1000, 0.9],
    [50_000, 0.001],
    [40_000, 0.5],
  ] as const) {
    test(`Binomial(${n}, ${p}): sample mean and variance match n·p and n·p·q`, () => {
      const random = new SeededRandom(99);
      let s = 0;
      let ss = 0;
      let valid = true;
      for (let i = 0; i < draws; i++) {
        const x = binomial(random, n, p);
        valid &&= Number.isInteger(x) && x >= 0 && x <= n;
        s += x;
        ss += x * x;
      }
      expect(valid).toBe(true);
      const mean = s / draws;
      const variance = ss / draws - mean * mean;
      const v = n * p * (1 - p);
      expect(Math.abs(mean - n * p)).toBeLessThan(5 * Math.sqrt(v / draws));
      expect(Math.abs(variance / v - 1)).toBeLessThan(0.06);
    });
  }

  test('small n: frequencies follow the binomial pmf', () => {
    const random = new SeededRandom(5);
    const n = 5;
    const p = 0.3;
    const freq = new Array(n + 1).fill(0);
    const total = 50_000;
    for (let i = 0; i < total; i++) freq[binomial(random, n, p)]++;
    const choose = [1, 5, 10, 10, 5, 1];
    for (let k = 0; k <= n; k++) {
      const pk = choose[k]! * p ** k * (1 - p) ** (n - k);
      expect(Math.abs(freq[k] / total - pk)).toBeLessThan(5 * Math.sqrt((pk * (1 - pk)) / total) + 1e-4);
    }
  });

  test('edge probabilities', () => {
    const random = new SeededRandom(1);
    expect(binomial(random, 10, 0)).toBe(0);
    expect(binomial(random, 10, 1)).toBe(10);
    expect(binomial(random, 0, 0.5)).toBe(0);
  });
});

describe('multinomialCounts', () => {
  test('counts sum to n and average to the category sizes', () => {
    const random = new SeededRandom(3);
    const sizes = Int32Array.from([500, 30, 1, 469]);
    const out = new Int32Array(4);
    const mean = [0, 0, 0, 0];
    const reps = 5000;
    for (let r = 0; r < reps; r++) {
      multinomialCounts(random, sizes, out);
      expect(out.reduce((a, b) => a + b, 0)).toBe(1000);
      for (let k = 0; k < 4; k++) mean[k] += out[k]! / reps;
    }
    for (let k = 0; k < 4; k++) {
      const p = sizes[k]! / 1000;
      expect(Math.abs(mean[k]! - sizes[k]!)).toBeLessThan(5 * Math.sqrt((1000 * p * (1 - p)) / reps) + 1e-9);
    }
  });
});

test('resampling counts per kind and resampling documents give the same bootstrap distribution', () => {
  // F1 of two classifiers on 2000 documents; the two resampling methods use different random streams,
  // so they agree only up to Monte Carlo error.
  const n = 2000;
  const gold = Array.from({ length: n }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0);
  const predA = gold.map((g, i) => (i % 9 === 0 ? 1 - g : g));
  const predB = gold.map((g, i) => (i % 8 === 0 ? 1 - g : g));
  const input = { kind: 'f1' as const, goldA: gold, predA, goldB: gold, predB };
  const byCounts = pairedBootstrap(input, { iters: 4000, resample: 'counts' });
  const byDocs = pairedBootstrap(input, { iters: 4000, resample: 'documents' });
  expect(byCounts.delta).toBe(byDocs.delta);
  expect(Math.abs(byCounts.pValue - byDocs.pValue)).toBeLessThan(0.03);
  const width = byDocs.ciHigh - byDocs.ciLow;
  expect(Math.abs(byCounts.ciLow - byDocs.ciLow)).toBeLessThan(0.1 * width);
  expect(Math.abs(byCounts.ciHigh - byDocs.ciHigh)).toBeLessThan(0.1 * width);
});
