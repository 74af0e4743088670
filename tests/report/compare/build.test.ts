// Comparison rows checked against numbers computed here, straight from the fixture files (results JSON
// values, per-doc outcomes counted from the sample logs, exact binomial tails with BigInt).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildComparison, type Comparison, type ComparisonRow } from '../../../src/report/compare/build.js';
import { openRunFolder } from '../../../src/report/run-folder.js';
import { choiceSample, loglikelihoodSample, tempDir, writeRun } from './run-writer.js';

const F = 'tests/fixtures/runs';
const RUN = {
  small: `${F}/family/tiny-135m`,
  medium: `${F}/family/tiny-360m`,
  large: `${F}/family/tiny-1.7b`,
  variant: `${F}/mismatch/variant`,
};

function modelDir(run: string): string {
  const sub = readdirSync(run)[0]!;
  return join(run, sub);
}

function resultsOf(run: string): { results: Record<string, Record<string, number>> } {
  const dir = modelDir(run);
  const file = readdirSync(dir).find((f) => f.startsWith('results_'))!;
  return JSON.parse(readFileSync(join(dir, file), 'utf8'));
}

function samplesOf(run: string, task: string): Array<Record<string, unknown>> {
  const dir = modelDir(run);
  const file = readdirSync(dir).find((f) => f.startsWith(`samples_${task}_`))!;
  return readFileSync(join(dir, file), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

/** Exact two-sided McNemar p via BigInt binomial coefficients. */
function mcnemarP(b: number, c: number): number {
  const n = b + c;
  let coef = 1n;
  let tail = 0n;
  for (let i = 0; i <= Math.min(b, c); i++) {
    if (i > 0) coef = (coef * BigInt(n - i + 1)) / BigInt(i);
    tail += coef;
  }
  return Math.min(1, Number((2n * tail * 10n ** 30n) / 2n ** BigInt(n)) / 1e30);
}

function discordant(runA: string, runB: string, tasks: string[], metric: string): { b: number; c: number } {
  let b = 0;
  let c = 0;
  for (const t of tasks) {
    const A = samplesOf(runA, t);
    const B = samplesOf(runB, t);
    A.forEach((s, i) => {
      if (s[metric] === 1 && B[i]![metric] === 0) b++;
      if (s[metric] === 0 && B[i]![metric] === 1) c++;
    });
  }
  return { b, c };
}

function row(c: Comparison, task: string, metric: string): ComparisonRow {
  const r = c.rows.find((x) => x.task === task && x.metric === metric);
  if (!r) throw new Error(`no row ${task} ${metric}`);
  return r;
}

function compare(runs: string[], labels: string[], iters = 2000): Comparison {
  return buildComparison(runs.map(openRunFolder), { labels, bootstrapIters: iters });
}

describe('two runs with sample logs', () => {
  const c = compare([RUN.small, RUN.medium], ['135M', '360M']);

  test('values are the results JSON numbers, unchanged', () => {
    const a = resultsOf(RUN.small).results;
    const b = resultsOf(RUN.medium).results;
    expect(row(c, 'sst2', 'acc').values).toEqual([a.sst2!['acc,none'], b.sst2!['acc,none']]);
    expect(row(c, 'cola', 'mcc').values).toEqual([a.cola!['mcc,none'], b.cola!['mcc,none']]);
    expect(row(c, 'mmlu', 'acc').values).toEqual([a.mmlu!['acc,none'], b.mmlu!['acc,none']]);
    expect(row(c, 'cola', 'mcc').stderrs).toEqual([a.cola!['mcc_stderr,none'], b.cola!['mcc_stderr,none']]);
    expect(c.rows.every((r) => !r.recomputed)).toBe(true);
    expect(c.warnings).toEqual([]);
  });

  test('documents per task and 95 % intervals, computed here from the results and sample logs', () => {
    const a = resultsOf(RUN.small).results;
    const sst2 = row(c, 'sst2', 'acc');
    expect(sst2.docs).toBe(samplesOf(RUN.small, 'sst2').length);
    const [v, se] = [a.sst2!['acc,none']!, a.sst2!['acc_stderr,none']!];
    expect(sst2.intervals[0]!.lo).toBeCloseTo(Math.max(0, v - 1.96 * se), 12);
    expect(sst2.intervals[0]!.hi).toBeCloseTo(Math.min(1, v + 1.96 * se), 12);
    // perplexity: exp(mean NLL ± 1.96 · sd(NLL)/√n) from the logged per-document log-likelihoods
    const lls = samplesOf(RUN.small, 'lambada_openai').map((s) => s.perplexity as number);
    const n = lls.length;
    const mean = lls.reduce((x, y) => x + y, 0) / n;
    const sd = Math.sqrt(lls.reduce((x, y) => x + (y - mean) ** 2, 0) / (n - 1));
    const ppl = row(c, 'lambada_openai', 'perplexity');
    const value = a.lambada_openai!['perplexity,none']!;
    expect(ppl.intervals[0]!.lo).toBeCloseTo(value * Math.exp((-1.96 * sd) / Math.sqrt(n)), 9);
    expect(ppl.intervals[0]!.hi).toBeCloseTo(value * Math.exp((1.96 * sd) / Math.sqrt(n)), 9);
    // a group: its subjects' documents together
    const subjects = Object.keys(a).filter((t) => /^mmlu_/.test(t) && !['mmlu_stem', 'mmlu_other', 'mmlu_social_sciences', 'mmlu_humanities'].includes(t));
    const mmlu = row(c, 'mmlu', 'acc');
    expect(mmlu.docs).toBe(a.mmlu!.sample_len ?? subjects.reduce((k, t) => k + samplesOf(RUN.small, t).length, 0));
    expect(mmlu.ancestors).toEqual([]);
    expect(row(c, 'mmlu_stem', 'acc').ancestors).toEqual(['mmlu']);
  });

  test('acc on one task: McNemar on the discordant documents', () => {
    const r = row(c, 'sst2', 'acc');
    const { b, c: cc } = discordant(RUN.small, RUN.medium, ['sst2'], 'acc');
    expect(r.test).toMatchObject({ method: 'mcnemar', b, c: cc, n: 60 });
    expect(r.test!.pValue).toBeCloseTo(mcnemarP(b, cc), 12);
    expect(r.test!.pValue).toBeLessThan(0.0001); // 0.30 vs 0.95 on the same 60 documents
    expect(r.winner).toBe(1);
    expect(r.verdict).toBe('360M (p<0.0001)');
    expect(r.better).toBe('360M');
  });

  test('a group pools the per-document outcomes of all its leaf tasks', () => {
    const subjects = Object.keys(resultsOf(RUN.small).results).filter(
      (t) => t.startsWith('mmlu_') && !['mmlu_stem', 'mmlu_other', 'mmlu_social_sciences', 'mmlu_humanities'].includes(t),
    );
    expect(subjects).toHaveLength(8);
    const r = row(c, 'mmlu', 'acc');
    const { b, c: cc } = discordant(RUN.small, RUN.medium, subjects, 'acc');
    expect(r.test).toMatchObject({ method: 'mcnemar', b, c: cc, n: 64 });
    expect(r.test!.pValue).toBeCloseTo(mcnemarP(b, cc), 12);
    const p = `p=${mcnemarP(b, cc).toFixed(4)}`;
    expect(r.verdict).toBe(r.test!.pValue < 0.05 ? `360M (${p})` : `Tie (${p})`);
    const stem = row(c, 'mmlu_stem', 'acc');
    expect(stem.test!.n).toBe(16);
  });

  test('mcc, f1 and perplexity use the paired bootstrap; its full-data difference is the results difference', () => {
    for (const [task, metric] of [
      ['cola', 'mcc'],
      ['mrpc', 'f1'],
      ['lambada_openai', 'perplexity'],
    ] as const) {
      const r = row(c, task, metric);
      expect(r.test!.method).toBe('bootstrap');
      expect(r.test!.delta).toBeCloseTo(r.values[0]! - r.values[1]!, 10);
      expect(r.test!.ciLow!).toBeLessThanOrEqual(r.test!.ciHigh!);
    }
    expect(row(c, 'mrpc', 'acc').test!.method).toBe('mcnemar');
    expect(row(c, 'hendrycks_math', 'exact_match').test!.method).toBe('mcnemar');
    expect(row(c, 'lambada_openai', 'perplexity').higherIsBetter).toBe(false);
  });

  test('tables by family: user tasks under Other, MMLU subjects under Subtasks', () => {
    expect(row(c, 'my_task', 'acc').family).toBe('other');
    expect(row(c, 'mmlu_abstract_algebra', 'acc').family).toBe('subtasks');
    expect(row(c, 'hendrycks_math_algebra', 'exact_match').family).toBe('math');
    expect(row(c, 'winogrande', 'acc').family).toBe('lm');
    const order = c.rows.filter((r) => r.family === 'math').map((r) => r.task);
    expect(order).toEqual([
      'hendrycks_math',
      'hendrycks_math_algebra',
      'hendrycks_math_geometry',
      'mmlu',
      'mmlu_humanities',
      'mmlu_social_sciences',
      'mmlu_stem',
      'mmlu_other',
    ]);
  });
});

test('three runs: the test compares the best and the runner-up', () => {
  const c = compare([RUN.small, RUN.medium, RUN.large], ['135M', '360M', '1.7B']);
  const r = row(c, 'sst2', 'acc');
  const [v0, v1, v2] = r.values as number[];
  expect(v2!).toBeGreaterThan(v1!); // 0.9667 > 0.95 > 0.30
  expect(r.pair).toEqual([2, 1]);
  expect(r.difference).toBeCloseTo(v2! - v1!, 15);
  const { b, c: cc } = discordant(RUN.large, RUN.medium, ['sst2'], 'acc');
  expect(r.test!.pValue).toBeCloseTo(mcnemarP(b, cc), 12);
  expect(r.verdict).toMatch(/^Tie \(p=/);
  expect(r.better).toBe('1.7B');
  expect(v0).toBeLessThan(v1!);
});

describe('runs that do not match', () => {
  const c = compare([RUN.variant, RUN.medium], ['variant', '360M']);

  test('warns about each difference', () => {
    const w = c.warnings.join('\n');
    expect(w).toMatch(/not in every run, left out: cola \(only in 360M\)/);
    expect(w).toMatch(/different n-shot, left out: winogrande \(variant: 5, 360M: 0\)/);
    expect(w).toMatch(/sst2: the runs evaluated different documents \(variant: 40, 360M: 60\); compared on the 40/);
    expect(w).toMatch(/mrpc: 1 document\(s\) with the same doc_id differ in content \(doc_hash\): doc_id 3/);
    expect(c.rows.some((r) => r.task === 'winogrande' || r.task === 'cola')).toBe(false);
  });

  test('compares only the shared documents, values recomputed from the sample logs', () => {
    const r = row(c, 'sst2', 'acc');
    const mean = (run: string): number =>
      samplesOf(run, 'sst2')
        .slice(0, 40)
        .reduce((s, x) => s + (x.acc as number), 0) / 40;
    expect(r.recomputed).toBe(true);
    expect(r.values[0]).toBeCloseTo(mean(RUN.variant), 15);
    expect(r.values[1]).toBeCloseTo(mean(RUN.medium), 15);
    expect(r.test!.n).toBe(40);
    const mrpc = row(c, 'mrpc', 'acc');
    expect(mrpc.recomputed).toBe(true);
    expect(mrpc.test!.n).toBe(39);
    // untouched tasks keep their logged values
    expect(row(c, 'rte', 'acc').recomputed).toBe(false);
    expect(row(c, 'mmlu', 'acc').recomputed).toBe(false);
  });

  test('without sample logs, different document counts cannot be matched: the task is left out', () => {
    const a = writeRun(tempDir(), { modelName: 'a', tasks: { t: { metrics: { acc: 0.5 }, sampleLen: 100 }, u: { metrics: { acc: 0.5 } } } });
    const b = writeRun(tempDir(), { modelName: 'b', tasks: { t: { metrics: { acc: 0.6 }, sampleLen: 80 }, u: { metrics: { acc: 0.5 } } } });
    const cmp = buildComparison([openRunFolder(a), openRunFolder(b)]);
    expect(cmp.rows.map((r) => r.task)).toEqual(['u']);
    expect(cmp.warnings.join('\n')).toMatch(/t: the runs evaluated different numbers of documents \(a: 100, b: 80\)/);
  });
});

describe('constructed cases', () => {
  test('perplexity: lower is better, in the raw column and in the verdict', () => {
    const lls = Array.from({ length: 30 }, (_, i) => -1 - (i % 5) * 0.5);
    const ppl = (xs: number[]): number => Math.exp(-xs.reduce((s, x) => s + x, 0) / xs.length);
    const worse = lls.map((x) => x - 2);
    const a = writeRun(tempDir(), {
      modelName: 'worse',
      tasks: { lambada_openai: { metrics: { perplexity: ppl(worse) }, samples: worse.map((x, i) => loglikelihoodSample(i, x, false)) } },
    });
    const b = writeRun(tempDir(), {
      modelName: 'better',
      tasks: { lambada_openai: { metrics: { perplexity: ppl(lls) }, samples: lls.map((x, i) => loglikelihoodSample(i, x, false)) } },
    });
    const cmp = buildComparison([openRunFolder(a), openRunFolder(b)], { bootstrapIters: 1000 });
    const r = row(cmp, 'lambada_openai', 'perplexity');
    expect(r.higherIsBetter).toBe(false);
    expect(r.better).toBe('better');
    expect(r.test!.delta).toBeCloseTo(ppl(worse) - ppl(lls), 10);
    expect(r.test!.pValue).toBeCloseTo(2 / 1001, 12); // every replicate: e² times the perplexity
    expect(r.verdict).toBe('better (p=0.0020)');
  });

  test('values equal as printed are a tie in the raw column, as in the seed tables', () => {
    const a = writeRun(tempDir(), { modelName: 'a', tasks: { winogrande: { metrics: { acc: 0.52801 } } } });
    const b = writeRun(tempDir(), { modelName: 'b', tasks: { winogrande: { metrics: { acc: 0.52799 } } } });
    const r = row(buildComparison([openRunFolder(a), openRunFolder(b)]), 'winogrande', 'acc');
    expect(r.better).toBe('Tie');
    expect(r.verdict).toBe('n/a (no sample logs)');
  });

  test('f1 from logged (gold, pred) pairs: bootstrap verdict for a clearly better classifier', () => {
    const golds = Array.from({ length: 60 }, (_, i) => i % 2);
    const good = golds.map((g, i) => choiceSample(i, g, g, ['acc', 'f1']));
    const bad = golds.map((g, i) => choiceSample(i, g, i % 3 === 0 ? g : 0, ['acc', 'f1']));
    const f1 = (ss: Array<Record<string, unknown>>): number => {
      let tp = 0, fp = 0, fn = 0;
      for (const s of ss) {
        const [g, p] = s.f1 as [number, number];
        if (p === 1 && g === 1) tp++;
        else if (p === 1) fp++;
        else if (g === 1) fn++;
      }
      return (2 * tp) / (2 * tp + fp + fn);
    };
    const a = writeRun(tempDir(), { modelName: 'good', tasks: { mrpc: { metrics: { acc: 1, f1: f1(good) }, samples: good } } });
    const b = writeRun(tempDir(), { modelName: 'bad', tasks: { mrpc: { metrics: { acc: 0.5, f1: f1(bad) }, samples: bad } } });
    const cmp = buildComparison([openRunFolder(a), openRunFolder(b)], { bootstrapIters: 1000 });
    const r = row(cmp, 'mrpc', 'f1');
    expect(r.test!.method).toBe('bootstrap');
    expect(r.test!.delta).toBeCloseTo(1 - f1(bad), 12);
    expect(r.winner).toBe(0);
    expect(r.verdict).toMatch(/^good \(p=0\.00/);
  });
});
