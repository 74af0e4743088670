// Python's `json.dumps` / `str()` / `repr()` / `format(x, '.Nf')` for the values lm-eval writes, so
// results files and sample logs are byte-identical. JS numbers do not say int or float: a plain
// number is an int when integral, and `pyFloat(x)` marks a Python float (`1.0`, not `1`).

/** A number that Python holds as a float. */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toJSON(): number {
    return this.value;
  }
}

export function pyFloat(value: number): PyFloat {
  return new PyFloat(value);
}

export function isPyFloat(value: unknown): value is PyFloat {
  return value instanceof PyFloat;
}

/** The numeric value of a plain number or a PyFloat. */
export function numberValue(value: number | PyFloat): number {
  return value instanceof PyFloat ? value.value : value;
}

/** Shortest round-trip digits and Python's decimal-point position: value = 0.DIGITS × 10^decpt. */
function shortestDigits(x: number): { digits: string; decpt: number } {
  const s = String(Math.abs(x)); // ECMAScript's Number::toString is shortest round-trip, closest
  let mantissa = s;
  let exp = 0;
  const e = s.indexOf('e');
  if (e >= 0) {
    mantissa = s.slice(0, e);
    exp = Number(s.slice(e + 1));
  }
  const dot = mantissa.indexOf('.');
  const intPart = dot >= 0 ? mantissa.slice(0, dot) : mantissa;
  const fracPart = dot >= 0 ? mantissa.slice(dot + 1) : '';
  let digits = intPart + fracPart;
  let decpt = intPart.length + exp;
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead);
  decpt -= lead;
  digits = digits.replace(/0+$/, '');
  return { digits, decpt };
}

/** Python `repr(float)`: shortest digits, exponent form below 1e-4 and from 1e16, `.0` on integers. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return `${sign}0.0`;
  const { digits, decpt } = shortestDigits(x);
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
    if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
    return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  const exponent = decpt - 1;
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const expText = String(Math.abs(exponent)).padStart(2, '0');
  return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${expText}`;
}

/** Python `format(x, '.Nf')`: the exact binary value rounded half-even to N decimals. */
export function pyFormatFixed(x: number, decimals: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  // |x| = mantissa · 2^exponent exactly
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, Math.abs(x));
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const biased = hi >>> 20;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent = -1074;
  if (biased !== 0) {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  let scaled: bigint; // round(|x| · 10^decimals)
  if (exponent >= 0) scaled = (mantissa << BigInt(exponent)) * 10n ** BigInt(decimals);
  else {
    const shift = BigInt(-exponent);
    const numerator = mantissa * 10n ** BigInt(decimals);
    const q = numerator >> shift;
    const rest = numerator - (q << shift);
    const half = 1n << (shift - 1n);
    scaled = rest > half || (rest === half && (q & 1n) === 1n) ? q + 1n : q;
  }
  const text = scaled.toString().padStart(decimals + 1, '0');
  if (decimals === 0) return sign + text;
  return `${sign}${text.slice(0, text.length - decimals)}.${text.slice(text.length - decimals)}`;
}

function intText(x: number): string {
  return Math.abs(x) < 1e21 ? String(x === 0 ? 0 : x) : BigInt(x).toString();
}

/** Python `str()` of a scalar as lm-eval logs it: floats by repr, `True`/`False`, `None`. */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  return pyRepr(value);
}

/** Python `repr()` of JSON-like values (strings quoted the way Python chooses, lists, dicts). */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  if (typeof value === 'number') return Number.isInteger(value) ? intText(value) : pyFloatRepr(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return pyStringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (value instanceof Map) return `{${[...value].map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${pyStringRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
  throw new TypeError(`no Python repr for ${typeof value}`);
}

// Python's str.isprintable() is false for these categories (plus every other separator than ' ')
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function pyStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x7f || ch === ' ' || !NOT_PRINTABLE.test(ch)) out += ch;
    else if (cp <= 0xff) out += `\\x${hex(cp, 2)}`;
    else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return out + quote;
}

function hex(cp: number, width: number): string {
  return cp.toString(16).padStart(width, '0');
}

export interface PyJsonOptions {
  /** Python `indent`: a number of spaces or a string; absent = one line. */
  indent?: number | string;
  /** Python `separators` (item, key); default (', ', ': '), or (',', ': ') with an indent. */
  separators?: readonly [string, string];
  sortKeys?: boolean;
}

const JSON_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** A JSON string literal as Python writes it with ensure_ascii=False. */
export function pyJsonString(s: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${s.replace(/[\x00-\x1f\\"]/g, (ch) => JSON_ESCAPES[ch] ?? `\\u${hex(ch.charCodeAt(0), 4)}`)}"`;
}

function jsonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return pyFloatRepr(x);
}

function jsonKey(key: unknown): string {
  if (typeof key === 'string') return key;
  if (key === null || key === undefined) return 'null';
  if (typeof key === 'boolean') return key ? 'true' : 'false';
  if (key instanceof PyFloat) return jsonFloat(key.value);
  if (typeof key === 'number') return Number.isInteger(key) ? intText(key) : jsonFloat(key);
  if (typeof key === 'bigint') return key.toString();
  throw new TypeError(`keys must be str, int, float, bool or None, not ${typeof key}`);
}

/**
 * Python `json.dumps(value, ensure_ascii=False, indent=…)`. Objects keep insertion order (use a Map
 * where keys look like integers, which JS objects would reorder); `undefined` properties are skipped
 * and `undefined` list items become null, as in JSON.stringify.
 */
export function pyJsonDumps(value: unknown, options: PyJsonOptions = {}): string {
  const indentUnit = options.indent === undefined ? undefined : typeof options.indent === 'number' ? ' '.repeat(Math.max(0, options.indent)) : options.indent;
  const [itemSep, keySep] = options.separators ?? (indentUnit === undefined ? [', ', ': '] : [',', ': ']);
  const ancestors = new Set<object>();

  const encode = (v: unknown, depth: number): string => {
    if (v === null || v === undefined) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'string') return pyJsonString(v);
    if (v instanceof PyFloat) return jsonFloat(v.value);
    if (typeof v === 'number') return Number.isInteger(v) ? intText(v) : jsonFloat(v);
    if (typeof v === 'bigint') return v.toString();
    if (typeof v !== 'object') throw new TypeError(`Object of type ${typeof v} is not JSON serializable`);
    if (ancestors.has(v)) throw new TypeError('Circular reference detected');
    let entries: Array<[string | undefined, unknown]>;
    const isList = Array.isArray(v);
    if (isList) entries = v.map((item) => [undefined, item]);
    else {
      const pairs: Array<[unknown, unknown]> = v instanceof Map ? [...v] : Object.entries(v);
      entries = pairs.filter(([, item]) => item !== undefined).map(([k, item]) => [jsonKey(k), item]);
      if (options.sortKeys) entries.sort(([a], [b]) => compareCodePoints(a!, b!));
    }
    const [open, close] = isList ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) return open + close;
    ancestors.add(v);
    const parts = entries.map(([k, item]) => (k === undefined ? '' : pyJsonString(k) + keySep) + encode(item, depth + 1));
    ancestors.delete(v);
    if (indentUnit === undefined) return open + parts.join(itemSep) + close;
    const inner = '\n' + indentUnit.repeat(depth + 1);
    return open + inner + parts.join(itemSep + inner) + '\n' + indentUnit.repeat(depth) + close;
  };
  return encode(value, 0);
}

/** Python's string ordering (by code point; JS `<` compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/**
 * Python `json.loads` keeping the int/float distinction: numbers with a fraction or exponent (and
 * NaN/Infinity) become PyFloat, integers plain numbers (bigint beyond 2^53). With `maps`, objects
 * become Maps, which keep integer-like keys in file order (plain objects would move them first).
 */
export function pyJsonLoads(text: string, options: { maps?: boolean } = {}): unknown {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at character ${i}`);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const value = (): unknown => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      const pairs = new Map<string, unknown>();
      const done = (): unknown => (options.maps ? pairs : Object.fromEntries(pairs));
      ws();
      if (text[i] === '}') {
        i++;
        return done();
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a property name');
        const key = str();
        ws();
        if (text[i++] !== ':') fail("expected ':'");
        pairs.set(key, value()); // a repeated key keeps its first position and last value, like a dict
        ws();
        const sep = text[i++];
        if (sep === '}') return done();
        if (sep !== ',') fail("expected ',' or '}'");
      }
    }
    if (ch === '[') {
      i++;
      const list: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return list;
      }
      for (;;) {
        list.push(value());
        ws();
        const sep = text[i++];
        if (sep === ']') return list;
        if (sep !== ',') fail("expected ',' or ']'");
      }
    }
    if (ch === '"') return str();
    for (const [word, v] of [['true', true], ['false', false], ['null', null], ['NaN', pyFloat(NaN)], ['Infinity', pyFloat(Infinity)], ['-Infinity', pyFloat(-Infinity)]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail('unexpected token');
    i += m[0].length;
    if (m[1] !== undefined || m[2] !== undefined) return pyFloat(Number(m[0]));
    const n = Number(m[0]);
    return Number.isSafeInteger(n) ? n : BigInt(m[0]);
  };
  const str = (): string => {
    const start = i;
    i++;
    let out = '';
    for (;;) {
      const ch = text[i++];
      if (ch === undefined) return fail(`unterminated string starting at ${start}`);
      if (ch === '"') return out;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const esc = text[i++];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (esc !== undefined && esc in simple) out += simple[esc];
      else if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i, i + 4))) {
        out += String.fromCharCode(Number.parseInt(text.slice(i, i + 4), 16));
        i += 4;
      } else fail('invalid escape');
    }
  };
  const result = value();
  ws();
  if (i !== text.length) fail('extra data');
  return result;
}
