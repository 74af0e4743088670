// The in-memory record of an evaluation: per document its requests, responses, filtered
// responses and metrics; per task and group the aggregates. Reports derive everything from it.
import type { YardstickError } from './errors.js';
import type { Response } from './requests/instance.js';
import type { RenderedDoc, RenderedTask } from './requests/render.js';
import type { GroupNode } from './tasks/registry.js';
import type { MetricValues } from './metrics/task-metrics.js';

/** A rendered document with what the engine answered and what it scored. */
export interface EvaluatedDoc extends RenderedDoc {
  /** per request, one response per repeat */
  responses: Response[][];
  /** per filter name, per request: the filtered response process_results saw */
  filtered: Record<string, unknown[]>;
  /** per filter name: the document's metric values */
  metrics: Record<string, Record<string, unknown>>;
}

export interface TaskRun extends Omit<RenderedTask, 'docs'> {
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
