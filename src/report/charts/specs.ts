// Vega-Lite specs for comparison charts (pure: rows in, spec out): per family, grouped bars of scores with
// 95 % whiskers, perplexity as points on a log axis (intervals from the log scale, so always positive), and
// score against parameter count. Each family is drawn once; metrics every model scores exactly 0 on get a
// note instead of empty bars; labels are never truncated; numbers use the report's one formatter.
import type { TopLevelSpec } from 'vega-lite';
import type { Comparison, ComparisonRow } from '../compare/build.js';
import { FAMILIES, type FamilyId } from '../compare/families.js';
import { metricScale, type ValueScale } from '../compare/intervals.js';

export interface ChartSpec {
  /** file stem, e.g. "family-glue" */
  id: string;
  family: FamilyId;
  title: string;
  yScale: ValueScale;
  spec: TopLevelSpec;
}

/**
 * The Vega expression function that formats axis numbers with src/report/format.ts (registered by
 * render.ts before a spec is parsed).
 */
export const NUMBER_FORMAT_FUNCTION = 'yardstickNumber';
const NUMBER_LABEL = `${NUMBER_FORMAT_FUNCTION}(datum.value)`;

/** Tableau 10: the same model keeps its colour in every chart. */
export const PALETTE = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];

export const BASE_CONFIG = {
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  view: { stroke: null },
  // labelLimit 0: no label is ever cut short with "…"
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6', labelLimit: 0 },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'bottom' as const, labelLimit: 0 },
  title: { fontSize: 14, anchor: 'start' as const, limit: 0, subtitleFontSize: 11, subtitleColor: '#555' },
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

/** A row every model scores exactly 0 on: nothing to draw. */
export function allZero(row: ComparisonRow): boolean {
  return row.values.every((v) => v === 0);
}

/** "Not drawn, every model scores exactly 0: MATH, MATH Algebra (exact_match)." or null. */
export function zeroNote(rows: readonly ComparisonRow[]): string | null {
  const zero = rows.filter(allZero);
  if (zero.length === 0) return null;
  const byMetric = new Map<string, string[]>();
  for (const r of zero) byMetric.set(r.metric, [...(byMetric.get(r.metric) ?? []), r.taskName]);
  const parts = [...byMetric].map(([metric, names]) => `${names.join(', ')} (${metric})`);
  return `Not drawn, every model scores exactly 0: ${parts.join('; ')}.`;
}

interface Datum {
  item: string;
  model: string;
  value: number;
  lo: number | null;
  hi: number | null;
}

function data(rows: readonly ComparisonRow[], labels: readonly string[], context: readonly ComparisonRow[]): Datum[] {
  return rows.flatMap((r) =>
    r.values.flatMap((v, i) => {
      if (v === null || !Number.isFinite(v)) return [];
      const ci = r.intervals[i] ?? null;
      return [{ item: itemName(r, context), model: labels[i]!, value: v, lo: ci?.lo ?? null, hi: ci?.hi ?? null }];
    }),
  );
}

/**
 * Splits a long note into subtitle lines (Vega draws each array entry on its own line). Headless Vega
 * estimates a text's width as 0.8 × font size per character, so lines are cut to fit the chart by that rule.
 */
function wrap(text: string, pixels: number, fontSize = 11): string[] {
  const width = Math.max(40, Math.floor(pixels / (0.8 * fontSize)));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * One group per task (· metric), one mark per model, whiskers = the 95 % interval. Linear scale: bars;
 * log scale: points (a bar's length means nothing on a log axis), the axis spanning the intervals.
 */
export function groupedBarSpec(
  title: string,
  rows: readonly ComparisonRow[],
  labels: readonly string[],
  yTitle: string,
  context: readonly ComparisonRow[] = rows,
  options: { scale?: ValueScale; note?: string | null; subtitle?: string } = {},
): TopLevelSpec {
  const scale = options.scale ?? 'linear';
  const values = data(rows, labels, context);
  const items = [...new Set(values.map((d) => d.item))];
  const bar = Math.max(10, Math.min(26, Math.floor(110 / labels.length)));
  const width = Math.max(240, items.length * (bar * labels.length + 18));
  const y: Record<string, unknown> = { field: 'value', type: 'quantitative', title: yTitle, axis: { labelExpr: NUMBER_LABEL } };
  if (scale === 'log') {
    const all = values.flatMap((d) => [d.value, d.lo ?? d.value, d.hi ?? d.value]).filter((x) => x > 0);
    const [min, max] = [Math.min(...all), Math.max(...all)];
    y.scale = { type: 'log', domain: [10 ** Math.floor(Math.log10(min)), 10 ** Math.ceil(Math.log10(max))], nice: false };
    (y.axis as Record<string, unknown>).tickCount = Math.min(8, Math.max(2, Math.ceil(Math.log10(max / min)) + 1));
  }
  const mark = scale === 'log' ? { type: 'point', filled: true, size: 90, opacity: 1 } : { type: 'bar' };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: title,
      subtitle: [options.subtitle ?? 'Whiskers: 95 % intervals.', ...(options.note ? wrap(options.note, width + 60) : [])],
    },
    config: BASE_CONFIG,
    width,
    height: 220,
    data: { values },
    encoding: {
      x: { field: 'item', type: 'nominal', title: null, sort: items, axis: { labelAngle: items.length > 4 ? -30 : 0 } },
      xOffset: { field: 'model', type: 'nominal', sort: [...labels] },
    },
    layer: [
      { mark, encoding: { y, color: modelColor(labels) } },
      {
        mark: { type: 'rule', color: '#333', strokeWidth: 1.2 },
        transform: [{ filter: 'datum.lo !== null && datum.hi !== null' }],
        encoding: {
          y: { ...y, field: 'lo' },
          y2: { field: 'hi' },
        },
      },
    ],
    resolve: { scale: { y: 'shared' } },
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
      y: { field: 'value', type: 'quantitative', title: 'score', axis: { labelExpr: NUMBER_LABEL } },
      color: { field: 'series', type: 'nominal', title: 'task', legend: { orient: 'right', labelLimit: 0 } },
    },
    layer: [{ mark: { type: 'line', point: true } }],
  } as TopLevelSpec;
}

const CHART_FAMILIES: FamilyId[] = ['lm', 'glue', 'math', 'other'];

/** Every chart a comparison gets, in report order: per family, scores, then perplexity, then other lower-is-better. */
export function comparisonChartSpecs(c: Comparison): ChartSpec[] {
  const out: ChartSpec[] = [];
  for (const id of CHART_FAMILIES) {
    const family = FAMILIES.find((f) => f.id === id)!;
    const rows = c.rows.filter((r) => r.family === id);
    const drawn = rows.filter((r) => !allZero(r));
    const note = zeroNote(rows);
    const scores = drawn.filter((r) => r.higherIsBetter);
    const perplexity = drawn.filter((r) => !r.higherIsBetter && metricScale(r.metric) === 'log');
    const lower = drawn.filter((r) => !r.higherIsBetter && metricScale(r.metric) === 'linear');
    // the note rides on the chart where the rows would have been (scores, in practice)
    const noteOn = scores.length > 0 ? 'scores' : perplexity.length > 0 ? 'perplexity' : 'lower';
    const add = (suffix: string, kind: string, part: ComparisonRow[], what: string, yTitle: string, scale: ValueScale): void => {
      if (part.length === 0) return;
      const subtitle = what ? `${what}. Whiskers: 95 % intervals.` : undefined;
      const spec = groupedBarSpec(family.title, part, c.labels, yTitle, rows, { scale, note: noteOn === kind ? note : null, subtitle });
      const title = what ? `${family.title}: ${what.toLowerCase()}` : family.title;
      out.push({ id: `family-${id}${suffix}`, family: id, title, yScale: scale, spec });
    };
    add('', 'scores', scores, '', 'score (higher is better)', 'linear');
    add('-perplexity', 'perplexity', perplexity, 'Perplexity, lower is better, on a log scale', 'perplexity (log scale)', 'log');
    add('-lower', 'lower', lower, 'Lower is better', 'value (lower is better)', 'linear');
  }
  const params = c.runs.map((r) => r.numParameters);
  if (params.length >= 3 && params.every((p) => p !== null)) {
    for (const id of CHART_FAMILIES) {
      const family = FAMILIES.find((f) => f.id === id)!;
      const rows = c.rows.filter((r) => r.family === id);
      const higher = rows.filter((r) => r.higherIsBetter && !allZero(r));
      if (higher.length === 0) continue;
      const t = `${family.title}: score against model size`;
      out.push({ id: `scaling-${id}`, family: id, title: t, yScale: 'linear', spec: scalingSpec(t, higher, c.labels, params as number[], rows) });
    }
  }
  return out;
}
