// The demo's bundled documents (src/demo/sample-docs.ts): every split each seed task reads exists in the
// --data-dir layout, with the Hugging Face columns and label encodings the task specs give, and loads as a task.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource } from '../../src/data/source.js';
import type { Doc } from '../../src/data/types.js';
import { SEED_TASKS } from '../../src/demo/seed-suite.js';
import { writeSampleData } from '../../src/demo/sample-docs.js';
import { TaskRegistry, type TaskNode, type TreeNode } from '../../src/tasks/registry.js';
import { Task } from '../../src/tasks/task.js';

// Columns in dataset order, from the task specs (shared/spec/task-*.md), keyed by dataset path or path/config.
const GLUE_COLUMNS: Record<string, string[]> = {
  cola: ['sentence', 'label', 'idx'],
  mnli: ['premise', 'hypothesis', 'label', 'idx'],
  mrpc: ['sentence1', 'sentence2', 'label', 'idx'],
  qnli: ['question', 'sentence', 'label', 'idx'],
  qqp: ['question1', 'question2', 'label', 'idx'],
  rte: ['sentence1', 'sentence2', 'label', 'idx'],
  sst2: ['sentence', 'label', 'idx'],
  wnli: ['sentence1', 'sentence2', 'label', 'idx'],
};
const MATH_TYPES: Record<string, string> = {
  algebra: 'Algebra',
  counting_and_probability: 'Counting & Probability',
  geometry: 'Geometry',
  intermediate_algebra: 'Intermediate Algebra',
  number_theory: 'Number Theory',
  prealgebra: 'Prealgebra',
  precalculus: 'Precalculus',
};

function leaves(node: TreeNode): TaskNode[] {
  return node.kind === 'task' ? [node] : node.children.flatMap(leaves);
}

/** The splits lm-eval reads for a task: the evaluation split and the few-shot pool. */
function splitsOf(node: TaskNode): string[] {
  const c = node.config;
  const evalSplit = c.test_split ?? c.validation_split;
  const fewshot = c.fewshot_config?.split ?? c.fewshot_split ?? c.training_split ?? c.validation_split ?? c.test_split;
  return [...new Set([evalSplit, fewshot].filter((s): s is string => typeof s === 'string'))];
}

/** Checks one document against the schema of its dataset; returns what is wrong, or []. */
function schemaProblems(node: TaskNode, doc: Doc): string[] {
  const c = node.config;
  const keys = Object.keys(doc);
  const problems: string[] = [];
  const expectKeys = (want: string[]): void => {
    if (keys.join(',') !== want.join(',')) problems.push(`columns ${keys.join(',')} != ${want.join(',')}`);
  };
  const isInt = (v: unknown, below: number): boolean => Number.isInteger(v) && (v as number) >= 0 && (v as number) < below;
  switch (c.dataset_path) {
    case 'EleutherAI/lambada_openai': {
      expectKeys(['text']);
      const text = doc.text as string;
      if (typeof text !== 'string' || text.split(' ').length < 10 || text !== text.trim()) problems.push('text is not a passage ending in a word');
      break;
    }
    case 'allenai/winogrande':
      expectKeys(['sentence', 'option1', 'option2', 'answer']);
      if (String(doc.sentence).split('_').length !== 2) problems.push('sentence must have exactly one _');
      if (doc.answer !== '1' && doc.answer !== '2') problems.push(`answer ${JSON.stringify(doc.answer)} is not "1" or "2"`);
      break;
    case 'nyu-mll/glue': {
      expectKeys(GLUE_COLUMNS[c.dataset_name!]!);
      const nChoices = (c.doc_to_choice as string[]).length;
      if (!isInt(doc.label, nChoices)) problems.push(`label ${JSON.stringify(doc.label)} is not an integer below ${nChoices}`);
      if (!Number.isInteger(doc.idx)) problems.push('idx is not an integer');
      break;
    }
    case 'cais/mmlu': {
      expectKeys(['question', 'subject', 'choices', 'answer']);
      const choices = doc.choices as unknown[];
      if (!Array.isArray(choices) || choices.length !== 4 || !choices.every((x) => typeof x === 'string')) problems.push('choices is not 4 strings');
      if (!isInt(doc.answer, 4)) problems.push(`answer ${JSON.stringify(doc.answer)} is not 0-3`);
      if (doc.subject !== c.dataset_name) problems.push(`subject ${String(doc.subject)} != config ${c.dataset_name}`);
      break;
    }
    case 'EleutherAI/hendrycks_math':
      // process_docs appends `answer`; the stored columns are the first four
      if (keys.slice(0, 4).join(',') !== 'problem,level,type,solution') problems.push(`columns ${keys.join(',')}`);
      if (!/^Level [1-5]$/.test(String(doc.level))) problems.push(`level ${String(doc.level)}`);
      if (doc.type !== MATH_TYPES[c.dataset_name!]) problems.push(`type ${String(doc.type)}`);
      if (!String(doc.solution).includes('\\boxed{')) problems.push('solution has no \\boxed{...}');
      break;
    default:
      problems.push(`unexpected dataset ${c.dataset_path}`);
  }
  return problems;
}

let dataDir: string;
let written: ReturnType<typeof writeSampleData>;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'yardstick-demo-data-'));
  written = writeSampleData(dataDir);
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const registry = TaskRegistry.load();
const seedLeaves = registry.expand([...SEED_TASKS]).flatMap(leaves);

describe('writeSampleData', () => {
  it('covers every leaf task of the seed suite (57 MMLU subjects, 7 MATH subsets, 9 GLUE tasks)', () => {
    expect(seedLeaves.length).toBe(1 + 1 + 9 + 7 + 57);
  });

  it('writes every split each seed task reads, at <dataDir>/<dataset_path>/<dataset_name>/<split>.jsonl', () => {
    const missing: string[] = [];
    for (const node of seedLeaves) {
      for (const split of splitsOf(node)) {
        const file = join(dataDir, ...node.config.dataset_path.split('/'), node.config.dataset_name ?? 'default', `${split}.jsonl`);
        if (!existsSync(file)) missing.push(`${node.name}: ${file}`);
      }
    }
    expect(missing).toEqual([]);
    expect(written.files.every((f) => existsSync(f))).toBe(true);
  });

  it('loads through the task definitions with the dataset columns and label types of each spec', async () => {
    const data = createDataSource({ dataDir, hub: false });
    const problems: string[] = [];
    for (const node of seedLeaves) {
      const task = new Task(node.config, node.source);
      await task.load(data, 1); // also loads the few-shot split
      const docs = [...task.evalDocs, ...(task.fewshotDocs ?? [])];
      if (task.evalDocs.length === 0) problems.push(`${node.name}: no evaluation documents`);
      docs.forEach((doc, i) => {
        for (const p of schemaProblems(node, doc)) problems.push(`${node.name} doc ${i}: ${p}`);
        // prompt pieces must render (templates and named functions find their fields)
        task.docToText(doc, i);
        task.docToTarget(doc, i);
        task.docToChoice(doc, i);
      });
    }
    expect(problems).toEqual([]);
  });

  it('gives every MMLU subject 1-2 test questions and 5 dev questions', async () => {
    const data = createDataSource({ dataDir, hub: false });
    const mmlu = seedLeaves.filter((n) => n.config.dataset_path === 'cais/mmlu');
    expect(mmlu).toHaveLength(57);
    for (const node of mmlu) {
      const ref = { path: 'cais/mmlu', name: node.config.dataset_name! };
      const test = (await data.load({ ...ref, split: 'test' })).docs;
      const dev = (await data.load({ ...ref, split: 'dev' })).docs;
      expect(test.length, node.name).toBeGreaterThanOrEqual(1);
      expect(test.length, node.name).toBeLessThanOrEqual(2);
      expect(dev.length, node.name).toBe(5);
      const testQuestions = new Set(test.map((d) => d.question));
      expect(dev.some((d) => testQuestions.has(d.question)), `${node.name} dev repeats a test question`).toBe(false);
    }
  });

  it('extracts a boxed answer from every MATH solution (process_docs)', async () => {
    const data = createDataSource({ dataDir, hub: false });
    for (const node of seedLeaves.filter((n) => n.config.dataset_path === 'EleutherAI/hendrycks_math')) {
      const task = new Task(node.config, node.source);
      await task.load(data, 0);
      for (const doc of task.evalDocs) {
        expect(typeof doc.answer, node.name).toBe('string');
        expect((doc.answer as string).length, node.name).toBeGreaterThan(0);
      }
    }
  });

  it('has both classes in every binary GLUE validation split (so MCC and F1 are not degenerate)', async () => {
    const data = createDataSource({ dataDir, hub: false });
    for (const node of seedLeaves.filter((n) => n.config.dataset_path === 'nyu-mll/glue')) {
      const split = node.config.validation_split!;
      const docs = (await data.load({ path: 'nyu-mll/glue', name: node.config.dataset_name!, split })).docs;
      expect(new Set(docs.map((d) => d.label)).size, node.name).toBe((node.config.doc_to_choice as string[]).length);
    }
  });
});
