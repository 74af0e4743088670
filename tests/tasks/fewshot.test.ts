// Few-shot selection and assembly (lm-eval-semantics.md §2.3, §4): CPython-compatible draws from
// Random(1234), the draw-k+1-and-drop-self rule when fewshot_split == test_split (None == None for
// GLUE and winogrande), plain k draws for lambada and MATH, first_n for MMLU, and the placement of
// description, shots and delimiters. Expected draws are the spec's CPython test vectors.
import { describe, expect, it } from 'vitest';
import type { Doc } from '../../src/data/types.js';
import { PyRandom } from '../../src/metrics/pyrandom.js';
import type { TaskConfig } from '../../src/tasks/config.js';
import { TaskRegistry } from '../../src/tasks/registry.js';
import { Task } from '../../src/tasks/task.js';
import { memorySource } from '../helpers/memory-source.js';

const registry = TaskRegistry.load();

async function loadTask(name: string, splits: Record<string, Doc[]>, numFewshot: number): Promise<Task> {
  const entry = registry.tasks.get(name)!;
  const task = new Task(entry.config, entry.source);
  await task.load(memorySource(splits), numFewshot);
  return task;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('PyRandom.sample (CPython 3.11 test vectors, semantics §4)', () => {
  it('reproduces Random(1234).sample for the pool and the set branch', () => {
    expect(new PyRandom(1234).sample(range(100), 5)).toEqual([99, 56, 14, 0, 11]);
    expect(new PyRandom(1234).sample(range(10), 3)).toEqual([7, 1, 0]);
    expect(new PyRandom(1234).sample(range(40398), 6)).toEqual([28883, 7657, 490, 5940, 38156, 2288]);
  });
});

describe('winogrande 5-shot (task-winogrande.md §5)', () => {
  // a train pool of the real size, each doc identifiable by its number
  const train: Doc[] = range(40398).map((i) => ({
    sentence: `Shot ${i} says _ is fine.`,
    option1: `A${i}`,
    option2: `B${i}`,
    answer: i % 2 === 0 ? '1' : '2',
  }));
  const evalDoc = { sentence: 'Kim thanked Lee because _ helped.', option1: 'Kim', option2: 'Lee', answer: '2' };
  const splits = { 'allenai/winogrande/winogrande_xl/validation': [evalDoc], 'allenai/winogrande/winogrande_xl/train': train };

  it('draws 6 from Random(1234) and keeps the first 5 (no test split, no fewshot split)', async () => {
    const task = await loadTask('winogrande', splits, 5);
    expect(task.fewshotDocs).toBe(train);
    const shots = task.selectFewshot(evalDoc, 5, new PyRandom(1234));
    expect(shots).toEqual([28883, 7657, 490, 5940, 38156].map((i) => train[i]));
  });

  it('renders each shot as the gold-filled partial sentence, " ", the suffix, "\\n\\n"; both contexts share them', async () => {
    const task = await loadTask('winogrande', splits, 5);
    const shots = task.selectFewshot(evalDoc, 5, new PyRandom(1234));
    // 28883 is odd (answer "2" -> option2), 7657 odd, 490 even (option1), 5940 even, 38156 even
    const prefix =
      'Shot 28883 says B28883 is fine.\n\n' +
      'Shot 7657 says B7657 is fine.\n\n' +
      'Shot 490 says A490 is fine.\n\n' +
      'Shot 5940 says A5940 is fine.\n\n' +
      'Shot 38156 says A38156 is fine.\n\n';
    expect(task.contexts(evalDoc, 0, shots)).toEqual([`${prefix}Kim thanked Lee because Kim`, `${prefix}Kim thanked Lee because Lee`]);
  });
});

describe('GLUE few-shot (task-glue.md §4)', () => {
  const train: Doc[] = range(100).map((i) => ({ sentence: `train sentence ${i}`, label: i % 2, idx: i }));

  it('drops a drawn doc equal to the evaluated doc and keeps the next one', async () => {
    // the evaluated doc equals train[56]; Random(1234).sample(range(100), 5) = [99, 56, 14, 0, 11]
    const evalDoc = { ...train[56]! };
    const task = await loadTask('sst2', { 'nyu-mll/glue/sst2/validation': [evalDoc], 'nyu-mll/glue/sst2/train': train }, 4);
    const shots = task.selectFewshot(evalDoc, 4, new PyRandom(1234));
    expect(shots).toEqual([99, 14, 0, 11].map((i) => train[i]));
  });

  it('keeps the first k of k+1 when the evaluated doc is not drawn, and renders the sst2 shot of §4', async () => {
    const evalDoc = { sentence: 'a fine film', label: 1, idx: 0 };
    const task = await loadTask('sst2', { 'nyu-mll/glue/sst2/validation': [evalDoc], 'nyu-mll/glue/sst2/train': train }, 2);
    const rng = new PyRandom(1234);
    const shots = task.selectFewshot(evalDoc, 4, rng);
    expect(shots).toEqual([99, 56, 14, 0].map((i) => train[i]));
    expect(task.contexts(evalDoc, 0, shots.slice(0, 2))).toEqual([
      'train sentence 99\nQuestion: Is this sentence positive or negative?\nAnswer: positive\n\n' +
        'train sentence 56\nQuestion: Is this sentence positive or negative?\nAnswer: negative\n\n' +
        'a fine film\nQuestion: Is this sentence positive or negative?\nAnswer:',
    ]);
  });

  it('shares one generator across the documents of a task (advanced in doc order)', async () => {
    const docs = [
      { sentence: 'first', label: 0, idx: 0 },
      { sentence: 'second', label: 1, idx: 1 },
    ];
    const task = await loadTask('sst2', { 'nyu-mll/glue/sst2/validation': docs, 'nyu-mll/glue/sst2/train': train }, 4);
    const rng = new PyRandom(1234);
    task.selectFewshot(docs[0]!, 4, rng);
    const second = task.selectFewshot(docs[1]!, 4, rng);
    // the second doc continues the same stream; CPython 3.11.7:
    // r = Random(1234); r.sample(range(100), 5); r.sample(range(100), 5) == [74, 4, 85, 88, 10]
    expect(second).toEqual([74, 4, 85, 88].map((i) => train[i]));
  });
});

describe('lambada_openai few-shot (task-lambada.md §5)', () => {
  const test: Doc[] = range(100).map((i) => ({ text: `passage number ${i} ends with word${i}` }));

  it('draws k from its own test split without excluding the evaluated passage', async () => {
    const task = await loadTask('lambada_openai', { 'EleutherAI/lambada_openai/default/test': test }, 5);
    expect(task.fewshotDocs).toBe(task.evalDocs);
    const evalDoc = test[99]!;
    const shots = task.selectFewshot(evalDoc, 5, new PyRandom(1234));
    expect(shots).toEqual([99, 56, 14, 0, 11].map((i) => test[i]));
    // shot = context + " " + (" " + last word) + "\n\n": two spaces before the last word
    const ctx = task.contexts(evalDoc, 99, shots.slice(0, 2))[0];
    expect(ctx).toBe('passage number 99 ends with  word99\n\npassage number 56 ends with  word56\n\npassage number 99 ends with');
  });
});

describe('hendrycks_math few-shot (task-hendrycks-math.md §7)', () => {
  it('draws exactly k from the processed train split (test_split is "test")', async () => {
    const train: Doc[] = range(10).map((i) => ({ problem: `p${i}`, level: 'Level 1', type: 'Algebra', solution: `$\\boxed{${i}}$` }));
    const evalDoc = { problem: 'q', level: 'Level 2', type: 'Algebra', solution: '\\boxed{x}' };
    const task = await loadTask(
      'hendrycks_math_algebra',
      { 'EleutherAI/hendrycks_math/algebra/test': [evalDoc], 'EleutherAI/hendrycks_math/algebra/train': train },
      3,
    );
    const shots = task.selectFewshot(task.evalDocs[0]!, 3, new PyRandom(1234));
    // Random(1234).sample(range(10), 3) = [7, 1, 0]
    expect(shots.map((d) => d.problem)).toEqual(['p7', 'p1', 'p0']);
    expect(task.contexts(task.evalDocs[0]!, 0, shots)).toEqual([
      'Problem: p7\nAnswer: 7\n\nProblem: p1\nAnswer: 1\n\nProblem: p0\nAnswer: 0\n\nProblem: q\nAnswer:',
    ]);
  });
});

describe('context assembly (semantics §2.3)', () => {
  const config: TaskConfig = {
    task: 'custom_fewshot',
    dataset_path: 'local/custom',
    test_split: 'test',
    fewshot_split: 'train',
    fewshot_config: { sampler: 'first_n' },
    output_type: 'multiple_choice',
    description: 'Answer {{ topic }} questions.\n',
    doc_to_text: 'Q: {{ q }}',
    doc_to_target: 'gold',
    doc_to_choice: ['yes', 'no'],
    target_delimiter: ' => ',
    fewshot_delimiter: '\n---\n',
  };
  const train: Doc[] = [
    { topic: 'shot topic', q: 'one', gold: 0 },
    { topic: 'shot topic', q: 'two', gold: 1 },
  ];
  const doc = { topic: 'geography', q: 'three', gold: 1 };

  it('puts the description (rendered for the evaluated doc) first, then shots with both delimiters', async () => {
    const task = new Task(config, 'inline');
    await task.load(memorySource({ 'local/custom/default/test': [doc], 'local/custom/default/train': train }), 2);
    const shots = task.selectFewshot(doc, 2, new PyRandom(1234));
    const ctx = task.contexts(doc, 0, shots)[0];
    expect(ctx).toBe('Answer geography questions.\nQ: one => yes\n---\nQ: two => no\n---\nQ: three');
  });

  it('writes a shot whose answer is empty as its question alone, with no delimiters', async () => {
    const task = new Task({ ...config, doc_to_target: '{{ a }}', doc_to_choice: undefined, output_type: 'generate_until', description: '' }, 'inline');
    const shotsPool = [{ q: 'empty', a: '' }, { q: 'full', a: 'x' }];
    await task.load(memorySource({ 'local/custom/default/test': [{ q: 'last', a: 'y' }], 'local/custom/default/train': shotsPool }), 2);
    expect(task.contexts({ q: 'last', a: 'y' }, 0, shotsPool)[0]).toBe('Q: emptyQ: full => x\n---\nQ: last');
  });

  it('refuses more shots than the pool holds, naming the task', async () => {
    const task = new Task(config, 'inline');
    await task.load(memorySource({ 'local/custom/default/test': [doc], 'local/custom/default/train': train }), 3);
    expect(() => task.selectFewshot(doc, 3, new PyRandom(1234))).toThrow(/custom_fewshot/);
  });
});
