// The sweep table's cells as text (value ± stderr with lm-eval's four decimals), as markdown for the
// terminal and sweep.md; report.html builds its table from the same cells.
import { formatFixed } from '../format.js';
import { markdownTable } from '../markdown-table.js';
import type { Sweep, SweepRow, SweepValue } from './build.js';

/** "0.5123 ± 0.0234"; "0.5123" without a standard error; "—" where the cell has no value. */
export function valueText(v: SweepValue | null): string {
  if (v === null) return '—';
  const value = formatFixed(v.value, 4);
  return v.stderr === null ? value : `${value} ± ${formatFixed(v.stderr, 4)}`;
}

/** "acc", or "exact_match (flexible-extract)" where the metric has a filter. */
export function metricName(row: SweepRow): string {
  return row.filter === 'none' ? row.metric : `${row.metric} (${row.filter})`;
}

export function sweepHeader(sweep: Sweep): string[] {
  return ['Task', 'Metric', ...sweep.columns.map((c) => c.label)];
}

export function sweepCells(sweep: Sweep): string[][] {
  return sweep.rows.map((r) => [r.taskName, metricName(r), ...r.values.map(valueText)]);
}

/** The table as markdown (ends with a newline). */
export function sweepMarkdown(sweep: Sweep): string {
  return markdownTable(sweepHeader(sweep), sweepCells(sweep));
}
