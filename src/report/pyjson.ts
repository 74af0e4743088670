// Python's json.dumps and str() for the values lm-eval writes, so our files match its bytes:
// float repr (1.0, 1e-05), ensure_ascii=False, indent=2 or the ", "/": " one-line form.

/** A number that Python holds as a float (JS numbers are otherwise written as ints when integral). */
export class PyFloat {
  constructor(readonly value: number) {}
}

export function pyFloat(value: number): PyFloat {
  return new PyFloat(value);
}

/** Python repr(float): shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const digits = mantissa.replace('-', '').replace('.', '');
  const negative = x < 0 ? '-' : '';
  let text: string;
  if (exp >= 0) {
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1);
    text = `${intPart}.${frac === '' ? '0' : frac}`;
  } else {
    text = `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return negative + text;
}

/** Python str() of a value as lm-eval logs it (floats by repr, bools True/False, None). */
export function pyStr(v: unknown): string {
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  return String(v);
}

function pyRepr(v: unknown): string {
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  return pyStr(v);
}

function quote(s: string): string {
  // json.dumps with ensure_ascii=False escapes only ", \ and control characters
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

export interface DumpOptions {
  /** indent width; undefined = one line with ", " and ": " separators */
  indent?: number;
}

/** Python json.dumps(value, ensure_ascii=False[, indent=n]). */
export function pyJsonDumps(value: unknown, options: DumpOptions = {}): string {
  const { indent } = options;
  const write = (v: unknown, depth: number): string => {
    if (v instanceof PyFloat) return pyFloatRepr(v.value);
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'string') return quote(v);
    const entries: Array<[string | undefined, unknown]> = Array.isArray(v)
      ? v.map((x) => [undefined, x])
      : Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) return open + close;
    const item = ([k, x]: [string | undefined, unknown], d: number): string => (k === undefined ? '' : `${quote(k)}: `) + write(x, d);
    if (indent === undefined) return open + entries.map((e) => item(e, depth)).join(', ') + close;
    const pad = ' '.repeat(indent * (depth + 1));
    return `${open}\n${entries.map((e) => pad + item(e, depth + 1)).join(',\n')}\n${' '.repeat(indent * depth)}${close}`;
  };
  return write(value, 0);
}
