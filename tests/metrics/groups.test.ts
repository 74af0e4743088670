// Group aggregation (spec §10): size-weighted mean over leaves and pooled stderr.
import { describe, expect, it } from 'vitest';
import { aggregateSubtaskMetrics, groupStderr, pooledSampleStderr } from '../../src/metrics/groups.js';

describe('group value', () => {
  it('spec §10 numerical example', () => {
    expect(aggregateSubtaskMetrics([0.32, 0.5185185185185185, 0.6052631578947368], [100, 135, 152])).toBe(0.5012919896640827);
  });

  it('weight_by_size true is Σ m·n / Σ n, false a plain mean (hand-computed)', () => {
    // (6 + 8 + 40) / 160
    expect(aggregateSubtaskMetrics([0.3, 0.2, 0.4], [20, 40, 100], true)).toBe(0.3375);
    // (0.3 + 0.2 + 0.4) / 3: 0.5 + 0.4 = 0.9, 0.9 / 3 = 0.3
    expect(aggregateSubtaskMetrics([0.3, 0.2, 0.4], [20, 40, 100], false)).toBe(0.3);
  });
});

describe('group stderr', () => {
  it('spec §10 pooled stderr example', () => {
    expect(pooledSampleStderr([0.05, 0.04, 0.03], [100, 135, 152])).toBe(0.022367720547266774);
    expect(groupStderr([0.05, 0.04, 0.03], [100, 135, 152])).toBe(0.022367720547266774);
  });

  it('is "N/A" when any leaf has no stderr', () => {
    expect(groupStderr([0.05, 'N/A', 0.03], [100, 135, 152])).toBe('N/A');
    expect(groupStderr([0.05, undefined], [100, 135])).toBe('N/A');
  });

  it('pools with the formula sqrt(Σ (n-1)·se²·n / (Σn - k) / Σn) (hand-computed)', () => {
    // two leaves of 2 docs with se 1: (1·1·2 + 1·1·2) / (4 - 2) = 2, sqrt(2 / 4)
    expect(pooledSampleStderr([1, 1], [2, 2])).toBe(Math.sqrt(0.5));
  });
});
