// pytablewriter MarkdownTableWriter rendering rules (spec §14.2). Expected strings are
// pytablewriter 1.2.1 / DataProperty 1.1.1 / typepy 1.3.5 output for the same headers and matrix.
import { describe, expect, it } from 'vitest';
import { displayWidth, markdownTable } from '../../src/report/markdown-table.js';
import { pyFloat } from '../../src/report/pyjson.js';

const lines = (...rows: string[]): string => rows.join('\n') + '\n';

describe('markdownTable', () => {
  it('re-formats a real column to its widest decimals: "0.5000", "1.0000" print as 0.5, 1.0', () => {
    expect(markdownTable(['Metric', 'Value'], [['acc', '0.5000'], ['f1', '1.0000']])).toBe(
      lines('|Metric|Value|', '|------|----:|', '|acc   |  0.5|', '|f1    |  1.0|'),
    );
  });

  it('prints integer-valued versions as integers (1.0, "1.0", "2"), blank cells stay blank', () => {
    expect(markdownTable(['Tasks', 'Version'], [['a', pyFloat(1)], ['b', '1.0'], ['c', '2'], ['d', '']])).toBe(
      lines('|Tasks|Version|', '|-----|------:|', '|a    |      1|', '|b    |      1|', '|c    |      2|', '|d    |       |'),
    );
  });

  it('a stderr column with "   N/A" is a text column; numbers after a text majority stay text', () => {
    expect(markdownTable(['Stderr'], [['   N/A'], ['0.5'], ['0.25']])).toBe(
      lines('|Stderr|', '|------|', '|   N/A|', '|0.5   |', '|0.25  |'),
    );
    expect(markdownTable(['Stderr'], [['0.5'], ['   N/A'], ['0.25'], ['x'], ['y'], ['0.125']])).toBe(
      lines('|Stderr|', '|------|', '|  0.50|', '|   N/A|', '|  0.25|', '|x     |', '|y     |', '|0.125 |'),
    );
  });

  it('mixes ints, floats and blanks into one real column', () => {
    expect(markdownTable(['V'], [[1], [pyFloat(0.5)], [null], ['2.25']])).toBe(lines('| V  |', '|---:|', '|1.00|', '|0.50|', '|    |', '|2.25|'));
  });

  it('counts East Asian wide characters as two columns and escapes "|"', () => {
    expect(markdownTable(['Tasks', 'Metric'], [['日本語', 'acc'], ['a|b', '↑']])).toBe(
      lines('|Tasks |Metric|', '|------|------|', '|日本語|acc   |', '|a\\|b   |↑     |'),
    );
    expect(displayWidth('±↑↓')).toBe(3);
  });

  it('centres headers (left pad = floor of half the slack)', () => {
    expect(markdownTable(['Tasks', 'x'], [['abcdefgh', '1']])).toBe(lines('| Tasks  | x |', '|--------|--:|', '|abcdefgh|  1|'));
  });

  it('types "true", "inf", "nan", "1e5", "1,000" the way typepy does', () => {
    expect(markdownTable(['A', 'B', 'C'], [['true', 'inf', '1e5'], ['x', 'nan', '1,000']])).toBe(
      lines('| A  |   B    |  C   |', '|----|-------:|-----:|', '|True|Infinity|100000|', '|x   |     NaN|  1000|'),
    );
  });
});
