// Named functions of the hendrycks_math tasks (lm-eval `hendrycks_math/utils.py`): gold-answer extraction
// from `\boxed{}` and the answer normalisation behind `exact_match`, ported with Python string semantics.
import type { Doc } from '../../data/types.js';
import { YardstickError } from '../../errors.js';
import type { ProcessDocsFunction, ProcessResultsFunction } from './types.js';

/** The Python exception a step of the reference code raises; `isEquiv` turns any of them into a raw compare. */
export class PythonError extends Error {
  readonly pythonType: 'AssertionError' | 'IndexError' | 'ValueError' | 'TypeError';

  constructor(pythonType: PythonError['pythonType'], message: string) {
    super(`${pythonType}: ${message}`);
    this.name = 'PythonError';
    this.pythonType = pythonType;
  }
}

// Python `str.replace(old, new)` for a non-empty `old`: all non-overlapping occurrences, left to right.
// (split/join rather than replaceAll, whose replacement string would interpret `$&` and friends.)
function replaceAll(s: string, old: string, replacement: string): string {
  return s.split(old).join(replacement);
}

/** The code points of `s`: Python indexes and measures `str` by code point, JS by UTF-16 unit. */
function codePoints(s: string): string[] {
  return Array.from(s);
}

/** `last_boxed_only_string`: the last `\boxed{...}` (or `\boxed ...`, or `\fbox{...}`) of a solution, or null. */
export function lastBoxedOnlyString(s: string): string | null {
  let idx = s.lastIndexOf('\\boxed');
  if (s.includes('\\boxed ')) {
    const afterLast = s.split('\\boxed ').at(-1)!;
    return '\\boxed ' + afterLast.split('$')[0]!;
  }
  if (idx < 0) {
    idx = s.lastIndexOf('\\fbox');
    if (idx < 0) return null;
  }
  // `{` and `}` are single UTF-16 units, so scanning code units finds the same brace as Python does.
  let open = 0;
  for (let i = idx; i < s.length; i++) {
    if (s[i] === '{') open += 1;
    if (s[i] === '}') {
      open -= 1;
      if (open === 0) return s.slice(idx, i + 1);
    }
  }
  return null;
}

/** `remove_boxed`: the content of `\boxed{...}` / `\boxed ...`; Python raises on anything else. */
export function removeBoxed(s: string | null): string {
  if (s === null) throw new PythonError('TypeError', "argument of type 'NoneType' is not iterable");
  if (s.includes('\\boxed ')) {
    if (!s.startsWith('\\boxed ')) throw new PythonError('AssertionError', 'remove_boxed: expected "\\boxed " prefix');
    return s.slice('\\boxed '.length);
  }
  if (!s.startsWith('\\boxed{')) throw new PythonError('AssertionError', 'remove_boxed: expected "\\boxed{" prefix');
  if (!s.endsWith('}')) throw new PythonError('AssertionError', 'remove_boxed: expected a closing "}"');
  return s.slice('\\boxed{'.length, -1);
}

function fixFracs(s: string): string {
  const parts = s.split('\\frac');
  let out = parts[0]!;
  for (const part of parts.slice(1)) {
    out += '\\frac';
    const cps = codePoints(part);
    if (cps.length === 0) throw new PythonError('IndexError', 'string index out of range');
    if (cps[0] === '{') {
      out += part;
      continue;
    }
    if (cps.length < 2) return s;
    const a = cps[0]!;
    const b = cps[1]!;
    const rest = cps.slice(2).join('');
    out += b !== '{' ? `{${a}}{${b}}${rest}` : `{${a}}${b}${rest}`;
  }
  return out;
}

// What `int()` trims from both ends: ASCII " \t\n\v\f\r" and the non-ASCII Python whitespace (CPython maps the
// latter to spaces first); unlike str.isspace, not U+001C..U+001F.
const INT_SPACE = '[\\t\\n\\v\\f\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const INT_TRIM = new RegExp(`^${INT_SPACE}+|${INT_SPACE}+$`, 'g');
const INT_BODY = /^([+-]?)(\p{Nd}+(?:_\p{Nd}+)*)$/u;
const IS_DECIMAL = /^\p{Nd}$/u;
// CPython ≥ 3.11 refuses to parse decimal strings longer than this (sys.get_int_max_str_digits()).
const PYTHON_INT_MAX_STR_DIGITS = 4300;

/** Value of a Unicode decimal digit: Nd characters come in contiguous runs of 0..9. */
function decimalValue(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  let start = cp;
  while (IS_DECIMAL.test(String.fromCodePoint(start - 1))) start -= 1;
  return (cp - start) % 10;
}

/**
 * `str(int(s))` for Python's `int(s)` (base 10): surrounding whitespace, an optional sign, Unicode decimal
 * digits with single underscores between them. Anything else raises ValueError.
 */
export function pythonIntString(s: string): string {
  const m = INT_BODY.exec(s.replace(INT_TRIM, ''));
  if (!m) throw new PythonError('ValueError', `invalid literal for int() with base 10: '${s}'`);
  const digits = codePoints(m[2]!.replaceAll('_', '')).map(decimalValue);
  if (digits.length > PYTHON_INT_MAX_STR_DIGITS) {
    throw new PythonError('ValueError', 'Exceeds the limit (4300 digits) for integer string conversion');
  }
  const magnitude = digits.join('').replace(/^0+/, '') || '0';
  return m[1] === '-' && magnitude !== '0' ? `-${magnitude}` : magnitude;
}

function fixASlashB(s: string): string {
  const parts = s.split('/');
  if (parts.length !== 2) return s;
  const a = pythonIntString(parts[0]!);
  const b = pythonIntString(parts[1]!);
  return `${a}/${b}` === s ? `\\frac{${a}}{${b}}` : s;
}

function removeRightUnits(s: string): string {
  if (!s.includes('\\text{ ')) return s;
  const parts = s.split('\\text{ ');
  if (parts.length !== 2) throw new PythonError('AssertionError', 'remove_right_units: more than one "\\text{ "');
  return parts[0]!;
}

function fixSqrt(s: string): string {
  if (!s.includes('\\sqrt')) return s;
  const parts = s.split('\\sqrt');
  let out = parts[0]!;
  for (const part of parts.slice(1)) {
    const cps = codePoints(part);
    if (cps.length === 0) throw new PythonError('IndexError', 'string index out of range');
    out += cps[0] !== '{' ? `\\sqrt{${cps[0]}}${cps.slice(1).join('')}` : `\\sqrt${part}`;
  }
  return out;
}

/** `strip_string`: the answer normalisation, step for step; throws PythonError where Python raises. */
export function stripString(input: string): string {
  let s = input;
  s = replaceAll(s, '\n', '');
  s = replaceAll(s, '\\!', '');
  s = replaceAll(s, '\\\\', '\\');
  s = replaceAll(s, 'tfrac', 'frac');
  s = replaceAll(s, 'dfrac', 'frac');
  s = replaceAll(s, '\\left', '');
  s = replaceAll(s, '\\right', '');
  s = replaceAll(s, '^{\\circ}', '');
  s = replaceAll(s, '^\\circ', '');
  s = replaceAll(s, '\\$', '');
  s = removeRightUnits(s);
  s = replaceAll(s, '\\%', '');
  s = replaceAll(s, ' .', ' 0.');
  s = replaceAll(s, '{.', '{0.');
  if (s.length === 0) return s;
  if (s.startsWith('.')) s = '0' + s;
  const sides = s.split('=');
  if (sides.length === 2 && codePoints(sides[0]!).length <= 2) s = sides[1]!;
  s = fixSqrt(s);
  s = replaceAll(s, ' ', '');
  s = fixFracs(s);
  if (s === '0.5') s = '\\frac{1}{2}';
  s = fixASlashB(s);
  return s;
}

/** `is_equiv`: normalised equality; if normalising either side raises, the raw strings are compared. */
export function isEquiv(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a == null && b == null) return true;
  if (a == null || b == null) return false;
  try {
    return stripString(a) === stripString(b);
  } catch {
    return a === b;
  }
}

/** The gold answer of a solution; a solution without `\boxed{}` makes lm-eval crash, so it is an error here. */
function goldAnswer(doc: Doc, where: string): string {
  const solution = doc['solution'];
  if (typeof solution !== 'string') {
    throw new YardstickError('data', `hendrycks_math: ${where} has no string "solution" column`, {
      hint: 'use the EleutherAI/hendrycks_math columns problem, level, type, solution',
    });
  }
  try {
    return removeBoxed(lastBoxedOnlyString(solution));
  } catch (e) {
    if (!(e instanceof PythonError)) throw e;
    throw new YardstickError('data', `hendrycks_math: ${where}: the solution has no \\boxed{...} answer (${e.message})`, {
      hint: 'lm-eval fails on such a document too; check the dataset file',
      cause: e,
    });
  }
}

/** `utils.process_docs`: each doc gains `answer` = the content of the solution's last `\boxed{}`. */
export const processDocs: ProcessDocsFunction = (docs) =>
  docs.map((doc, i) => ({ ...doc, answer: goldAnswer(doc, `doc ${i}`) }));

/**
 * `utils.process_results`: the answer is the text between the first and last `$` of the generation (the whole
 * generation when it has fewer than two), compared with the gold answer by `is_equiv`.
 */
export const processResults: ProcessResultsFunction = (doc, responses) => {
  const generation = responses[0];
  if (typeof generation !== 'string') {
    throw new YardstickError('internal', 'hendrycks_math process_results expects one generated string per doc');
  }
  return { exact_match: isEquiv(generationAnswer(generation), goldAnswer(doc, 'a document')) ? 1 : 0 };
};

/** lm-eval hendrycks_math process_results: the text between the first and last "$", else all of it. */
export function generationAnswer(generation: string): string {
  const first = generation.indexOf('$');
  const last = generation.lastIndexOf('$');
  return first === last ? generation : generation.slice(first + 1, last);
}
