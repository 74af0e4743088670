// Builds lm-eval's results JSON (HEAD schema, spec §12) from an evaluation run. Values that are
// Python floats are marked with pyFloat so the file matches lm-eval's serialisation.
import { createHash } from 'node:crypto';
import type { EvaluationRun, GroupRun, TaskRun } from '../evaluation.js';
import type { TreeNode } from '../tasks/registry.js';
import { isFunctionRef } from '../tasks/config.js';
import type { MetricValues } from '../metrics/task-metrics.js';
import { pyFloat } from './pyjson.js';

export interface RunContext {
  model: string;
  modelArgs: Record<string, string>;
  modelName: string;
  numParameters?: number;
  dtype: string;
  /** resolved hub revision and commit, when the model came from a hub */
  revision?: string;
  sha?: string;
  batchSize: number;
  limit?: number;
  bootstrapIters: number;
  fewshotSeed: number;
  maxLength: number;
  tokenizer: { pad: [string | undefined, number]; eos: [string | undefined, number | undefined]; bos: [string | undefined, number | undefined] };
  startedAt: number;
  elapsedSeconds: number;
  taskHashes: Record<string, string>;
  /** lm-eval's chat settings as its EvaluationTracker records them (all null: a plain run) */
  chat?: {
    system_instruction: string | null;
    system_instruction_sha: string | null;
    fewshot_as_multiturn: boolean | null;
    chat_template: string | null;
    chat_template_sha: string | null;
  };
  /** yardstick's own record: BOS policy, data provenance, versions */
  yardstick: Record<string, unknown>;
}

/** lm-eval's TaskConfig turns generation_kwargs.temperature into a Python float (`0` -> `0.0`). */
export function pyGenerationKwargs<T>(kwargs: T): T {
  if (!kwargs || typeof kwargs !== 'object') return kwargs;
  const k = kwargs as Record<string, unknown>;
  return typeof k.temperature === 'number' ? ({ ...k, temperature: pyFloat(k.temperature) } as T) : kwargs;
}

/** lm-eval's sanitisation of a model name for folder names. */
export function sanitizeModelName(name: string): string {
  return name.replace(/["<>:/|\\?*[\]]+/g, '__');
}

function metricEntries(values: MetricValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) out[k] = typeof v === 'number' ? pyFloat(v) : v;
  return out;
}

function versionValue(v: unknown, asString: boolean): unknown {
  if (typeof v === 'bigint') return asString ? String(v) : Number(v);
  if (typeof v === 'number') return asString ? (Number.isInteger(v) ? `${v}.0` : String(v)) : pyFloat(v);
  return v ?? null;
}

function taskConfigRecord(run: TaskRun, ctx: RunContext): Record<string, unknown> {
  const c = run.task.config;
  const fn = (v: unknown): unknown => (isFunctionRef(v) ? `!function ${v.function}` : v);
  const record: Record<string, unknown> = {
    task: c.task,
    task_alias: c.task_alias,
    tag: undefined,
    dataset_path: c.dataset_path,
    dataset_name: c.dataset_name,
    dataset_kwargs: c.dataset_kwargs,
    training_split: c.training_split,
    validation_split: c.validation_split,
    test_split: c.test_split,
    fewshot_split: c.fewshot_split,
    process_docs: fn(c.process_docs),
    doc_to_text: fn(c.doc_to_text),
    doc_to_target: fn(c.doc_to_target),
    unsafe_code: false,
    doc_to_choice: fn(c.doc_to_choice),
    process_results: fn(c.process_results),
    description: c.description ?? '',
    target_delimiter: run.task.targetDelimiter,
    fewshot_delimiter: run.task.fewshotDelimiter,
    fewshot_config: c.fewshot_config,
    num_fewshot: run.numFewshot,
    metric_list: c.metric_list,
    output_type: run.task.outputType,
    generation_kwargs: pyGenerationKwargs(c.generation_kwargs),
    repeats: c.repeats ?? 1,
    filter_list: c.filter_list,
    should_decontaminate: c.should_decontaminate,
    doc_to_decontamination_query: c.doc_to_decontamination_query,
    metadata: { ...(c.metadata ?? {}), version: versionValue(c.metadata?.version, false), ...ctx.modelArgs, config_source: run.task.source },
  };
  for (const k of Object.keys(record)) if (record[k] === undefined || record[k] === null) delete record[k];
  return record;
}

function sortedObject<T>(entries: Array<[string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Direct-children rule for groups' n-shot / higher_is_better (spec §12.2, HEAD quirk kept). */
function propagateToGroups<T>(roots: TreeNode[], table: Map<string, T>, same: (a: T, b: T) => boolean): void {
  const visit = (n: TreeNode): void => {
    if (n.kind !== 'group') return;
    // HEAD processes a group before its child groups, so a group whose children are groups gets nothing
    const values = n.children.map((c) => table.get(c.name));
    if (values.length > 0 && values.every((v) => v !== undefined) && values.every((v) => same(v!, values[0]!))) {
      table.set(n.name, values[0]!);
    }
    n.children.forEach(visit);
  };
  roots.forEach(visit);
}

export function buildResultsJson(run: EvaluationRun, roots: TreeNode[], ctx: RunContext): Record<string, unknown> {
  const results: Record<string, unknown> = {};
  for (const t of run.tasks) {
    results[t.node.name] = { name: t.node.name, alias: t.task.alias, sample_len: t.samples.length, ...metricEntries(t.results) };
  }
  const groupEntry = (g: GroupRun): Record<string, unknown> => {
    const metricKeys = Object.keys(g.results).filter((k) => !k.includes('_stderr,'));
    return {
      alias: g.node.config.group_alias ?? g.node.name,
      name: g.node.name,
      sample_len: g.sampleLen,
      ...metricEntries(g.results),
      sample_count: Object.fromEntries(metricKeys.map((k) => [k, g.sampleLen])),
    };
  };
  const aggregating = run.groups.filter((g) => Object.keys(g.results).length > 0);
  for (const g of run.groups) results[g.node.name] = groupEntry(g);

  const groupSubtasks: Record<string, string[]> = {};
  const walk = (n: TreeNode): void => {
    if (n.kind !== 'group') return;
    groupSubtasks[n.name] = n.children.map((c) => c.name);
    n.children.forEach(walk);
  };
  roots.forEach(walk);

  const nShot = new Map<string, number>(run.tasks.map((t) => [t.node.name, t.numFewshot]));
  propagateToGroups(roots, nShot, (a, b) => a === b);
  const hib = new Map<string, Record<string, boolean>>(
    run.tasks.map((t) => [t.node.name, Object.fromEntries(t.task.metrics.map((m) => [m.metric, m.higherIsBetter]))]),
  );
  propagateToGroups(roots, hib, (a, b) => JSON.stringify(a) === JSON.stringify(b));

  const versions: Array<[string, unknown]> = run.tasks.map((t) => [t.node.name, versionValue(t.task.version, false)]);
  for (const g of run.groups) versions.push([g.node.name, versionValue(g.node.config.metadata?.version, true)]);

  return {
    results,
    ...(aggregating.length > 0 ? { groups: Object.fromEntries(aggregating.map((g) => [g.node.name, groupEntry(g)])) } : {}),
    group_subtasks: groupSubtasks,
    configs: sortedObject(run.tasks.map((t) => [t.node.name, taskConfigRecord(t, ctx)])),
    versions: sortedObject(versions),
    'n-shot': sortedObject([...nShot.entries()]),
    higher_is_better: sortedObject([...hib.entries()]),
    'n-samples': Object.fromEntries(run.tasks.map((t) => [t.node.name, { original: t.originalCount, effective: t.samples.length }])),
    config: {
      model: ctx.model,
      model_args: ctx.modelArgs,
      model_num_parameters: ctx.numParameters ?? null,
      model_dtype: ctx.dtype,
      model_revision: ctx.revision ?? 'main',
      model_sha: ctx.sha ?? '',
      batch_size: ctx.batchSize,
      batch_sizes: [],
      device: 'cpu',
      use_cache: null,
      limit: ctx.limit ?? null,
      bootstrap_iters: ctx.bootstrapIters,
      gen_kwargs: null,
      random_seed: 0,
      numpy_seed: 1234,
      torch_seed: 1234,
      fewshot_seed: ctx.fewshotSeed,
    },
    git_hash: null,
    date: pyFloat(ctx.startedAt),
    pretty_env_info: `yardstick on Node.js ${process.version} (${process.platform} ${process.arch})`,
    transformers_version: null,
    lm_eval_version: null,
    upper_git_hash: null,
    tokenizer_pad_token: [ctx.tokenizer.pad[0] ?? null, String(ctx.tokenizer.pad[1])],
    tokenizer_eos_token: [ctx.tokenizer.eos[0] ?? null, String(ctx.tokenizer.eos[1] ?? null)],
    tokenizer_bos_token: [ctx.tokenizer.bos[0] ?? null, String(ctx.tokenizer.bos[1] ?? null)],
    eot_token_id: ctx.tokenizer.eos[1] ?? null,
    max_length: ctx.maxLength,
    task_hashes: ctx.taskHashes,
    model_source: ctx.model,
    model_name: ctx.modelName,
    model_name_sanitized: sanitizeModelName(ctx.modelName),
    system_instruction: ctx.chat?.system_instruction ?? null,
    system_instruction_sha: ctx.chat?.system_instruction_sha ?? null,
    fewshot_as_multiturn: ctx.chat?.fewshot_as_multiturn ?? null,
    chat_template: ctx.chat?.chat_template ?? null,
    chat_template_sha: ctx.chat?.chat_template_sha ?? null,
    total_evaluation_time_seconds: String(ctx.elapsedSeconds),
    yardstick: ctx.yardstick,
  };
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
