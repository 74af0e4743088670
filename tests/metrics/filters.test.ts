// lm-eval's filters and Python regex semantics. Expected values are what CPython's `re.findall`
// and lm-eval's filter classes give for these inputs (worked out by hand from their definitions).
import { describe, expect, it } from 'vitest';
import { buildFilters } from '../../src/metrics/filters.js';
import { pyRegExp } from '../../src/metrics/py-regex.js';
import { YardstickError } from '../../src/errors.js';

const pipeline = (steps: Array<Record<string, unknown>>) => buildFilters([{ name: 'f', filter: steps }], 'task t')[0]!;

describe('filters', () => {
  it('defaults to one pipeline "none" = take_first', () => {
    const [none] = buildFilters(undefined, 'task t');
    expect(none!.name).toBe('none');
    expect(none!.apply(['first', 'second'])).toBe('first');
  });

  it('regex: the default GSM8K pattern, fallback, group_select and tuples', () => {
    expect(pipeline([{ function: 'regex' }, { function: 'take_first' }]).apply(['so #### 1,234.5 done'])).toBe('1,234.5');
    expect(pipeline([{ function: 'regex' }, { function: 'take_first' }]).apply(['no number'])).toBe('[invalid]');
    expect(pipeline([{ function: 'regex', regex_pattern: '(\\d+)', group_select: -1 }, { function: 'take_first' }]).apply(['1 then 22 then 333'])).toBe('333');
    // two groups: findall gives ('', 'b'); lm-eval keeps the first non-empty
    expect(pipeline([{ function: 'regex', regex_pattern: '(a)|(b)' }, { function: 'take_first' }]).apply(['xb'])).toBe('b');
    // no group: the whole match, stripped
    expect(pipeline([{ function: 'regex', regex_pattern: ' [A-D] ', fallback: 'none' }, { function: 'take_first' }]).apply(['is B here'])).toBe('B');
  });

  it('remove_whitespace drops one leading space; lowercase; majority_vote keeps the first of equals', () => {
    expect(pipeline([{ function: 'remove_whitespace' }, { function: 'take_first' }]).apply(['  x'])).toBe(' x');
    expect(pipeline([{ function: 'lowercase' }, { function: 'take_first' }]).apply(['AbC'])).toBe('abc');
    expect(pipeline([{ function: 'majority_vote' }, { function: 'take_first' }]).apply(['a', 'b', 'b', 'a', 'c'])).toBe('a');
    expect(pipeline([{ function: 'majority_vote' }, { function: 'take_first' }]).apply(['b', 'a', 'a'])).toBe('a');
  });

  it('refuses unknown filters, malformed lists and duplicate names in one line', () => {
    let error: YardstickError | undefined;
    try {
      buildFilters([{ name: 'x', filter: [{ function: 'llm_judge' }] }], 'task t');
    } catch (e) {
      error = e as YardstickError;
    }
    expect(error?.oneLine()).toMatch(/task t filter x: filter 'llm_judge' is not supported; supported filters: take_first, regex/);
    expect(() => buildFilters('regex', 'task t')).toThrow(YardstickError);
    expect(() => buildFilters([{ name: 'x' }], 'task t')).toThrow(/needs a name and a non-empty filter list/);
    expect(() => buildFilters([{ name: 'x', filter: [{ function: 'take_first' }] }, { name: 'x', filter: [{ function: 'take_first' }] }], 'task t')).toThrow(/two filters are named 'x'/);
  });
});

describe('Python regex semantics', () => {
  const findall = (pattern: string, text: string): string[] => [...text.matchAll(pyRegExp(pattern, 'test'))].map((m) => m[1] ?? m[0]);
  it('`$` also matches before a final newline, \\Z only at the very end', () => {
    expect(findall('(\\d+)$', '42\n')).toEqual(['42']);
    expect(findall('(\\d+)\\Z', '42\n')).toEqual([]);
  });
  it('\\d and \\w are Unicode-aware', () => {
    expect(findall('(\\d+)', 'x ٣٤ y')).toEqual(['٣٤']);
    expect(findall('(\\w+)', 'élan!')).toEqual(['élan']);
  });
  it('named groups, escaped punctuation and inline flags', () => {
    expect(findall('(?P<n>\\d+)\\,(?P=n)', '12,12 34,35')).toEqual(['12']);
    expect(findall('(?i)(answer)', 'ANSWER')).toEqual(['ANSWER']);
    expect(() => pyRegExp('(?x)a b', 'test')).toThrow(/inline flag/);
    expect(() => pyRegExp('(unclosed', 'test')).toThrow(YardstickError);
  });
});
