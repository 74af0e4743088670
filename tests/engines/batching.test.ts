// The scheduler's batch plan: row cap, padded-token budget, length buckets, and the memory default,
// against hand-computed plans.
import { describe, expect, it } from 'vitest';
import { bucketLength, defaultMaxBatchTokens, planBatches } from '../../src/engines/batching.js';

describe('bucketLength', () => {
  it('rounds up to 8 below 256 tokens, 16 below 1024, 32 beyond, never past maxLength', () => {
    expect([1, 8, 9, 250, 256].map((n) => bucketLength(n))).toEqual([8, 8, 16, 256, 256]);
    expect([257, 1000, 1024].map((n) => bucketLength(n))).toEqual([272, 1008, 1024]);
    expect([1025, 2040].map((n) => bucketLength(n))).toEqual([1056, 2048]);
    expect(bucketLength(2040, 2045)).toBe(2045);
    expect(bucketLength(9, 10)).toBe(10);
    expect(bucketLength(2048, 2048)).toBe(2048);
  });
});

describe('planBatches', () => {
  it('caps rows only when there is no token budget', () => {
    const plan = planBatches([30, 20, 20, 10, 5], { batchSize: 2 });
    expect(plan).toEqual([
      { members: [0, 1], padTo: 32 },
      { members: [2, 3], padTo: 24 },
      { members: [4], padTo: 8 },
    ]);
  });

  it('keeps rows × padded longest input within the budget, and runs a longer input alone', () => {
    // budget 100: 40 -> 40 (2 rows = 80), 24 -> 24 (4 rows = 96), 8 -> 8 (12 rows = 96, capped by 5 inputs)
    const plan = planBatches([300, 40, 33, 24, 20, 17, 16, 8, 3, 2, 1, 1], { batchSize: 64, maxBatchTokens: 100 });
    expect(plan).toEqual([
      { members: [0], padTo: 304 },
      { members: [1, 2], padTo: 40 },
      { members: [3, 4, 5, 6], padTo: 24 },
      { members: [7, 8, 9, 10, 11], padTo: 8 },
    ]);
    for (const b of plan.slice(1)) expect(b.members.length * b.padTo).toBeLessThanOrEqual(100);
  });

  it('applies the row cap under a large budget', () => {
    const plan = planBatches(Array<number>(10).fill(16), { batchSize: 4, maxBatchTokens: 1 << 20 });
    expect(plan.map((b) => b.members.length)).toEqual([4, 4, 2]);
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
