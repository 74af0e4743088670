import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildComparison } from '../../../src/report/compare/build.js';
import { buildDrilldown, type DrillTask } from '../../../src/report/html/drilldown.js';
import { openRunFolder } from '../../../src/report/run-folder.js';

const F = 'tests/fixtures/runs/family';
const RUNS = [`${F}/tiny-135m`, `${F}/tiny-360m`];

function samplesOf(run: string, task: string): Array<Record<string, any>> {
  const dir = join(run, readdirSync(run)[0]!);
  const file = readdirSync(dir).find((f) => f.startsWith(`samples_${task}_`))!;
  return readFileSync(join(dir, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

/** argmax of the logged loglikelihoods (first maximum), computed here from the raw strings. */
function pick(s: Record<string, any>): number {
  const lls = (s.filtered_resps as string[][]).map((r) => Number(r[0]));
  return lls.indexOf(Math.max(...lls));
}

const comparison = buildComparison(RUNS.map(openRunFolder), { labels: ['135M', '360M'], bootstrapIters: 200 });

function task(tasks: DrillTask[], name: string): DrillTask {
  return tasks.find((t) => t.task === name)!;
}

describe('buildDrilldown', () => {
  const tasks = buildDrilldown(comparison);

  test('one entry per leaf task with sample logs, in table order', () => {
    expect(tasks.map((t) => t.task).slice(0, 6)).toEqual(['lambada_openai', 'winogrande', 'cola', 'mrpc', 'rte', 'sst2']);
    expect(tasks.some((t) => t.task === 'mmlu')).toBe(false); // groups have no documents of their own
    expect(tasks.map((t) => t.task)).toContain('my_task');
  });

  test('choice tasks: picks are the argmax of the logged loglikelihoods; disagreement counted per document', () => {
    const sst2 = task(tasks, 'sst2');
    const a = samplesOf(RUNS[0]!, 'sst2');
    const b = samplesOf(RUNS[1]!, 'sst2');
    const expectedDisagree = a.filter((s, i) => pick(s) !== pick(b[i]!)).length;
    expect(sst2.kind).toBe('choice');
    expect(sst2.total).toBe(60);
    expect(sst2.disagreeTotal).toBe(expectedDisagree);
    const d0 = sst2.docs[0]!;
    expect(d0.choices).toEqual([' negative', ' positive']);
    expect(d0.models[0]!.pick).toBe(pick(a[0]!));
    expect(d0.models[0]!.lls).toEqual((a[0]!.filtered_resps as string[][]).map((r) => Number(r[0])));
    expect(d0.models[0]!.correct).toBe(a[0]!.acc === 1);
    expect(d0.gold).toBe(Number(a[0]!.target));
    expect(d0.prompt).toBe(a[0]!.arguments.gen_args_0.arg_0);
  });

  test('Winogrande-style tasks show the two options as choices and the shared continuation', () => {
    const w = task(tasks, 'winogrande');
    const s = samplesOf(RUNS[0]!, 'winogrande')[0]!;
    const d = w.docs[0]!;
    expect(d.choices).toEqual([s.doc.option1, s.doc.option2]);
    expect(d.continuation).toBe(s.arguments.gen_args_0.arg_1);
    expect(d.prompt + d.choices![0]).toBe(s.arguments.gen_args_0.arg_0);
  });

  test('loglikelihood and generation tasks', () => {
    const lam = task(tasks, 'lambada_openai');
    const s = samplesOf(RUNS[0]!, 'lambada_openai')[0]!;
    expect(lam.kind).toBe('loglikelihood');
    expect(lam.docs[0]!.models[0]!.lls).toEqual([Number(s.filtered_resps[0][0])]);
    expect(lam.docs[0]!.models[0]!.greedy).toEqual([s.filtered_resps[0][1] === 'True']);
    const math = task(tasks, 'hendrycks_math_algebra');
    const m = samplesOf(RUNS[1]!, 'hendrycks_math_algebra')[0]!;
    expect(math.kind).toBe('generate');
    expect(math.metric).toBe('exact_match');
    expect(math.docs[0]!.models[1]!.text).toBe(m.filtered_resps[0]);
  });

  test('limits: disagreements are kept first, long prompts are cut from the start', () => {
    const small = buildDrilldown(comparison, { maxDocsPerTask: 5, maxPromptChars: 20 });
    const sst2 = task(small, 'sst2');
    expect(sst2.docs).toHaveLength(5);
    expect(sst2.docs.every((d) => d.disagree)).toBe(true);
    expect(sst2.total).toBe(60);
    const full = samplesOf(RUNS[0]!, 'sst2').find((s) => s.doc_id === sst2.docs[0]!.id)!.arguments.gen_args_0.arg_0 as string;
    expect(sst2.docs[0]!.prompt).toBe(full.slice(-20));
    expect(sst2.docs[0]!.cut).toBe(full.length - 20);
  });

  test('a total budget shares documents out over the tasks, keeping at least 20 per task', () => {
    const tasks = buildDrilldown(comparison, { maxDocsTotal: 100 });
    const totalAll = tasks.reduce((s, t) => s + t.total, 0);
    expect(totalAll).toBe(300);
    for (const t of tasks) {
      expect(t.docs.length).toBeGreaterThanOrEqual(Math.min(20, t.total));
      expect(t.docs.length).toBeLessThanOrEqual(Math.max(20, Math.ceil((t.total * 100) / totalAll)));
      const kept = t.docs.filter((d) => d.disagree).length;
      expect(kept).toBe(Math.min(t.disagreeTotal, t.docs.length)); // disagreements first
    }
  });
});
