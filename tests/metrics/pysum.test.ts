// Python `sum` of floats: naive in CPython ≤ 3.11, Neumaier in ≥ 3.12 (spec §11). Expected values are
// hand-derived float arithmetic (each step's rounding worked out in the comments).
import { describe, expect, it } from 'vitest';
import { naiveSum, neumaierSum, pySum, pythonVersionFromString } from '../../src/metrics/pysum.js';

describe('Python sum', () => {
  it('3.11 adds left to right: 0.1 + 0.2 + 0.3', () => {
    // 0.1 + 0.2 = 0.30000000000000004; + 0.3 = 0.6000000000000001
    expect(naiveSum([0.1, 0.2, 0.3])).toBe(0.6000000000000001);
    expect(pySum([0.1, 0.2, 0.3], '3.11')).toBe(0.6000000000000001);
  });

  it('3.12 compensates: 0.1 + 0.2 + 0.3 = 0.6, ten 0.1s = 1.0', () => {
    expect(neumaierSum([0.1, 0.2, 0.3])).toBe(0.6);
    expect(pySum(Array(10).fill(0.1), '3.12')).toBe(1);
    expect(pySum(Array(10).fill(0.1), '3.11')).toBe(0.9999999999999999);
  });

  it('a small term lost between two large ones is recovered only by 3.12', () => {
    // 1e16 + 1 is a tie that rounds to even (1e16); Neumaier keeps the 1 in the compensation
    expect(naiveSum([1e16, 1, -1e16])).toBe(0);
    expect(neumaierSum([1e16, 1, -1e16])).toBe(1);
  });

  it('keeps an infinite sum infinite and starts from int 0 (sum([-0.0]) is 0.0)', () => {
    expect(neumaierSum([Infinity, 1])).toBe(Infinity);
    expect(Object.is(naiveSum([-0]), 0)).toBe(true);
    expect(Object.is(neumaierSum([-0]), 0)).toBe(true);
  });

  it('maps Python version strings to the numeric profile', () => {
    expect(pythonVersionFromString('3.10.12')).toBe('3.11');
    expect(pythonVersionFromString('Python version: 3.12.1 (main, Dec  8 2023)')).toBe('3.12');
    expect(pythonVersionFromString('3.13.0')).toBe('3.12');
    expect(pythonVersionFromString('unknown')).toBeUndefined();
  });
});
