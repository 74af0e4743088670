// unifiedDiff and the small display helpers, on hand-written texts.
import { describe, expect, it } from 'vitest';
import { commonSuffixLength, firstDifference, fmtDelta, unifiedDiff } from '../../src/parity/text-diff.js';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb', 'a\nb')).toEqual([]);
  });

  it('shows a changed line with one line of context, escaped', () => {
    expect(unifiedDiff('q\nA. x\nAnswer:', 'q\nA. x\nAnswer: ')).toEqual(['  "A. x"', '- "Answer:"', '+ "Answer: "']);
  });

  it('shows inserted lines and elides distant context', () => {
    const a = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6'].join('\n');
    const b = ['l1', 'l2', 'l3', 'l4', 'NEW', 'l5', 'l6'].join('\n');
    expect(unifiedDiff(a, b)).toEqual(['  "l4"', '+ "NEW"', '  "l5"']);
    const c = ['X', 'l2', 'l3', 'l4', 'l5', 'Y'].join('\n');
    expect(unifiedDiff(a, c)).toEqual(['- "l1"', '+ "X"', '  "l2"', '  …', '  "l5"', '- "l6"', '+ "Y"']);
  });

  it('windows a long changed line around the first difference', () => {
    const base = 'x'.repeat(300);
    const lines = unifiedDiff(base + 'A' + base, base + 'B' + base, { maxWidth: 40 });
    expect(lines).toHaveLength(2);
    // window starts maxWidth/3 = 13 characters before the difference at index 300
    expect(lines[0]).toBe(`- …"${'x'.repeat(13)}A${'x'.repeat(24)}"…`);
    expect(lines[1]).toBe(`+ …"${'x'.repeat(13)}B${'x'.repeat(24)}"…`);
  });

  it('caps the number of lines', () => {
    const a = Array.from({ length: 40 }, (_, i) => `a${i}`).join('\n');
    const b = Array.from({ length: 40 }, (_, i) => `b${i}`).join('\n');
    const lines = unifiedDiff(a, b, { maxLines: 5 });
    expect(lines).toHaveLength(6);
    expect(lines[5]).toBe('  … (75 more diff lines)');
  });
});

describe('helpers', () => {
  it('firstDifference gives index, line and column', () => {
    expect(firstDifference('ab\ncd', 'ab\nce')).toEqual({ index: 4, line: 2, column: 2 });
    expect(firstDifference('same', 'same')).toBeNull();
  });
  it('commonSuffixLength', () => {
    expect(commonSuffixLength('xxabc', 'yabc')).toBe(3);
  });
  it('fmtDelta', () => {
    expect(fmtDelta(0)).toBe('0');
    expect(fmtDelta(6.954e-6)).toBe('6.95e-6');
    expect(fmtDelta(-1.75)).toBe('-1.75');
  });
});
