// Each run against the first (the baseline: fp32, the base model), one line per benchmark: the task's main
// metric, the difference and its paired verdict. The drift and fine-tuning views (drift.ts, flips.ts)
// build on these lines; a group (MMLU, MATH) stands for its subtasks, as in the headline.
import type { Comparison, ComparisonRow } from './build.js';
import type { MatchedTask } from './docs.js';
import { aggregationOf } from './families.js';
import { effectSize, headlineRows } from './headline.js';
import { metricRange } from './intervals.js';
import { pairedTest, type PairedTest } from './significance.js';
import { formatNumber, formatPValue, formatSigned } from '../format.js';

/** Metrics a view shows a task by, in order of preference: the score a user quotes first. */
const MAIN_METRICS = ['acc', 'exact_match', 'acc_norm', 'f1', 'mcc', 'word_perplexity', 'perplexity', 'byte_perplexity', 'bits_per_byte'];

export type EffectDirection = 'better' | 'worse' | 'same';

export interface TaskEffect {
  row: ComparisonRow;
  /** the run compared with the baseline (run 0) */
  other: number;
  base: number | null;
  value: number | null;
  /** value − base, null when either is missing */
  difference: number | null;
  /** unit-free size for ranking (headline.ts's effectSize), 0 without a difference */
  size: number;
  test: PairedTest | null;
  /** the paired test is significant at α: which way the other run moved */
  significant: EffectDirection | null;
  /** "worse (p=0.0031)", "no significant difference (p=0.41)", "not tested (no sample logs)" */
  verdict: string;
  /** the leaf tasks whose documents the row stands for (the task itself, or a group's tasks) */
  leaves: string[];
}

/** One row per benchmark: the headline's rows, each task by its main metric ("none" filter first). */
export function mainRows(c: Comparison): ComparisonRow[] {
  const byTask = new Map<string, ComparisonRow[]>();
  for (const r of headlineRows(c)) byTask.set(r.task, [...(byTask.get(r.task) ?? []), r]);
  const rank = (r: ComparisonRow): number => {
    const i = MAIN_METRICS.indexOf(r.metric);
    return (i < 0 ? MAIN_METRICS.length : i) * 2 + (r.filter === 'none' ? 0 : 1);
  };
  return [...byTask.values()].map((rows) => [...rows].sort((a, b) => rank(a) - rank(b))[0]!);
}

/** The leaf tasks a row's documents come from: itself, or the leaves under a group that have rows. */
export function leavesOf(c: Comparison, row: ComparisonRow): string[] {
  if (!row.isGroup) return [row.task];
  const out: string[] = [];
  for (const r of c.rows) if (!r.isGroup && r.ancestors.includes(row.task) && !out.includes(r.task)) out.push(r.task);
  return out;
}

/** The matched documents of a leaf task under a filter (falling back to any filter: responses are the same). */
export function matchedOf(c: Comparison, task: string, filter: string): MatchedTask | null {
  const exact = c.matched.get(`${task}|${filter}`);
  if (exact) return exact;
  const keys = [...c.matched.keys()].filter((k) => k.startsWith(`${task}|`)).sort();
  const none = keys.find((k) => k === `${task}|none`);
  return c.matched.get(none ?? keys[0] ?? '') ?? null;
}

/** Every run's per-document metric values for a row, pooled over its leaves; null without sample logs. */
function itemsOf(c: Comparison, row: ComparisonRow, leaves: readonly string[]): unknown[][] | null {
  const matches = leaves.map((l) => c.matched.get(`${l}|${row.filter}`) ?? null);
  if (matches.length === 0 || matches.some((m) => m === null)) return null;
  return c.runs.map((_, r) => matches.flatMap((m) => m!.samples[r]!.map((s) => s[row.metric])));
}

export function effectsAgainstBase(c: Comparison, other: number): TaskEffect[] {
  return mainRows(c).map((row) => effectOf(c, row, other));
}

function effectOf(c: Comparison, row: ComparisonRow, other: number): TaskEffect {
  const leaves = leavesOf(c, row);
  const base = row.values[0] ?? null;
  const value = row.values[other] ?? null;
  const usable = (v: number | null): v is number => v !== null && Number.isFinite(v);
  const difference = usable(base) && usable(value) ? value - base : null;
  const size = difference === null ? 0 : effectSize(row.metric, base!, value!);
  let test: PairedTest | null;
  if (row.pair[0] === 0 && row.pair[1] === other) {
    test = row.test; // the comparison already tested exactly this pair
  } else {
    const items = itemsOf(c, row, leaves);
    test = items ? pairedTest(aggregationOf(row.metric), items[0]!, items[other]!, { iters: c.bootstrapIters, seed: c.seed }) : null;
  }
  let significant: EffectDirection | null = null;
  let verdict: string;
  if (!test) {
    verdict = difference === null ? 'n/a (missing value)' : 'not tested (no sample logs)';
  } else {
    const p = formatPValue(test.pValue);
    if (test.pValue < c.alpha && test.delta !== 0) {
      // delta is base − other on the tested documents
      const sign = row.higherIsBetter ? 1 : -1;
      significant = sign * -test.delta > 0 ? 'better' : 'worse';
      verdict = `${significant} (${p})`;
    } else {
      significant = null;
      verdict = `no significant difference (${p})`;
    }
  }
  return { row, other, base, value, difference, size, test, significant, verdict, leaves };
}

/** "−4.17 points" for scores on [0, 1], else the signed difference ("+1.234"); "—" without one. */
export function formatEffect(row: ComparisonRow, difference: number | null): string {
  if (difference === null) return '—';
  const range = metricRange(row.metric);
  if (range && range[0] === 0 && range[1] === 1) {
    return `${formatSigned(difference * 100, { digits: 3 })} points`;
  }
  return formatSigned(difference);
}

/** "LAMBADA acc" or "GSM8K exact_match (strict-match)" */
export function rowName(row: ComparisonRow): string {
  return `${row.taskName} ${row.filter === 'none' ? row.metric : `${row.metric} (${row.filter})`}`;
}

export function formatValue(v: number | null): string {
  return v === null ? '—' : formatNumber(v);
}

/** The cells every per-task effect table starts with: task, metric, both values, Δ, paired verdict. */
export function effectCells(e: TaskEffect): string[] {
  return [
    e.row.taskName + (e.row.recomputed ? ' *' : ''),
    e.row.filter === 'none' ? e.row.metric : `${e.row.metric} (${e.row.filter})`,
    formatValue(e.base),
    formatValue(e.value),
    formatEffect(e.row, e.difference),
    e.verdict,
  ];
}

/** The header cells that go with effectCells. */
export function effectHeader(base: string, other: string): string[] {
  return ['Task', 'Metric', base, other, 'Δ', 'Verdict (paired test)'];
}

/** A markdown table row, pipes in cells escaped. */
export function mdRow(cells: readonly string[]): string {
  return `| ${cells.map((x) => x.replace(/\|/g, '\\|')).join(' | ')} |`;
}
