import { describe, expect, test } from 'vitest';
import { mcnemarExact, pairedBootstrap, seededRng } from '../../src/metrics/paired.js';

/** Exact two-sided McNemar p with BigInt binomials: an independent reference for moderate counts. */
function mcnemarReference(b: number, c: number): number {
  const n = b + c;
  const k = Math.min(b, c);
  let coef = 1n;
  let tail = 0n;
  for (let i = 0; i <= k; i++) {
    if (i > 0) coef = (coef * BigInt(n - i + 1)) / BigInt(i);
    tail += coef;
  }
  // 2 · tail / 2^n, as a float: scale before dividing to keep the digits
  const scaled = (2n * tail * 10n ** 30n) / 2n ** BigInt(n);
  return Math.min(1, Number(scaled) / 1e30);
}

/** Standard normal upper tail via erfc (Numerical Recipes' erfcc, |error| < 1.2e-7). */
function normalUpperTail(z: number): number {
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 +
          t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return (x >= 0 ? y : 2 - y) / 2;
}

describe('mcnemarExact', () => {
  test('small tables, computed by hand', () => {
    // b=1, c=5: n=6, Σ_{i≤1} C(6,i) = 1 + 6 = 7 → 2·7/64
    expect(mcnemarExact(1, 5).pValue).toBeCloseTo(14 / 64, 15);
    expect(mcnemarExact(5, 1).pValue).toBeCloseTo(14 / 64, 15);
    // b=2, c=8: 1 + 10 + 45 = 56 → 2·56/1024
    expect(mcnemarExact(2, 8).pValue).toBeCloseTo(112 / 1024, 15);
    // b=0, c=10: 2·1/1024
    expect(mcnemarExact(0, 10).pValue).toBeCloseTo(2 / 1024, 15);
    // b=3, c=9: 1 + 12 + 66 + 220 = 299 → 2·299/4096
    expect(mcnemarExact(3, 9).pValue).toBeCloseTo(598 / 4096, 15);
  });

  test('no evidence gives p = 1', () => {
    expect(mcnemarExact(0, 0).pValue).toBe(1);
    expect(mcnemarExact(7, 7).pValue).toBe(1);
    expect(mcnemarExact(0, 1).pValue).toBe(1); // 2 · 1/2
    expect(mcnemarExact(4, 5).pValue).toBe(1); // the doubled tail exceeds 1
  });

  test('matches an exact BigInt computation for larger tables', () => {
    for (const [b, c] of [
      [40, 70],
      [120, 95],
      [300, 360],
      [0, 60],
    ] as const) {
      const ref = mcnemarReference(b, c);
      expect(Math.abs(mcnemarExact(b, c).pValue - ref) / ref).toBeLessThan(1e-9);
    }
  });

  test('does not underflow or overflow with tens of thousands of discordant pairs', () => {
    const p = mcnemarExact(20000, 20600).pValue;
    // normal approximation: z = (c − b) / sqrt(b + c) = 600 / sqrt(40600) ≈ 2.978
    const approx = 2 * normalUpperTail(600 / Math.sqrt(40600));
    expect(p).toBeGreaterThan(0);
    expect(Math.abs(p - approx) / approx).toBeLessThan(0.05);
    expect(mcnemarExact(0, 5000).pValue).toBe(0); // 2^-4999 is below the smallest double
  });

  test('rejects counts that are not non-negative integers', () => {
    expect(() => mcnemarExact(-1, 3)).toThrow(RangeError);
    expect(() => mcnemarExact(1.5, 3)).toThrow(RangeError);
  });
});

describe('seededRng', () => {
  test('is deterministic per seed and differs between seeds', () => {
    const a = seededRng(7);
    const b = seededRng(7);
    const c = seededRng(8);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
    for (const x of xs) expect(Number.isInteger(x) && x >= 0 && x < 2 ** 32).toBe(true);
  });
});

describe('pairedBootstrap', () => {
  const iters = 10_000;

  test('identical models: no difference, p = 1', () => {
    const a = Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const r = pairedBootstrap({ kind: 'mean', a, b: a }, { iters });
    expect(r.delta).toBe(0);
    expect(r.pValue).toBe(1);
    expect([r.ciLow, r.ciHigh]).toEqual([0, 0]);
  });

  test('A right on every document, B wrong on every one: every replicate differs by 1', () => {
    const n = 50;
    const r = pairedBootstrap({ kind: 'mean', a: new Array(n).fill(1), b: new Array(n).fill(0) }, { iters });
    expect(r.delta).toBe(1);
    expect(r.pValue).toBeCloseTo(2 / (iters + 1), 15);
    expect([r.ciLow, r.ciHigh]).toEqual([1, 1]);
  });

  test('a constant shift of real-valued items is found in every replicate', () => {
    const b = Array.from({ length: 30 }, (_, i) => Math.sin(i) * 3);
    const a = b.map((x) => x + 0.5);
    const r = pairedBootstrap({ kind: 'mean', a, b }, { iters: 2000 });
    expect(r.delta).toBeCloseTo(0.5, 12);
    expect(r.ciLow).toBeCloseTo(0.5, 12);
    expect(r.ciHigh).toBeCloseTo(0.5, 12);
    expect(r.pValue).toBeCloseTo(2 / 2001, 15);
  });

  test('0/1 outcomes: agrees with the normal approximation of the paired difference', () => {
    // n = 1000: 60 docs only A gets right, 40 only B, 500 both, 400 neither.
    const a: number[] = [];
    const b: number[] = [];
    const push = (x: number, y: number, k: number): void => {
      for (let i = 0; i < k; i++) {
        a.push(x);
        b.push(y);
      }
    };
    push(1, 0, 60);
    push(0, 1, 40);
    push(1, 1, 500);
    push(0, 0, 400);
    const n = 1000;
    const delta = (60 - 40) / n;
    // per-doc difference d ∈ {1, −1, 0}: var(d) = (b + c)/n − δ², sd of the mean = sqrt(var/n)
    const sd = Math.sqrt((100 / n - delta * delta) / n);
    const expectedP = 2 * normalUpperTail(delta / sd); // ≈ 0.0451
    const r = pairedBootstrap({ kind: 'mean', a, b }, { iters });
    expect(r.delta).toBeCloseTo(0.02, 15);
    expect(Math.abs(r.pValue - expectedP)).toBeLessThan(0.012);
    expect(r.ciLow).toBeCloseTo(delta - 1.96 * sd, 2);
    expect(r.ciHigh).toBeCloseTo(delta + 1.96 * sd, 2);
  });

  test('perplexity: A scores every document 1 nat worse, so its perplexity is e times B’s in every replicate', () => {
    const b = Array.from({ length: 40 }, (_, i) => -1 - (i % 7) * 0.25);
    const a = b.map((x) => x - 1);
    const r = pairedBootstrap({ kind: 'perplexity', a, b }, { iters: 2000 });
    const meanB = b.reduce((s, x) => s + x, 0) / b.length;
    const pplB = Math.exp(-meanB);
    expect(r.metricB).toBeCloseTo(pplB, 12);
    expect(r.metricA).toBeCloseTo(Math.E * pplB, 10);
    expect(r.delta).toBeCloseTo((Math.E - 1) * pplB, 10);
    expect(r.ciLow).toBeGreaterThan(0);
    expect(r.pValue).toBeCloseTo(2 / 2001, 15);
  });

  test('f1 and mcc: full-data values match hand computations', () => {
    // gold/pred pairs for A: TP=6, TN=3, FP=1, FN=2; B predicts 1 everywhere.
    const goldA = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1];
    const predA = [1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0];
    const predB = new Array(12).fill(1);
    const f1 = pairedBootstrap({ kind: 'f1', goldA, predA, goldB: goldA, predB }, { iters: 500 });
    // A: 2·6 / (12 + 1 + 2) = 12/15; B: TP=8, FP=4 → 16/20
    expect(f1.metricA).toBeCloseTo(12 / 15, 15);
    expect(f1.metricB).toBeCloseTo(16 / 20, 15);
    const mcc = pairedBootstrap({ kind: 'mcc', goldA, predA, goldB: goldA, predB }, { iters: 500 });
    // (TP·TN − FP·FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN)) = (18 − 2) / sqrt(7·8·4·5)
    expect(mcc.metricA).toBeCloseTo(16 / Math.sqrt(1120), 14);
    expect(mcc.metricB).toBe(0); // a constant prediction has zero variance
  });

  test('f1: a perfect model against one that never predicts the positive class', () => {
    const gold = Array.from({ length: 40 }, (_, i) => i % 2);
    const r = pairedBootstrap({ kind: 'f1', goldA: gold, predA: gold, goldB: gold, predB: new Array(40).fill(0) }, { iters });
    expect(r.delta).toBe(1);
    expect(r.pValue).toBeCloseTo(2 / (iters + 1), 15);
  });

  test('multi-class mcc works on labels that are absent from some replicates', () => {
    const gold = [0, 1, 2, 2, 1, 0, 2, 1, 0, 2, 2, 2];
    const pred = [0, 1, 2, 1, 1, 0, 2, 2, 0, 2, 0, 2];
    const r = pairedBootstrap({ kind: 'mcc', goldA: gold, predA: pred, goldB: gold, predB: gold }, { iters: 3000 });
    expect(r.metricB).toBeCloseTo(1, 15);
    expect(r.delta).toBeLessThan(0);
    expect(Number.isFinite(r.ciLow) && Number.isFinite(r.ciHigh)).toBe(true);
  });

  test('weighted perplexity and bits per byte use Σll / Σweight', () => {
    const a = [-10, -20, -30];
    const w = [5, 10, 15];
    const r = pairedBootstrap({ kind: 'bits_per_byte', a, aWeight: w, b: a, bWeight: w }, { iters: 100 });
    expect(r.metricA).toBeCloseTo(60 / 30 / Math.LN2, 14);
    const wp = pairedBootstrap({ kind: 'weighted_perplexity', a, aWeight: w, b: a, bWeight: w }, { iters: 100 });
    expect(wp.metricA).toBeCloseTo(Math.exp(2), 13);
  });

  test('the same seed gives the same answer; another seed a slightly different one', () => {
    const a = Array.from({ length: 200 }, (_, i) => ((i * 7) % 10 < 6 ? 1 : 0));
    const b = Array.from({ length: 200 }, (_, i) => ((i * 3) % 10 < 5 ? 1 : 0));
    const r1 = pairedBootstrap({ kind: 'mean', a, b }, { iters: 2000, seed: 1 });
    const r2 = pairedBootstrap({ kind: 'mean', a, b }, { iters: 2000, seed: 1 });
    const r3 = pairedBootstrap({ kind: 'mean', a, b }, { iters: 2000, seed: 2 });
    expect(r2).toEqual(r1);
    expect(r3.pValue).not.toBe(r1.pValue);
    expect(Math.abs(r3.pValue - r1.pValue)).toBeLessThan(0.05);
  });

  test('rejects empty or misaligned inputs', () => {
    expect(() => pairedBootstrap({ kind: 'mean', a: [], b: [] })).toThrow(RangeError);
    expect(() => pairedBootstrap({ kind: 'mean', a: [1, 0], b: [1] })).toThrow(RangeError);
  });
});
