// The demo's bundled documents (written for yardstick, not taken from any dataset) for every task of the
// seed suite, and `writeSampleData`, which lays them out as a --data-dir: <dir>/<dataset_path>/<name>/<split>.jsonl.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Doc } from '../data/types.js';
import { GLUE } from './samples/glue.js';
import { LAMBADA_TEST } from './samples/lambada.js';
import { MATH_SUBSETS } from './samples/math.js';
import { mmluSampleSplits } from './samples/mmlu.js';
import { WINOGRANDE_TRAIN, WINOGRANDE_VALIDATION } from './samples/winogrande.js';

export { MMLU_SUBJECTS } from './samples/mmlu.js';

/** One split of one dataset config, with the Hugging Face column names. */
export interface SampleSplit {
  /** lm-eval dataset_path, e.g. "nyu-mll/glue" */
  path: string;
  /** lm-eval dataset_name; "default" when the task names none */
  name: string;
  split: string;
  docs: Doc[];
}

/** Every split the seed suite's tasks read (evaluation and few-shot pools). */
export function sampleSplits(): SampleSplit[] {
  const out: SampleSplit[] = [
    { path: 'EleutherAI/lambada_openai', name: 'default', split: 'test', docs: LAMBADA_TEST },
    { path: 'allenai/winogrande', name: 'winogrande_xl', split: 'validation', docs: WINOGRANDE_VALIDATION },
    { path: 'allenai/winogrande', name: 'winogrande_xl', split: 'train', docs: WINOGRANDE_TRAIN },
  ];
  for (const [config, splits] of Object.entries(GLUE)) {
    for (const [split, docs] of Object.entries(splits)) out.push({ path: 'nyu-mll/glue', name: config, split, docs });
  }
  for (const s of mmluSampleSplits()) {
    out.push({ path: 'cais/mmlu', name: s.subject, split: 'test', docs: s.test });
    out.push({ path: 'cais/mmlu', name: s.subject, split: 'dev', docs: s.dev });
  }
  for (const m of MATH_SUBSETS) {
    out.push({ path: 'EleutherAI/hendrycks_math', name: m.config, split: 'test', docs: m.test });
    out.push({ path: 'EleutherAI/hendrycks_math', name: m.config, split: 'train', docs: m.train });
  }
  return out;
}

export interface WrittenSampleData {
  dataDir: string;
  /** files written, one per split */
  files: string[];
  documents: number;
}

/** Writes every sample split as JSON Lines under `dataDir` (overwriting earlier copies). */
export function writeSampleData(dataDir: string): WrittenSampleData {
  const files: string[] = [];
  let documents = 0;
  for (const s of sampleSplits()) {
    const dir = join(dataDir, ...s.path.split('/'), s.name);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${s.split}.jsonl`);
    writeFileSync(file, s.docs.map((d) => `${JSON.stringify(d)}\n`).join(''));
    files.push(file);
    documents += s.docs.length;
  }
  return { dataDir, files, documents };
}
