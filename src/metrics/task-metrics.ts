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

/** One filter's aggregates: keys "<metric>,<filter>" (lm-eval's default filter is "none"). */
export async function aggregateTask(
  specs: TaskMetricSpec[],
  perDoc: Array<Record<string, unknown>>,
  bootstrapIters: number,
  python: PythonVersion = DEFAULT_PYTHON_VERSION,
  filter = 'none',
): Promise<MetricValues> {
  const out: MetricValues = {};
  if (perDoc.length === 0) return out;
  for (const metric of Object.keys(perDoc[0]!)) {
    const aggregation = specs.find((s) => s.metric === metric)?.aggregation ?? metricDefaults[metric]?.aggregation ?? 'mean';
    const items = perDoc.map((d) => d[metric] as MetricItem);
    out[`${metric},${filter}`] = getAggregation(aggregation)(items, { python });
    out[`${metric}_stderr,${filter}`] = bootstrapIters > 0 ? await metricStderrAsync(metric, aggregation, items, { bootstrapIters, python }) : 'N/A';
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
    for (const filter of groupFilters(agg, leaves)) {
      const key = `${agg.metric},${filter}`;
      const present = leaves.filter((l) => typeof l.results[key] === 'number');
      if (present.length === 0) continue;
      const sizes = present.map((l) => l.size);
      out[key] = aggregateSubtaskMetrics(present.map((l) => l.results[key] as number), sizes, agg.weight_by_size ?? true, python);
      out[`${agg.metric}_stderr,${filter}`] = groupStderr(present.map((l) => l.results[`${agg.metric}_stderr,${filter}`] as Stderr | undefined), sizes, python);
    }
  }
  return out;
}

/** The filters a group aggregates: its filter_list, else (lm-eval HEAD) those its leaves report. */
function groupFilters(agg: AggregateMetricConfig, leaves: Array<{ results: MetricValues }>): string[] {
  if (agg.filter_list !== undefined) return Array.isArray(agg.filter_list) ? agg.filter_list : [agg.filter_list];
  const found: string[] = [];
  for (const l of leaves) {
    for (const key of Object.keys(l.results)) {
      const [metric, filter] = key.split(',') as [string, string | undefined];
      if (metric === agg.metric && filter !== undefined && !found.includes(filter)) found.push(filter);
    }
  }
  return found;
}
