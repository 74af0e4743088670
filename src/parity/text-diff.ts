// Small text diff for prompts and generations: a line diff (LCS) with whitespace made visible, plus the
// exact first differing character, so a user sees "ours ends in a space, theirs does not" at a glance.

/** Escapes a string for display: JSON-style escapes, so spaces at the ends and control characters show. */
export function visible(s: string): string {
  return JSON.stringify(s);
}

/** Compact number for deltas: 3 significant digits, exponent form below 1e-3. */
export function fmtDelta(x: number): string {
  if (x === 0 || !Number.isFinite(x)) return String(x);
  return Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toPrecision(3);
}

export interface FirstDifference {
  /** index of the first differing UTF-16 code unit (= length of the common prefix) */
  index: number;
  line: number;
  column: number;
}

export function firstDifference(a: string, b: string): FirstDifference | null {
  if (a === b) return null;
  let i = 0;
  const n = Math.min(a.length, b.length);
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  const before = a.slice(0, i);
  const line = before.split('\n').length;
  const column = i - (before.lastIndexOf('\n') + 1) + 1;
  return { index: i, line, column };
}

export function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

export function commonSuffixLength(a: string, b: string, limit = Math.min(a.length, b.length)): number {
  let i = 0;
  while (i < limit && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

/** Short excerpts around the first difference: `…context` + differing part, escaped. */
export function excerptAt(a: string, b: string, radius = 30): { ours: string; theirs: string; at: FirstDifference } | null {
  const at = firstDifference(a, b);
  if (!at) return null;
  const start = Math.max(0, at.index - radius);
  const cut = (s: string): string => (start > 0 ? '…' : '') + visible(s.slice(start, at.index + radius)) + (at.index + radius < s.length ? '…' : '');
  return { ours: cut(a), theirs: cut(b), at };
}

type Op = { kind: 'same' | 'ours' | 'theirs'; line: string };

/** Line diff by longest common subsequence; falls back to prefix/suffix trimming for very long texts. */
function diffLines(a: string[], b: string[]): Op[] {
  let lo = 0;
  while (lo < a.length && lo < b.length && a[lo] === b[lo]) lo++;
  let hiA = a.length;
  let hiB = b.length;
  while (hiA > lo && hiB > lo && a[hiA - 1] === b[hiB - 1]) {
    hiA--;
    hiB--;
  }
  const midA = a.slice(lo, hiA);
  const midB = b.slice(lo, hiB);
  const ops: Op[] = a.slice(0, lo).map((line) => ({ kind: 'same', line }));
  if (midA.length * midB.length > 250_000) {
    for (const line of midA) ops.push({ kind: 'ours', line });
    for (const line of midB) ops.push({ kind: 'theirs', line });
  } else {
    const m = midA.length;
    const n = midB.length;
    // lcs[i][j] = LCS length of midA[i:] and midB[j:]
    const lcs: Uint32Array[] = Array.from({ length: m + 1 }, () => new Uint32Array(n + 1));
    for (let i = m - 1; i >= 0; i--) {
      for (let j = n - 1; j >= 0; j--) {
        lcs[i]![j] = midA[i] === midB[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < m || j < n) {
      if (i < m && j < n && midA[i] === midB[j]) {
        ops.push({ kind: 'same', line: midA[i]! });
        i++;
        j++;
      } else if (j < n && (i === m || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
        ops.push({ kind: 'theirs', line: midB[j++]! });
      } else {
        ops.push({ kind: 'ours', line: midA[i++]! });
      }
    }
    // show removals before additions within a hunk, like unified diffs
    reorderHunks(ops);
  }
  for (const line of a.slice(hiA)) ops.push({ kind: 'same', line });
  return ops;
}

function reorderHunks(ops: Op[]): void {
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.kind === 'same') {
      k++;
      continue;
    }
    let end = k;
    while (end < ops.length && ops[end]!.kind !== 'same') end++;
    const hunk = ops.slice(k, end);
    const sorted = [...hunk.filter((o) => o.kind === 'ours'), ...hunk.filter((o) => o.kind === 'theirs')];
    ops.splice(k, hunk.length, ...sorted);
    k = end;
  }
}

/**
 * A unified-style diff of two texts: `- ` lines are ours, `+ ` lines theirs, `  ` shared context (at most
 * `context` lines around each change). Lines are escaped so whitespace differences are visible.
 */
export function unifiedDiff(ours: string, theirs: string, options: { context?: number; maxLines?: number; maxWidth?: number } = {}): string[] {
  if (ours === theirs) return [];
  const context = options.context ?? 1;
  const maxLines = options.maxLines ?? 16;
  const maxWidth = options.maxWidth ?? 160;
  const ops = diffLines(ours.split('\n'), theirs.split('\n'));
  const keep = new Array<boolean>(ops.length).fill(false);
  ops.forEach((op, i) => {
    if (op.kind === 'same') return;
    for (let j = Math.max(0, i - context); j <= Math.min(ops.length - 1, i + context); j++) keep[j] = true;
  });
  // a changed line is shown around the first character where it differs from its counterpart
  const focus = new Map<number, number>();
  for (let i = 0; i < ops.length; ) {
    if (ops[i]!.kind === 'same') {
      i++;
      continue;
    }
    let end = i;
    while (end < ops.length && ops[end]!.kind !== 'same') end++;
    const mine = ops.slice(i, end).map((o, k) => [o, i + k] as const).filter(([o]) => o.kind === 'ours');
    const other = ops.slice(i, end).map((o, k) => [o, i + k] as const).filter(([o]) => o.kind === 'theirs');
    for (let k = 0; k < Math.min(mine.length, other.length); k++) {
      const at = commonPrefixLength(mine[k]![0].line, other[k]![0].line);
      focus.set(mine[k]![1], at);
      focus.set(other[k]![1], at);
    }
    i = end;
  }
  const clip = (s: string, at: number | undefined): string => {
    const shown = visible(s);
    if (shown.length <= maxWidth) return shown;
    const start = at === undefined ? 0 : Math.max(0, at - Math.floor(maxWidth / 3));
    const piece = visible(s.slice(start, start + maxWidth - 2));
    return (start > 0 ? '…' : '') + piece + (start + maxWidth - 2 < s.length ? '…' : '');
  };
  const out: string[] = [];
  let skipped = false;
  for (let i = 0; i < ops.length; i++) {
    if (!keep[i]) {
      skipped = true;
      continue;
    }
    if (skipped && out.length > 0) out.push('  …');
    skipped = false;
    const op = ops[i]!;
    const mark = op.kind === 'same' ? '  ' : op.kind === 'ours' ? '- ' : '+ ';
    out.push(mark + clip(op.line, focus.get(i)));
  }
  if (out.length > maxLines) {
    const hidden = out.length - maxLines;
    return [...out.slice(0, maxLines), `  … (${hidden} more diff lines)`];
  }
  return out;
}
