// Task and group aggregates as lm-eval reports them: "<metric>,none" and "<metric>_stderr,none"
// per metric (process_results key order), and size-weighted group scores with pooled stderr.
import type { AggregateMetricConfig } from '../tasks/config.js';
import { getAggregation, metricDefaults, type MetricItem } from './aggregations.js';
import { aggregateSubtaskMetrics, groupStderr } from './groups.js';
import { metricStderrAsync, type Stderr } from './stderr.js';
import { DEFAULT_PYTHON_VERSION, type PythonVersion } from './pysum.js';

/** Result keys ("acc,none", "acc_stderr,none", ...) in lm-eval order. */
export type MetricValues = Record<string, number | 'N/A'>;

export interface TaskMetricSpec {
  metric: string;
  aggregation: string;
}

const FILTER = 'none';

export async function aggregateTask(
  specs: TaskMetricSpec[],
  perDoc: Array<Record<string, unknown>>,
  bootstrapIters: number,
  python: PythonVersion = DEFAULT_PYTHON_VERSION,
): Promise<MetricValues> {
  const out: MetricValues = {};
  if (perDoc.length === 0) return out;
  for (const metric of Object.keys(perDoc[0]!)) {
    const aggregation = specs.find((s) => s.metric === metric)?.aggregation ?? metricDefaults[metric]?.aggregation ?? 'mean';
    const items = perDoc.map((d) => d[metric] as MetricItem);
    out[`${metric},${FILTER}`] = getAggregation(aggregation)(items, { python });
    out[`${metric}_stderr,${FILTER}`] = bootstrapIters > 0 ? await metricStderrAsync(metric, aggregation, items, { bootstrapIters, python }) : 'N/A';
  }
  return out;
}

export function aggregateGroup(
  aggregates: AggregateMetricConfig[],
  leaves: Array<{ results: MetricValues; size: number }>,
  python: PythonVersion = DEFAULT_PYTHON_VERSION,
): MetricValues {
  const out: MetricValues = {};
  for (const agg of aggregates) {
    const key = `${agg.metric},${FILTER}`;
    const present = leaves.filter((l) => typeof l.results[key] === 'number');
    if (present.length === 0) continue;
    const sizes = present.map((l) => l.size);
    out[key] = aggregateSubtaskMetrics(present.map((l) => l.results[key] as number), sizes, agg.weight_by_size ?? true, python);
    out[`${agg.metric}_stderr,${FILTER}`] = groupStderr(present.map((l) => l.results[`${agg.metric}_stderr,${FILTER}`] as Stderr | undefined), sizes, python);
  }
  return out;
}
