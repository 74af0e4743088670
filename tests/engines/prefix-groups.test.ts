// Clustering inputs by shared prefix, against hand-built inputs.
import { describe, expect, it } from 'vitest';
import { MIN_PREFIX_SHARE, MIN_SHARED_PREFIX, sharedPrefixClusters } from '../../src/engines/prefix-groups.js';

const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

describe('sharedPrefixClusters', () => {
  it('groups inputs sharing a block, stops at the first scored position, and leaves the rest alone', () => {
    const shotsA = range(1000, 40);
    const shotsB = range(2000, 50);
    const inputs = [
      [...shotsA, 1, 2, 3], // 0
      [...shotsB, 7, 8], // 1
      [...shotsA, 4, 5], // 2
      range(5, 10), // 3: short, alone
      [...shotsB, 9], // 4
      [...shotsA, 1, 2, 9, 9], // 5
    ];
    const firstScored = inputs.map((x) => x.length - 1);
    firstScored[5] = 38; // input 5 scores from position 38, inside shotsA
    // any saving counts here; the default threshold is the next test's
    const { clusters, alone } = sharedPrefixClusters(inputs, firstScored, MIN_SHARED_PREFIX, 0);
    expect(clusters).toEqual([
      { prefixLength: 38, members: [0, 5, 2] },
      { prefixLength: 50, members: [1, 4] },
    ]);
    expect(alone).toEqual([3]);
  });

  it('needs 12 shared tokens, and does not let one input halve a long prefix', () => {
    expect(MIN_SHARED_PREFIX).toBe(12);
    const header = range(100, 13);
    const long = [...header, ...range(300, 200)];
    const inputs = [
      [...long, 1],
      [...long, 2],
      [...header, 500, 1], // shares 13 tokens with the others: a cluster of its own kind, not a member
      range(100, 11).concat([9, 9]), // shares 11 < 12
    ];
    const { clusters, alone } = sharedPrefixClusters(inputs, inputs.map((x) => x.length - 1));
    expect(clusters).toEqual([{ prefixLength: 213, members: [0, 1] }]);
    expect(alone).toEqual([2, 3]);
  });

  it('shares a prefix only where it is at least a quarter of its inputs: a 16-token description before short or long questions', () => {
    expect(MIN_PREFIX_SHARE).toBeCloseTo(1 / 4);
    const description = range(100, 16);
    // ten 16 + 40 = 56-token prompts: 16 >= 56 / 4, and 9 x 16 = 144 tokens saved
    const short = Array.from({ length: 10 }, (_, d) => [...description, ...range(1000 * (d + 1), 40)]);
    expect(sharedPrefixClusters(short, short.map((x) => x.length - 1))).toEqual({ clusters: [{ prefixLength: 16, members: range(0, 10) }], alone: [] });
    // ten 16 + 60 = 76-token prompts (MMLU 0-shot's shape): 16 < 76 / 4, so the pass after the prefix would cost more than it saves
    const long = Array.from({ length: 10 }, (_, d) => [...description, ...range(1000 * (d + 1), 60)]);
    expect(sharedPrefixClusters(long, long.map((x) => x.length - 1))).toEqual({ clusters: [], alone: range(0, 10) });
    // any share, when asked for
    expect(sharedPrefixClusters(long, long.map((x) => x.length - 1), 12, 128, 0).clusters).toEqual([{ prefixLength: 16, members: range(0, 10) }]);
  });

  it('leaves alone a cluster that saves fewer than 128 tokens: two options after one 40-token sentence', () => {
    const sentence = range(100, 40);
    const pair = [
      [...sentence, 1, 2, 3],
      [...sentence, 4, 5, 6],
    ];
    expect(sharedPrefixClusters(pair, pair.map((x) => x.length - 1))).toEqual({ clusters: [], alone: [0, 1] });
    // four documents under one 43-token header save 3 x 43 = 129 tokens: shared
    const header = range(500, 43);
    const docs = [1, 2, 3, 4].map((d) => [...header, d, d + 10, d + 20]);
    expect(sharedPrefixClusters(docs, docs.map((x) => x.length - 1))).toEqual({ clusters: [{ prefixLength: 43, members: [0, 1, 2, 3] }], alone: [] });
  });
});
