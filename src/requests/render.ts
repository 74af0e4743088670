// A task's documents rendered into lm-eval requests, without a model: data loaded, few-shot
// examples drawn, prompts rendered, instances built, gold labels checked. The pre-flight check
// renders every task once and hands the result to the evaluation, which only encodes it.
import { YardstickError, isYardstickError } from '../errors.js';
import type { DataSource, Doc } from '../data/types.js';
import { buildFilters, type FilterPipeline } from '../metrics/filters.js';
import { PyRandom } from '../metrics/pyrandom.js';
import { Task, type FewshotRng } from '../tasks/task.js';
import type { TaskNode } from '../tasks/registry.js';
import { buildInstances } from './build.js';
import type { Instance } from './instance.js';

export interface RenderOptions {
  data: DataSource;
  /** lm-eval --limit: an integer count, or a fraction of the split when < 1 */
  limit?: number;
  /** overrides every task whose YAML num_fewshot is not 0 */
  numFewshot?: number;
  fewshotSeed?: number;
}

export interface RenderedDoc {
  docId: number;
  doc: Doc;
  target: unknown;
  instances: Instance[];
  /** multiple_choice: the choices the document is scored on */
  choices?: string[];
}

export interface RenderedTask {
  node: TaskNode;
  task: Task;
  numFewshot: number;
  repeats: number;
  filters: FilterPipeline[];
  /** documents in the evaluation split, before --limit */
  originalCount: number;
  docs: RenderedDoc[];
}

/** What went wrong with a task's documents: the first problem and how many documents have one. */
export interface DocProblems {
  first: YardstickError;
  bad: number;
  of: number;
}

export function effectiveLimit(limit: number | undefined, n: number): number {
  if (limit === undefined) return n;
  if (limit < 1) return Math.ceil(n * limit);
  return Math.min(n, Math.floor(limit));
}

export interface Rendered {
  task: RenderedTask;
  /** documents that failed to render (they are not in task.docs) */
  problems?: DocProblems;
}

/** Renders every document the run will use; a document that fails is counted, not fatal here. */
export async function renderTask(node: TaskNode, options: RenderOptions, onProgress?: (done: number, total: number) => void): Promise<Rendered> {
  const task = new Task(node.config, node.source);
  const where = `task ${task.name}`;
  const filters = buildFilters(node.config.filter_list, where);
  const repeats = node.config.repeats ?? 1;
  if (!Number.isInteger(repeats) || repeats < 1) throw new YardstickError('task', `${where}: repeats must be a positive integer, got ${JSON.stringify(repeats)}`);
  // --num-fewshot overrides every task except those whose YAML pins num_fewshot: 0
  const yamlShots = node.config.num_fewshot;
  const numFewshot = yamlShots === 0 ? 0 : options.numFewshot ?? yamlShots ?? 0;
  await task.load(options.data, numFewshot);
  if (task.evalDocs.length === 0) {
    throw new YardstickError('data', `task ${node.name}: split ${task.evalSplit} of ${task.config.dataset_path} has no documents`, {
      hint: 'the data file is empty; re-import or re-download it',
    });
  }
  const rng: FewshotRng = new PyRandom(options.fewshotSeed ?? 1234);
  const n = effectiveLimit(options.limit, task.evalDocs.length);
  const docs: RenderedDoc[] = [];
  let problems: DocProblems | undefined;
  onProgress?.(0, n);
  for (let docId = 0; docId < n; docId++) {
    const doc = task.evalDocs[docId]!;
    try {
      const shots = numFewshot > 0 ? task.selectFewshot(doc, numFewshot, rng) : [];
      const contexts = task.contexts(doc, docId, shots);
      const instances = buildInstances(task, doc, docId, contexts);
      const choices = task.outputType === 'multiple_choice' ? (task.multipleInput ? contexts : task.docToChoice(doc, docId)) : undefined;
      // an out-of-range label fails here, before any compute
      if (task.outputType === 'multiple_choice') task.gold(doc, docId, choices ?? []);
      docs.push({ docId, doc, target: task.docToTarget(doc, docId), instances, choices });
    } catch (e) {
      if (!isYardstickError(e)) throw e;
      if (problems) problems.bad++;
      else problems = { first: e, bad: 1, of: n };
    }
    if ((docId + 1) % 50 === 0 || docId + 1 === n) onProgress?.(docId + 1, n);
  }
  return { task: { node, task, numFewshot, repeats, filters, originalCount: task.evalDocs.length, docs }, problems };
}

/** The problems as one error: the first, with how many documents have one. */
export function problemsError(p: DocProblems): YardstickError {
  return p.bad === 1 ? p.first : new YardstickError(p.first.kind, `${p.first.message} (${p.bad} of ${p.of} documents have problems)`, { hint: p.first.hint });
}
