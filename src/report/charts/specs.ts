// Vega-Lite specs for comparison charts (pure: rows in, spec out): grouped bars per family with stderr
// whiskers, MMLU by category, and score against parameter count.
import type { TopLevelSpec } from 'vega-lite';
import type { Comparison, ComparisonRow } from '../compare/build.js';
import { FAMILIES, MMLU_CATEGORIES, type FamilyId } from '../compare/families.js';

export interface ChartSpec {
  /** file stem, e.g. "family-glue" */
  id: string;
  title: string;
  spec: TopLevelSpec;
}

/** Tableau 10: the same model keeps its colour in every chart. */
const PALETTE = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];

const BASE_CONFIG = {
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'bottom' as const, labelLimit: 320 },
  title: { fontSize: 14, anchor: 'start' as const },
};

function modelColor(labels: readonly string[]) {
  return {
    field: 'model',
    type: 'nominal' as const,
    title: 'model',
    scale: { domain: [...labels], range: labels.map((_, i) => PALETTE[i % PALETTE.length]!) },
    sort: [...labels],
  };
}

/** "Task", or "Task · metric" when the task has several metrics among `context`. */
function itemName(row: ComparisonRow, context: readonly ComparisonRow[]): string {
  const several = context.filter((r) => r.task === row.task).length > 1;
  return several ? `${row.taskName} · ${row.metric}` : row.taskName;
}

/** Grouped bars: one group per task (· metric), one bar per model, whiskers = value ± stderr. */
export function groupedBarSpec(
  title: string,
  rows: readonly ComparisonRow[],
  labels: readonly string[],
  yTitle: string,
  context: readonly ComparisonRow[] = rows,
): TopLevelSpec {
  const values = rows.flatMap((r) =>
    r.values.map((v, i) => {
      const se = r.stderrs[i];
      return {
        item: itemName(r, context),
        model: labels[i]!,
        value: v,
        lo: v !== null && se !== null && se !== undefined ? v - se : null,
        hi: v !== null && se !== null && se !== undefined ? v + se : null,
      };
    }),
  ).filter((d) => d.value !== null && Number.isFinite(d.value));
  const items = [...new Set(values.map((d) => d.item))];
  // one bar per model, a small gap between tasks
  const bar = Math.max(10, Math.min(26, Math.floor(110 / labels.length)));
  const width = Math.max(240, items.length * (bar * labels.length + 18));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    config: BASE_CONFIG,
    width,
    height: 220,
    data: { values },
    encoding: {
      x: { field: 'item', type: 'nominal', title: null, sort: items, axis: { labelAngle: items.length > 4 ? -30 : 0, labelLimit: 180 } },
      xOffset: { field: 'model', type: 'nominal', sort: [...labels] },
    },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'value', type: 'quantitative', title: yTitle },
          color: modelColor(labels),
        },
      },
      {
        mark: { type: 'rule', color: '#333', strokeWidth: 1.2 },
        transform: [{ filter: 'datum.lo !== null' }],
        encoding: {
          y: { field: 'lo', type: 'quantitative' },
          y2: { field: 'hi' },
        },
      },
    ],
  } as TopLevelSpec;
}

/** Score against parameter count (log scale), one line per task · metric. */
export function scalingSpec(
  title: string,
  rows: readonly ComparisonRow[],
  labels: readonly string[],
  params: readonly number[],
  context: readonly ComparisonRow[] = rows,
): TopLevelSpec {
  const values = rows.flatMap((r) =>
    r.values
      .map((v, i) => ({ series: itemName(r, context), model: labels[i]!, parameters: params[i]!, value: v }))
      .filter((d) => d.value !== null && Number.isFinite(d.value)),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    config: BASE_CONFIG,
    width: 420,
    height: 240,
    data: { values },
    encoding: {
      x: {
        field: 'parameters',
        type: 'quantitative',
        scale: { type: 'log', nice: false, domain: [Math.min(...params) / 1.3, Math.max(...params) * 1.3] },
        title: 'parameters',
        axis: { labelExpr: "replace(format(datum.value, '~s'), 'G', 'B')", tickCount: 6 },
      },
      y: { field: 'value', type: 'quantitative', title: 'score' },
      color: { field: 'series', type: 'nominal', title: 'task', legend: { orient: 'right' } },
    },
    layer: [{ mark: { type: 'line', point: true } }],
  } as TopLevelSpec;
}

const CHART_FAMILIES: FamilyId[] = ['lm', 'glue', 'math', 'other'];

/** Every chart a comparison gets, in report order. */
export function comparisonChartSpecs(c: Comparison): ChartSpec[] {
  const out: ChartSpec[] = [];
  for (const id of CHART_FAMILIES) {
    const family = FAMILIES.find((f) => f.id === id)!;
    const rows = c.rows.filter((r) => r.family === id);
    const higher = rows.filter((r) => r.higherIsBetter);
    const lower = rows.filter((r) => !r.higherIsBetter);
    if (higher.length > 0) {
      out.push({ id: `family-${id}`, title: family.title, spec: groupedBarSpec(family.title, higher, c.labels, 'score (higher is better)', rows) });
    }
    if (lower.length > 0) {
      const t = `${family.title}: lower is better`;
      out.push({ id: `family-${id}-lower`, title: t, spec: groupedBarSpec(t, lower, c.labels, 'value (lower is better)', rows) });
    }
  }
  const mmlu = c.rows.filter((r) => r.task === 'mmlu' || (MMLU_CATEGORIES as readonly string[]).includes(r.task));
  if (mmlu.some((r) => r.task !== 'mmlu')) {
    out.push({ id: 'mmlu-categories', title: 'MMLU by category', spec: groupedBarSpec('MMLU by category', mmlu, c.labels, 'acc') });
  }
  const params = c.runs.map((r) => r.numParameters);
  if (params.length >= 3 && params.every((p) => p !== null)) {
    for (const id of CHART_FAMILIES) {
      const family = FAMILIES.find((f) => f.id === id)!;
      const rows = c.rows.filter((r) => r.family === id);
      const higher = rows.filter((r) => r.higherIsBetter);
      if (higher.length === 0) continue;
      const t = `${family.title}: score against model size`;
      out.push({ id: `scaling-${id}`, title: t, spec: scalingSpec(t, higher, c.labels, params as number[], rows) });
    }
  }
  return out;
}
