import { describe, expect, test } from 'vitest';
import { inlineSvg, renderSvg, svgToPng } from '../../../src/report/charts/render.js';
import { comparisonChartSpecs, groupedBarSpec } from '../../../src/report/charts/specs.js';
import type { ComparisonRow } from '../../../src/report/compare/build.js';
import { buildComparison } from '../../../src/report/compare/build.js';
import { openRunFolder } from '../../../src/report/run-folder.js';

function fakeRow(task: string, metric: string, values: number[], stderrs: Array<number | null>): ComparisonRow {
  return {
    family: 'glue',
    task,
    taskName: task.toUpperCase(),
    isGroup: false,
    metric,
    filter: 'none',
    higherIsBetter: true,
    values,
    stderrs,
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

  test('one datum per task · metric and model, whiskers at value ± stderr', () => {
    const values = spec.data.values as Array<Record<string, unknown>>;
    expect(values).toHaveLength(6);
    expect(values.map((v) => v.item)).toEqual(['RTE', 'RTE', 'MRPC · acc', 'MRPC · acc', 'MRPC · f1', 'MRPC · f1']);
    expect(values[0]).toMatchObject({ model: 'A', value: 0.5 });
    expect(values[0]!.lo).toBeCloseTo(0.45, 15);
    expect(values[0]!.hi).toBeCloseTo(0.55, 15);
    expect(values[2]).toMatchObject({ model: 'A', lo: null, hi: null });
    expect(spec.layer[0].encoding.color.scale.domain).toEqual(['A', 'B']);
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

test('which charts a comparison gets', () => {
  const F = 'tests/fixtures/runs/family';
  const two = buildComparison([openRunFolder(`${F}/tiny-135m`), openRunFolder(`${F}/tiny-360m`)], { bootstrapIters: 100 });
  expect(comparisonChartSpecs(two).map((c) => c.id)).toEqual([
    'family-lm',
    'family-lm-lower',
    'family-glue',
    'family-math',
    'family-other',
    'mmlu-categories',
  ]);
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
