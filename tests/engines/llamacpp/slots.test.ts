// Sequence assignment: scoring goes where the cached prefix is longest (ties to the least work),
// generation spreads over the sequences first.
import { describe, expect, it } from 'vitest';
import { assignSlots, commonPrefixLength } from '../../../src/engines/llamacpp/slots.js';

describe('assignSlots', () => {
  it('counts the common prefix', () => {
    expect(commonPrefixLength([1, 2, 3], [1, 2, 4, 5])).toBe(2);
    expect(commonPrefixLength([], [1])).toBe(0);
  });

  it('scores the choices of one document on the sequence holding its context', () => {
    const ctx = [1, 2, 3, 4, 5, 6, 7, 8];
    const slots: number[][] = [[], [], [], []];
    const inputs = [[...ctx, 10], [...ctx, 11], [...ctx, 12], [9, 9, 9], [...ctx, 13]];
    expect(assignSlots(inputs, slots, 'score')).toEqual([0, 0, 0, 1, 0]);
    expect(slots[0]).toEqual([...ctx, 13]);
    expect(slots[1]).toEqual([9, 9, 9]);
    // the next batch finds the context still cached on sequence 0
    expect(assignSlots([[...ctx, 14]], slots, 'score')).toEqual([0]);
  });

  it('spreads generation requests over the sequences, preferring a cached prefix among equals', () => {
    const slots: number[][] = [[5, 5], [1, 2, 3], [], []];
    expect(assignSlots([[1, 2, 3, 4], [1, 2, 3, 5], [7], [8], [1, 2, 3, 4, 6]], slots, 'generate')).toEqual([1, 0, 2, 3, 1]);
  });
});
