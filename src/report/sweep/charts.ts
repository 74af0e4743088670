// Score against few-shot count, one Vega-Lite chart per task (pure: sweep in, specs out): a line per model
// (and per chat template setting, and per metric where a task has several scores), with ±1 standard
// error bars, so the chart and the table's "value ± stderr" say the same thing.
import type { TopLevelSpec } from 'vega-lite';
import { BASE_CONFIG, NUMBER_FORMAT_FUNCTION, PALETTE } from '../charts/specs.js';
import type { Sweep, SweepRow } from './build.js';
import { metricName } from './table.js';

export interface SweepChartSpec {
  /** file stem, e.g. "sweep-winogrande" */
  id: string;
  task: string;
  title: string;
  spec: TopLevelSpec;
}

export interface SweepPoint {
  series: string;
  shots: number;
  value: number;
  /** value ∓ stderr; null without a standard error */
  lo: number | null;
  hi: number | null;
}

/**
 * The rows a task's chart draws: its scores (higher is better); a task with none (perplexity only) draws
 * its first metric, since lower-is-better values of different scales share no axis.
 */
export function chartedRows(rows: readonly SweepRow[]): SweepRow[] {
  const scores = rows.filter((r) => r.higherIsBetter === true);
  return scores.length > 0 ? scores : rows.slice(0, 1);
}

/** The chart's points: one per (row, column) with a value; series named by what varies in the chart. */
export function sweepPoints(sweep: Sweep, rows: readonly SweepRow[]): SweepPoint[] {
  const severalMetrics = rows.length > 1;
  const severalModels = sweep.models.length > 1;
  const chatAxis = new Set(sweep.columns.map((c) => c.cell.chatTemplate)).size > 1;
  return rows.flatMap((row) =>
    row.values.flatMap((v, i) => {
      if (v === null || !Number.isFinite(v.value)) return [];
      const col = sweep.columns[i]!;
      const parts = [
        severalModels ? col.model : null,
        severalMetrics ? metricName(row) : null,
        chatAxis ? (col.cell.chatTemplate ? 'chat template' : 'no chat template') : null,
      ].filter((p): p is string => p !== null);
      const series = parts.length > 0 ? parts.join(' · ') : metricName(row);
      const se = v.stderr;
      return [{ series, shots: col.cell.numFewshot, value: v.value, lo: se === null ? null : v.value - se, hi: se === null ? null : v.value + se }];
    }),
  );
}

/** A file-name-safe stem for a task name. */
function stem(task: string): string {
  return task.replace(/[^A-Za-z0-9_.-]+/g, '_');
}

export function sweepChartSpec(title: string, points: readonly SweepPoint[], yTitle: string): TopLevelSpec {
  const series = [...new Set(points.map((p) => p.series))];
  const shots = [...new Set(points.map((p) => p.shots))].sort((a, b) => a - b);
  const [min, max] = [shots[0] ?? 0, shots[shots.length - 1] ?? 0];
  const pad = max > min ? (max - min) * 0.05 : 0.5;
  const y = { field: 'value', type: 'quantitative', title: yTitle, axis: { labelExpr: `${NUMBER_FORMAT_FUNCTION}(datum.value)` } };
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain: series, range: series.map((_, i) => PALETTE[i % PALETTE.length]!) },
    sort: series,
    // one line needs no legend: the axis title names its metric
    legend: series.length > 1 ? {} : null,
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: 'Bars: ±1 standard error.' },
    config: BASE_CONFIG,
    width: 320,
    height: 220,
    data: { values: points.map((p) => ({ ...p })) },
    encoding: {
      x: {
        field: 'shots',
        type: 'quantitative',
        title: 'few-shot examples',
        scale: { domain: [min - pad, max + pad], nice: false, zero: false },
        axis: { values: shots, format: 'd' },
      },
      color,
    },
    layer: [
      { mark: { type: 'line', point: { filled: true, size: 60 } }, encoding: { y } },
      {
        mark: { type: 'rule', strokeWidth: 1.5 },
        transform: [{ filter: 'datum.lo !== null && datum.hi !== null' }],
        encoding: { y: { ...y, field: 'lo' }, y2: { field: 'hi' } },
      },
    ],
  } as TopLevelSpec;
}

/** One chart per task (or group), in table order. */
export function sweepChartSpecs(sweep: Sweep): SweepChartSpec[] {
  const tasks = [...new Set(sweep.rows.map((r) => r.task))];
  const ids = new Set<string>();
  return tasks.map((task) => {
    const rows = chartedRows(sweep.rows.filter((r) => r.task === task));
    const title = rows[0]!.taskName;
    const yTitle = rows.length === 1 ? metricName(rows[0]!) : 'score';
    let id = `sweep-${stem(task)}`;
    for (let n = 2; ids.has(id); n++) id = `sweep-${stem(task)}-${n}`;
    ids.add(id);
    return { id, task, title, spec: sweepChartSpec(title, sweepPoints(sweep, rows), yTitle) };
  });
}
