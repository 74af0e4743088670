// MATH answer handling against the test vectors of task-hendrycks-math.md §6 (produced by running lm-eval's
// utils.py under CPython 3.11) and the rules of §2–§4; extra int() cases were checked with CPython 3.11.7.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { skipNote } from '../../helpers/skip.js';
import { describe, expect, it } from 'vitest';
import {
  PythonError,
  isEquiv,
  lastBoxedOnlyString,
  processDocs,
  processResults,
  pythonIntString,
  removeBoxed,
  stripString,
} from '../../../src/tasks/functions/hendrycks-math.js';
import { YardstickError } from '../../../src/errors.js';
import { builtinFunctions } from '../../../src/tasks/functions/index.js';

const r = String.raw;
type PyErr = PythonError['pythonType'];

function pythonErrorOf(f: () => unknown): PyErr | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof PythonError) return e.pythonType;
    throw e;
  }
  return undefined;
}

// Spec §6 `strip_string` table: [input, output] or [input, {error}].
const STRIP_CASES: Array<[string, string | { error: PyErr }]> = [
  [r`\frac12`, r`\frac{1}{2}`],
  [r`\dfrac{1}{2}`, r`\frac{1}{2}`],
  ['0.5', r`\frac{1}{2}`],
  ['1/2', r`\frac{1}{2}`],
  ['-1/2', r`\frac{-1}{2}`],
  ['+1/2', '+1/2'],
  ['1_0/2', '1_0/2'],
  ['x/2', { error: 'ValueError' }],
  ['.5', r`\frac{1}{2}`],
  [' .5', r`\frac{1}{2}`],
  ['{.5}', '{0.5}'],
  ['3 .5', '30.5'],
  ['k = 3', '3'],
  [r`x=\frac{1}{2}`, r`\frac{1}{2}`],
  ['abc=3', 'abc=3'],
  ['y = 2x', '2x'],
  [r`\left( 3, 4 \right)`, '(3,4)'],
  [r`10\%`, '10'],
  [r`5^\circ`, '5'],
  [r`5^{\circ}`, '5'],
  [r`\$5`, '5'],
  [r`3 \text{ cm}`, '3'],
  [r`3\text{ cm}+2\text{ m}`, { error: 'AssertionError' }],
  [r`\sqrt3`, r`\sqrt{3}`],
  [r`2\sqrt2`, r`2\sqrt{2}`],
  [r`\sqrt`, { error: 'IndexError' }],
  [r`\frac`, { error: 'IndexError' }],
  [r`\frac1`, r`\frac1`],
  [r`\frac 34`, r`\frac{3}{4}`],
  [r`\frac{3}4`, r`\frac{3}4`],
  [r`\tfrac{3}{4}`, r`\frac{3}{4}`],
  ['1,000', '1,000'],
  [r`\!1`, '1'],
  [r`a\\b`, r`a\b`],
  ['\n5', '5'],
  ['5.', '5.'],
  ['0.50', '0.50'],
  [r`\boxed{5}`, r`\boxed{5}`],
  // §4 step 16 / step 18 examples
  [r`\frac1{72}`, r`\frac{1}{72}`],
  ['01/2', '01/2'],
  ['1.5/2', { error: 'ValueError' }],
  ['/2', { error: 'ValueError' }],
  ['1/', { error: 'ValueError' }],
  // Python int() details (CPython 3.11.7): tabs and non-ASCII spaces/digits are accepted but break the
  // round trip; U+001C is whitespace for str.strip() but not for int().
  ['\t1/2', '\t1/2'],
  ['\u0661/2', '\u0661/2'],
  ['\u3000-3/4', '\u3000-3/4'],
  ['\x1c1/2', { error: 'ValueError' }],
  ['1'.repeat(4301) + '/2', { error: 'ValueError' }],
];

describe('stripString', () => {
  it.each(STRIP_CASES)('%j', (input, expected) => {
    if (typeof expected === 'string') expect(stripString(input)).toBe(expected);
    else expect(pythonErrorOf(() => stripString(input))).toBe(expected.error);
  });

  it('measures the "k =" prefix in code points, as Python does', () => {
    // One astral character is two UTF-16 units but one Python character: prefix length 2 ≤ 2.
    expect(stripString('\u{1D465} =3')).toBe('3');
    expect(stripString('\u{1D465}\u{1D466} =3')).toBe('\u{1D465}\u{1D466}=3');
  });

  it('takes whole code points in fix_sqrt and fix_fracs', () => {
    expect(stripString('\\sqrt\u{1D465}')).toBe('\\sqrt{\u{1D465}}');
    expect(stripString('\\frac\u{1D465}2')).toBe('\\frac{\u{1D465}}{2}');
  });
});

describe('pythonIntString (str(int(s)))', () => {
  it.each([
    ['12', '12'],
    ['-0', '0'],
    [' \t-007 ', '-7'],
    ['1_000', '1000'],
    ['\u0661\u0662', '12'],
    ['\u{1D7E3}\u{1D7CE}', '10'],
    ['\xa01\u2028', '1'],
  ])('%j → %j', (s, expected) => {
    expect(pythonIntString(s)).toBe(expected);
  });

  it.each(['', '+', '_1', '1_', '1__0', '+_1', '- 1', '1\x00', '\u00b2', '\x1f1', '0x10', '1.0'])(
    'rejects %j with ValueError',
    (s) => {
      expect(pythonErrorOf(() => pythonIntString(s))).toBe('ValueError');
    },
  );

  it('applies the 4300-digit limit to digits, not underscores', () => {
    expect(pythonIntString('1'.repeat(4300))).toBe('1'.repeat(4300));
    expect(pythonErrorOf(() => pythonIntString('0'.repeat(4301)))).toBe('ValueError');
    expect(pythonIntString('1_'.repeat(2150) + '1')).toBe('1'.repeat(2151));
  });
});

// Spec §6 last_boxed_only_string / remove_boxed table.
const BOXED_CASES: Array<[string, string | null, string | { error: PyErr }]> = [
  [r`So the answer is $\boxed{\frac{1}{2}}$.`, r`\boxed{\frac{1}{2}}`, r`\frac{1}{2}`],
  [r`We get \boxed{5} and \boxed{6}.`, r`\boxed{6}`, '6'],
  [r`Thus $\boxed 7$.`, r`\boxed 7`, '7'],
  [r`x = \boxed{\text{(A)}}`, r`\boxed{\text{(A)}}`, r`\text{(A)}`],
  [r`a \boxed{ {1} } b`, r`\boxed{ {1} }`, ' {1} '],
  [r`The answer is \fbox{3}`, r`\fbox{3}`, { error: 'AssertionError' }],
  ['no box', null, { error: 'TypeError' }],
];

describe('lastBoxedOnlyString / removeBoxed', () => {
  it.each(BOXED_CASES)('%j', (solution, boxed, content) => {
    expect(lastBoxedOnlyString(solution)).toBe(boxed);
    if (typeof content === 'string') expect(removeBoxed(boxed)).toBe(content);
    else expect(pythonErrorOf(() => removeBoxed(boxed))).toBe(content.error);
  });

  it('prefers a "\\boxed " (with space) anywhere over a later "\\boxed{" (spec §2 step 2)', () => {
    expect(lastBoxedOnlyString(r`\boxed 1$ then \boxed{2}`)).toBe(r`\boxed 1`);
  });

  it('returns null for an unclosed box', () => {
    expect(lastBoxedOnlyString(r`\boxed{1`)).toBeNull();
  });
});

describe('isEquiv', () => {
  it('handles missing values as Python None', () => {
    expect(isEquiv(null, null)).toBe(true);
    expect(isEquiv(null, '1')).toBe(false);
    expect(isEquiv('1', undefined)).toBe(false);
  });

  it('falls back to raw equality when normalisation raises', () => {
    expect(isEquiv('x/2', 'x/2')).toBe(true);
    expect(isEquiv(' x/2', 'x/2')).toBe(false);
  });
});

const HALF = r`So the answer is $\boxed{\frac{1}{2}}$.`;
const X_HALF = r`The answer is $\boxed{x/2}$.`;

describe('processResults (spec §6)', () => {
  it.each([
    [HALF, ' 1/2\n\n', 1],
    [HALF, r` $\frac12$`, 1],
    [HALF, r` \frac{1}{2}`, 1],
    [HALF, ' 0.5', 1],
    [HALF, r`$\boxed{\frac{1}{2}}$`, 0],
    [HALF, 'The answer is $0.5$ and $x$', 0],
    [HALF, '1/2 $', 0],
    [X_HALF, 'x/2', 1],
    [X_HALF, '$x/2$', 1],
    [X_HALF, ' $x/2$', 1],
    [X_HALF, ' x/2', 0],
  ])('gold %j, generation %j → %i', (solution, generation, expected) => {
    expect(processResults({ problem: 'p', solution }, [generation])).toEqual({ exact_match: expected });
  });

  it('rejects a document whose solution has no box, as lm-eval fails on it', () => {
    expect(() => processResults({ solution: 'no box' }, ['1'])).toThrow(YardstickError);
  });
});

describe('processDocs', () => {
  it('appends answer after the original columns and keeps them unchanged', () => {
    const doc = { problem: 'What is 1/2?', level: 'Level 1', type: 'Algebra', solution: HALF };
    const [out] = processDocs([doc]);
    expect(Object.keys(out!)).toEqual(['problem', 'level', 'type', 'solution', 'answer']);
    expect(out).toEqual({ ...doc, answer: r`\frac{1}{2}` });
  });

  it('fails with a data error naming the document when a solution has no \\boxed{}', () => {
    const docs = [{ solution: HALF }, { solution: r`The answer is \fbox{3}` }];
    expect(() => processDocs(docs)).toThrow(/doc 1/);
  });

  it('is registered under the names the YAML uses', () => {
    expect(builtinFunctions['hendrycks_math/utils.process_docs']).toBe(processDocs);
    expect(builtinFunctions['hendrycks_math/utils.process_results']).toBe(processResults);
  });
});

// Real data (read-only, ../shared/data or $YARDSTICK_SHARED_DATA): every MATH test solution must yield a gold answer.
const SHARED_DATA = process.env.YARDSTICK_SHARED_DATA ?? resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data');
const MATH_JSONL = join(SHARED_DATA, 'hendrycks_math', 'test.jsonl');
const mathSkipped = skipNote(existsSync(MATH_JSONL), `${MATH_JSONL} not found; set YARDSTICK_SHARED_DATA (README: Tests)`);
describe.skipIf(!existsSync(MATH_JSONL))(`processDocs on the MATH test set${mathSkipped}`, () => {
  it('extracts an answer from all 5000 solutions; subject sizes match spec §1', () => {
    const docs = readFileSync(MATH_JSONL, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const processed = processDocs(docs);
    expect(processed).toHaveLength(5000);
    const sizes: Record<string, number> = {};
    for (const d of processed) {
      expect(typeof d['answer']).toBe('string');
      sizes[d['type'] as string] = (sizes[d['type'] as string] ?? 0) + 1;
    }
    expect(sizes).toEqual({
      Algebra: 1187,
      'Counting & Probability': 474,
      Geometry: 479,
      'Intermediate Algebra': 903,
      'Number Theory': 540,
      Prealgebra: 871,
      Precalculus: 546,
    });
  });
});
