// Test helper: writes small run folders (results JSON + sample logs, lm-eval's --output_path layout) for
// cases the committed Python-made fixtures do not cover. JSON.stringify spacing differs from Python's
// json.dumps; the readers do not depend on spacing.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TaskSpec {
  /** "acc" → value; stderr defaults to 0.01 */
  metrics: Record<string, number>;
  samples?: Array<Record<string, unknown>>;
  nShot?: number;
  sampleLen?: number;
  higherIsBetter?: Record<string, boolean>;
}

export interface RunSpec {
  modelName: string;
  tasks: Record<string, TaskSpec>;
  groupSubtasks?: Record<string, string[]>;
  numParameters?: number;
  dateId?: string;
}

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

export function tempDir(prefix = 'yardstick-compare-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes <root>/<model name sanitized>/results_<date>.json (+ samples) and returns root. */
export function writeRun(root: string, spec: RunSpec): string {
  const dateId = spec.dateId ?? '2025-03-01T12-00-00.000000';
  const dir = join(root, spec.modelName.replace(/\//g, '__'));
  mkdirSync(dir, { recursive: true });
  const results: Record<string, Record<string, unknown>> = {};
  for (const [task, t] of Object.entries(spec.tasks)) {
    const entry: Record<string, unknown> = { name: task, alias: task, sample_len: t.sampleLen ?? t.samples?.length ?? 100 };
    for (const [m, v] of Object.entries(t.metrics)) {
      entry[`${m},none`] = v;
      entry[`${m}_stderr,none`] = 0.01;
    }
    results[task] = entry;
    if (t.samples) {
      writeFileSync(join(dir, `samples_${task}_${dateId}.jsonl`), t.samples.map((s) => JSON.stringify(s)).join('\n') + '\n');
    }
  }
  const doc = {
    results,
    group_subtasks: spec.groupSubtasks ?? {},
    'n-shot': Object.fromEntries(Object.entries(spec.tasks).map(([k, t]) => [k, t.nShot ?? 0])),
    higher_is_better: Object.fromEntries(
      Object.entries(spec.tasks).filter(([, t]) => t.higherIsBetter).map(([k, t]) => [k, t.higherIsBetter]),
    ),
    config: { model: 'hf', model_args: { pretrained: spec.modelName }, model_num_parameters: spec.numParameters ?? null },
    model_name: spec.modelName,
  };
  writeFileSync(join(dir, `results_${dateId}.json`), JSON.stringify(doc, null, 2));
  return root;
}

/** A two-choice loglikelihood sample whose pick is `pick` (gold = `gold`). */
export function choiceSample(docId: number, gold: number, pick: number, metrics: string[] = ['acc']): Record<string, unknown> {
  const doc = { text: `document ${docId}`, label: gold };
  const ctx = `Question ${docId}?\nAnswer:`;
  const lls = [-2, -2].map((x, j) => (j === pick ? x + 1 : x));
  const s: Record<string, unknown> = {
    doc_id: docId,
    doc,
    target: String(gold),
    arguments: { gen_args_0: { arg_0: ctx, arg_1: ' no' }, gen_args_1: { arg_0: ctx, arg_1: ' yes' } },
    resps: lls.map((ll) => [[String(ll), 'False']]),
    filtered_resps: lls.map((ll) => [String(ll), 'False']),
    filter: 'none',
    metrics,
    doc_hash: sha(JSON.stringify(doc, null, 2)),
    prompt_hash: sha(ctx),
    target_hash: sha(String(gold)),
  };
  for (const m of metrics) s[m] = m === 'acc' ? (pick === gold ? 1.0 : 0.0) : [gold, pick];
  return s;
}

/** A loglikelihood (lambada-style) sample with total loglikelihood `ll`. */
export function loglikelihoodSample(docId: number, ll: number, greedy: boolean): Record<string, unknown> {
  const doc = { text: `some words then target${docId}` };
  return {
    doc_id: docId,
    doc,
    target: ` target${docId}`,
    arguments: { gen_args_0: { arg_0: 'some words then', arg_1: ` target${docId}` } },
    resps: [[[String(ll), greedy ? 'True' : 'False']]],
    filtered_resps: [[String(ll), greedy ? 'True' : 'False']],
    filter: 'none',
    metrics: ['perplexity', 'acc'],
    doc_hash: sha(JSON.stringify(doc, null, 2)),
    prompt_hash: sha('some words then'),
    target_hash: sha(` target${docId}`),
    perplexity: ll,
    acc: greedy ? 1 : 0,
  };
}
