// Turns two models' per-doc metric values (as logged in samples files) into a paired test, and
// recomputes a metric on a subset of documents when the runs did not evaluate the same ones.
import {
  bitsPerByte,
  f1,
  matthewsCorrcoef,
  mean,
  perplexity,
  weightedPerplexity,
} from '../../metrics/aggregations.js';
import { meanStderr } from '../../metrics/stderr.js';
import { mcnemarExact, pairedBootstrap, type PairedInput } from '../../metrics/paired.js';
import type { AggregationKind } from './families.js';

export interface PairedTest {
  method: 'mcnemar' | 'bootstrap';
  pValue: number;
  /** metric(A) − metric(B) on the compared documents (bootstrap) or (b − c) / n (McNemar) */
  delta: number;
  n: number;
  /** McNemar: docs only A got right (b), only B got right (c) */
  b?: number;
  c?: number;
  ciLow?: number;
  ciHigh?: number;
  iters?: number;
}

export interface TestOptions {
  iters: number;
  seed: number;
}

/** Per-doc item → number for mean-like metrics (lm-eval logs 1.0, 1, true). */
function scalar(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return null;
}

function pair(v: unknown): [number, number] | null {
  if (Array.isArray(v) && v.length === 2) {
    const a = scalar(v[0]);
    const b = scalar(v[1]);
    if (a !== null && b !== null) return [a, b];
  }
  return null;
}

/** The aggregation to use for a metric, falling back to "mean" when the per-doc items are numbers. */
export function effectiveKind(kind: AggregationKind | null, items: readonly unknown[]): AggregationKind | null {
  if (kind) return kind;
  return items.length > 0 && items.every((v) => scalar(v) !== null) ? 'mean' : null;
}

/**
 * Paired test of A against B. McNemar's exact test when every item is 0/1 and the metric is a mean;
 * otherwise a paired bootstrap of the corpus-level metric. Null when the items do not fit the metric.
 */
export function pairedTest(
  kind: AggregationKind | null,
  itemsA: readonly unknown[],
  itemsB: readonly unknown[],
  options: TestOptions,
): PairedTest | null {
  const n = itemsA.length;
  if (n === 0 || itemsB.length !== n) return null;
  const k = effectiveKind(kind, itemsA);
  if (!k) return null;
  if (k === 'mean') {
    const a = itemsA.map(scalar);
    const b = itemsB.map(scalar);
    if (a.some((v) => v === null) || b.some((v) => v === null)) return null;
    const binary = (v: number | null): boolean => v === 0 || v === 1;
    if (a.every(binary) && b.every(binary)) {
      let onlyA = 0;
      let onlyB = 0;
      for (let i = 0; i < n; i++) {
        if (a[i] === 1 && b[i] === 0) onlyA++;
        else if (a[i] === 0 && b[i] === 1) onlyB++;
      }
      const m = mcnemarExact(onlyA, onlyB);
      return { method: 'mcnemar', pValue: m.pValue, delta: (onlyA - onlyB) / n, n, b: onlyA, c: onlyB };
    }
    return bootstrap({ kind: 'mean', a: a as number[], b: b as number[] }, options);
  }
  if (k === 'perplexity') {
    const a = itemsA.map(scalar);
    const b = itemsB.map(scalar);
    if (a.some((v) => v === null) || b.some((v) => v === null)) return null;
    return bootstrap({ kind: 'perplexity', a: a as number[], b: b as number[] }, options);
  }
  const pa = itemsA.map(pair);
  const pb = itemsB.map(pair);
  if (pa.some((v) => v === null) || pb.some((v) => v === null)) return null;
  const A = pa as Array<[number, number]>;
  const B = pb as Array<[number, number]>;
  if (k === 'f1' || k === 'mcc') {
    return bootstrap(
      { kind: k, goldA: A.map((p) => p[0]), predA: A.map((p) => p[1]), goldB: B.map((p) => p[0]), predB: B.map((p) => p[1]) },
      options,
    );
  }
  return bootstrap(
    { kind: k, a: A.map((p) => p[0]), aWeight: A.map((p) => p[1]), b: B.map((p) => p[0]), bWeight: B.map((p) => p[1]) },
    options,
  );
}

function bootstrap(input: PairedInput, options: TestOptions): PairedTest {
  const r = pairedBootstrap(input, { iters: options.iters, seed: options.seed });
  return { method: 'bootstrap', pValue: r.pValue, delta: r.delta, n: r.n, ciLow: r.ciLow, ciHigh: r.ciHigh, iters: r.iters };
}

/**
 * The metric over a subset of documents (used only when runs evaluated different documents, so the
 * results JSON value is not comparable), with lm-eval's aggregations. stderr is given for means
 * (sample std / sqrt(n)), else null. Null when the items do not fit the metric.
 */
export function recompute(
  kind: AggregationKind | null,
  items: readonly unknown[],
): { value: number; stderr: number | null } | null {
  const n = items.length;
  const k = effectiveKind(kind, items);
  if (n === 0 || !k) return null;
  try {
    if (k === 'mean' || k === 'perplexity') {
      const xs = items.map(scalar);
      if (xs.some((v) => v === null)) return null;
      const values = xs as number[];
      if (k === 'perplexity') return { value: perplexity(values), stderr: null };
      return { value: mean(values), stderr: n > 1 ? meanStderr(values) : null };
    }
    const ps = items.map(pair);
    if (ps.some((v) => v === null)) return null;
    const P = ps as Array<[number, number]>;
    const value =
      k === 'f1'
        ? f1(P)
        : k === 'mcc'
          ? matthewsCorrcoef(P)
          : k === 'weighted_perplexity'
            ? weightedPerplexity(P)
            : bitsPerByte(P);
    return { value, stderr: null };
  } catch {
    return null; // e.g. f1 over more than two labels, which lm-eval itself rejects
  }
}
