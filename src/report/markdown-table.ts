// pytablewriter 1.2.1's MarkdownTableWriter (with DataProperty 1.1 / typepy 1.3 type inference), as
// lm-eval's make_table uses it: every cell is typed from its Python value, each column gets a type,
// numbers are re-formatted and aligned by it, widths count East Asian wide characters as 2.
import { PyFloat, pyFloatRepr } from './pyjson.js';

/** A cell as the Python value make_table puts in the matrix (plain integral number = int). */
export type TableCell = string | number | bigint | PyFloat | boolean | null | undefined;

// typepy Typecode bit values
const INTEGER = 1;
const REAL = 2;
const STRING = 4;
const NULL_STRING = 8;
const INFINITY = 32;
const NAN = 64;
const BOOL = 128;

/** A finite decimal (what typepy keeps as `decimal.Decimal`): (−1)^neg · digits · 10^exp. */
interface Dec {
  neg: boolean;
  digits: string;
  exp: number;
}

type Typed =
  | { type: 1; value: bigint }
  | { type: 2; value: Dec }
  | { type: 32 }
  | { type: 64 }
  | { type: 128; value: boolean }
  | { type: 8; text: string }
  | { type: 4; text: string };

// Python `decimal.Decimal(str)` syntax (surrounding whitespace allowed, underscores between digits)
const DECIMAL_RE = /^\s*([+-]?)(?:(\d(?:_?\d)*)(?:\.(\d(?:_?\d)*)?)?|\.(\d(?:_?\d)*))(?:[eE]([+-]?\d(?:_?\d)*))?\s*$/;
const SPECIAL_RE = /^\s*([+-]?)(inf|infinity|nan|snan)\s*$/i;

type Parsed = { kind: 'finite'; value: Dec } | { kind: 'inf' } | { kind: 'nan' };

function parseDecimal(text: string): Parsed | undefined {
  const special = SPECIAL_RE.exec(text);
  if (special) return special[2]!.toLowerCase().endsWith('nan') ? { kind: 'nan' } : { kind: 'inf' };
  const m = DECIMAL_RE.exec(text);
  if (!m) return undefined;
  const intPart = (m[2] ?? '').replace(/_/g, '');
  const fracPart = (m[3] ?? m[4] ?? '').replace(/_/g, '');
  const exp = Number((m[5] ?? '0').replace(/_/g, '')) - fracPart.length;
  return { kind: 'finite', value: { neg: m[1] === '-', digits: (intPart + fracPart).replace(/^0+(?=\d)/, ''), exp } };
}

function decToNumber(d: Dec): number {
  return Number(`${d.neg ? '-' : ''}${d.digits}e${d.exp}`);
}

/** int(Decimal): truncation toward zero. */
function decTrunc(d: Dec): bigint {
  const digits = d.exp >= 0 ? d.digits + '0'.repeat(d.exp) : d.digits.slice(0, Math.max(0, d.digits.length + d.exp));
  const v = BigInt(digits === '' ? '0' : digits);
  return d.neg ? -v : v;
}

function decFromFloat(x: number): Dec {
  const parsed = parseDecimal(pyFloatRepr(x));
  if (!parsed || parsed.kind !== 'finite') throw new Error(`not a finite float: ${x}`);
  return parsed.value;
}

/** Python `format(Decimal, '.Nf')`: round half-even to N places. */
function decFormatFixed(d: Dec, places: number): string {
  let digits = d.digits;
  let exp = d.exp;
  if (exp < -places) {
    const drop = -places - exp;
    const padded = digits.padStart(drop + 1, '0');
    const keep = BigInt(padded.slice(0, padded.length - drop));
    const rest = padded.slice(padded.length - drop);
    const first = rest.charCodeAt(0) - 48;
    const beyondHalf = first > 5 || (first === 5 && /[1-9]/.test(rest.slice(1)));
    const tie = first === 5 && !beyondHalf;
    const rounded = beyondHalf || (tie && keep % 2n === 1n) ? keep + 1n : keep;
    digits = rounded.toString();
    exp = -places;
  }
  const scaled = digits + '0'.repeat(exp + places); // the value times 10^places
  const text = scaled.replace(/^0+(?=\d)/, '').padStart(places + 1, '0');
  const body = places === 0 ? text : `${text.slice(0, text.length - places)}.${text.slice(text.length - places)}`;
  return (d.neg ? '-' : '') + body;
}

/** DataProperty's decimal places of a real: digits after '.' in str(abs(float(value))), quirks kept. */
function realDecimalPlaces(d: Dec): number {
  const text = pyFloatRepr(Math.abs(decToNumber(d)));
  const dot = text.indexOf('.');
  if (dot >= 0) return text.length - dot - 1;
  const m = /[\d.]+[eE]-(\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}

const PY_WHITESPACE = /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;
const SCI_2 = /^-?\d+(?:\.\d*)?[eE][+-]?\d{0,2}$/;
const SCI_3 = /^-?\d+(?:\.\d*)?[eE][+-]?\d{3,}$/;
const THOUSANDS = /\d{1,3}(,\d{1,3})+/;

const DECIMAL_DIGIT = /\p{Nd}/u;

/** Python's number parsing (Decimal, `re` digits) accepts every Unicode decimal digit: map them to ASCII. */
function asciiDigits(s: string): string {
  if (!/[^\x00-\x7f]/.test(s)) return s;
  let out = '';
  for (const ch of s) {
    if (!DECIMAL_DIGIT.test(ch) || (ch >= '0' && ch <= '9')) {
      out += ch;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    let zero = cp; // digits come in runs of ten starting at zero
    while (DECIMAL_DIGIT.test(String.fromCodePoint(zero - 1))) zero--;
    out += String((cp - zero) % 10);
  }
  return out;
}

/** typepy's detection for a string at pytablewriter's strict levels (Integer/RealNumber/Bool at 1). */
function classifyString(text: string): Typed {
  const s = asciiDigits(text);
  const parsed = parseDecimal(s);
  const isInf = parsed?.kind === 'inf';
  // RealNumber (level 1): a non-integral finite decimal, exponent form only with ≤ 2 exponent digits
  const hasE = /[eE]/.test(s);
  const realExcluded = (hasE && !SCI_2.test(s)) || isInf;
  const isReal = !realExcluded && parsed !== undefined && (parsed.kind === 'nan' || !Number.isInteger(decToNumber(parsed.value)));
  // Integer (level 1): not a real, not a long exponent, int(Decimal(s without thousands commas))
  if (!isReal && !SCI_3.test(s)) {
    const p = THOUSANDS.test(s) ? parseDecimal(s.replace(/,/g, '')) : parsed;
    if (p?.kind === 'finite') return { type: INTEGER, value: decTrunc(p.value) };
  }
  if (isInf) return { type: INFINITY };
  if (parsed?.kind === 'nan') return { type: NAN };
  if (isReal) return { type: REAL, value: (parsed as { value: Dec }).value };
  const folded = s.toLowerCase();
  if (folded === 'true' || folded === 'false') return { type: BOOL, value: folded === 'true' };
  if (PY_WHITESPACE.test(s)) return { type: NULL_STRING, text };
  return { type: STRING, text };
}

function classify(value: TableCell): Typed {
  if (value === null || value === undefined) return { type: NULL_STRING, text: '' };
  if (typeof value === 'boolean') return { type: BOOL, value };
  if (typeof value === 'bigint') return { type: INTEGER, value };
  if (typeof value === 'string') return classifyString(value);
  const isFloat = value instanceof PyFloat || !Number.isInteger(value);
  const x = value instanceof PyFloat ? value.value : value;
  if (!isFloat) return { type: INTEGER, value: BigInt(x) };
  if (Number.isNaN(x)) return { type: NAN };
  if (!Number.isFinite(x)) return { type: INFINITY };
  if (Number.isInteger(x)) return { type: INTEGER, value: BigInt(x) };
  return { type: REAL, value: decFromFloat(x) };
}

/** Preprocessing of every cell string: tabs → 2 spaces, line breaks → space, one pair of quotes dropped. */
function preprocess(s: string): string {
  let out = s.replace(/\t/g, '  ').replace(/\r\n|\n/g, ' ');
  if (out.length > 0 && out[0] === out[out.length - 1] && (out[0] === "'" || out[0] === '"')) {
    if (out.split(out[0]).length - 1 === 2) out = out.slice(1, -1);
  }
  return out;
}

/** typepy's check of a value against the column's most common type so far, at the strictest level. */
function matchesHint(hint: number, raw: TableCell): boolean {
  if (hint === STRING) return typeof raw === 'string' && !PY_WHITESPACE.test(raw);
  if (hint === NULL_STRING) return (typeof raw === 'string' && PY_WHITESPACE.test(raw)) || raw === null || raw === undefined;
  return false; // numeric/bool hints never change how a cell is typed here
}

/** Cells of one column typed like DataPropertyExtractor._to_dp_list (most-common-type hint included). */
function typeColumn(values: readonly TableCell[]): Typed[] {
  const counts = new Map<number, number>();
  return values.map((raw0) => {
    const raw = typeof raw0 === 'string' ? preprocess(raw0) : raw0;
    let hint: number | undefined;
    let best = 0;
    for (const [type, count] of counts) {
      if (count > best) {
        best = count;
        hint = type;
      }
    }
    const typed: Typed =
      hint !== undefined && matchesHint(hint, raw)
        ? hint === STRING
          ? { type: STRING, text: raw as string }
          : { type: NULL_STRING, text: (raw ?? '') as string }
        : classify(raw);
    counts.set(typed.type, (counts.get(typed.type) ?? 0) + 1);
    return typed;
  });
}

const popcount = (x: number): number => x.toString(2).replace(/0/g, '').length;

/** ColumnDataProperty's column type from the union of its cell types. */
function columnType(bitmap: number): number {
  const notSingle = (bits: number): boolean => (bitmap & bits) !== 0 && (bitmap & ~bits) !== 0;
  const FLOAT_BITS = REAL | INFINITY | NAN;
  const NUMBER_BITS = FLOAT_BITS | INTEGER;
  if (!notSingle(NUMBER_BITS | NULL_STRING)) {
    if (popcount(bitmap & (FLOAT_BITS | NULL_STRING)) >= 2 || popcount(bitmap & NUMBER_BITS) >= 2) return REAL;
  }
  if (notSingle(BOOL)) return STRING;
  for (const t of [STRING, REAL, INTEGER, BOOL, INFINITY, NAN, NULL_STRING]) if (bitmap & t) return t;
  return 0;
}

function formatReal(cell: Typed, places: number | undefined): string {
  // pytablewriter replaces every infinity with Decimal('inf') and every NaN with Decimal('nan')
  if (cell.type === INFINITY) return 'Infinity';
  if (cell.type === NAN) return 'NaN';
  const d = cell.type === REAL ? cell.value : { neg: (cell as { value: bigint }).value < 0n, digits: String((cell as { value: bigint }).value).replace('-', ''), exp: 0 };
  return decFormatFixed(d, places ?? 6);
}

/** ColumnDataProperty.dp_to_str: a cell's text under its column's type and decimal places. */
function cellText(cell: Typed, colType: number, places: number | undefined): string {
  switch (cell.type) {
    case STRING:
    case NULL_STRING:
      return cell.text;
    case BOOL:
      return cell.value ? 'True' : 'False';
    case INTEGER:
      return colType === REAL ? formatReal(cell, places) : cell.value.toString();
    default:
      return formatReal(cell, places);
  }
}

// East Asian Wide/Fullwidth ranges of assigned characters (Unicode 14, CPython 3.11's unicodedata)
const WIDE_RANGES = (
  '1100-115f 231a-231b 2329-232a 23e9-23ec 23f0 23f3 25fd-25fe 2614-2615 2648-2653 267f 2693 26a1 26aa-26ab ' +
  '26bd-26be 26c4-26c5 26ce 26d4 26ea 26f2-26f3 26f5 26fa 26fd 2705 270a-270b 2728 274c 274e 2753-2755 2757 ' +
  '2795-2797 27b0 27bf 2b1b-2b1c 2b50 2b55 2e80-2e99 2e9b-2ef3 2f00-2fd5 2ff0-2ffb 3000-303e 3041-3096 ' +
  '3099-30ff 3105-312f 3131-318e 3190-31e3 31f0-321e 3220-3247 3250-4dbf 4e00-a48c a490-a4c6 a960-a97c ' +
  'ac00-d7a3 f900-fa6d fa70-fad9 fe10-fe19 fe30-fe52 fe54-fe66 fe68-fe6b ff01-ff60 ffe0-ffe6 16fe0-16fe4 ' +
  '16ff0-16ff1 17000-187f7 18800-18cd5 18d00-18d08 1aff0-1aff3 1aff5-1affb 1affd-1affe 1b000-1b122 ' +
  '1b150-1b152 1b164-1b167 1b170-1b2fb 1f004 1f0cf 1f18e 1f191-1f19a 1f200-1f202 1f210-1f23b 1f240-1f248 ' +
  '1f250-1f251 1f260-1f265 1f300-1f320 1f32d-1f335 1f337-1f37c 1f37e-1f393 1f3a0-1f3ca 1f3cf-1f3d3 ' +
  '1f3e0-1f3f0 1f3f4 1f3f8-1f43e 1f440 1f442-1f4fc 1f4ff-1f53d 1f54b-1f54e 1f550-1f567 1f57a 1f595-1f596 ' +
  '1f5a4 1f5fb-1f64f 1f680-1f6c5 1f6cc 1f6d0-1f6d2 1f6d5-1f6d7 1f6dd-1f6df 1f6eb-1f6ec 1f6f4-1f6fc ' +
  '1f7e0-1f7eb 1f7f0 1f90c-1f93a 1f93c-1f945 1f947-1f9ff 1fa70-1fa74 1fa78-1fa7c 1fa80-1fa86 1fa90-1faac ' +
  '1fab0-1faba 1fac0-1fac5 1fad0-1fad9 1fae0-1fae7 1faf0-1faf6 20000-2a6df 2a700-2b738 2b740-2b81d ' +
  '2b820-2cea1 2ceb0-2ebe0 2f800-2fa1d 30000-3134a'
)
  .split(' ')
  .map((r) => r.split('-').map((h) => Number.parseInt(h, 16)))
  .map(([a, b]) => [a!, b ?? a!] as const);

const UNASSIGNED = /\p{Cn}/u;

/** DataProperty's character width: 2 for East Asian wide/fullwidth (and, as CPython reports, unassigned). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const wide = cp >= 0x1100 && (WIDE_RANGES.some(([a, b]) => cp >= a && cp <= b) || UNASSIGNED.test(ch));
    width += wide ? 2 : 1;
  }
  return width;
}

const codePoints = (text: string): number => [...text].length;

function pad(text: string, width: number, align: 'left' | 'right' | 'center'): string {
  const fill = Math.max(0, width - codePoints(text));
  if (align === 'left') return text + ' '.repeat(fill);
  if (align === 'right') return ' '.repeat(fill) + text;
  const left = Math.floor(fill / 2);
  return ' '.repeat(left) + text + ' '.repeat(fill - left);
}

const MIN_COLUMN_WIDTH = 3;
const MAX_PRECISION = 100;

/** `MarkdownTableWriter(headers=…, value_matrix=…).dumps()`; rows are padded/cut to the header count. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly TableCell[])[]): string {
  const headerTexts = headers.map((h) => preprocess(h.replace(/^"+|"+$/g, '')));
  const columns = headers.map((_, c) => {
    const cells = typeColumn(rows.map((r) => r[c]));
    const type = columnType(cells.reduce((bits, cell) => bits | cell.type, 0));
    const numeric = cells.filter((cell) => cell.type === REAL || cell.type === INTEGER);
    const places = numeric.length === 0 ? undefined : Math.min(MAX_PRECISION, Math.max(...numeric.map((cell) => (cell.type === REAL ? realDecimalPlaces(cell.value) : 0))));
    const texts = cells.map((cell) => cellText(cell, type, places));
    const width = Math.max(MIN_COLUMN_WIDTH, displayWidth(headerTexts[c]!), ...texts.map(displayWidth));
    return { cells, type, texts, width };
  });
  const escape = (s: string): string => s.replace(/\|/g, '\\|');
  // padding is counted in code points, shortened by the extra width of wide characters
  const fit = (text: string, width: number, align: 'left' | 'right' | 'center', isString: boolean): string =>
    escape(pad(text, isString ? Math.max(width - (displayWidth(text) - codePoints(text)), 0) : width, align));
  const line = (cells: string[]): string => `|${cells.join('|')}|`;
  const out = [
    line(columns.map((col, c) => fit(headerTexts[c]!, col.width, 'center', true))),
    line(columns.map((col) => (col.type === INTEGER || col.type === REAL ? `${'-'.repeat(col.width - 1)}:` : '-'.repeat(col.width)))),
    ...rows.map((_, r) =>
      line(
        columns.map((col) => {
          const cell = col.cells[r]!;
          const numberCell = cell.type === INTEGER || cell.type === REAL;
          const right = col.type === INTEGER || col.type === REAL || (col.type === STRING && numberCell);
          return fit(col.texts[r]!, col.width, right ? 'right' : 'left', cell.type === STRING);
        }),
      ),
    ),
  ];
  return out.join('\n') + '\n';
}
