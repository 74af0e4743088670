// Every number a report shows (tables, headline, chart axes) is formatted here: by magnitude with
// significant digits, scientific notation from 1e6 (and below 1e-3), plus lm-eval's fixed ".4f" where a
// table must reproduce what lm-eval prints.
import { pyFormatFixed } from './pyjson.js';

/** Python `format(x, f".{digits}f")` (half-to-even on the exact binary value, unlike JS toFixed). */
export function formatFixed(x: number, digits = 4): string {
  return pyFormatFixed(x, digits);
}

/** "p=0.0123", "p<0.0001" */
export function formatPValue(p: number): string {
  if (p < 0.0001) return 'p<0.0001';
  return `p=${formatFixed(p, 4)}`;
}

/** Signed difference with 4 decimals ("+0.0127", "-0.0906", "0.0000"): the seed tables' Δ. */
export function formatDifference(d: number, digits = 4): string {
  const s = formatFixed(Math.abs(d), digits);
  if (Number(s) === 0) return formatFixed(0, digits);
  return (d > 0 ? '+' : '-') + s;
}

export interface NumberFormat {
  /** significant digits (default 4) */
  digits?: number;
  /** drop trailing zeros ("0.5" rather than "0.5000"): axis ticks */
  trim?: boolean;
}

const SCIENTIFIC_FROM = 1e6;
const SCIENTIFIC_BELOW = 1e-3;

/**
 * x by magnitude: 0.2672, 21.46, 123457, 1.088e13, 5.000e-5; NaN and ±∞ spelled out. Integers parts
 * are never rounded away below 1e6 (123456.7 → "123457").
 */
export function formatNumber(x: number, options: NumberFormat = {}): string {
  const digits = options.digits ?? 4;
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const ax = Math.abs(x);
  let s: string;
  if (ax >= SCIENTIFIC_FROM || ax < SCIENTIFIC_BELOW) {
    const [mantissa, exponent] = x.toExponential(digits - 1).split('e') as [string, string];
    s = `${options.trim ? trimZeros(mantissa) : mantissa}e${Number(exponent)}`;
  } else if (ax >= 10 ** (digits - 1)) {
    s = String(Math.round(x));
  } else {
    s = x.toPrecision(digits);
    if (s.includes('e')) s = String(Number(s)); // 999.95 → "1.000e+3" at 4 digits: print "1000"
    else if (options.trim) s = trimZeros(s);
  }
  return s === '-0' ? '0' : s;
}

/** A difference by magnitude with its sign ("+0.01270", "-2.008e14", "0"). */
export function formatSigned(d: number, options: NumberFormat = {}): string {
  const s = formatNumber(d, options);
  return d > 0 && s !== '0' ? `+${s}` : s;
}

/**
 * A 95 % interval as "[lo, hi]": 3 significant digits, more (up to 6) while a bound would print the same as
 * the value it surrounds ("12.39 [12.37, 12.41]", not "[12.4, 12.4]").
 */
export function formatInterval(lo: number, hi: number, value?: number): string {
  let digits = 3;
  for (; value !== undefined && digits < 6; digits++) {
    const v = formatNumber(value, { digits });
    const loSame = lo !== value && formatNumber(lo, { digits }) === v;
    const hiSame = hi !== value && formatNumber(hi, { digits }) === v;
    if (!loSame && !hiSame) break;
  }
  return `[${formatNumber(lo, { digits })}, ${formatNumber(hi, { digits })}]`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}
