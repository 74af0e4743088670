// Standard errors of task metrics (lm-eval `stderr_for_metric`): mean_stderr for `mean`, the bootstrap
// for median/F1/MCC/perplexity-like aggregations, "N/A" otherwise or with fewer than two documents.
import type { MetricItem } from './aggregations.js';
import { bootstrapReplicates, bootstrapReplicatesAsync, type BootstrapOptions } from './bootstrap.js';
import { pySquare } from './libm-pow.js';
import { DEFAULT_PYTHON_VERSION, pySum, type PythonVersion } from './pysum.js';

/** A stderr value as lm-eval reports it: a float or the string "N/A". */
export type Stderr = number | 'N/A';

export const DEFAULT_BOOTSTRAP_ITERS = 100000;

/** Aggregations whose stderr lm-eval bootstraps. */
export const BOOTSTRAPPED_AGGREGATIONS: readonly string[] = [
  'median', 'matthews_corrcoef', 'f1', 'perplexity', 'bleu', 'chrf', 'ter', 'nanmean',
];

/** Metrics whose bootstrap lm-eval caps at 100 iterations (they are slow in Python). */
const CAPPED_METRICS = new Set(['bleu', 'chrf', 'ter']);

/** `sample_stddev`: sqrt(Σ (x − mean)² / (n − 1)), squares as Python `** 2`, sums as Python `sum`. */
export function sampleStddev(values: ArrayLike<number>, python: PythonVersion = DEFAULT_PYTHON_VERSION): number {
  const n = values.length;
  const mu = pySum(values, python) / n;
  const squares = new Float64Array(n);
  for (let i = 0; i < n; i++) squares[i] = pySquare(values[i]! - mu);
  return Math.sqrt(pySum(squares, python) / (n - 1));
}

/** `mean_stderr`: sample_stddev / sqrt(n). */
export function meanStderr(values: ArrayLike<number>, python: PythonVersion = DEFAULT_PYTHON_VERSION): number {
  return sampleStddev(values, python) / Math.sqrt(values.length);
}

/** lm-eval's bootstrap stderr: sample_stddev of the replicates in chunk order (single thread). */
export function bootstrapStderr(aggregation: string, items: readonly MetricItem[], iters: number, options: BootstrapOptions = {}): number {
  return sampleStddev(bootstrapReplicates(aggregation, items, iters, options), options.python);
}

/** `bootstrapStderr` with the kernel-backed aggregations spread over worker threads; same value. */
export async function bootstrapStderrAsync(aggregation: string, items: readonly MetricItem[], iters: number, options: BootstrapOptions = {}): Promise<number> {
  return sampleStddev(await bootstrapReplicatesAsync(aggregation, items, iters, options), options.python);
}

export type StderrMethod =
  | { kind: 'none' }
  | { kind: 'mean' }
  | { kind: 'bootstrap'; iters: number };

/**
 * Which stderr lm-eval computes for a metric with this aggregation: none when bootstrap_iters ≤ 0 or
 * the aggregation has no stderr function, mean_stderr for `mean`, else the bootstrap (capped at 100
 * iterations for bleu/chrf/ter).
 */
export function stderrMethod(metric: string, aggregation: string, bootstrapIters: number = DEFAULT_BOOTSTRAP_ITERS): StderrMethod {
  if (bootstrapIters <= 0) return { kind: 'none' };
  if (aggregation === 'mean') return { kind: 'mean' };
  if (BOOTSTRAPPED_AGGREGATIONS.includes(aggregation)) {
    return { kind: 'bootstrap', iters: CAPPED_METRICS.has(metric) ? Math.min(bootstrapIters, 100) : bootstrapIters };
  }
  return { kind: 'none' };
}

export interface StderrOptions extends BootstrapOptions {
  bootstrapIters?: number;
}

/** The `<metric>_stderr` value lm-eval reports for these per-document items (synchronous). */
export function metricStderr(metric: string, aggregation: string, items: readonly MetricItem[], options: StderrOptions = {}): Stderr {
  const method = stderrMethod(metric, aggregation, options.bootstrapIters ?? DEFAULT_BOOTSTRAP_ITERS);
  if (method.kind === 'none' || items.length < 2) return 'N/A';
  if (method.kind === 'mean') return meanStderr(items as readonly number[], options.python);
  return bootstrapStderr(aggregation, items, method.iters, options);
}

/** `metricStderr` using worker threads for large bootstraps; same value. */
export async function metricStderrAsync(metric: string, aggregation: string, items: readonly MetricItem[], options: StderrOptions = {}): Promise<Stderr> {
  const method = stderrMethod(metric, aggregation, options.bootstrapIters ?? DEFAULT_BOOTSTRAP_ITERS);
  if (method.kind === 'none' || items.length < 2) return 'N/A';
  if (method.kind === 'mean') return meanStderr(items as readonly number[], options.python);
  return bootstrapStderrAsync(aggregation, items, method.iters, options);
}
