// Accuracy cost and log-likelihood drift against the first run, on hand-written runs whose per-request
// log-likelihoods are chosen so the median and max |Δ| and the McNemar counts can be worked out by hand.
import { describe, expect, test } from 'vitest';
import { buildComparison, type Comparison } from '../../../src/report/compare/build.js';
import { buildDriftView, driftMarkdown, requestLogLikelihoods, type DriftTable } from '../../../src/report/compare/drift.js';
import { openRunFolder } from '../../../src/report/run-folder.js';
import { tempDir, writeRun, type TaskSpec } from './run-writer.js';

/** A two-choice sample with the given log-likelihoods; acc from argmax against gold. */
function mcSample(docId: number, gold: number, lls: number[], continuations = [' no', ' yes']): Record<string, unknown> {
  const ctx = `Question ${docId}?\nAnswer:`;
  const pick = lls.indexOf(Math.max(...lls));
  return {
    doc_id: docId,
    doc: { q: `Question ${docId}?`, label: gold },
    target: String(gold),
    arguments: Object.fromEntries(continuations.map((c, j) => [`gen_args_${j}`, { arg_0: ctx, arg_1: c }])),
    resps: lls.map((ll) => [[String(ll), 'False']]),
    filtered_resps: lls.map((ll) => [String(ll), 'False']),
    filter: 'none',
    metrics: ['acc'],
    acc: pick === gold ? 1.0 : 0.0,
  };
}

/** A loglikelihood_rolling sample (wikitext-style): one request, the text alone; lm-eval logs str(ll). */
function rollingSample(docId: number, ll: number, words: number): Record<string, unknown> {
  const text = `page ${docId} text`;
  return {
    doc_id: docId,
    doc: { page: text },
    target: text,
    arguments: { gen_args_0: { arg_0: text } },
    resps: [[String(ll)]],
    filtered_resps: [String(ll)],
    filter: 'none',
    metrics: ['word_perplexity'],
    word_perplexity: [ll, words],
  };
}

function genSample(docId: number, answer: string, correct: boolean): Record<string, unknown> {
  return {
    doc_id: docId,
    doc: { problem: `p${docId}` },
    target: '4',
    arguments: { gen_args_0: { arg_0: `Problem ${docId}:`, arg_1: { until: ['\n'], do_sample: false } } },
    resps: [[answer]],
    filtered_resps: [answer],
    filter: 'none',
    metrics: ['exact_match'],
    exact_match: correct ? 1 : 0,
  };
}

// fp32: every choice task document right. q4 flips docs 2, 3 and 4 to wrong; its doc 4 second request
// has a different continuation (arguments differ), so only that document's first request is compared.
const FP32_LLS = [[-1.0, -2.0], [-3.0, -1.5], [-0.5, -0.7], [-2.0, -2.5], [-1.0, -3.0]];
const Q4_LLS = [[-1.1, -2.3], [-2.9, -1.5], [-0.9, -0.6], [-2.05, -1.0], [-1.2, -0.5]];
const GOLD = [0, 1, 0, 0, 0];
// |Δ| of the compared requests, by hand: doc0 0.1, 0.3; doc1 0.1, 0; doc2 0.4, 0.1; doc3 0.05, 1.5; doc4 0.2
// sorted: 0, 0.05, 0.1, 0.1, 0.1, 0.2, 0.3, 0.4, 1.5 → median 0.1 (5th of 9), max 1.5
const ROLL = { fp32: [-100, -50, -20], q4: [-100.6, -49, -20.2] }; // |Δ| 0.6, 1, 0.2 → median 0.6, max 1

function run(name: string, lls: number[][], roll: number[], otherContinuation: boolean, gen: boolean[]): string {
  const choice = lls.map((l, i) => mcSample(i, GOLD[i]!, l, otherContinuation && i === 4 ? [' no', ' other'] : [' no', ' yes']));
  const acc = choice.reduce((s, x) => s + (x.acc as number), 0) / choice.length;
  const tasks: Record<string, TaskSpec> = {
    choice_task: { metrics: { acc }, samples: choice },
    rolling_task: {
      metrics: { word_perplexity: Math.exp(-roll.reduce((a, b) => a + b, 0) / 30) },
      samples: roll.map((ll, i) => rollingSample(i, ll, 10)),
      higherIsBetter: { word_perplexity: false },
    },
    gen_task: { metrics: { exact_match: gen.filter(Boolean).length / gen.length }, samples: gen.map((g, i) => genSample(i, g ? '4' : '5', g)) },
  };
  return writeRun(tempDir(), { modelName: name, tasks });
}

const FP32 = run('tiny-fp32', FP32_LLS, ROLL.fp32, false, [true, false]);
const Q4 = run('tiny-q4', Q4_LLS, ROLL.q4, true, [false, false]);
const Q8 = run(
  'tiny-q8',
  FP32_LLS.map((l) => l.map((x) => x - 0.01)),
  ROLL.fp32.map((x) => x + 0.02),
  false,
  [true, false],
);

function compare(runs: string[], labels: string[]): Comparison {
  return buildComparison(runs.map(openRunFolder), { labels, bootstrapIters: 200 });
}

function line(t: DriftTable, task: string) {
  const l = t.lines.find((x) => x.effect.row.task === task);
  if (!l) throw new Error(`no line for ${task}`);
  return l;
}

test('request log-likelihoods: loglikelihood and rolling requests have one, generate_until none', () => {
  expect(requestLogLikelihoods(mcSample(0, 0, [-1.25, -2]) as never).map((r) => r.ll)).toEqual([-1.25, -2]);
  expect(requestLogLikelihoods(rollingSample(0, -12.5, 3) as never).map((r) => r.ll)).toEqual([-12.5]);
  expect(requestLogLikelihoods(genSample(0, '4', true) as never).map((r) => r.ll)).toEqual([null]);
  // lm-eval writes str(float): -inf survives
  const s = { ...mcSample(0, 0, [-1, -2]), resps: [[['-inf', 'False']], [['-2.0', 'False']]] };
  expect(requestLogLikelihoods(s as never).map((r) => r.ll)).toEqual([-Infinity, -2]);
});

describe('fp32 against q4', () => {
  const c = compare([FP32, Q4], ['fp32', 'q4']);
  const view = buildDriftView(c)!;
  const t = view.tables[0]!;

  test('one table, q4 against fp32', () => {
    expect(view.tables.map((x) => [x.base, x.other])).toEqual([['fp32', 'q4']]);
  });

  test('loglikelihood requests: median and max |Δ| over requests with the same arguments', () => {
    const d = line(t, 'choice_task').drift!;
    expect(d.requests).toBe(9);
    expect(d.differing).toBe(1);
    expect(d.medianAbs).toBeCloseTo(0.1, 12);
    expect(d.maxAbs).toBeCloseTo(1.5, 12);
  });

  test('loglikelihood_rolling requests drift too', () => {
    const d = line(t, 'rolling_task').drift!;
    expect(d.requests).toBe(3);
    expect(d.medianAbs).toBeCloseTo(0.6, 12);
    expect(d.maxAbs).toBeCloseTo(1, 12);
  });

  test('generate_until has no drift', () => {
    expect(line(t, 'gen_task').drift).toBeNull();
  });

  test('overall: every compared request of every task', () => {
    // 0, 0.05, 0.1, 0.1, 0.1, 0.2, 0.2, 0.3, 0.4, 0.6, 1, 1.5 → median (0.2 + 0.2) / 2
    expect(t.overall!.requests).toBe(12);
    expect(t.overall!.medianAbs).toBeCloseTo(0.2, 12);
    expect(t.overall!.maxAbs).toBeCloseTo(1.5, 12);
  });

  test('the accuracy cost comes with its paired verdict', () => {
    const e = line(t, 'choice_task').effect;
    expect(e.base).toBe(1);
    expect(e.value).toBeCloseTo(0.4, 12);
    expect(e.difference).toBeCloseTo(-0.6, 12);
    // McNemar: 3 documents right only in fp32, none only in q4: p = 2 · 0.5³ = 0.25
    expect(e.test!.method).toBe('mcnemar');
    expect([e.test!.b, e.test!.c]).toEqual([3, 0]);
    expect(e.test!.pValue).toBeCloseTo(0.25, 12);
    expect(e.verdict).toBe('no significant difference (p=0.2500)');
    // generation: 1 right only in fp32 → p = 2 · 0.5 = 1
    expect(line(t, 'gen_task').effect.verdict).toBe('no significant difference (p=1.0000)');
  });

  test('markdown: a row per task, "—" for the generation task, numbers in nats', () => {
    const md = driftMarkdown(view);
    expect(md).toContain('## Accuracy cost and log-likelihood drift: q4 against fp32');
    expect(md).toContain('| choice_task | acc | 1.000 | 0.4000 | -60.0 points | no significant difference (p=0.2500) | 0.100 | 1.50 | 9 |');
    expect(md).toMatch(/\| gen_task \| exact_match \| 0\.5000 \| 0 \| -50\.0 points \| no significant difference \(p=1\.0000\) \| — \| — \| — \|/);
    expect(md).toContain('q4 against fp32: worse on 2 of 3 tasks, significantly on none; log-likelihood drift per request: median 0.200 nats, max 1.50 nats (12 requests).');
    expect(md).toContain('whether the runs are one model in different precisions is not known');
  });
});

test('three runs: each against the first, with its own paired test', () => {
  const c = compare([FP32, Q8, Q4], ['fp32', 'q8', 'q4']);
  const view = buildDriftView(c)!;
  expect(view.tables.map((x) => x.other)).toEqual(['q8', 'q4']);
  const q8 = line(view.tables[0]!, 'choice_task');
  expect(q8.drift!.requests).toBe(10);
  expect(q8.drift!.medianAbs).toBeCloseTo(0.01, 9);
  expect(q8.drift!.maxAbs).toBeCloseTo(0.01, 9);
  expect(q8.effect.verdict).toBe('no significant difference (p=1.0000)');
  expect(line(view.tables[0]!, 'rolling_task').drift!.maxAbs).toBeCloseTo(0.02, 9);
  // the comparison's own test pairs the best two (fp32, q8); q4 against fp32 is tested here
  const q4 = line(view.tables[1]!, 'choice_task');
  expect([q4.effect.test!.b, q4.effect.test!.c]).toEqual([3, 0]);
  expect(q4.effect.test!.pValue).toBeCloseTo(0.25, 12);
});

test('drift only for one model (same parameter count), with a note on the tokenizers', () => {
  const a = openRunFolder(FP32);
  const b = openRunFolder(Q4);
  const view = () => buildDriftView(buildComparison([a, b], { bootstrapIters: 50 }));
  a.results.yardstick = { model_fingerprint: { tokenizer: 'sha-1' } };
  b.results.yardstick = { model_fingerprint: { tokenizer: 'sha-1' } };
  (a.results.config as Record<string, unknown>).model_num_parameters = 1000;
  (b.results.config as Record<string, unknown>).model_num_parameters = 1000;
  expect(view()!.modelNote).toMatch(/same tokenizer and parameter count/);
  (b.results.config as Record<string, unknown>).model_num_parameters = 2000;
  expect(view()).toBeNull();
  (b.results.config as Record<string, unknown>).model_num_parameters = 1000;
  b.results.yardstick = { model_fingerprint: { tokenizer: 'sha-2' } };
  expect(view()!.modelNote).toMatch(/tokenizer fingerprints differ/);
  delete (b.results.config as Record<string, unknown>).model_num_parameters;
  expect(view()!.modelNote).toMatch(/not known/);
});

test('no log-likelihoods anywhere: no drift view', () => {
  const gen = (name: string, g: boolean[]): string =>
    writeRun(tempDir(), {
      modelName: name,
      tasks: { gen_task: { metrics: { exact_match: 0.5 }, samples: g.map((x, i) => genSample(i, x ? '4' : '5', x)) } },
    });
  expect(buildDriftView(compare([gen('a', [true, false]), gen('b', [false, false])], ['a', 'b']))).toBeNull();
});
