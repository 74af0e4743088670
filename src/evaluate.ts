// The pipeline, end to end: tasks -> requests -> engine -> per-doc metrics -> task and group
// aggregates. Mirrors lm-eval's simple_evaluate/evaluate. Every task is prepared (data, prompts,
// token ids) before any compute, so bad input fails early; then tasks run one at a time and each
// is reported as soon as it is done. Writes nothing itself (see src/report).
import { YardstickError, isYardstickError } from './errors.js';
import type { DataSource } from './data/types.js';
import type { Engine, GenerateRequest, ScoreRequest } from './engines/types.js';
import { generateAll, scoreAll, type ProgressFn } from './engines/scheduler.js';
import type { ModelCache } from './engines/cache/model-cache.js';
import { buildInstances } from './requests/build.js';
import { generationResponse, planInstance, scoreResponse, type EnginePlan } from './requests/engine-requests.js';
import type { EncodingRules } from './requests/tokenize.js';
import { Task, type FewshotRng, type PromptOptions } from './tasks/task.js';
import { leafTasks, type GroupNode, type TreeNode } from './tasks/registry.js';
import { docMetrics } from './metrics/doc-metrics.js';
import { buildFilters } from './metrics/filters.js';
import { aggregateTask, aggregateGroup } from './metrics/task-metrics.js';
import { DEFAULT_BOOTSTRAP_ITERS } from './metrics/stderr.js';
import { PyRandom } from './metrics/pyrandom.js';
import type { PythonVersion } from './metrics/pysum.js';
import type { EvaluatedDoc, EvaluationRun, GroupRun, TaskRun } from './evaluation.js';

export type { EvaluatedDoc, EvaluationRun, GroupRun, TaskRun } from './evaluation.js';

export interface ProgressEvent {
  task: string;
  phase: 'prepare' | 'loglikelihood' | 'generate_until';
  /** position of this task among the tasks to run (1-based) and their count */
  taskIndex: number;
  taskCount: number;
}

export interface EvaluateOptions {
  engine: Engine;
  roots: TreeNode[];
  data: DataSource;
  encoding: EncodingRules;
  batchSize: number;
  /** padded tokens per scoring pass (rows × bucketed length); default: rows only */
  maxBatchTokens?: number;
  /** compute long shared prefixes once where the engine can (default true) */
  prefixSharing?: boolean;
  /** lm-eval --limit: an integer count, or a fraction of the split when < 1 */
  limit?: number;
  /** overrides every task whose YAML num_fewshot is not 0 */
  numFewshot?: number;
  /** lm-eval's --system_instruction, --apply_chat_template (the model's template) and --fewshot_as_multiturn */
  prompt?: PromptOptions;
  fewshotSeed?: number;
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
}

/** A task ready to run: its documents' requests encoded for the engine. */
interface PreparedTask {
  run: TaskRun;
  /** per document, per instance: what the engine must answer */
  plans: EnginePlan[][];
}

function effectiveLimit(limit: number | undefined, n: number): number {
  if (limit === undefined) return n;
  if (limit < 1) return Math.ceil(n * limit);
  return Math.min(n, Math.floor(limit));
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

/** Loads the task's documents, builds its prompts and requests, and encodes them. */
async function prepareTask(node: TaskRun['node'], options: EvaluateOptions, onProgress: ProgressFn): Promise<PreparedTask> {
  const task = new Task(node.config, node.source);
  const where = `task ${task.name}`;
  const filters = buildFilters(node.config.filter_list, where);
  const repeats = node.config.repeats ?? 1;
  if (!Number.isInteger(repeats) || repeats < 1) throw new YardstickError('task', `${where}: repeats must be a positive integer, got ${JSON.stringify(repeats)}`);
  // --num-fewshot overrides every task except those whose YAML pins num_fewshot: 0
  const yamlShots = node.config.num_fewshot;
  const numFewshot = yamlShots === 0 ? 0 : options.numFewshot ?? yamlShots ?? 0;
  await task.load(options.data, numFewshot);
  const rng: FewshotRng = new PyRandom(options.fewshotSeed ?? 1234);
  const n = effectiveLimit(options.limit, task.evalDocs.length);
  const samples: EvaluatedDoc[] = [];
  const plans: EnginePlan[][] = [];
  const tok = options.engine.tokenizer;
  onProgress({ done: 0, total: n, tokens: 0 });
  for (let docId = 0; docId < n; docId++) {
    const doc = task.evalDocs[docId]!;
    const shots = numFewshot > 0 ? task.selectFewshot(doc, numFewshot, rng) : [];
    const contexts = task.contexts(doc, docId, shots, options.prompt);
    const instances = buildInstances(task, doc, docId, contexts, options.prompt?.chat !== undefined);
    const choices = task.outputType === 'multiple_choice' ? (task.multipleInput ? contexts : task.docToChoice(doc, docId)) : undefined;
    const docPlans = instances.map((inst) => planInstance(inst, tok, options.encoding, `${where}, doc ${docId}`));
    samples.push({ docId, doc, target: task.docToTarget(doc, docId), instances, responses: [], filtered: {}, metrics: {}, choices });
    plans.push(docPlans);
    if ((docId + 1) % 50 === 0 || docId + 1 === n) onProgress({ done: docId + 1, total: n, tokens: 0 });
  }
  const run: TaskRun = { node, task, numFewshot, repeats, filters, originalCount: task.evalDocs.length, samples, results: {} };
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
