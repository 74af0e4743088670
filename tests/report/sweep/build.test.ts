// The sweep table and chart data from hand-written results JSON: rows per task · metric, one column per
// (model, cell), value ± stderr text, missing cells, and the chart's ±1 stderr bars.
import { describe, expect, it } from 'vitest';
import { buildSweep, type SweepRunInput } from '../../../src/report/sweep/build.js';
import { chartedRows, sweepChartSpecs, sweepPoints } from '../../../src/report/sweep/charts.js';
import { sweepCells, sweepHeader, valueText } from '../../../src/report/sweep/table.js';
import type { ResultsJson } from '../../../src/report/run-folder.js';

function results(wino: number, winoSe: number | 'N/A', lambada?: { acc: number; ppl: number }): ResultsJson {
  const r: ResultsJson = {
    results: {
      winogrande: { alias: 'winogrande', 'acc,none': wino, 'acc_stderr,none': winoSe },
    },
    higher_is_better: { winogrande: { acc: true }, lambada_openai: { acc: true, perplexity: false } },
  };
  if (lambada) {
    r.results.lambada_openai = {
      alias: 'lambada_openai',
      'perplexity,none': lambada.ppl,
      'perplexity_stderr,none': 1.5,
      'acc,none': lambada.acc,
      'acc_stderr,none': 0.02,
    };
  }
  return r;
}

const cell = (numFewshot: number, chatTemplate = false) => ({ numFewshot, chatTemplate });

describe('buildSweep', () => {
  const runs: SweepRunInput[] = [
    { model: 'm', cell: cell(0), resultsPath: 'fewshot-0/m/results_a.json', results: results(0.5, 0.05, { acc: 0.25, ppl: 40 }) },
    { model: 'm', cell: cell(1), resultsPath: 'fewshot-1/m/results_b.json', results: results(0.625, 'N/A') },
    { model: 'm', cell: cell(5), resultsPath: 'fewshot-5/m/results_c.json', results: results(0.75, 0.125, { acc: 0.5, ppl: 20 }) },
  ];
  const sweep = buildSweep(runs);

  it('has a row per task · metric and a column per cell, values and stderr as stored', () => {
    expect(sweepHeader(sweep)).toEqual(['Task', 'Metric', '0-shot', '1-shot', '5-shot']);
    expect(sweepCells(sweep)).toEqual([
      ['winogrande', 'acc', '0.5000 ± 0.0500', '0.6250', '0.7500 ± 0.1250'],
      ['lambada_openai', 'perplexity', '40.0000 ± 1.5000', '—', '20.0000 ± 1.5000'],
      ['lambada_openai', 'acc', '0.2500 ± 0.0200', '—', '0.5000 ± 0.0200'],
    ]);
    expect(sweep.rows.map((r) => r.higherIsBetter)).toEqual([true, false, true]);
  });

  it('formats like lm-eval: four decimals, half to even on the binary value', () => {
    expect(valueText({ value: 0.12345, stderr: 0.00005 })).toBe('0.1235 ± 0.0001');
    expect(valueText({ value: 1 / 3, stderr: null })).toBe('0.3333');
    expect(valueText(null)).toBe('—');
  });

  it('charts the scores of each task against shots, bars at value ∓ stderr', () => {
    const wino = sweep.rows.filter((r) => r.task === 'winogrande');
    expect(sweepPoints(sweep, chartedRows(wino))).toEqual([
      { series: 'acc', shots: 0, value: 0.5, lo: 0.45, hi: 0.55 },
      { series: 'acc', shots: 1, value: 0.625, lo: null, hi: null },
      { series: 'acc', shots: 5, value: 0.75, lo: 0.625, hi: 0.875 },
    ]);
    // lambada: acc only (higher is better); perplexity is in the table, not on the score axis
    const lambada = chartedRows(sweep.rows.filter((r) => r.task === 'lambada_openai'));
    expect(lambada.map((r) => r.metric)).toEqual(['acc']);
    const specs = sweepChartSpecs(sweep);
    expect(specs.map((s) => s.id)).toEqual(['sweep-winogrande', 'sweep-lambada_openai']);
    const data = (specs[1]!.spec as { data: { values: unknown[] } }).data.values;
    expect(data).toEqual([
      { series: 'acc', shots: 0, value: 0.25, lo: 0.23, hi: 0.27 },
      { series: 'acc', shots: 5, value: 0.5, lo: 0.48, hi: 0.52 },
    ]);
  });

  it('a task without a score charts its first metric', () => {
    const only = buildSweep([{ model: 'm', cell: cell(0), resultsPath: 'r.json', results: { results: { t: { 'word_perplexity,none': 12, 'bits_per_byte,none': 0.7 } }, higher_is_better: { t: { word_perplexity: false, bits_per_byte: false } } } }]);
    expect(chartedRows(only.rows).map((r) => r.metric)).toEqual(['word_perplexity']);
  });

  it('with several models and the chat axis, columns and series name the model and the setting', () => {
    const s = buildSweep([
      { model: 'A', cell: cell(0), resultsPath: 'a0', results: results(0.5, 0.05) },
      { model: 'A', cell: cell(0, true), resultsPath: 'a0c', results: results(0.6, 0.05) },
      { model: 'B', cell: cell(0), resultsPath: 'b0', results: results(0.7, 0.05) },
    ]);
    expect(sweepHeader(s)).toEqual(['Task', 'Metric', 'A · 0-shot', 'A · 0-shot chat', 'B · 0-shot']);
    expect(sweepPoints(s, s.rows).map((p) => p.series)).toEqual(['A · no chat template', 'A · chat template', 'B · no chat template']);
  });

  it('names a filtered metric with its filter and drops the indentation of a group member alias', () => {
    const s = buildSweep([
      {
        model: 'm',
        cell: cell(4),
        resultsPath: 'r',
        results: { results: { 'hendrycks_math_algebra': { alias: ' - hendrycks_math_algebra', 'exact_match,flexible': 0.125, 'exact_match_stderr,flexible': 0.01 } } },
      },
    ]);
    expect(sweepCells(s)).toEqual([['hendrycks_math_algebra', 'exact_match (flexible)', '0.1250 ± 0.0100']]);
  });
});
