// The fine-tuning effect view on hand-written base and tuned runs: rows largest effect first (sizes worked
// out by hand), and the documents that flipped between right and wrong, pooled over a group's tasks.
import { expect, test } from 'vitest';
import { buildComparison } from '../../../src/report/compare/build.js';
import { buildFlipTables, correctness, flipsMarkdown } from '../../../src/report/compare/flips.js';
import { openRunFolder } from '../../../src/report/run-folder.js';
import { choiceSample, tempDir, writeRun, type TaskSpec } from './run-writer.js';

/** Choice samples from per-document picks (gold 0 everywhere, so pick 0 is right). */
function samples(picks: number[]): Array<Record<string, unknown>> {
  return picks.map((p, i) => choiceSample(i, 0, p));
}

const acc = (picks: number[]): number => picks.filter((p) => p === 0).length / picks.length;

function perplexitySamples(lls: number[]): Array<Record<string, unknown>> {
  return lls.map((ll, i) => ({
    doc_id: i,
    doc: { page: `page ${i}` },
    target: `page ${i}`,
    arguments: { gen_args_0: { arg_0: `page ${i}` } },
    resps: [[String(ll)]],
    filtered_resps: [String(ll)],
    filter: 'none',
    metrics: ['word_perplexity'],
    word_perplexity: [ll, 10],
  }));
}

// picks per document; base → tuned
const PICKS = {
  big_gain: { base: [1, 1, 1, 1], tuned: [0, 0, 1, 0] }, // acc 0 → 0.75: +0.75, 3 wrong → right
  small_loss: { base: [0, 0, 0, 0], tuned: [0, 1, 0, 0] }, // 1 → 0.75: −0.25, doc 1 right → wrong
  leaf_a: { base: [1, 1], tuned: [0, 0] }, // group: 1 of 4 → 3 of 4 right = +0.5
  leaf_b: { base: [0, 1], tuned: [1, 0] }, //   leaf_b doc 0 right → wrong, doc 1 wrong → right
};

function run(name: string, side: 'base' | 'tuned', perplexity: number): string {
  const tasks: Record<string, TaskSpec> = {};
  for (const [task, p] of Object.entries(PICKS)) tasks[task] = { metrics: { acc: acc(p[side]) }, samples: samples(p[side]) };
  const leafPicks = [...PICKS.leaf_a[side], ...PICKS.leaf_b[side]];
  tasks.grp = { metrics: { acc: acc(leafPicks) } };
  tasks.pages = {
    metrics: { word_perplexity: perplexity },
    samples: perplexitySamples([-10, -20]),
    higherIsBetter: { word_perplexity: false },
  };
  return writeRun(tempDir(), { modelName: name, tasks, groupSubtasks: { grp: ['leaf_a', 'leaf_b'] } });
}

const BASE = run('base-model', 'base', 30);
const TUNED = run('tuned-model', 'tuned', 20);

const c = buildComparison([openRunFolder(BASE), openRunFolder(TUNED)], { labels: ['base', 'tuned'], bootstrapIters: 200 });
const [table] = buildFlipTables(c);

test('right or wrong from logged per-document values', () => {
  expect([correctness('acc', 1), correctness('acc', 0.0), correctness('exact_match', true)]).toEqual([true, false, true]);
  expect([correctness('mcc', [1, 1]), correctness('f1', [0, 1])]).toEqual([true, false]);
  expect(correctness('acc', 0.5)).toBeNull();
  expect(correctness('word_perplexity', [-12.5, 3])).toBeNull();
  expect(correctness('perplexity', -1.5)).toBeNull();
});

test('one line per benchmark (the group stands for its tasks), largest effect first', () => {
  // sizes by hand: big_gain 0.75, grp 0.5, pages |20 − 30| / 30 = 0.333, small_loss 0.25
  expect(table!.lines.map((l) => l.effect.row.task)).toEqual(['big_gain', 'grp', 'pages', 'small_loss']);
  expect(table!.lines.map((l) => l.effect.difference)).toEqual([0.75, 0.5, -10, -0.25]);
});

test('flipped documents, each direction, pooled over the group with their task', () => {
  const by = new Map(table!.lines.map((l) => [l.effect.row.task, l]));
  const ids = (docs: Array<{ task: string; docId: number }> | null) => docs?.map((d) => `${d.task}/${d.docId}`) ?? null;
  expect(ids(by.get('big_gain')!.wrongToRight)).toEqual(['big_gain/0', 'big_gain/1', 'big_gain/3']);
  expect(ids(by.get('big_gain')!.rightToWrong)).toEqual([]);
  expect(ids(by.get('small_loss')!.rightToWrong)).toEqual(['small_loss/1']);
  expect(ids(by.get('grp')!.wrongToRight)).toEqual(['leaf_a/0', 'leaf_a/1', 'leaf_b/1']);
  expect(ids(by.get('grp')!.rightToWrong)).toEqual(['leaf_b/0']);
  // perplexity is not right or wrong per document
  expect(by.get('pages')!.rightToWrong).toBeNull();
  // McNemar counts agree with the flips: b = right → wrong, c = wrong → right
  expect([by.get('grp')!.effect.test!.b, by.get('grp')!.effect.test!.c]).toEqual([1, 3]);
});

test('a flipped document carries its prompt, target and both answers', () => {
  const d = table!.lines.find((l) => l.effect.row.task === 'small_loss')!.rightToWrong![0]!;
  expect(d.prompt).toBe('Question 1?\nAnswer:');
  expect(d.cut).toBe(0);
  expect(d.target).toBe('no'); // gold 0 → the first choice, " no"
  expect([d.baseAnswer, d.otherAnswer]).toEqual(['no', 'yes']);
});

test('markdown: the sorted table with flip counts', () => {
  const md = flipsMarkdown([table!]);
  const rows = md.split('\n').filter((l) => /^\| (big_gain|grp|pages|small_loss) /.test(l));
  expect(rows.map((r) => r.split(' | ')[0]!.slice(2))).toEqual(['big_gain', 'grp', 'pages', 'small_loss']);
  expect(rows[0]).toBe('| big_gain | acc | 0 | 0.7500 | +75.0 points | no significant difference (p=0.2500) | 0 | 3 |');
  expect(rows[2]).toMatch(/^\| pages \| word_perplexity \| 30\.00 \| 20\.00 \| -10\.00 \| .* \| — \| — \|$/);
});
