// Task-level aggregations of per-document metric values (lm-eval `api/metrics.py`), and the metric
// registry defaults: which aggregation a metric uses and whether higher is better.
import { YardstickError } from '../errors.js';
import { glibcExp } from './libm.js';
import { DEFAULT_PYTHON_VERSION, pySum, type PythonVersion } from './pysum.js';

/** A (gold, pred) pair, the per-document item of `f1` and `mcc`. */
export type LabelPair = readonly [gold: number, pred: number];
/** A (loglikelihood, weight) pair, the per-document item of `word_perplexity`/`byte_perplexity`/`bits_per_byte`. */
export type WeightedItem = readonly [value: number, weight: number];
export type MetricItem = number | LabelPair | WeightedItem;

export interface AggregationOptions {
  python?: PythonVersion;
}

export type AggregationFn = (items: readonly MetricItem[], options?: AggregationOptions) => number;

/** `mean`: Python `sum(items) / len(items)`. */
export function mean(items: readonly number[], options: AggregationOptions = {}): number {
  if (items.length === 0) throw emptyItems('mean');
  return pySum(items, options.python ?? DEFAULT_PYTHON_VERSION) / items.length;
}

/** `median` as lm-eval defines it: `sorted(items)[n // 2]` (the upper middle for even n). */
export function median(items: readonly number[]): number {
  if (items.length === 0) throw emptyItems('median');
  return [...items].sort((a, b) => a - b)[Math.floor(items.length / 2)]!;
}

/** `perplexity`: exp(−mean of per-document total loglikelihoods), with glibc's exp as CPython uses. */
export function perplexity(items: readonly number[], options: AggregationOptions = {}): number {
  return glibcExp(-mean(items, options));
}

function weightedMean(items: readonly WeightedItem[], python: PythonVersion): number {
  if (items.length === 0) throw emptyItems('weighted_mean');
  const values = items.map((it) => it[0]);
  const weights = items.map((it) => it[1]);
  return pySum(values, python) / pySum(weights, python);
}

/** `weighted_perplexity`: exp(−Σ ll / Σ weight) (words or bytes). */
export function weightedPerplexity(items: readonly WeightedItem[], options: AggregationOptions = {}): number {
  return glibcExp(-weightedMean(items, options.python ?? DEFAULT_PYTHON_VERSION));
}

/** `bits_per_byte`: (−Σ ll / Σ bytes) / ln 2. */
export function bitsPerByte(items: readonly WeightedItem[], options: AggregationOptions = {}): number {
  return -weightedMean(items, options.python ?? DEFAULT_PYTHON_VERSION) / Math.LN2;
}

/** Binary confusion counts for positive label 1. */
export interface BinaryCounts {
  tp: number;
  fp: number;
  fn: number;
}

/** scikit-learn binary F1 from counts: 2·TP / (2·TP + FP + FN), 0.0 when the denominator is 0. */
export function f1FromCounts({ tp, fp, fn }: BinaryCounts): number {
  const denominator = 2 * tp + fp + fn;
  return denominator === 0 ? 0 : (2 * tp) / denominator;
}

/**
 * scikit-learn `f1_score(golds, preds)` with its defaults (average="binary", pos_label=1): fails like
 * scikit-learn when the labels are not binary or 1 is not one of two present labels.
 */
export function f1(items: readonly LabelPair[]): number {
  if (items.length === 0) throw emptyItems('f1');
  const labels = presentLabels(items);
  if (labels.length > 2) {
    throw new YardstickError(
      'task',
      `f1 needs binary labels, but the (gold, pred) items contain ${labels.length} labels (${labels.join(', ')})`,
      { hint: "scikit-learn's binary F1 (lm-eval's `f1` aggregation) only supports two classes" },
    );
  }
  if (labels.length === 2 && !labels.includes(1)) {
    throw new YardstickError('task', `f1 uses positive label 1, but the labels are ${labels.join(' and ')}`, {
      hint: 'map the positive class to label 1',
    });
  }
  const counts: BinaryCounts = { tp: 0, fp: 0, fn: 0 };
  for (const [gold, pred] of items) {
    if (pred === 1) {
      if (gold === 1) counts.tp++;
      else counts.fp++;
    } else if (gold === 1) counts.fn++;
  }
  return f1FromCounts(counts);
}

/**
 * Matthews correlation from the per-label sums of a confusion matrix (scikit-learn's operation order:
 * products first, one square root of the product of the two variances, then the division). All sums are
 * integers, so they are exact in float64; only the last operations round.
 */
export function mccFromSums(trueSums: readonly number[], predSums: readonly number[], correct: number): number {
  let samples = 0;
  let tp = 0;
  let pp = 0;
  let tt = 0;
  for (let i = 0; i < trueSums.length; i++) {
    const t = trueSums[i]!;
    const p = predSums[i]!;
    samples += p;
    tp += t * p;
    pp += p * p;
    tt += t * t;
  }
  const covYtYp = correct * samples - tp;
  const covYpYp = samples * samples - pp;
  const covYtYt = samples * samples - tt;
  const product = covYpYp * covYtYt;
  return product === 0 ? 0 : covYtYp / Math.sqrt(product);
}

/** scikit-learn `matthews_corrcoef(golds, preds)` (binary or multiclass). */
export function matthewsCorrcoef(items: readonly LabelPair[]): number {
  if (items.length === 0) throw emptyItems('matthews_corrcoef');
  const labels = presentLabels(items);
  const index = new Map(labels.map((label, i) => [label, i]));
  const trueSums = new Array<number>(labels.length).fill(0);
  const predSums = new Array<number>(labels.length).fill(0);
  let correct = 0;
  for (const [gold, pred] of items) {
    trueSums[index.get(gold)!]!++;
    predSums[index.get(pred)!]!++;
    if (gold === pred) correct++;
  }
  return mccFromSums(trueSums, predSums, correct);
}

/** Sorted distinct labels among golds and preds (the rows/columns of scikit-learn's confusion matrix). */
export function presentLabels(items: readonly LabelPair[]): number[] {
  const set = new Set<number>();
  for (const [gold, pred] of items) {
    set.add(gold);
    set.add(pred);
  }
  return [...set].sort((a, b) => a - b);
}

function emptyItems(name: string): YardstickError {
  return new YardstickError('internal', `cannot aggregate ${name} over zero documents`);
}

/** Aggregation functions by the name task YAML uses (`aggregation:` in `metric_list`). */
export const aggregations: Readonly<Record<string, AggregationFn>> = {
  mean: (items, o) => mean(items as readonly number[], o),
  median: (items) => median(items as readonly number[]),
  perplexity: (items, o) => perplexity(items as readonly number[], o),
  weighted_perplexity: (items, o) => weightedPerplexity(items as readonly WeightedItem[], o),
  bits_per_byte: (items, o) => bitsPerByte(items as readonly WeightedItem[], o),
  f1: (items) => f1(items as readonly LabelPair[]),
  matthews_corrcoef: (items) => matthewsCorrcoef(items as readonly LabelPair[]),
};

export interface MetricDefaults {
  aggregation: string;
  higherIsBetter: boolean;
}

/** Registry defaults used when a task's `metric_list` entry gives only the metric name. */
export const metricDefaults: Readonly<Record<string, MetricDefaults>> = {
  acc: { aggregation: 'mean', higherIsBetter: true },
  acc_norm: { aggregation: 'mean', higherIsBetter: true },
  acc_bytes: { aggregation: 'mean', higherIsBetter: true },
  exact_match: { aggregation: 'mean', higherIsBetter: true },
  perplexity: { aggregation: 'perplexity', higherIsBetter: false },
  mcc: { aggregation: 'matthews_corrcoef', higherIsBetter: true },
  f1: { aggregation: 'f1', higherIsBetter: true },
  word_perplexity: { aggregation: 'weighted_perplexity', higherIsBetter: false },
  byte_perplexity: { aggregation: 'weighted_perplexity', higherIsBetter: false },
  bits_per_byte: { aggregation: 'bits_per_byte', higherIsBetter: false },
};

/** The aggregation function registered under `name`, or a task error naming the known ones. */
export function getAggregation(name: string): AggregationFn {
  const fn = Object.hasOwn(aggregations, name) ? aggregations[name] : undefined;
  if (!fn) {
    throw new YardstickError('task', `unknown aggregation "${name}"`, {
      hint: `known aggregations: ${Object.keys(aggregations).join(', ')}`,
    });
  }
  return fn;
}
