// MATH end to end through evaluate() on a tiny model and in-memory documents: the logged response is
// the greedy generation decoded without special tokens and cut at each stop string (semantics §5.4),
// and exact_match agrees with task-hendrycks-math.md §4 applied to that response.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Doc } from '../../src/data/types.js';
import { OnnxEngine } from '../../src/engines/onnx/engine.js';
import { evaluate, type EvaluationRun } from '../../src/evaluate.js';
import { isEquiv, lastBoxedOnlyString, removeBoxed } from '../../src/tasks/functions/hendrycks-math.js';
import { TaskRegistry, type TaskNode } from '../../src/tasks/registry.js';
import { memorySource } from '../helpers/memory-source.js';
import { tinyModel } from '../helpers/tiny-model.js';

let engine: OnnxEngine;
const registry = TaskRegistry.load();
const encoding = { bos: 'tokenizer' as const, maxLength: 2048 };

beforeAll(async () => {
  engine = await OnnxEngine.load(await tinyModel());
});

/** task-hendrycks-math.md §4 step 2: between the first and last "$" when there are at least two. */
function extractAnswer(generation: string): string {
  const dollars = [...generation].flatMap((ch, i) => (ch === '$' ? [i] : []));
  if (dollars.length < 2) return generation;
  const cps = [...generation];
  return cps.slice(dollars[0]! + 1, dollars.at(-1)!).join('');
}

function expectedExactMatch(doc: Doc, generation: string): number {
  const gold = removeBoxed(lastBoxedOnlyString(doc.solution as string));
  return isEquiv(extractAnswer(generation), gold) ? 1 : 0;
}

/** Greedy tokens for a context (BOS by the tokenizer's default), decoded as lm-eval does, cut at each stop. */
async function generatedText(context: string, maxNew: number, until: string[]): Promise<string> {
  const tok = engine.tokenizer;
  const [out] = await engine.generateBatch([{ input: tok.encode(context, true), maxNewTokens: maxNew, until: [] }]);
  let text = tok.decode(out!.tokens, true);
  for (const stop of until) text = text.split(stop)[0]!;
  return text;
}

async function run(node: TaskNode, docs: Record<string, Doc[]>, numFewshot?: number): Promise<EvaluationRun> {
  return evaluate({ engine, roots: [node], data: memorySource(docs), encoding, batchSize: 2, numFewshot, bootstrapIters: 0 });
}

function algebra(overrides: Record<string, unknown> = {}): TaskNode {
  const entry = registry.tasks.get('hendrycks_math_algebra')!;
  return { kind: 'task', name: entry.name, config: { ...entry.config, ...overrides }, source: entry.source };
}

const PROBLEMS = ['What is $1+1$?', 'Simplify $\\frac{4}{8}$.'];

describe('hendrycks_math_algebra through evaluate()', () => {
  it('logs the generation cut at "Problem:"/EOS (256 tokens at most) and scores it by §4', async () => {
    // first pass: what the model answers; then a doc whose gold is exactly that answer
    const contexts = PROBLEMS.map((p) => `Problem: ${p}\nAnswer:`);
    const texts = await Promise.all(contexts.map((c) => generatedText(c, 256, ['Problem:', '<|endoftext|>'])));
    const answer0 = extractAnswer(texts[0]!);
    // the answer must survive \boxed{...} extraction to be usable as a gold answer
    expect(answer0).not.toMatch(/[{}]|\\boxed|\\fbox/);
    const docs: Doc[] = [
      { problem: PROBLEMS[0], level: 'Level 1', type: 'Algebra', solution: `So it is $\\boxed{${answer0}}$.` },
      { problem: PROBLEMS[1], level: 'Level 2', type: 'Algebra', solution: 'It is $\\boxed{\\frac{1}{2}}$.' },
    ];
    const result = await run(algebra(), { 'EleutherAI/hendrycks_math/algebra/test': docs });
    expect(result.failed).toEqual([]);
    const samples = result.tasks[0]!.samples;
    expect(samples).toHaveLength(2);
    samples.forEach((s, i) => {
      expect(s.instances[0]!.arguments).toEqual([contexts[i], { until: ['Problem:'], do_sample: false, temperature: 0 }]);
      expect(s.responses).toEqual([[texts[i]]]);
      expect(s.metrics).toEqual({ none: { exact_match: expectedExactMatch(docs[i]!, texts[i]!) } });
    });
    expect(samples[0]!.metrics.none!.exact_match).toBe(1);
    expect(samples[1]!.metrics.none!.exact_match).toBe(expectedExactMatch(docs[1]!, texts[1]!));
  });

  it('truncates at the first occurrence of each stop string, in order, and honours max_gen_toks', async () => {
    const context = `Problem: ${PROBLEMS[0]}\nAnswer:`;
    const full = await generatedText(context, 24, []);
    // two stop strings taken from the middle of the untruncated text
    const s1 = full.slice(12, 15);
    const s2 = full.slice(6, 8);
    expect(s1.trim()).not.toBe('');
    const doc = { problem: PROBLEMS[0], level: 'Level 1', type: 'Algebra', solution: '$\\boxed{2}$' };
    const node = algebra({ generation_kwargs: { until: [s1, s2], max_gen_toks: 24 } });
    const result = await run(node, { 'EleutherAI/hendrycks_math/algebra/test': [doc] });
    const response = result.tasks[0]!.samples[0]!.responses[0]![0];
    expect(response).toBe(full.split(s1)[0]!.split(s2)[0]);
    expect((response as string).length).toBeLessThan(full.length);

    // max_gen_toks alone: the text of exactly that many greedy tokens
    const short = await run(algebra({ generation_kwargs: { until: [], max_gen_toks: 5 } }), { 'EleutherAI/hendrycks_math/algebra/test': [doc] });
    expect(short.tasks[0]!.samples[0]!.responses[0]![0]).toBe(await generatedText(context, 5, []));
  });

  it('advances one Random(1234) per task in doc order for few-shot draws (§7)', async () => {
    const train: Doc[] = Array.from({ length: 10 }, (_, i) => ({ problem: `p${i}`, level: 'Level 1', type: 'Algebra', solution: `\\boxed{${i}}` }));
    const test: Doc[] = [0, 1, 2].map((i) => ({ problem: `q${i}`, level: 'Level 1', type: 'Algebra', solution: '\\boxed{0}' }));
    const node = algebra({ generation_kwargs: { until: [], max_gen_toks: 1 } });
    const result = await run(node, { 'EleutherAI/hendrycks_math/algebra/test': test, 'EleutherAI/hendrycks_math/algebra/train': train }, 1);
    // CPython 3.11.7: r = Random(1234); [r.sample(range(10), 1) for _ in range(3)] == [[7], [1], [0]]
    const contexts = result.tasks[0]!.samples.map((s) => s.instances[0]!.arguments[0]);
    expect(contexts).toEqual([
      'Problem: p7\nAnswer: 7\n\nProblem: q0\nAnswer:',
      'Problem: p1\nAnswer: 1\n\nProblem: q1\nAnswer:',
      'Problem: p0\nAnswer: 0\n\nProblem: q2\nAnswer:',
    ]);
  });
});
