// Chart specs and their headless rendering; expected intervals and tick labels written by hand.
import { describe, expect, test } from 'vitest';
import { inlineSvg, renderSvg, svgToPng } from '../../../src/report/charts/render.js';
import { comparisonChartSpecs, groupedBarSpec, zeroNote } from '../../../src/report/charts/specs.js';
import type { ComparisonRow } from '../../../src/report/compare/build.js';
import { buildComparison } from '../../../src/report/compare/build.js';
import { openRunFolder } from '../../../src/report/run-folder.js';

function fakeRow(task: string, metric: string, values: number[], stderrs: Array<number | null>): ComparisonRow {
  return {
    family: 'glue',
    task,
    taskName: task.toUpperCase(),
    isGroup: false,
    ancestors: [],
    docs: 100,
    metric,
    filter: 'none',
    higherIsBetter: true,
    values,
    stderrs,
    // the 95 % intervals build.ts would attach: value ± 1.96 · stderr
    intervals: values.map((v, i) => (stderrs[i] === null ? null : { lo: v - 1.96 * stderrs[i]!, hi: v + 1.96 * stderrs[i]! })),
    recomputed: false,
    better: '',
    difference: null,
    pair: [0, 1],
    test: null,
    winner: null,
    verdict: '',
  };
}

describe('grouped bars', () => {
  const rows = [
    fakeRow('rte', 'acc', [0.5, 0.6], [0.05, 0.04]),
    fakeRow('mrpc', 'acc', [0.7, 0.65], [null, 0.02]),
    fakeRow('mrpc', 'f1', [0.8, 0.7], [0.03, 0.03]),
  ];
  const spec = groupedBarSpec('GLUE', rows, ['A', 'B'], 'score') as any;

  test('one datum per task · metric and model, whiskers at the 95 % interval', () => {
    const values = spec.data.values as Array<Record<string, unknown>>;
    expect(values).toHaveLength(6);
    expect(values.map((v) => v.item)).toEqual(['RTE', 'RTE', 'MRPC · acc', 'MRPC · acc', 'MRPC · f1', 'MRPC · f1']);
    expect(values[0]).toMatchObject({ model: 'A', value: 0.5 });
    expect(values[0]!.lo).toBeCloseTo(0.402, 15); // 0.5 − 1.96 × 0.05
    expect(values[0]!.hi).toBeCloseTo(0.598, 15);
    expect(values[2]).toMatchObject({ model: 'A', lo: null, hi: null });
    expect(spec.layer[0].encoding.color.scale.domain).toEqual(['A', 'B']);
    expect(spec.config.axis.labelLimit).toBe(0); // labels are never cut with "…"
  });

  test('renders headlessly to SVG: a bar per datum and a whisker per stderr', async () => {
    const svg = await renderSvg(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    const bars = svg.match(/<g class="mark-rect role-mark[^"]*"[^>]*>(.*?)<\/g>/s)![1]!;
    expect(bars.match(/<path/g)).toHaveLength(6);
    const rules = svg.match(/<g class="mark-rule role-mark[^"]*"[^>]*>(.*?)<\/g>/s)![1]!;
    expect(rules.match(/<line/g)).toHaveLength(5); // one datum has no stderr
    expect(svg).toContain('MRPC · f1');

    const png = svgToPng(svg);
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    const svgWidth = Number(/width="([\d.]+)"/.exec(svg)![1]);
    expect(png.readUInt32BE(16)).toBe(Math.ceil(svgWidth * 2)); // IHDR width at scale 2

    const inline = inlineSvg(svg);
    expect(inline).not.toMatch(/xmlns/);
    expect(inline.startsWith('<svg ')).toBe(true);
  });
});

describe('perplexity on a log axis', () => {
  const ppl = { ...fakeRow('lambada', 'perplexity', [1e13, 2e14], [null, null]), higherIsBetter: false };
  ppl.intervals = [
    { lo: 5e10, hi: 2e15 },
    { lo: 1e11, hi: 4e17 },
  ];
  const spec = groupedBarSpec('LM', [ppl], ['A', 'B'], 'perplexity (log scale)', [ppl], { scale: 'log' }) as any;

  test('points (not bars) on a log scale whose domain spans every interval in whole decades', () => {
    expect(spec.layer[0].mark.type).toBe('point');
    const y = spec.layer[0].encoding.y;
    expect(y.scale.type).toBe('log');
    expect(y.scale.domain).toEqual([1e10, 1e18]);
  });

  test('renders positive tick labels, one per decade, formatted by magnitude', async () => {
    const svg = await renderSvg(spec);
    const ticks = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!).filter((t) => /^1e\d+$/.test(t));
    expect(ticks[0]).toBe('1e10');
    expect(ticks[ticks.length - 1]).toBe('1e18');
    expect(svg).not.toMatch(/>[-−]\d/);
  });
});

test('a metric every model scores exactly 0 on is named in a note, not drawn', () => {
  const rows = [fakeRow('math', 'exact_match', [0, 0], [0, 0]), fakeRow('geometry', 'exact_match', [0, 0], [0, 0]), fakeRow('rte', 'acc', [0, 0.1], [0, 0.03])];
  expect(zeroNote(rows)).toBe('Not drawn, every model scores exactly 0: MATH, GEOMETRY (exact_match).');
  expect(zeroNote(rows.slice(2))).toBeNull();
});

test('which charts a comparison gets: each family once (MMLU inside its family), perplexity on its own log axis', () => {
  const F = 'tests/fixtures/runs/family';
  const two = buildComparison([openRunFolder(`${F}/tiny-135m`), openRunFolder(`${F}/tiny-360m`)], { bootstrapIters: 100 });
  const charts = comparisonChartSpecs(two);
  expect(charts.map((c) => c.id)).toEqual(['family-lm', 'family-lm-perplexity', 'family-glue', 'family-math', 'family-other']);
  expect(charts.map((c) => c.yScale)).toEqual(['linear', 'log', 'linear', 'linear', 'linear']);
  const three = buildComparison(
    ['tiny-135m', 'tiny-360m', 'tiny-1.7b'].map((r) => openRunFolder(`${F}/${r}`)),
    { bootstrapIters: 100 },
  );
  const ids = comparisonChartSpecs(three).map((c) => c.id);
  expect(ids.filter((id) => id.startsWith('scaling-'))).toEqual(['scaling-lm', 'scaling-glue', 'scaling-math', 'scaling-other']);
  const scaling = comparisonChartSpecs(three).find((c) => c.id === 'scaling-glue')!.spec as any;
  expect(new Set(scaling.data.values.map((v: any) => v.parameters))).toEqual(new Set([134515008, 361821120, 1711376384]));
  // perplexity (lower is better) is kept out of the score-against-size lines
  const lm = comparisonChartSpecs(three).find((c) => c.id === 'scaling-lm')!.spec as any;
  expect(new Set(lm.data.values.map((v: any) => v.series))).toEqual(new Set(['LAMBADA · acc', 'Winogrande']));
});
