// The scheduler's batch plan: row cap, padded-token budget, length buckets, where passes are cut, and
// the memory default, against hand-computed plans and an exhaustive search.
import { describe, expect, it } from 'vitest';
import { bucketLength, cheapestCuts, defaultMaxBatchTokens, PASS_COST_TOKENS, planBatches } from '../../src/engines/batching.js';

describe('bucketLength', () => {
  it('keeps lengths under 64 exact and rounds longer ones up to a power of two at most length/32', () => {
    expect([1, 8, 9, 21, 63].map((n) => bucketLength(n))).toEqual([1, 8, 9, 21, 63]);
    expect([64, 65, 127, 128, 129, 250, 256, 257].map((n) => bucketLength(n))).toEqual([64, 66, 128, 128, 132, 252, 256, 264]);
    expect([1000, 1024, 1025, 2040, 2048, 2049].map((n) => bucketLength(n))).toEqual([1008, 1024, 1056, 2048, 2048, 2112]);
    for (let n = 1; n <= 4096; n++) expect(bucketLength(n) - n).toBeLessThan(Math.max(1, n / 32));
    expect(bucketLength(2040, 2045)).toBe(2045);
    expect(bucketLength(65, 65)).toBe(65);
    expect(bucketLength(2048, 2048)).toBe(2048);
  });
});

describe('planBatches', () => {
  // costs count PASS_COST_TOKENS (16) per pass plus rows × padded length
  it('cuts passes where padding would cost more than another pass, within the row cap', () => {
    // [30][20 20][10 5]: 16+30 + 16+40 + 16+20 = 138, against 153 for [30 20][20 10][5]
    expect(planBatches([30, 20, 20, 10, 5], { batchSize: 2 })).toEqual([
      { members: [0], padTo: 30 },
      { members: [1, 2], padTo: 20 },
      { members: [3, 4], padTo: 10 },
    ]);
    // [100 90][80][40 30][20 20 20 20 10]: 216 + 96 + 96 + 116 = 524 (all of it in one pass: 1016);
    // [100][90 80] costs the same 312 as [100 90][80], and ties go to the larger pass first
    expect(planBatches([100, 90, 80, 40, 30, 20, 20, 20, 20, 10], { batchSize: 32 })).toEqual([
      { members: [0, 1], padTo: 100 },
      { members: [2], padTo: 80 },
      { members: [3, 4], padTo: 40 },
      { members: [5, 6, 7, 8, 9], padTo: 20 },
    ]);
  });

  it('keeps rows × padded longest input within the budget, and runs a longer input alone', () => {
    // budget 100: 300 -> 304 alone; then at most 2 rows of 40, 3 of 33, 4 of 24, 5 of 17, 12 of 8
    const plan = planBatches([300, 40, 33, 24, 20, 17, 16, 8, 3, 2, 1, 1], { batchSize: 64, maxBatchTokens: 100 });
    expect(plan).toEqual([
      { members: [0], padTo: 304 },
      { members: [1, 2], padTo: 40 },
      { members: [3, 4], padTo: 24 },
      { members: [5, 6, 7], padTo: 17 },
      { members: [8, 9, 10, 11], padTo: 3 },
    ]);
    for (const b of plan.slice(1)) expect(b.members.length * b.padTo).toBeLessThanOrEqual(100);
  });

  it('fills every pass up to the row cap for an engine that does not pad', () => {
    expect(planBatches([30, 20, 20, 10, 5], { batchSize: 2 }, Infinity, 0, false)).toEqual([
      { members: [0, 1], padTo: 30 },
      { members: [2, 3], padTo: 20 },
      { members: [4], padTo: 5 },
    ]);
  });

  it('fills the row cap where lengths are equal', () => {
    const plan = planBatches(Array<number>(10).fill(16), { batchSize: 4, maxBatchTokens: 1 << 20 });
    expect(plan.map((b) => b.members.length)).toEqual([4, 4, 2]);
  });
});

describe('cheapestCuts', () => {
  /** every way to cut `lengths` into consecutive groups within the row caps: the least cost */
  function bruteForce(lengths: number[], maxRows: (i: number) => number): number {
    let best = Infinity;
    for (let mask = 0; mask < 2 ** (lengths.length - 1); mask++) {
      let cost = 0;
      let start = 0;
      for (let i = 1; i <= lengths.length; i++) {
        if (i < lengths.length && !((mask >> (i - 1)) & 1)) continue;
        if (i - start > maxRows(start)) cost = Infinity;
        cost += PASS_COST_TOKENS + (i - start) * lengths[start]!;
        start = i;
      }
      best = Math.min(best, cost);
    }
    return best;
  }

  it('finds the least-cost cut of random sorted lengths, as trying every cut does', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return 1 + (seed % n);
    };
    for (let trial = 0; trial < 200; trial++) {
      const lengths = Array.from({ length: random(12) }, () => random(trial % 2 ? 40 : 400)).sort((a, b) => b - a);
      const cap = random(6);
      const maxRows = (i: number): number => (lengths[i]! > 100 ? 1 : cap);
      const starts = cheapestCuts(lengths.length, (i) => lengths[i]!, maxRows);
      expect(starts[0]).toBe(0);
      let cost = 0;
      starts.forEach((start, k) => {
        const end = starts[k + 1] ?? lengths.length;
        expect(end - start).toBeLessThanOrEqual(maxRows(start));
        cost += PASS_COST_TOKENS + (end - start) * lengths[start]!;
      });
      expect(cost).toBe(bruteForce(lengths, maxRows));
    }
    expect(cheapestCuts(0, () => 1, () => 1)).toEqual([]);
  });
});

describe('defaultMaxBatchTokens', () => {
  it('budgets 256 KiB of free memory per token, as a power of two in 2048..16384', () => {
    const GiB = 1024 ** 3;
    expect(defaultMaxBatchTokens(1 * GiB)).toBe(4096);
    expect(defaultMaxBatchTokens(1.5 * GiB)).toBe(4096);
    expect(defaultMaxBatchTokens(2 * GiB)).toBe(8192);
    expect(defaultMaxBatchTokens(64 * GiB)).toBe(16384);
    expect(defaultMaxBatchTokens(100 * 1024 ** 2)).toBe(2048);
  });
});
