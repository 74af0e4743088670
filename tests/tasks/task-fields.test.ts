// How Task resolves doc_to_text / doc_to_target (lm-eval-semantics.md §2.1): only template output is
// post-processed (digits -> int when the task has choices, "[...]" -> literal); feature values and
// named-function results are used as they are. And the one-line errors for data lacking a split or
// a field, naming task, split and field.
import { describe, expect, it } from 'vitest';
import type { Doc } from '../../src/data/types.js';
import { YardstickError } from '../../src/errors.js';
import { buildInstances } from '../../src/requests/build.js';
import type { TaskConfig } from '../../src/tasks/config.js';
import { TaskRegistry } from '../../src/tasks/registry.js';
import { Task } from '../../src/tasks/task.js';
import { memorySource } from '../helpers/memory-source.js';

const registry = TaskRegistry.load();

function builtin(name: string): Task {
  const entry = registry.tasks.get(name)!;
  return new Task(entry.config, entry.source);
}

async function errorOf(f: () => unknown): Promise<YardstickError> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(YardstickError);
    return e as YardstickError;
  }
  throw new Error('expected an error');
}

describe('field post-processing', () => {
  it('keeps a MATH answer of digits as text (no doc_to_choice), leading zeros included', async () => {
    const task = builtin('hendrycks_math_algebra');
    const doc = { problem: 'p', level: 'Level 1', type: 'Algebra', solution: '$\\boxed{007}$' };
    await task.load(memorySource({ 'EleutherAI/hendrycks_math/algebra/test': [doc], 'EleutherAI/hendrycks_math/algebra/train': [doc] }), 1);
    expect(task.docToTarget(task.evalDocs[0]!, 0)).toBe('007');
    expect(task.contexts(task.evalDocs[0]!, 0, task.fewshotDocs!)).toEqual(['Problem: p\nAnswer: 007\n\nProblem: p\nAnswer:']);
  });

  it('parses a MATH interval answer "[-2,7]" as a list (semantics §2.1)', async () => {
    const task = builtin('hendrycks_math_algebra');
    const doc = { problem: 'p', level: 'Level 1', type: 'Algebra', solution: '$\\boxed{[-2,7]}$' };
    await task.load(memorySource({ 'EleutherAI/hendrycks_math/algebra/test': [doc] }), 0);
    expect(task.docToTarget(task.evalDocs[0]!, 0)).toEqual([-2, 7]);
  });

  it('uses a named function result as is (winogrande suffix "007" stays text)', async () => {
    const task = builtin('winogrande');
    const doc = { sentence: 'Bond is agent _ 007', option1: 'number', option2: 'code', answer: '1' };
    await task.load(memorySource({ 'allenai/winogrande/winogrande_xl/validation': [doc] }), 0);
    expect(buildInstances(task, doc, 0, task.contexts(doc, 0, [])).map((i) => i.arguments)).toEqual([
      ['Bond is agent number', ' 007'],
      ['Bond is agent code', ' 007'],
    ]);
  });

  it('uses a feature value as is, but turns rendered digits into an index when the task has choices', async () => {
    const base: TaskConfig = {
      task: 'digits',
      dataset_path: 'local/digits',
      test_split: 'test',
      output_type: 'multiple_choice',
      doc_to_choice: ['zero', 'one'],
      doc_to_text: 'q',
      doc_to_target: '{{ g }}',
    };
    const doc = { q: '12', g: '1' };
    const data = memorySource({ 'local/digits/default/test': [doc] });
    const task = new Task(base, 'inline');
    await task.load(data, 0);
    expect(task.docToText(doc, 0)).toBe('12');
    expect(task.multipleInput).toBe(false);
    expect(task.docToTarget(doc, 0)).toBe(1);
    expect(task.gold(doc, 0, ['zero', 'one'])).toBe(1);
    // a feature holding the digits "1" is a string: matched against the choices as text; lm-eval
    // would score it as gold -100 (never right), yardstick refuses the label
    const byFeature = new Task({ ...base, doc_to_target: 'g' }, 'inline');
    await byFeature.load(data, 0);
    expect(byFeature.docToTarget(doc, 0)).toBe('1');
    expect(() => byFeature.gold(doc, 0, ['zero', 'one'])).toThrow(/gold answer "1" is not one of the choices/);
  });
});

describe('data that lacks a split or a field', () => {
  it('names task, dataset split when the split is missing', async () => {
    const task = builtin('cola');
    const e = await errorOf(() => task.load(memorySource({ 'nyu-mll/glue/cola/train': [] }), 0));
    expect(e.oneLine()).toMatch(/^task cola: .*validation/);
    expect(e.oneLine()).not.toContain('\n');
  });

  it('names the missing few-shot split too', async () => {
    const task = builtin('cola');
    const doc = { sentence: 's', label: 0, idx: 0 };
    const e = await errorOf(() => task.load(memorySource({ 'nyu-mll/glue/cola/validation': [doc] }), 2));
    expect(e.oneLine()).toMatch(/^task cola: .*train/);
  });

  it('names task, split and field when a feature column is missing (gold label)', async () => {
    const task = builtin('cola');
    const doc = { sentence: 's', idx: 0 };
    await task.load(memorySource({ 'nyu-mll/glue/cola/validation': [doc] }), 0);
    const e = await errorOf(() => task.docToTarget(doc, 0));
    expect(e.oneLine()).toMatch(/^task cola \(split validation, doc 0\): field 'label' used by doc_to_target is missing from the document; the document has fields sentence, idx/);
  });

  it('names task, split and field when a template variable is missing', async () => {
    const task = builtin('rte');
    const doc = { sentence1: 'a', label: 0, idx: 0 };
    // rendering doc 0 happens while loading already (lm-eval's multiple-input check)
    const e = await errorOf(() => task.load(memorySource({ 'nyu-mll/glue/rte/validation': [doc] }), 0));
    expect(e.oneLine()).toMatch(/^task rte \(split validation, doc 0\): field 'sentence2' used by doc_to_text is missing/);
  });

  it('prefixes errors of named functions and process_docs with task and split', async () => {
    const wino = builtin('winogrande');
    const doc = { option1: 'a', option2: 'b', answer: '1' };
    await wino.load(memorySource({ 'allenai/winogrande/winogrande_xl/validation': [doc] }), 0);
    const e1 = await errorOf(() => wino.contexts(doc, 0, []));
    expect(e1.oneLine()).toMatch(/^task winogrande \(split validation, doc 0\): .*sentence/);

    const math = builtin('hendrycks_math_algebra');
    const noSolution: Doc = { problem: 'p', level: 'Level 1', type: 'Algebra' };
    const e2 = await errorOf(() => math.load(memorySource({ 'EleutherAI/hendrycks_math/algebra/test': [noSolution] }), 0));
    expect(e2.oneLine()).toMatch(/^task hendrycks_math_algebra \(split test\): .*"solution"/);
  });
});
