// The scheduler's batch plan: row cap, padded-token budget, length buckets, and the memory default,
// against hand-computed plans.
import { describe, expect, it } from 'vitest';
import { bucketLength, defaultMaxBatchTokens, paddingFits, planBatches } from '../../src/engines/batching.js';

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
  it('caps rows only when there is no token budget', () => {
    const plan = planBatches([30, 20, 20, 10, 5], { batchSize: 2 });
    expect(plan).toEqual([
      { members: [0, 1], padTo: 30 },
      { members: [2, 3], padTo: 20 },
      { members: [4], padTo: 5 },
    ]);
  });

  it('keeps rows × padded longest input within the budget, and runs a longer input alone', () => {
    // budget 100: 300 -> 304 alone, 40 (2 rows = 80), 24 (4 rows = 96), 8 (12 rows = 96, capped by 5 inputs)
    const plan = planBatches([300, 40, 33, 24, 20, 17, 16, 8, 3, 2, 1, 1], { batchSize: 64, maxBatchTokens: 100 });
    expect(plan).toEqual([
      { members: [0], padTo: 304 },
      { members: [1, 2], padTo: 40 },
      { members: [3, 4, 5, 6], padTo: 24 },
      { members: [7, 8, 9, 10, 11], padTo: 8 },
    ]);
    for (const b of plan.slice(1)) expect(b.members.length * b.padTo).toBeLessThanOrEqual(100);
  });

  it('keeps a pass past 64 tokens at most a quarter padding', () => {
    // 100+90+80 = 270 real in 300 (a 40 would make 400 of 310); 40+30 = 70 in 80 (a 20: 120 of 90);
    // 20×4+10 = 90 in 100
    const plan = planBatches([100, 90, 80, 40, 30, 20, 20, 20, 20, 10], { batchSize: 32 });
    expect(plan).toEqual([
      { members: [0, 1, 2], padTo: 100 },
      { members: [3, 4], padTo: 40 },
      { members: [5, 6, 7, 8, 9], padTo: 20 },
    ]);
    // up to 64 padded tokens a pass takes any row (60 of 35 real), past it the quarter holds (90 of 40)
    expect(planBatches([30, 5, 5], { batchSize: 8 })).toEqual([
      { members: [0, 1], padTo: 30 },
      { members: [2], padTo: 5 },
    ]);
  });

  it('applies the row cap under a large budget', () => {
    const plan = planBatches(Array<number>(10).fill(16), { batchSize: 4, maxBatchTokens: 1 << 20 });
    expect(plan.map((b) => b.members.length)).toEqual([4, 4, 2]);
  });
});

describe('paddingFits', () => {
  it('allows any padding up to 64 tokens a pass, then at most a quarter of the pass', () => {
    expect(paddingFits(8, 8, 8)).toBe(true); // 64 padded
    expect(paddingFits(5, 13, 52)).toBe(true); // 65 of 52: exactly 1.25
    expect(paddingFits(5, 13, 51)).toBe(false);
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
