// The pipeline, end to end: tasks -> requests -> engine -> per-doc metrics -> task and group
// aggregates. Mirrors lm-eval's simple_evaluate/evaluate. Every task is prepared (data, prompts,
// token ids) before any compute, so bad input fails early; then tasks run one at a time and each
// is reported as soon as it is done. Writes nothing itself (see src/report).
import { isYardstickError } from './errors.js';
import type { Engine, GenerateRequest, ScoreRequest } from './engines/types.js';
import { generateAll, scoreAll, type ProgressFn } from './engines/scheduler.js';
import type { ModelCache } from './engines/cache/model-cache.js';
import { renderTask, problemsError, type RenderedTask, type RenderOptions } from './requests/render.js';
import { generationResponse, planInstance, scoreResponse, type EnginePlan } from './requests/engine-requests.js';
import type { EncodingRules } from './requests/tokenize.js';
import { leafTasks, type GroupNode, type TreeNode } from './tasks/registry.js';
import { docMetrics } from './metrics/doc-metrics.js';
import { aggregateTask, aggregateGroup } from './metrics/task-metrics.js';
import { DEFAULT_BOOTSTRAP_ITERS } from './metrics/stderr.js';
import type { PythonVersion } from './metrics/pysum.js';
import type { EvaluatedDoc, EvaluationRun, GroupRun, TaskRun } from './evaluation.js';

export type { EvaluatedDoc, EvaluationRun, GroupRun, TaskRun } from './evaluation.js';

export interface ProgressEvent {
  task: string;
  /** check: the pre-flight check renders the documents; prepare: their requests are encoded */
  phase: 'check' | 'prepare' | 'loglikelihood' | 'generate_until';
  /** position of this task among the tasks to run (1-based) and their count */
  taskIndex: number;
  taskCount: number;
}

export interface EvaluateOptions extends RenderOptions {
  engine: Engine;
  roots: TreeNode[];
  encoding: EncodingRules;
  batchSize: number;
  /** padded tokens per scoring pass (rows × bucketed length); default: rows only */
  maxBatchTokens?: number;
  /** compute long shared prefixes once where the engine can (default true) */
  prefixSharing?: boolean;
  bootstrapIters?: number;
  /** whose float summation the aggregates reproduce (CPython <= 3.11 naive, >= 3.12 Neumaier) */
  python?: PythonVersion;
  onProgress?: (event: ProgressEvent, p: Parameters<ProgressFn>[0]) => void;
  /** called once per task as soon as its metrics are final (to write it before the next starts) */
  onTaskDone?: (run: TaskRun) => void | Promise<void>;
  /** aborted with reason 'SIGINT' or 'SIGTERM': stop after the current batch (RunInterrupted) */
  signal?: AbortSignal;
  /** answers already computed for this model; new answers are added as they come */
  cache?: ModelCache;
  /** tasks the pre-flight check rendered (by task name), with the same data, limit, shots and seed */
  rendered?: Map<string, RenderedTask>;
}

/** A task ready to run: its documents' requests encoded for the engine. */
interface PreparedTask {
  run: TaskRun;
  /** per document, per instance: what the engine must answer */
  plans: EnginePlan[][];
}

export async function evaluate(options: EvaluateOptions): Promise<EvaluationRun> {
  const failed: EvaluationRun['failed'] = [];
  const prepared: PreparedTask[] = [];
  const leaves = leafTasks(options.roots);
  for (const [i, node] of leaves.entries()) {
    try {
      const event: ProgressEvent = { task: node.name, phase: 'prepare', taskIndex: i + 1, taskCount: leaves.length };
      prepared.push(await prepareTask(node, options, (p) => options.onProgress?.(event, p)));
    } catch (e) {
      if (!isYardstickError(e)) throw e;
      failed.push({ task: node.name, error: e });
    }
  }
  const done: TaskRun[] = [];
  for (const [i, p] of prepared.entries()) {
    try {
      const event = { task: p.run.node.name, taskIndex: i + 1, taskCount: prepared.length };
      await answerTask(p, options, (phase, progress) => options.onProgress?.({ ...event, phase }, progress));
      await scoreTask(p.run, options.bootstrapIters ?? DEFAULT_BOOTSTRAP_ITERS, options.python);
    } catch (e) {
      if (!isYardstickError(e)) throw e;
      p.run.error = e;
      failed.push({ task: p.run.node.name, error: e });
      continue;
    }
    done.push(p.run);
    await options.onTaskDone?.(p.run);
  }
  const groups = collectGroups(options.roots).map((node) => groupResults(node, done, options.python));
  return { tasks: done, groups, failed };
}

/** Renders the task (unless the pre-flight check already did) and encodes its requests. */
async function prepareTask(node: TaskRun['node'], options: EvaluateOptions, onProgress: ProgressFn): Promise<PreparedTask> {
  let rendered = options.rendered?.get(node.name);
  if (!rendered) {
    const r = await renderTask(node, options);
    if (r.problems) throw problemsError(r.problems);
    rendered = r.task;
  }
  const { docs, ...taskFields } = rendered;
  const where = `task ${rendered.task.name}`;
  const tok = options.engine.tokenizer;
  const plans: EnginePlan[][] = [];
  onProgress({ done: 0, total: docs.length, tokens: 0 });
  for (const [i, d] of docs.entries()) {
    plans.push(d.instances.map((inst) => planInstance(inst, tok, options.encoding, `${where}, doc ${d.docId}`)));
    if ((i + 1) % 50 === 0 || i + 1 === docs.length) onProgress({ done: i + 1, total: docs.length, tokens: 0 });
  }
  const samples: EvaluatedDoc[] = docs.map((d) => ({ ...d, responses: [], filtered: {}, metrics: {} }));
  const run: TaskRun = { ...taskFields, samples, results: {} };
  return { run, plans };
}

/** Runs the task's requests through the scheduler and stores each instance's responses. */
async function answerTask(p: PreparedTask, options: EvaluateOptions, onProgress: (phase: ProgressEvent['phase'], progress: Parameters<ProgressFn>[0]) => void): Promise<void> {
  const { engine, batchSize } = options;
  const { repeats } = p.run;
  const scoreRequests: ScoreRequest[] = [];
  const genRequests: GenerateRequest[] = [];
  for (const docPlans of p.plans) {
    for (const plan of docPlans) {
      if (plan.kind === 'score') scoreRequests.push(...plan.requests);
      // greedy generation repeats identically, so it is asked once; sampling asks once per repeat
      else for (let r = 0; r < (plan.request.sampling?.doSample ? repeats : 1); r++) genRequests.push(plan.request);
    }
  }
  const batching = { batchSize, maxBatchTokens: options.maxBatchTokens, prefixSharing: options.prefixSharing };
  const scored = scoreRequests.length > 0 ? await scoreAll(engine, scoreRequests, batching, (x) => onProgress('loglikelihood', x), options.cache, options.signal) : [];
  const generated = genRequests.length > 0 ? await generateAll(engine, genRequests, batchSize, (x) => onProgress('generate_until', x), options.cache, options.signal) : [];
  let k = 0;
  let g = 0;
  p.run.samples.forEach((sample, d) => {
    sample.responses = p.plans[d]!.map((plan) => {
      if (plan.kind === 'score') {
        const response = scoreResponse(scored.slice(k, k + plan.requests.length));
        k += plan.requests.length;
        return Array.from({ length: repeats }, () => response);
      }
      const n = plan.request.sampling?.doSample ? repeats : 1;
      const texts = generated.slice(g, g + n).map((r) => generationResponse(plan.request, r, engine.tokenizer));
      g += n;
      return Array.from({ length: repeats }, (_, r) => texts[r % n]!);
    });
  });
}

/** Filters each document's responses, computes its metrics per filter, aggregates the task. */
async function scoreTask(run: TaskRun, bootstrapIters: number, python?: PythonVersion): Promise<void> {
  const { task } = run;
  const metricNames = task.metrics.map((m) => m.metric);
  const processResults = task.processResultsFunction();
  for (const sample of run.samples) {
    for (const filter of run.filters) {
      const filtered = sample.responses.map((perRepeat) => filter.apply(perRepeat));
      sample.filtered[filter.name] = filtered;
      sample.metrics[filter.name] = docMetrics({
        task: task.name,
        outputType: task.outputType,
        metricNames,
        processResults,
        doc: sample.doc,
        responses: filtered,
        choices: sample.choices,
        gold: task.outputType === 'multiple_choice' ? task.gold(sample.doc, sample.docId, sample.choices ?? []) : undefined,
        text: task.outputType === 'loglikelihood_rolling' ? String(sample.instances[0]!.arguments[0]) : undefined,
      });
    }
  }
  run.results = {};
  for (const filter of run.filters) {
    const values = await aggregateTask(task.metrics, run.samples.map((s) => s.metrics[filter.name]!), bootstrapIters, python, filter.name);
    Object.assign(run.results, values);
  }
}

/** Groups in post-order (children before parents), roots in load order (spec §12.2). */
export function collectGroups(roots: TreeNode[]): GroupNode[] {
  const out: GroupNode[] = [];
  const walk = (n: TreeNode): void => {
    if (n.kind !== 'group') return;
    n.children.forEach(walk);
    if (!out.includes(n)) out.push(n);
  };
  roots.forEach(walk);
  return out;
}

function groupResults(node: GroupNode, runs: TaskRun[], python?: PythonVersion): GroupRun {
  const leafNames = leafTasks([node]).map((l) => l.name);
  const leaves = leafNames.map((n) => runs.find((r) => r.node.name === n)).filter((r): r is TaskRun => r !== undefined);
  const sampleLen = leaves.reduce((a, r) => a + r.samples.length, 0);
  const aggregates = node.config.aggregate_metric_list;
  if (!aggregates || aggregates.length === 0 || leaves.length !== leafNames.length) {
    return { node, results: {}, sampleLen };
  }
  return {
    node,
    sampleLen,
    results: aggregateGroup(
      aggregates,
      leaves.map((r) => ({ results: r.results, size: r.samples.length })),
      python,
    ),
  };
}
