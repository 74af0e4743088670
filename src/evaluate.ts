// The pipeline, end to end: tasks -> requests -> engine -> per-doc metrics -> task and group
// aggregates. Mirrors lm-eval's simple_evaluate/evaluate; writes nothing (see src/report).
import { YardstickError, isYardstickError } from './errors.js';
import type { DataSource, Doc } from './data/types.js';
import type { Engine, ScoreRequest } from './engines/types.js';
import { generateAll, scoreAll, type ProgressFn } from './engines/scheduler.js';
import type { ModelCache } from './engines/cache/model-cache.js';
import { buildInstances } from './requests/build.js';
import type { GenerationKwargs, Instance, LoglikelihoodResponse, Response } from './requests/instance.js';
import { encodeGenerationContext, encodePair, rollingRequests, toScoreRequest, type EncodingRules } from './requests/tokenize.js';
import { Task, type FewshotRng } from './tasks/task.js';
import { leafTasks, type GroupNode, type TaskNode, type TreeNode } from './tasks/registry.js';
import { loglikelihoodResults, multipleChoiceResults, rollingResults } from './metrics/per-doc.js';
import { aggregateTask, aggregateGroup, type MetricValues } from './metrics/task-metrics.js';
import { PyRandom } from './metrics/pyrandom.js';
import type { PythonVersion } from './metrics/pysum.js';

export interface EvaluateOptions {
  engine: Engine;
  roots: TreeNode[];
  data: DataSource;
  encoding: EncodingRules;
  batchSize: number;
  /** lm-eval --limit: an integer count, or a fraction of the split when < 1 */
  limit?: number;
  /** overrides every task whose YAML num_fewshot is not 0 */
  numFewshot?: number;
  fewshotSeed?: number;
  bootstrapIters?: number;
  /** whose float summation the aggregates reproduce (CPython <= 3.11 naive, >= 3.12 Neumaier) */
  python?: PythonVersion;
  onProgress?: (phase: string, p: Parameters<ProgressFn>[0]) => void;
  /** answers already computed for this model; new answers are added as they come */
  cache?: ModelCache;
}

export interface SampleRecord {
  docId: number;
  doc: Doc;
  target: unknown;
  instances: Instance[];
  responses: Response[];
  metrics: Record<string, unknown>;
}

export interface TaskRun {
  node: TaskNode;
  task: Task;
  numFewshot: number;
  originalCount: number;
  samples: SampleRecord[];
  results: MetricValues;
  error?: YardstickError;
}

export interface GroupRun {
  node: GroupNode;
  results: MetricValues;
  sampleLen: number;
}

export interface EvaluationRun {
  tasks: TaskRun[];
  groups: GroupRun[];
  failed: Array<{ task: string; error: YardstickError }>;
}

interface PendingDoc {
  run: TaskRun;
  record: SampleRecord;
  choices?: string[];
}

function effectiveLimit(limit: number | undefined, n: number): number {
  if (limit === undefined) return n;
  if (limit < 1) return Math.ceil(n * limit);
  return Math.min(n, Math.floor(limit));
}

/** Loads, builds requests, runs the engine once per request type for all tasks, scores. */
export async function evaluate(options: EvaluateOptions): Promise<EvaluationRun> {
  const { engine, data, encoding } = options;
  const leaves = leafTasks(options.roots);
  const runs: TaskRun[] = [];
  const failed: EvaluationRun['failed'] = [];
  const pending: PendingDoc[] = [];

  for (const node of leaves) {
    try {
      const task = new Task(node.config, node.source);
      // --num-fewshot overrides every task except those whose YAML pins num_fewshot: 0
      const yamlShots = node.config.num_fewshot;
      const numFewshot = yamlShots === 0 ? 0 : options.numFewshot ?? yamlShots ?? 0;
      await task.load(data, numFewshot);
      const run: TaskRun = { node, task, numFewshot, originalCount: task.evalDocs.length, samples: [], results: {} };
      const rng: FewshotRng = new PyRandom(options.fewshotSeed ?? 1234);
      const n = effectiveLimit(options.limit, task.evalDocs.length);
      const docsForTask: PendingDoc[] = [];
      for (let docId = 0; docId < n; docId++) {
        const doc = task.evalDocs[docId]!;
        const shots = numFewshot > 0 ? task.selectFewshot(doc, numFewshot, rng) : [];
        const contexts = task.contexts(doc, docId, shots);
        const instances = buildInstances(task, doc, docId, contexts);
        const choices = task.outputType === 'multiple_choice' ? (task.multipleInput ? contexts : task.docToChoice(doc, docId)) : undefined;
        const target = task.docToTarget(doc, docId);
        docsForTask.push({ run, record: { docId, doc, target, instances, responses: [], metrics: {} }, choices });
      }
      runs.push(run);
      pending.push(...docsForTask);
      run.samples = docsForTask.map((p) => p.record);
    } catch (e) {
      if (!isYardstickError(e)) throw e;
      failed.push({ task: node.name, error: e });
    }
  }

  await answerRequests(engine, pending, encoding, options);

  for (const run of runs) {
    if (run.error) {
      failed.push({ task: run.node.name, error: run.error });
      continue;
    }
    try {
      await scoreTask(run, pending.filter((p) => p.run === run), options.bootstrapIters ?? 100000, options.python);
    } catch (e) {
      if (!isYardstickError(e)) throw e;
      failed.push({ task: run.node.name, error: e });
      run.error = e;
    }
  }
  const okRuns = runs.filter((r) => !r.error);
  const groups = collectGroups(options.roots).map((node) => groupResults(node, okRuns, options.python));
  return { tasks: okRuns, groups: groups.filter((g): g is GroupRun => g !== undefined), failed };
}

async function answerRequests(engine: Engine, pending: PendingDoc[], encoding: EncodingRules, options: EvaluateOptions): Promise<void> {
  const tok = engine.tokenizer;
  // loglikelihood (incl. multiple_choice) and rolling: one scoring pass over everything
  const scoreRequests: ScoreRequest[] = [];
  const scoreSlots: Array<{ record: SampleRecord; idx: number; windows: number }> = [];
  const genRequests: Array<{ record: SampleRecord; idx: number; kwargs: GenerationKwargs; until: string[]; context: string }> = [];
  for (const { run, record } of pending) {
    if (run.error) continue;
    // a document's requests are queued only once all of them encode; an encoding error fails its task only
    const docScores: ScoreRequest[] = [];
    const docSlots: typeof scoreSlots = [];
    const docGens: typeof genRequests = [];
    try {
      for (const inst of record.instances) {
        const what = `task ${run.task.name}, doc ${record.docId}`;
        if (inst.requestType === 'loglikelihood') {
          const [context, continuation] = inst.arguments as [string, string];
          docScores.push(toScoreRequest(encodePair(tok, context, continuation, encoding), engine.maxLength, what));
          docSlots.push({ record, idx: inst.idx, windows: 1 });
        } else if (inst.requestType === 'loglikelihood_rolling') {
          const windows = rollingRequests(tok, inst.arguments[0], encoding);
          docScores.push(...windows);
          docSlots.push({ record, idx: inst.idx, windows: windows.length });
        } else {
          const [context, kwargs] = inst.arguments as [string, GenerationKwargs];
          const until = normaliseUntil(kwargs, tok.eosTokenId === undefined ? undefined : tok.decode([tok.eosTokenId], false));
          docGens.push({ record, idx: inst.idx, kwargs, until, context });
        }
      }
    } catch (e) {
      if (!isYardstickError(e)) throw e;
      run.error = e;
      continue;
    }
    scoreRequests.push(...docScores);
    scoreSlots.push(...docSlots);
    genRequests.push(...docGens);
  }
  if (scoreRequests.length > 0) {
    const scored = await scoreAll(engine, scoreRequests, options.batchSize, (p) => options.onProgress?.('loglikelihood', p), options.cache);
    let k = 0;
    for (const slot of scoreSlots) {
      let logprob = 0;
      let isGreedy = true;
      for (let w = 0; w < slot.windows; w++) {
        logprob += scored[k]!.logprob;
        isGreedy &&= scored[k]!.isGreedy;
        k++;
      }
      slot.record.responses[slot.idx] = { logprob, isGreedy } satisfies LoglikelihoodResponse;
    }
  }
  if (genRequests.length > 0) {
    const requests = genRequests.map((g) => {
      const maxNewTokens = maxGenToks(g.kwargs);
      return {
        input: encodeGenerationContext(tok, g.context, encoding.bos, engine.maxLength, maxNewTokens),
        maxNewTokens,
        until: g.until,
      };
    });
    const generated = await generateAll(engine, requests, options.batchSize, (p) => options.onProgress?.('generate_until', p), options.cache);
    genRequests.forEach((g, i) => {
      let text = tok.decode(generated[i]!.tokens, true);
      for (const stop of g.until) if (stop !== '') text = text.split(stop)[0]!;
      g.record.responses[g.idx] = text;
    });
  }
}

/** lm-eval's generation kwargs normalisation (spec §5.4): until list + EOS text; max_gen_toks default 256. */
function normaliseUntil(kwargs: GenerationKwargs, eosText: string | undefined): string[] {
  const until = kwargs.until === undefined ? [] : Array.isArray(kwargs.until) ? [...kwargs.until] : [kwargs.until];
  if (eosText !== undefined && !until.includes(eosText)) until.push(eosText);
  return until;
}

function maxGenToks(kwargs: GenerationKwargs): number {
  for (const key of ['max_gen_toks', 'max_new_tokens', 'max_tokens', 'max_completion_tokens']) {
    const v = kwargs[key];
    if (typeof v === 'number') return v;
  }
  return 256;
}

async function scoreTask(run: TaskRun, docs: PendingDoc[], bootstrapIters: number, python?: PythonVersion): Promise<void> {
  const { task } = run;
  const metricNames = task.metrics.map((m) => m.metric);
  const custom = task.processResultsFunction();
  for (const { record, choices } of docs) {
    if (custom) record.metrics = custom(record.doc, record.responses);
    else if (task.outputType === 'loglikelihood') {
      record.metrics = loglikelihoodResults(metricNames, record.responses[0] as LoglikelihoodResponse);
    } else if (task.outputType === 'multiple_choice') {
      const gold = task.gold(record.doc, record.docId, choices ?? []);
      record.metrics = multipleChoiceResults(metricNames, record.responses as LoglikelihoodResponse[], choices ?? [], gold);
    } else if (task.outputType === 'loglikelihood_rolling') {
      record.metrics = rollingResults(metricNames, (record.responses[0] as LoglikelihoodResponse).logprob, String(record.instances[0]!.arguments[0]));
    } else {
      throw new YardstickError('task', `task ${task.name}: generate_until tasks need a process_results function`);
    }
  }
  run.results = await aggregateTask(task.metrics, run.samples.map((s) => s.metrics), bootstrapIters, python);
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

function groupResults(node: GroupNode, runs: TaskRun[], python?: PythonVersion): GroupRun | undefined {
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
