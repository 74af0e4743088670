// The pre-flight check (src/preflight.ts): every problem found before compute, one line each;
// --skip-missing keeps what is ready and never scores a group over part of its tasks.
import { describe, expect, it } from 'vitest';
import { PreflightError, preflight, pruneTasks } from '../src/preflight.js';
import { TaskRegistry, leafTasks, type TreeNode } from '../src/tasks/registry.js';
import { memorySource } from './helpers/memory-source.js';
import { registerEngine } from '../src/engines/registry.js';
import { runEvaluation } from '../src/run.js';
import { uniformEngine } from './helpers/fake-engine.js';

const wino = { sentence: 'The cup fell because _ was tipped.', option1: 'it', option2: 'the table', answer: '1' };
const lambada = [{ text: 'the cat sat on the mat' }];

describe('preflight', () => {
  const registry = TaskRegistry.load([]);
  const model = { engine: 'onnx', args: { pretrained: '/nonexistent/model-folder' } };

  it('reports every problem together: bad labels, missing data, the model folder', async () => {
    const data = memorySource({
      'allenai/winogrande/winogrande_xl/validation': [wino, { ...wino, answer: '7' }, { ...wino, answer: '0' }],
      'EleutherAI/lambada_openai/default/test': lambada,
    });
    const e = await preflight({ registry, taskNames: ['lambada_openai', 'winogrande', 'cola', 'nope'], data, model }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PreflightError);
    const lines = (e as PreflightError).oneLine().split('\n');
    expect(lines[0]).toMatch(/^unknown task 'nope'/);
    expect(lines[1]).toBe('yardstick: model folder not found: /nonexistent/model-folder; pass a model folder (yardstick make-model writes one)');
    expect(lines[2]).toMatch(/^yardstick: task winogrande \(split validation, doc 1\): winogrande answer must be "1" or "2", got "7" \(2 of 3 documents have problems\)/);
    expect(lines[3]).toMatch(/^yardstick: task cola: .*no split nyu-mll\/glue\/cola\/validation/);
    expect(lines[4]).toBe('yardstick: 4 problem(s) found before any compute; nothing was run');
  });

  it('--skip-missing keeps the ready tasks and lists the others; model problems still stop the run', async () => {
    const data = memorySource({ 'EleutherAI/lambada_openai/default/test': lambada });
    const remove = registerEngine({ name: 'preflight-fake', description: 'test', usage: 'preflight-fake', args: [], open: () => Promise.reject(new Error('not opened')) });
    try {
      const ready = await preflight({ registry, taskNames: ['lambada_openai', 'winogrande'], data, model: { engine: 'preflight-fake', args: {} }, skipMissing: true });
      expect(leafTasks(ready.roots).map((t) => t.name)).toEqual(['lambada_openai']);
      expect(ready.skipped.map((s) => s.task)).toEqual(['winogrande']);
      expect(ready.skipped[0]!.reason.oneLine()).toMatch(/allenai\/winogrande/);
      await expect(preflight({ registry, taskNames: ['lambada_openai', 'winogrande'], data, model, skipMissing: true })).rejects.toThrow(/model folder not found/);
    } finally {
      remove();
    }
  });

  it('a group that loses a task is dissolved into the tasks that remain', () => {
    const roots = registry.expand(['glue']);
    const pruned = pruneTasks(roots, new Set(['mnli']));
    expect(pruned.every((n: TreeNode) => n.kind === 'task')).toBe(true);
    expect(leafTasks(pruned).map((t) => t.name)).toEqual(leafTasks(roots).map((t) => t.name).filter((n) => n !== 'mnli'));
    expect(pruneTasks(roots, new Set())).toEqual(roots);
  });

  it('hands what it rendered to the evaluation: each split is loaded once per run', async () => {
    const source = memorySource({
      'allenai/winogrande/winogrande_xl/validation': [wino, { ...wino, answer: '2' }],
      'EleutherAI/lambada_openai/default/test': lambada,
    });
    const loads: string[] = [];
    const data = { ...source, load: (ref: Parameters<typeof source.load>[0]) => (loads.push(`${ref.path}/${ref.split}`), source.load(ref)) };
    const remove = registerEngine(uniformEngine('preflight-uniform'));
    try {
      const outcome = await runEvaluation({ model: 'preflight-uniform:x', tasks: ['lambada_openai', 'winogrande'], data, bootstrapIters: 0 });
      expect(Object.keys(outcome.results.results as object).sort()).toEqual(['lambada_openai', 'winogrande']);
      expect(loads.sort()).toEqual(['EleutherAI/lambada_openai/test', 'allenai/winogrande/validation']);
    } finally {
      remove();
    }
  });
});
