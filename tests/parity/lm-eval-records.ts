// Builders for constructed run folders in lm-eval's exact on-disk formats (semantics §12 results JSON,
// §13 samples JSONL): key order, str()-ed responses ("-1.5", "False"), gen_args_<i>/arg_<j> arguments,
// sha256 hashes of json.dumps(doc, indent=2). Independent of yardstick's own writers.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParityRun, ResultsJson, SampleRecord } from '../../src/parity/index.js';

export const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** Python str(float) for the values used in these fixtures (no exponent notation needed). */
export function pyFloatStr(x: number): string {
  if (x === -Infinity) return '-inf';
  if (Number.isInteger(x)) return x.toFixed(1);
  return String(x);
}

type Doc = Record<string, unknown>;

/** json.dumps(doc, indent=2, ensure_ascii=False) equals JSON.stringify(doc, null, 2) for string/int docs. */
const docHash = (doc: Doc): string => sha256(JSON.stringify(doc, null, 2));

function record(
  docId: number,
  doc: Doc,
  target: string,
  args: Array<[string, unknown]>,
  responses: unknown[],
  metrics: Record<string, unknown>,
): SampleRecord {
  const rec: Record<string, unknown> = {
    doc_id: docId,
    doc,
    target,
    arguments: Object.fromEntries(args.map(([a0, a1], i) => [`gen_args_${i}`, { arg_0: a0, arg_1: a1 }])),
    resps: responses.map((r) => [r]),
    filtered_resps: responses,
    filter: 'none',
    metrics: Object.keys(metrics),
    doc_hash: docHash(doc),
    prompt_hash: sha256(args[0]![0]),
    target_hash: sha256(target),
    ...metrics,
  };
  return rec as SampleRecord;
}

/** A multiple_choice record: one (context, " choice") request per choice, acc = argmax == gold. */
export function mcSample(opts: {
  docId: number;
  doc: Doc;
  context: string | string[];
  choices: string[];
  lls: number[];
  greedy?: boolean[];
  gold: number;
  delimiter?: string;
  continuations?: string[];
  metrics?: Record<string, unknown>;
}): SampleRecord {
  const delim = opts.delimiter ?? ' ';
  const contexts = Array.isArray(opts.context) ? opts.context : opts.choices.map(() => opts.context as string);
  const conts = opts.continuations ?? opts.choices.map((c) => delim + c);
  const args = contexts.map((c, i) => [c, conts[i]!] as [string, unknown]);
  const responses = opts.lls.map((ll, i) => [pyFloatStr(ll), opts.greedy?.[i] ? 'True' : 'False']);
  let best = 0;
  opts.lls.forEach((ll, i) => {
    if (ll > opts.lls[best]!) best = i;
  });
  const metrics = opts.metrics ?? { acc: best === opts.gold ? 1.0 : 0.0 };
  return record(opts.docId, opts.doc, String(opts.gold), args, responses, metrics);
}

/** A generate_until record (hendrycks_math shape). */
export function genSample(opts: { docId: number; doc: Doc; context: string; target: string; generation: string; exactMatch: number; kwargs?: unknown }): SampleRecord {
  const kwargs = opts.kwargs ?? { until: ['Problem:'], do_sample: false, temperature: 0.0 };
  return record(opts.docId, opts.doc, opts.target, [[opts.context, kwargs]], [[opts.generation]], { exact_match: opts.exactMatch });
}

/** A loglikelihood record (lambada shape): perplexity = ll, acc = int(is_greedy). */
export function llSample(opts: { docId: number; doc: Doc; context: string; continuation: string; ll: number; greedy: boolean }): SampleRecord {
  return record(opts.docId, opts.doc, opts.continuation, [[opts.context, opts.continuation]], [[pyFloatStr(opts.ll), opts.greedy ? 'True' : 'False']], {
    perplexity: opts.ll,
    acc: opts.greedy ? 1 : 0,
  });
}

export interface RunSpec {
  /** 'lm-eval' writes lm_eval_version + model_args; 'yardstick' adds the yardstick block */
  tool: 'lm-eval' | 'yardstick';
  lmEvalVersion?: string;
  modelArgs?: string | Record<string, string>;
  bosPolicy?: 'tokenizer' | 'always' | 'never';
  addBosToken?: boolean | null;
  maxLength?: number;
  batchSize?: number | string;
  bootstrapIters?: number;
  /** task → results entry metrics, e.g. {"acc,none": 0.5, "acc_stderr,none": 0.1} */
  results: Record<string, Record<string, unknown>>;
  groups?: Record<string, string[]>;
  nShot?: Record<string, number>;
  configs?: Record<string, Record<string, unknown>>;
  versions?: Record<string, unknown>;
  samples: Record<string, SampleRecord[]>;
}

export function resultsJson(spec: RunSpec): ResultsJson {
  const results: Record<string, Record<string, unknown>> = {};
  for (const [task, metrics] of Object.entries(spec.results)) results[task] = { name: task, alias: task, sample_len: spec.samples[task]?.length ?? 0, ...metrics };
  const out: Record<string, unknown> = {
    results,
    ...(spec.groups ? { groups: Object.fromEntries(Object.keys(spec.groups).map((g) => [g, results[g]])) } : {}),
    group_subtasks: spec.groups ?? {},
    configs: spec.configs ?? {},
    versions: spec.versions ?? Object.fromEntries(Object.keys(spec.results).map((t) => [t, 1.0])),
    'n-shot': spec.nShot ?? Object.fromEntries(Object.keys(spec.samples).map((t) => [t, 0])),
    higher_is_better: {},
    'n-samples': Object.fromEntries(Object.entries(spec.samples).map(([t, s]) => [t, { original: s.length, effective: s.length }])),
    config: {
      model: spec.tool === 'lm-eval' ? 'hf' : 'onnx',
      model_args: spec.modelArgs ?? 'pretrained=/tmp/model,dtype=float32',
      model_num_parameters: 1000,
      model_dtype: 'torch.float32',
      batch_size: spec.batchSize ?? 1,
      bootstrap_iters: spec.bootstrapIters ?? 100000,
    },
    lm_eval_version: spec.tool === 'lm-eval' ? (spec.lmEvalVersion ?? '0.4.13') : null,
    tokenizer_bos_token: ['<s>', '1'],
    max_length: spec.maxLength ?? 2048,
    model_name: '/tmp/model',
  };
  if (spec.tool === 'yardstick') {
    out.yardstick = { bos_policy: spec.bosPolicy ?? 'tokenizer', add_bos_token: spec.addBosToken ?? null, lm_eval_compat: spec.lmEvalVersion ?? 'HEAD (0.4.13.dev0)' };
  }
  return out as ResultsJson;
}

export function parityRun(label: string, spec: RunSpec): ParityRun {
  return { label, results: resultsJson(spec), samples: new Map(Object.entries(spec.samples)) };
}

/** Writes the run in lm-eval's --output_path layout: DIR/<model>/results_<date>.json + samples_*.jsonl. */
export function writeRunFolder(dir: string, spec: RunSpec, dateId = '2026-01-02T03-04-05.000006'): string {
  const sub = join(dir, '__tmp__model');
  mkdirSync(sub, { recursive: true });
  writeFileSync(join(sub, `results_${dateId}.json`), JSON.stringify(resultsJson(spec), null, 2));
  for (const [task, samples] of Object.entries(spec.samples)) {
    // json.dumps default separators: ", " and ": "
    const lines = samples.map((s) => pyDumps(s) + '\n').join('');
    writeFileSync(join(sub, `samples_${task}_${dateId}.jsonl`), lines);
  }
  return dir;
}

/** json.dumps(x, ensure_ascii=False) with default separators, for plain JSON values. */
function pyDumps(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(pyDumps).join(', ')}]`;
  if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${pyDumps(x)}`).join(', ')}}`;
  if (typeof v === 'number' && Number.isInteger(v) && Object.is(v, v)) return String(v);
  return JSON.stringify(v);
}
