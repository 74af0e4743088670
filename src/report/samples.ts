// Per-sample records in lm-eval's --log_samples format (spec §13), and the task hash built from them.
import type { EvaluatedDoc, TaskRun } from '../evaluation.js';
import type { LoglikelihoodResponse, Response } from '../requests/instance.js';
import { pyFloat, pyJsonDumps, pyStr } from './pyjson.js';
import { pyGenerationKwargs, sha256Hex } from './results-json.js';

function responseLeaves(r: Response): unknown {
  if (typeof r === 'object' && r !== null && 'logprob' in r) {
    const ll = r as LoglikelihoodResponse;
    return [pyStr(pyFloat(ll.logprob)), pyStr(ll.isGreedy)];
  }
  return pyStr(r);
}

/** Python types of per-doc metric values: MC accuracies are floats, lambada acc and MATH exact_match ints. */
function metricValue(run: TaskRun, metric: string, value: unknown): unknown {
  if (typeof value !== 'number') return value;
  const floatish =
    !Number.isInteger(value) ||
    metric === 'perplexity' ||
    (run.task.outputType === 'multiple_choice' && ['acc', 'acc_norm', 'acc_bytes', 'exact_match'].includes(metric));
  return floatish ? pyFloat(value) : value;
}

/** One logged sample: a document under one filter (lm-eval writes a line per document and filter). */
export function sampleRecord(run: TaskRun, s: EvaluatedDoc, filter = run.filters[0]?.name ?? 'none'): Record<string, unknown> {
  const metrics = s.metrics[filter] ?? {};
  const docHash = sha256Hex(pyJsonDumps(s.doc, { indent: 2 }));
  const promptHash = sha256Hex(String(s.instances[0]?.arguments[0] ?? ''));
  const targetText = pyStr(s.target);
  const record: Record<string, unknown> = {
    doc_id: s.docId,
    doc: s.doc,
    target: targetText,
    arguments: Object.fromEntries(
      s.instances.map((inst, i) => [`gen_args_${i}`, Object.fromEntries(inst.arguments.map((a, j) => [`arg_${j}`, pyGenerationKwargs(a)]))]),
    ),
    resps: s.responses.map((perRepeat) => perRepeat.map(responseLeaves)),
    filtered_resps: (s.filtered[filter] ?? []).map(filteredLeaves),
    filter,
    metrics: Object.keys(metrics),
    doc_hash: docHash,
    prompt_hash: promptHash,
    target_hash: sha256Hex(targetText),
  };
  for (const [k, v] of Object.entries(metrics)) record[k] = metricValue(run, k, v);
  return record;
}

function filteredLeaves(r: unknown): unknown {
  return Array.isArray(r) ? r.map((x) => responseLeaves(x as Response)) : responseLeaves(r as Response);
}

/** The JSONL text of one task's samples (one json.dumps line per document, filter by filter). */
export function samplesJsonl(run: TaskRun): string {
  return run.filters.flatMap((f) => run.samples.map((s) => pyJsonDumps(sampleRecord(run, s, f.name)) + '\n')).join('');
}

/** lm-eval's task_hashes entry: sha256 over doc_hash + prompt_hash + target_hash of every sample. */
export function taskHash(run: TaskRun): string {
  const parts = run.samples.map((s) => {
    const r = sampleRecord(run, s);
    return `${r.doc_hash}${r.prompt_hash}${r.target_hash}`;
  });
  return sha256Hex(parts.join(''));
}
