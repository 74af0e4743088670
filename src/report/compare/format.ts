// Number formatting for comparison tables: Python's format(x, ".4f") (what lm-eval prints), p-values and
// signed differences.

/**
 * Python `format(x, f".{digits}f")`: rounds the exact binary value half-to-even. JS toFixed rounds exact
 * ties up (0.03125 → "0.0313" where Python prints "0.0312"), so ties are detected on the exact expansion.
 */
export function formatFixed(x: number, digits = 4): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const plain = x.toFixed(digits);
  if (Math.abs(x) >= 1e21 || Math.abs(x) < 1e-15) return plain;
  // toFixed(100) is the exact decimal expansion for doubles in this range
  const exact = Math.abs(x).toFixed(100);
  const dot = exact.indexOf('.');
  const tail = exact.slice(dot + 1 + digits);
  const isTie = tail[0] === '5' && /^50*$/.test(tail);
  if (!isTie) return plain;
  const kept = exact.slice(0, dot + 1 + digits);
  const lastDigit = Number(kept[kept.length - 1] === '.' ? kept[kept.length - 2] : kept[kept.length - 1]);
  if (lastDigit % 2 === 0) {
    const truncated = digits === 0 ? kept.slice(0, -1) : kept;
    return (x < 0 ? '-' : '') + truncated;
  }
  return plain; // odd last digit: rounding up (toFixed's choice) is also half-to-even
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
