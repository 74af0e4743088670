// Paired significance tests for comparing two models on the same documents (pure functions):
// McNemar's exact test for per-doc 0/1 outcomes, and a seeded paired bootstrap for corpus-level metrics.
import { f1FromCounts, mccFromSums } from './aggregations.js';
import { multinomialCounts, SeededRandom } from './paired-sampling.js';

/** McNemar's exact test: b = docs only model A got right, c = docs only model B got right. */
export interface McNemarResult {
  b: number;
  c: number;
  pValue: number;
}

/**
 * Two-sided exact binomial test on the discordant pairs:
 * p = min(1, 2 · Σ_{i ≤ min(b,c)} C(b+c, i) / 2^(b+c)). Computed in log space so that
 * tens of thousands of discordant pairs neither overflow nor underflow.
 */
export function mcnemarExact(b: number, c: number): McNemarResult {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) {
    throw new RangeError(`mcnemarExact: counts must be non-negative integers (got b=${b}, c=${c})`);
  }
  const n = b + c;
  const k = Math.min(b, c);
  if (n === 0 || b === c) return { b, c, pValue: 1 };
  // log C(n, i) accumulated term by term; the tail sum is done with a running log-sum-exp.
  const log2n = n * Math.LN2;
  let logC = 0;
  let logTail = -Infinity;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    logTail = logAddExp(logTail, logC - log2n);
  }
  return { b, c, pValue: Math.min(1, 2 * Math.exp(logTail)) };
}

function logAddExp(x: number, y: number): number {
  if (x === -Infinity) return y;
  if (y === -Infinity) return x;
  const m = Math.max(x, y);
  return m + Math.log(Math.exp(x - m) + Math.exp(y - m));
}

/** Seeded uint32 stream (the generator the bootstrap uses), for callers that want their own draws. */
export function seededRng(seed: number): () => number {
  const r = new SeededRandom(seed);
  return () => r.nextUint32();
}

// ---------------------------------------------------------------------------------------------
// Paired bootstrap

/** Per-doc inputs for one metric, aligned by document (index i is the same doc for A and B). */
export type PairedInput =
  /** mean of per-doc values (acc on non-binary items, user metrics) */
  | { kind: 'mean'; a: ArrayLike<number>; b: ArrayLike<number> }
  /** exp(−mean loglikelihood): per-doc total loglikelihoods */
  | { kind: 'perplexity'; a: ArrayLike<number>; b: ArrayLike<number> }
  /** exp(−Σll / Σweight) or −Σll / Σweight / ln 2: per-doc (loglikelihood, weight) */
  | {
      kind: 'weighted_perplexity' | 'bits_per_byte';
      a: ArrayLike<number>;
      aWeight: ArrayLike<number>;
      b: ArrayLike<number>;
      bWeight: ArrayLike<number>;
    }
  /** per-doc (gold, pred) labels for each model; f1 uses positive label 1 */
  | {
      kind: 'f1' | 'mcc';
      goldA: ArrayLike<number>;
      predA: ArrayLike<number>;
      goldB: ArrayLike<number>;
      predB: ArrayLike<number>;
    };

export interface BootstrapOptions {
  iters?: number;
  seed?: number;
  /**
   * How replicates are drawn: "documents" draws n document indices per replicate; "counts" draws how many
   * documents of each distinct kind the replicate holds (one multinomial draw, same distribution, far
   * fewer random numbers). Default: "counts" when there are at least 8 documents per kind.
   */
  resample?: 'documents' | 'counts';
}

export interface PairedBootstrapResult {
  /** metric(A) − metric(B) on the full data */
  delta: number;
  metricA: number;
  metricB: number;
  /** two-sided: min(1, 2 · (min(#δ*≤0, #δ*≥0) + 1) / (iters + 1)) */
  pValue: number;
  /** 2.5 % and 97.5 % percentiles of the resampled differences */
  ciLow: number;
  ciHigh: number;
  iters: number;
  n: number;
}

export const DEFAULT_PAIRED_BOOTSTRAP_ITERS = 10_000;
export const DEFAULT_BOOTSTRAP_SEED = 1234;
const MAX_KINDS = 4096;

/**
 * Paired bootstrap of metric(A) − metric(B): each replicate resamples n documents with replacement (the
 * same documents for both models) and recomputes both metrics. Documents are reduced beforehand to
 * value columns (sums) or, when few distinct kinds exist (labels, 0/1 outcomes), to per-kind counts.
 */
export function pairedBootstrap(input: PairedInput, options: BootstrapOptions = {}): PairedBootstrapResult {
  const iters = options.iters ?? DEFAULT_PAIRED_BOOTSTRAP_ITERS;
  if (!Number.isInteger(iters) || iters < 1) throw new RangeError(`pairedBootstrap: iters must be ≥ 1 (got ${iters})`);
  const random = new SeededRandom(options.seed ?? DEFAULT_BOOTSTRAP_SEED);
  const plan = planFor(input);
  const n = plan.n;
  if (n === 0) throw new RangeError('pairedBootstrap: no documents to resample');

  const deltas = new Float64Array(iters);
  const kinds = plan.kinds;
  // a binomial draw costs several uniform draws, so counting pays off only with few kinds per document
  const byCounts =
    kinds !== null &&
    options.resample !== 'documents' &&
    (options.resample === 'counts' || kinds.sizes.length * 8 <= n);
  if (byCounts) {
    const counts = new Int32Array(kinds.sizes.length);
    for (let r = 0; r < iters; r++) {
      multinomialCounts(random, kinds.sizes, counts);
      deltas[r] = kinds.statistic(counts);
    }
  } else {
    const draws = new Int32Array(n);
    const counts = kinds ? new Int32Array(kinds.sizes.length) : null;
    for (let r = 0; r < iters; r++) {
      random.fillIndices(draws, n);
      if (kinds && counts) {
        counts.fill(0);
        for (let i = 0; i < n; i++) counts[kinds.codes[draws[i]!]!]++;
        deltas[r] = kinds.statistic(counts);
      } else {
        deltas[r] = plan.replicate!(draws);
      }
    }
  }

  let le = 0;
  let ge = 0;
  for (let r = 0; r < iters; r++) {
    const d = deltas[r]!;
    if (d <= 0) le++;
    if (d >= 0) ge++;
  }
  const sorted = Float64Array.from(deltas).sort();
  const full = plan.full();
  return {
    delta: full.a - full.b,
    metricA: full.a,
    metricB: full.b,
    pValue: Math.min(1, (2 * (Math.min(le, ge) + 1)) / (iters + 1)),
    ciLow: percentile(sorted, 0.025),
    ciHigh: percentile(sorted, 0.975),
    iters,
    n,
  };
}

function percentile(sorted: Float64Array, q: number): number {
  // linear interpolation between closest ranks (numpy's default)
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Documents grouped into kinds: the statistic of a resample depends only on its count per kind. */
interface Kinds {
  /** kind of each document */
  codes: Int32Array;
  /** documents per kind in the full data */
  sizes: Int32Array;
  /** metric(A) − metric(B) from counts per kind */
  statistic(counts: Int32Array): number;
}

interface Plan {
  n: number;
  full(): { a: number; b: number };
  kinds: Kinds | null;
  /** metric(A) − metric(B) on the resample whose document indices are `draws` (when kinds is null) */
  replicate?: (draws: Int32Array) => number;
}

/** Groups documents by a key; null when there are too many distinct keys for counting to pay off. */
function groupKinds<K>(n: number, keyOf: (i: number) => K): { codes: Int32Array; sizes: Int32Array; keys: K[] } | null {
  const index = new Map<K, number>();
  const keys: K[] = [];
  const codes = new Int32Array(n);
  const sizes: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = keyOf(i);
    let code = index.get(key);
    if (code === undefined) {
      if (keys.length >= MAX_KINDS) return null;
      code = keys.length;
      index.set(key, code);
      keys.push(key);
      sizes.push(0);
    }
    codes[i] = code;
    sizes[code]!++;
  }
  return { codes, sizes: Int32Array.from(sizes), keys };
}

function planFor(input: PairedInput): Plan {
  switch (input.kind) {
    case 'mean': {
      const n = sameLength(input.a, input.b);
      const diff = new Float64Array(n);
      for (let i = 0; i < n; i++) diff[i] = input.a[i]! - input.b[i]!;
      const full = (): { a: number; b: number } => ({ a: sumOf(input.a) / n, b: sumOf(input.b) / n });
      const grouped = groupKinds(n, (i) => diff[i]!);
      if (grouped) {
        const values = Float64Array.from(grouped.keys);
        return {
          n,
          full,
          kinds: {
            codes: grouped.codes,
            sizes: grouped.sizes,
            statistic: (counts) => {
              let s = 0;
              for (let k = 0; k < values.length; k++) s += counts[k]! * values[k]!;
              return s / n;
            },
          },
        };
      }
      return {
        n,
        full,
        kinds: null,
        replicate: (draws) => {
          let s = 0;
          for (let i = 0; i < n; i++) s += diff[draws[i]!]!;
          return s / n;
        },
      };
    }
    case 'perplexity': {
      const n = sameLength(input.a, input.b);
      const a = Float64Array.from(input.a as ArrayLike<number>);
      const b = Float64Array.from(input.b as ArrayLike<number>);
      const ppl = (sum: number): number => Math.exp(-sum / n);
      return {
        n,
        full: () => ({ a: ppl(sumOf(a)), b: ppl(sumOf(b)) }),
        kinds: null,
        replicate: (draws) => {
          let sa = 0;
          let sb = 0;
          for (let i = 0; i < n; i++) {
            const j = draws[i]!;
            sa += a[j]!;
            sb += b[j]!;
          }
          return ppl(sa) - ppl(sb);
        },
      };
    }
    case 'weighted_perplexity':
    case 'bits_per_byte': {
      const n = sameLength(input.a, input.b, input.aWeight, input.bWeight);
      const agg =
        input.kind === 'weighted_perplexity'
          ? (ll: number, w: number): number => Math.exp(-ll / w)
          : (ll: number, w: number): number => -ll / w / Math.LN2;
      const cols = [input.a, input.aWeight, input.b, input.bWeight].map((c) => Float64Array.from(c as ArrayLike<number>));
      const [a, aw, b, bw] = cols as [Float64Array, Float64Array, Float64Array, Float64Array];
      return {
        n,
        full: () => ({ a: agg(sumOf(a), sumOf(aw)), b: agg(sumOf(b), sumOf(bw)) }),
        kinds: null,
        replicate: (draws) => {
          let sa = 0;
          let saw = 0;
          let sb = 0;
          let sbw = 0;
          for (let i = 0; i < n; i++) {
            const j = draws[i]!;
            sa += a[j]!;
            saw += aw[j]!;
            sb += b[j]!;
            sbw += bw[j]!;
          }
          return agg(sa, saw) - agg(sb, sbw);
        },
      };
    }
    case 'f1':
    case 'mcc':
      return labelPlan(input);
  }
}

/**
 * f1 / mcc depend only on how many documents fall in each (goldA, predA, goldB, predB) combination, so
 * a replicate's counts per combination rebuild both confusion summaries.
 */
function labelPlan(input: Extract<PairedInput, { kind: 'f1' | 'mcc' }>): Plan {
  const n = sameLength(input.goldA, input.predA, input.goldB, input.predB);
  const labelIndex = new Map<number, number>();
  const labelOf = (v: number): number => {
    let i = labelIndex.get(v);
    if (i === undefined) {
      i = labelIndex.size;
      labelIndex.set(v, i);
    }
    return i;
  };
  const grouped = groupKinds(n, (i) => `${input.goldA[i]},${input.predA[i]},${input.goldB[i]},${input.predB[i]}`);
  if (!grouped) throw new RangeError('pairedBootstrap: too many distinct labels for f1/mcc');
  const raw = grouped.keys.map((k) => k.split(',').map(Number) as [number, number, number, number]);
  const combos = raw.map((r) => r.map(labelOf) as [number, number, number, number]);
  const k = labelIndex.size;
  const K = combos.length;
  const zeros = (): number[] => new Array<number>(k).fill(0);
  const sums = { tA: zeros(), pA: zeros(), tB: zeros(), pB: zeros() };
  const statistic = (counts: ArrayLike<number>): { a: number; b: number } => {
    if (input.kind === 'f1') {
      const A = { tp: 0, fp: 0, fn: 0 };
      const B = { tp: 0, fp: 0, fn: 0 };
      for (let q = 0; q < K; q++) {
        const m = counts[q]!;
        if (m === 0) continue;
        const [gA, pA, gB, pB] = raw[q]!;
        if (pA === 1 && gA === 1) A.tp += m;
        else if (pA === 1) A.fp += m;
        else if (gA === 1) A.fn += m;
        if (pB === 1 && gB === 1) B.tp += m;
        else if (pB === 1) B.fp += m;
        else if (gB === 1) B.fn += m;
      }
      return { a: f1FromCounts(A), b: f1FromCounts(B) };
    }
    // scikit-learn builds the matrix over the labels present in the sample; a label absent from a
    // replicate has zero sums, which leave every term of the formula unchanged.
    sums.tA.fill(0);
    sums.pA.fill(0);
    sums.tB.fill(0);
    sums.pB.fill(0);
    let correctA = 0;
    let correctB = 0;
    for (let q = 0; q < K; q++) {
      const m = counts[q]!;
      if (m === 0) continue;
      const [gA, pA, gB, pB] = combos[q]!;
      sums.tA[gA]! += m;
      sums.pA[pA]! += m;
      sums.tB[gB]! += m;
      sums.pB[pB]! += m;
      if (gA === pA) correctA += m;
      if (gB === pB) correctB += m;
    }
    return { a: mccFromSums(sums.tA, sums.pA, correctA), b: mccFromSums(sums.tB, sums.pB, correctB) };
  };
  return {
    n,
    full: () => statistic(grouped.sizes),
    kinds: {
      codes: grouped.codes,
      sizes: grouped.sizes,
      statistic: (counts) => {
        const s = statistic(counts);
        return s.a - s.b;
      },
    },
  };
}

function sameLength(...arrays: Array<ArrayLike<number>>): number {
  const n = arrays[0]!.length;
  for (const a of arrays) {
    if (a.length !== n) throw new RangeError(`pairedBootstrap: per-doc arrays differ in length (${n} vs ${a.length})`);
  }
  return n;
}

function sumOf(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s;
}
