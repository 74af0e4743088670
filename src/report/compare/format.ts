// Number formatting for comparison tables: Python's format(x, ".4f") (what lm-eval prints, via
// pyFormatFixed), p-values and signed differences.
import { pyFormatFixed } from '../pyjson.js';

/** Python `format(x, f".{digits}f")` (half-to-even on the exact binary value, unlike JS toFixed). */
export function formatFixed(x: number, digits = 4): string {
  return pyFormatFixed(x, digits);
}

/** "p=0.0123", "p<0.0001" */
export function formatPValue(p: number): string {
  if (p < 0.0001) return 'p<0.0001';
  return `p=${formatFixed(p, 4)}`;
}

/** Signed difference with 4 decimals ("+0.0127", "-0.0906", "0.0000"). */
export function formatDifference(d: number, digits = 4): string {
  const s = formatFixed(Math.abs(d), digits);
  if (Number(s) === 0) return formatFixed(0, digits);
  return (d > 0 ? '+' : '-') + s;
}
