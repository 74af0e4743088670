// Group scores from their leaf tasks (lm-eval `aggregate_subtask_metrics` / `pooled_sample_stderr`):
// a size-weighted mean over all leaves and the pooled-variance stderr.
import { YardstickError } from '../errors.js';
import { pySquare } from './libm-pow.js';
import { DEFAULT_PYTHON_VERSION, pySum, type PythonVersion } from './pysum.js';
import type { Stderr } from './stderr.js';

/**
 * Σ m_i·n_i / Σ n_i over the leaves (Python `sum` of the float products, one division); with
 * `weightBySize` false every n_i counts as 1 (a macro average).
 */
export function aggregateSubtaskMetrics(
  metrics: readonly number[],
  sizes: readonly number[],
  weightBySize = true,
  python: PythonVersion = DEFAULT_PYTHON_VERSION,
): number {
  checkLengths(metrics, sizes);
  const weights = weightBySize ? sizes : sizes.map(() => 1);
  const products = metrics.map((m, i) => m * weights[i]!);
  return pySum(products, python) / pySum(weights, python);
}

/**
 * sqrt( [Σ (n_i − 1)·se_i²·n_i / (Σ n_i − k)] / Σ n_i ) with the leaves' real sizes (also when the
 * group value is not weighted by size, as in lm-eval).
 */
export function pooledSampleStderr(
  stderrs: readonly number[],
  sizes: readonly number[],
  python: PythonVersion = DEFAULT_PYTHON_VERSION,
): number {
  checkLengths(stderrs, sizes);
  const terms = stderrs.map((se, i) => (sizes[i]! - 1) * pySquare(se) * sizes[i]!);
  const total = pySum(sizes, python);
  const pooledVariance = pySum(terms, python) / (total - sizes.length);
  return Math.sqrt(pooledVariance / total);
}

/** The group's stderr: "N/A" when any leaf's stderr is "N/A" or missing, else the pooled stderr. */
export function groupStderr(
  stderrs: readonly (Stderr | undefined)[],
  sizes: readonly number[],
  python: PythonVersion = DEFAULT_PYTHON_VERSION,
): Stderr {
  if (stderrs.some((se) => se === undefined || se === 'N/A')) return 'N/A';
  return pooledSampleStderr(stderrs as readonly number[], sizes, python);
}

function checkLengths(values: readonly unknown[], sizes: readonly number[]): void {
  if (values.length !== sizes.length || values.length === 0) {
    throw new YardstickError('internal', `group aggregation needs one size per leaf (got ${values.length} values, ${sizes.length} sizes)`);
  }
}
