// Each model's 95 % interval, as tables and charts show it: value ± 1.96·stderr (the results JSON's stderr)
// clipped to the metric's range; perplexities on the log scale, so the interval stays positive.
import { meanStderr } from '../../metrics/stderr.js';
import { aggregationOf } from './families.js';

export const Z95 = 1.96;

export interface Interval {
  lo: number;
  hi: number;
}

export type ValueScale = 'linear' | 'log';

/** Perplexities are compared by ratio and drawn on a log axis; everything else is linear. */
export function metricScale(metric: string): ValueScale {
  const kind = aggregationOf(metric);
  return kind === 'perplexity' || kind === 'weighted_perplexity' ? 'log' : 'linear';
}

const RANGES: Record<string, readonly [number, number]> = {
  acc: [0, 1],
  acc_norm: [0, 1],
  acc_bytes: [0, 1],
  exact_match: [0, 1],
  f1: [0, 1],
  mcc: [-1, 1],
};

/** The values a registry metric can take, null when unknown (no clipping then). */
export function metricRange(metric: string): readonly [number, number] | null {
  return Object.hasOwn(RANGES, metric) ? RANGES[metric]! : null;
}

/** value ± 1.96·stderr, clipped to `range`. */
export function linearInterval(value: number, stderr: number, range: readonly [number, number] | null): Interval {
  const lo = value - Z95 * stderr;
  const hi = value + Z95 * stderr;
  return range ? { lo: Math.max(range[0], lo), hi: Math.min(range[1], hi) } : { lo, hi };
}

/** exp(log value ± 1.96·logStderr): null when it cannot be drawn on a log axis. */
export function logInterval(value: number, logStderr: number): Interval | null {
  if (!(value > 0)) return null;
  const lo = value * Math.exp(-Z95 * logStderr);
  const hi = value * Math.exp(Z95 * logStderr);
  return lo > 0 && Number.isFinite(hi) ? { lo, hi } : null;
}

/**
 * The 95 % interval of one model's value. For perplexity, log(perplexity) is the mean negative
 * log-likelihood, so its stderr comes straight from the per-document log-likelihoods when the sample logs
 * are there; otherwise (and for weighted perplexities) the delta method turns the logged stderr into one
 * on the log scale (stderr / value).
 */
export function interval95(
  metric: string,
  value: number | null,
  stderr: number | null,
  items: readonly unknown[] | null = null,
): Interval | null {
  if (value === null || !Number.isFinite(value)) return null;
  if (metricScale(metric) === 'log') {
    const lls = aggregationOf(metric) === 'perplexity' && items ? numbers(items) : null;
    if (lls && lls.length > 1) return logInterval(value, meanStderr(lls));
    return stderr !== null && Number.isFinite(stderr) && value > 0 ? logInterval(value, stderr / value) : null;
  }
  if (stderr === null || !Number.isFinite(stderr)) {
    // no stderr in the results file (lm-eval writes "N/A" for some groups): that of the per-document values
    const xs = aggregationOf(metric) === 'mean' || aggregationOf(metric) === null ? (items ? numbers(items) : null) : null;
    if (!xs || xs.length < 2) return null;
    return linearInterval(value, meanStderr(xs), metricRange(metric));
  }
  return linearInterval(value, stderr, metricRange(metric));
}

/** Per-document values as numbers (lm-eval logs 1.0, 1 or true), null if any is not one. */
function numbers(items: readonly unknown[]): number[] | null {
  const xs = items.map((v) => (typeof v === 'boolean' ? Number(v) : v));
  return xs.every((v) => typeof v === 'number' && Number.isFinite(v)) ? (xs as number[]) : null;
}
