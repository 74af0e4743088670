// Pre-flight: everything a run needs is checked before any compute (tasks, their data and labels,
// metrics, model files, output folder), and every problem is reported together, one line each.
import { accessSync, constants, existsSync, statSync, statfsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { YardstickError, isYardstickError } from './errors.js';
import type { DataSource } from './data/types.js';
import type { ModelSpec } from './engines/types.js';
import { validateModelSpec } from './engines/registry.js';
import { renderTask, problemsError, type RenderedTask } from './requests/render.js';
import { getAggregation } from './metrics/aggregations.js';
import { builtinMetricNames } from './metrics/per-doc.js';
import { leafTasks, type TaskNode, type TaskRegistry, type TreeNode } from './tasks/registry.js';

export interface PreflightInput {
  registry: TaskRegistry;
  taskNames: string[];
  data: DataSource;
  model: ModelSpec;
  limit?: number;
  numFewshot?: number;
  outputPath?: string;
  logSamples?: boolean;
  /** run the tasks that are ready; report the others as skipped instead of failing */
  skipMissing?: boolean;
  /** documents rendered so far for a task (rendering MMLU 5-shot takes seconds) */
  onProgress?: (at: { task: string; taskIndex: number; taskCount: number }, done: number, total: number) => void;
}

export interface SkippedTask {
  task: string;
  reason: YardstickError;
}

export interface PreflightResult {
  /** the task tree to run (without skipped tasks, and without groups that lost a task) */
  roots: TreeNode[];
  skipped: SkippedTask[];
  /** every task that checked out, rendered: pass to evaluate() so it is not rendered twice */
  rendered: Map<string, RenderedTask>;
}

/** Several problems found before any compute; the CLI prints one line per problem. */
export class PreflightError extends YardstickError {
  constructor(readonly problems: YardstickError[], skippable: boolean) {
    // one problem per line, each prefixed as the CLI prefixes a one-line error
    super('usage', problems.map((p) => p.oneLine()).join('\nyardstick: '), {
      hint: `${problems.length} problem(s) found before any compute; nothing was run${skippable ? ' (--skip-missing runs the tasks that are ready)' : ''}`,
    });
  }

  override oneLine(): string {
    if (this.problems.length === 1) return this.problems[0]!.oneLine();
    return `${this.message}\nyardstick: ${this.hint}`;
  }
}

function asProblem(e: unknown): YardstickError {
  if (isYardstickError(e)) return e;
  throw e;
}

/** Checks everything; throws a PreflightError listing every problem, or returns what to run. */
export async function preflight(input: PreflightInput): Promise<PreflightResult> {
  const fatal: YardstickError[] = [...input.registry.clashes];
  const roots: TreeNode[] = [];
  for (const name of input.taskNames) {
    try {
      roots.push(...input.registry.expand([name]).filter((r) => !roots.some((x) => x.name === r.name)));
    } catch (e) {
      fatal.push(asProblem(e));
    }
  }
  const taskProblems: SkippedTask[] = [];
  const rendered = new Map<string, RenderedTask>();
  let outputBytes = 0;
  const leaves = leafTasks(roots);
  for (const [i, node] of leaves.entries()) {
    const at = { task: node.name, taskIndex: i + 1, taskCount: leaves.length };
    const checked = await checkTask(node, input, (done, total) => input.onProgress?.(at, done, total));
    if (checked instanceof YardstickError) {
      taskProblems.push({ task: node.name, reason: checked });
    } else {
      rendered.set(node.name, checked);
      outputBytes += sampleBytes(checked);
    }
  }
  fatal.push(...checkModel(input.model));
  if (input.outputPath) fatal.push(...checkOutput(input.outputPath, input.logSamples ? outputBytes : 0));
  const skippable = taskProblems.length > 0 && taskProblems.length < leaves.length;
  if (fatal.length > 0 || (taskProblems.length > 0 && !input.skipMissing)) {
    throw new PreflightError([...fatal, ...taskProblems.map((t) => t.reason)], skippable && fatal.length === 0);
  }
  const skip = new Set(taskProblems.map((t) => t.task));
  const kept = pruneTasks(roots, skip);
  if (leafTasks(kept).length === 0) {
    throw new PreflightError(
      [...taskProblems.map((t) => t.reason), new YardstickError('usage', 'no task is ready to run')],
      false,
    );
  }
  return { roots: kept, skipped: taskProblems, rendered };
}

/**
 * Renders every document the run will use (prompts, few-shot examples, requests, gold labels)
 * without a model. Returns the first problem (with how many documents have one), or the rendered
 * task, which the evaluation then encodes instead of rendering it again.
 */
async function checkTask(node: TaskNode, input: PreflightInput, onProgress: (done: number, total: number) => void): Promise<YardstickError | RenderedTask> {
  try {
    const metricProblem = checkMetrics(node);
    if (metricProblem) return metricProblem;
    const { task, problems } = await renderTask(node, input, onProgress);
    return problems ? problemsError(problems) : task;
  } catch (e) {
    return asProblem(e);
  }
}

/** An estimate of the bytes a task's sample log takes: the doc and every request's arguments, twice over in places. */
function sampleBytes(t: RenderedTask): number {
  let bytes = 0;
  for (const d of t.docs) {
    bytes += 2 * JSON.stringify(d.doc).length + d.instances.reduce((a, i) => a + JSON.stringify(i.arguments).length + 200, 0) + 500;
  }
  return bytes;
}

/** A metric the task cannot compute would leave its table empty: name it and the known ones. */
function checkMetrics(node: TaskNode): YardstickError | undefined {
  const outputType = node.config.output_type ?? 'generate_until';
  const ownResults = node.config.process_results !== undefined;
  const known = builtinMetricNames[outputType];
  if (!ownResults && !known) {
    return new YardstickError('task', `task ${node.name} (${node.source}): ${outputType} tasks need a process_results function`);
  }
  for (const m of node.config.metric_list ?? []) {
    if (typeof m?.metric !== 'string') {
      return new YardstickError('task', `task ${node.name} (${node.source}): a metric_list entry has no metric name`);
    }
    if (!ownResults && !known!.includes(m.metric)) {
      return new YardstickError('task', `task ${node.name} (${node.source}): unknown metric '${m.metric}' for ${outputType}`, {
        hint: `known metrics: ${known!.join(', ')}`,
      });
    }
    if (m.aggregation !== undefined) {
      try {
        getAggregation(String(m.aggregation));
      } catch (e) {
        const err = asProblem(e);
        return new YardstickError('task', `task ${node.name} (${node.source}), metric ${m.metric}: ${err.message}`, { hint: err.hint });
      }
    }
  }
  return undefined;
}

/** The engine and its arguments, and for the local-folder engines that the folder holds a model. */
function checkModel(spec: ModelSpec): YardstickError[] {
  try {
    validateModelSpec(spec);
  } catch (e) {
    return [asProblem(e)];
  }
  const dir = spec.args.pretrained;
  if (dir === undefined || (spec.engine !== 'onnx' && spec.engine !== 'hf')) return [];
  const folder = spec.args.subfolder ? join(dir, spec.args.subfolder) : dir;
  // hf:OWNER/NAME is a Hub repository, fetched when the engine opens; only local folders are checked here
  if (spec.engine === 'hf' && !existsSync(folder) && /^[\w.-]+\/[\w.-]+$/.test(dir)) return [];
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    return [new YardstickError('model', `model folder not found: ${folder}`, { hint: 'pass a model folder (yardstick make-model writes one)' })];
  }
  const needed = spec.engine === 'onnx' ? ['config.json', join('onnx', 'model.onnx')] : ['config.json'];
  return needed
    .filter((f) => !existsSync(join(folder, f)))
    .map((f) => new YardstickError('model', `model folder ${folder} has no ${f}`, { hint: 'the folder is incomplete; re-create or re-download the model' }));
}

/** The output folder (or its nearest existing parent) must be writable with room for the output. */
function checkOutput(outputPath: string, sampleBytes: number): YardstickError[] {
  const target = resolve(outputPath.endsWith('.json') ? dirname(outputPath) : outputPath);
  let existing = target;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!statSync(existing).isDirectory()) {
    return [new YardstickError('usage', `--output-path ${outputPath}: ${existing} is a file, not a folder`, { hint: 'choose a folder for --output-path' })];
  }
  try {
    accessSync(existing, constants.W_OK);
  } catch {
    return [new YardstickError('usage', `--output-path ${outputPath} is not writable (${existing})`, { hint: 'choose a writable --output-path' })];
  }
  const needed = sampleBytes + 1_000_000;
  const fs = statfsSync(existing);
  const free = fs.bavail * fs.bsize;
  if (free < needed) {
    return [new YardstickError('usage', `--output-path ${outputPath} has ${mib(free)} free; the run's output needs about ${mib(needed)}`, {
      hint: 'free some space or choose another --output-path',
    })];
  }
  return [];
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Drops skipped tasks; a group that lost one is dissolved into its remaining members, so no
 *  group score is ever computed over part of its tasks. */
export function pruneTasks(nodes: TreeNode[], skip: Set<string>): TreeNode[] {
  const out: TreeNode[] = [];
  for (const n of nodes) {
    if (n.kind === 'task') {
      if (!skip.has(n.name)) out.push(n);
      continue;
    }
    const children = pruneTasks(n.children, skip);
    const intact = leafTasks([n]).every((l) => !skip.has(l.name));
    if (intact) out.push(n);
    else out.push(...children);
  }
  return out;
}
