// The in-memory record of an evaluation: per document its requests, responses, filtered
// responses and metrics; per task and group the aggregates. Reports derive everything from it.
import type { YardstickError } from './errors.js';
import type { Doc } from './data/types.js';
import type { Instance, Response } from './requests/instance.js';
import type { Task } from './tasks/task.js';
import type { GroupNode, TaskNode } from './tasks/registry.js';
import type { MetricValues } from './metrics/task-metrics.js';
import type { FilterPipeline } from './metrics/filters.js';

export interface EvaluatedDoc {
  docId: number;
  doc: Doc;
  target: unknown;
  instances: Instance[];
  /** per request, one response per repeat */
  responses: Response[][];
  /** per filter name, per request: the filtered response process_results saw */
  filtered: Record<string, unknown[]>;
  /** per filter name: the document's metric values */
  metrics: Record<string, Record<string, unknown>>;
  /** multiple_choice: the choices the document was scored on */
  choices?: string[];
}

export interface TaskRun {
  node: TaskNode;
  task: Task;
  numFewshot: number;
  repeats: number;
  filters: FilterPipeline[];
  originalCount: number;
  samples: EvaluatedDoc[];
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
