// Compares the aggregated entries of results JSON (`"acc,none"`, `"acc_stderr,none"`, ...) for one task
// or group, with tolerances that match how each number depends on the log-likelihoods.
import type { MetricParity } from './types.js';

/** Keys of a results entry that are not metrics. */
const NON_METRIC_KEYS = new Set(['alias', 'name', 'sample_len', 'sample_count', ' ', '']);

/** Metrics that are exp/log functions of mean log-likelihoods: their relative change is in nats. */
const LOG_SCALE = new Set(['perplexity', 'word_perplexity', 'byte_perplexity', 'bits_per_byte']);

export function metricKeys(entry: Record<string, unknown>): string[] {
  return Object.keys(entry).filter((k) => !NON_METRIC_KEYS.has(k) && (typeof entry[k] === 'number' || entry[k] === 'N/A' || k.includes(',')));
}

function metricName(key: string): string {
  return key.split(',')[0]!.replace(/_stderr$/, '');
}

/**
 * Allowed difference for a metric key. Perplexity-like metrics move by about `requestTolerance` (relative)
 * when each log-likelihood moves by that much, so they get it as a relative bound; everything else gets
 * `metricTolerance`, absolute below 1 and relative above.
 */
export function metricTolerance(key: string, requestTolerance: number, metricTol: number): { tolerance: number; relative: boolean } {
  if (LOG_SCALE.has(metricName(key))) return { tolerance: requestTolerance, relative: true };
  return { tolerance: metricTol, relative: false };
}

function asValue(v: unknown): number | string | null {
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (v === undefined || v === null) return null;
  return JSON.stringify(v);
}

export function compareMetricEntries(
  ours: Record<string, unknown> | undefined,
  theirs: Record<string, unknown> | undefined,
  requestTolerance: number,
  metricTol: number,
): MetricParity[] {
  const a = ours ?? {};
  const b = theirs ?? {};
  const keys = [...metricKeys(a)];
  for (const k of metricKeys(b)) if (!keys.includes(k)) keys.push(k);
  return keys.map((key) => {
    const { tolerance, relative } = metricTolerance(key, requestTolerance, metricTol);
    const va = asValue(a[key]);
    const vb = asValue(b[key]);
    const out: MetricParity = { key, ours: va, theirs: vb, status: 'identical', tolerance };
    if (!(key in a) || !(key in b)) {
      out.status = 'missing';
      out.explanation = `${key} is only in ${key in a ? 'ours' : 'theirs'}`;
      return out;
    }
    if (va === vb || (typeof va === 'number' && typeof vb === 'number' && Number.isNaN(va) && Number.isNaN(vb))) return out;
    if (typeof va === 'number' && typeof vb === 'number') {
      const scale = relative ? Math.max(Math.abs(va), Math.abs(vb)) : Math.max(1, Math.abs(va), Math.abs(vb));
      out.status = Math.abs(va - vb) <= tolerance * scale ? 'within' : 'differs';
      return out;
    }
    out.status = 'differs';
    if (va === 'N/A' || vb === 'N/A') out.explanation = `stderr is "N/A" on ${va === 'N/A' ? 'our' : 'their'} side only (bootstrap_iters = 0, or fewer than 2 documents)`;
    return out;
  });
}
