// The summary above the tables, from hand-made comparison rows; every expected sentence written by hand.
import { expect, test } from 'vitest';
import type { Comparison, ComparisonRow } from '../../../src/report/compare/build.js';
import type { FamilyId } from '../../../src/report/compare/families.js';
import { buildHeadline, headlineRows, headlineText } from '../../../src/report/compare/headline.js';
import type { PairedTest } from '../../../src/report/compare/significance.js';

function row(
  family: FamilyId,
  task: string,
  taskName: string,
  metric: string,
  values: [number, number],
  verdict: { p: number; winner: number | null } | null,
  extra: Partial<ComparisonRow> = {},
): ComparisonRow {
  const test: PairedTest | null = verdict ? { method: 'bootstrap', pValue: verdict.p, delta: 0, n: 10 } : null;
  return {
    family,
    task,
    taskName,
    isGroup: false,
    ancestors: [],
    docs: 10,
    metric,
    filter: 'none',
    higherIsBetter: metric !== 'perplexity',
    values,
    stderrs: [null, null],
    intervals: [null, null],
    recomputed: false,
    better: '',
    difference: values[1] - values[0],
    pair: [0, 1],
    test,
    winner: verdict?.winner ?? null,
    verdict: '',
    ...extra,
  };
}

const rows = [
  row('lm', 'lambada_openai', 'LAMBADA', 'perplexity', [20, 10], { p: 0.01, winner: 1 }),
  row('lm', 'winogrande', 'Winogrande', 'acc', [0.6, 0.5], { p: 0.4, winner: null }),
  row('glue', 'rte', 'RTE', 'acc', [0.5, 0.7], { p: 0.001, winner: 1 }),
  row('glue', 'cola', 'CoLA', 'mcc', [0.1, 0], null),
  row('math', 'mmlu', 'MMLU', 'acc', [0.3, 0.3], { p: 1, winner: null }, { isGroup: true }),
  // below a group that has its own row: not counted again
  row('math', 'mmlu_stem', 'MMLU STEM', 'acc', [0.2, 0.4], { p: 0.02, winner: 1 }, { ancestors: ['mmlu'] }),
  row('subtasks', 'mmlu_anatomy', 'mmlu_anatomy', 'acc', [0, 1], { p: 0.5, winner: null }, { ancestors: ['mmlu_stem', 'mmlu'] }),
];
const comparison = { labels: ['A', 'B'], rows, alpha: 0.05 } as unknown as Comparison;

test('each benchmark counts once: groups stand for their subtasks, the subtask table is not counted', () => {
  expect(headlineRows(comparison).map((r) => r.task)).toEqual(['lambada_openai', 'winogrande', 'rte', 'cola', 'mmlu']);
});

test('wins, ties and untested comparisons per model, overall and per family', () => {
  const h = buildHeadline(comparison);
  expect([h.overall.wins, h.overall.ties, h.overall.untested]).toEqual([[0, 2], 2, 1]);
  expect(h.families.map((f) => [f.family, f.wins, f.ties, f.untested])).toEqual([
    ['lm', [0, 1], 1, 0],
    ['glue', [0, 1], 0, 1],
    ['math', [0, 0], 1, 0],
  ]);
  // significant differences first, then by size (over the metric's range; perplexity by ratio)
  expect(h.overall.effects.map((e) => e.row.task)).toEqual(['lambada_openai', 'rte', 'winogrande', 'cola']);
});

test('the summary in words and numbers', () => {
  expect(headlineText(buildHeadline(comparison))).toBe(
    [
      'Summary (paired tests on the documents both models answered, α = 0.05; a group such as MMLU counts once, for its subtasks):',
      'B is significantly better on 2 of 5 comparisons, A on none; 2 show no significant difference; 1 not tested (no sample logs).',
      '',
      'Largest differences:',
      '- LAMBADA perplexity: B 2.00× lower (10.00 vs 20.00; p=0.0100)',
      '- RTE acc: B 20.0 points higher (0.7000 vs 0.5000; p=0.0010)',
      '- Winogrande acc: A 10.0 points higher (0.6000 vs 0.5000; p=0.4000, not significant)',
      '',
      'By family:',
      '- Language modeling & reasoning: B better on 1 of 2 comparisons, A on none; 1 shows no significant difference. Largest: LAMBADA perplexity, B 2.00× lower (10.00 vs 20.00; p=0.0100).',
      '- GLUE: B better on 1 of 2 comparisons, A on none; 1 not tested (no sample logs). Largest: RTE acc, B 20.0 points higher (0.7000 vs 0.5000; p=0.0010).',
      '- Math, STEM and humanities / MMLU categories: No significant difference on the one comparison.',
      '',
    ].join('\n'),
  );
});

test('no significant difference anywhere, and nothing testable', () => {
  const ties = { ...comparison, rows: [rows[1]!, rows[4]!] } as Comparison;
  expect(headlineText(buildHeadline(ties)).split('\n')[1]).toBe('No significant difference on any of 2 comparisons.');
  const untested = { ...comparison, rows: [rows[3]!] } as Comparison;
  expect(headlineText(buildHeadline(untested)).split('\n')[1]).toBe('The one comparison was not tested (no sample logs).');
});
