// Paired significance tests for comparing two models on the same documents (pure functions):
// McNemar's exact test for per-doc 0/1 outcomes, and a seeded paired bootstrap for corpus-level metrics.

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

// ---------------------------------------------------------------------------------------------
// Seeded random numbers: sfc32 seeded through splitmix32, so every comparison is reproducible.

export type Rng = () => number; // uint32

export function seededRng(seed: number): Rng {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix() | 1;
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** Uniform index in [0, n) from a uint32 (multiply-high; bias < n / 2^32, negligible here). */
function drawIndex(rng: Rng, n: number): number {
  return Math.floor((rng() * n) / 4294967296);
}

// ---------------------------------------------------------------------------------------------
// Corpus-level metrics from counts (the forms lm-eval / scikit-learn use).

/** F1 for positive label 1 from counts: 2TP / (2TP + FP + FN), 0 when the denominator is 0. */
export function f1FromCounts(tp: number, fp: number, fn: number): number {
  const den = 2 * tp + fp + fn;
  return den === 0 ? 0 : (2 * tp) / den;
}

/**
 * Matthews correlation from a k×k confusion matrix (row = gold, column = pred), scikit-learn's order of
 * operations: multiply the two covariances, one square root, then divide.
 */
export function mccFromConfusion(confusion: ArrayLike<number>, k: number): number {
  let s = 0;
  let c = 0;
  let tp = 0;
  let pp = 0;
  let tt = 0;
  for (let i = 0; i < k; i++) {
    let row = 0;
    let col = 0;
    for (let j = 0; j < k; j++) {
      row += confusion[i * k + j]!;
      col += confusion[j * k + i]!;
    }
    c += confusion[i * k + i]!;
    s += row;
    tp += row * col;
    pp += col * col;
    tt += row * row;
  }
  const covYtYp = c * s - tp;
  const covYpYp = s * s - pp;
  const covYtYt = s * s - tt;
  if (covYpYp * covYtYt === 0) return 0;
  return covYtYp / Math.sqrt(covYtYt * covYpYp);
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

export const DEFAULT_BOOTSTRAP_ITERS = 10_000;
export const DEFAULT_BOOTSTRAP_SEED = 1234;

/**
 * Paired bootstrap of metric(A) − metric(B): each replicate draws n documents with replacement (the same
 * documents for both models) and recomputes both metrics. Work per replicate is n draws plus a few
 * additions: documents are reduced beforehand to category codes (labels) or value columns (sums).
 */
export function pairedBootstrap(input: PairedInput, options: BootstrapOptions = {}): PairedBootstrapResult {
  const iters = options.iters ?? DEFAULT_BOOTSTRAP_ITERS;
  const rng = seededRng(options.seed ?? DEFAULT_BOOTSTRAP_SEED);
  const plan = planFor(input);
  const n = plan.n;
  if (n === 0) throw new RangeError('pairedBootstrap: no documents to resample');
  if (!Number.isInteger(iters) || iters < 1) throw new RangeError(`pairedBootstrap: iters must be ≥ 1 (got ${iters})`);

  const full = plan.full();
  const deltas = new Float64Array(iters);
  for (let r = 0; r < iters; r++) deltas[r] = plan.replicate(rng);

  let le = 0;
  let ge = 0;
  for (let r = 0; r < iters; r++) {
    const d = deltas[r]!;
    if (d <= 0) le++;
    if (d >= 0) ge++;
  }
  const sorted = Float64Array.from(deltas).sort();
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

interface Plan {
  n: number;
  full(): { a: number; b: number };
  replicate(rng: Rng): number;
}

function planFor(input: PairedInput): Plan {
  switch (input.kind) {
    case 'mean': {
      const n = sameLength(input.a, input.b);
      const diff = new Float64Array(n);
      for (let i = 0; i < n; i++) diff[i] = input.a[i]! - input.b[i]!;
      return {
        n,
        full: () => ({ a: sumOf(input.a) / n, b: sumOf(input.b) / n }),
        replicate: (rng) => {
          let s = 0;
          for (let i = 0; i < n; i++) s += diff[drawIndex(rng, n)]!;
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
        replicate: (rng) => {
          let sa = 0;
          let sb = 0;
          for (let i = 0; i < n; i++) {
            const j = drawIndex(rng, n);
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
        replicate: (rng) => {
          let sa = 0;
          let saw = 0;
          let sb = 0;
          let sbw = 0;
          for (let i = 0; i < n; i++) {
            const j = drawIndex(rng, n);
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
 * a replicate just counts draws per combination and rebuilds both confusion matrices from those counts.
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
  const comboIndex = new Map<string, number>();
  const combos: Array<[number, number, number, number]> = [];
  const rawCombos: Array<[number, number, number, number]> = [];
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const raw: [number, number, number, number] = [input.goldA[i]!, input.predA[i]!, input.goldB[i]!, input.predB[i]!];
    const key = raw.join(',');
    let code = comboIndex.get(key);
    if (code === undefined) {
      code = combos.length;
      comboIndex.set(key, code);
      combos.push([labelOf(raw[0]), labelOf(raw[1]), labelOf(raw[2]), labelOf(raw[3])]);
      rawCombos.push(raw);
    }
    codes[i] = code;
  }
  const k = labelIndex.size;
  const K = combos.length;
  const confA = new Float64Array(k * k);
  const confB = new Float64Array(k * k);
  const statistic = (counts: ArrayLike<number>): { a: number; b: number } => {
    if (input.kind === 'f1') {
      let tpA = 0, fpA = 0, fnA = 0, tpB = 0, fpB = 0, fnB = 0;
      for (let q = 0; q < K; q++) {
        const m = counts[q]!;
        if (m === 0) continue;
        const [gA, pA, gB, pB] = rawCombos[q]!;
        if (pA === 1 && gA === 1) tpA += m;
        else if (pA === 1) fpA += m;
        else if (gA === 1) fnA += m;
        if (pB === 1 && gB === 1) tpB += m;
        else if (pB === 1) fpB += m;
        else if (gB === 1) fnB += m;
      }
      return { a: f1FromCounts(tpA, fpA, fnA), b: f1FromCounts(tpB, fpB, fnB) };
    }
    // scikit-learn builds the matrix over the labels present in the sample; labels absent from a
    // replicate contribute zero rows and columns, which leave every term of the formula unchanged.
    confA.fill(0);
    confB.fill(0);
    for (let q = 0; q < K; q++) {
      const m = counts[q]!;
      if (m === 0) continue;
      const [gA, pA, gB, pB] = combos[q]!;
      confA[gA * k + pA] += m;
      confB[gB * k + pB] += m;
    }
    return { a: mccFromConfusion(confA, k), b: mccFromConfusion(confB, k) };
  };
  const fullCounts = new Float64Array(K);
  for (let i = 0; i < n; i++) fullCounts[codes[i]!]++;
  const counts = new Int32Array(K);
  return {
    n,
    full: () => statistic(fullCounts),
    replicate: (rng) => {
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[codes[drawIndex(rng, n)]!]++;
      const s = statistic(counts);
      return s.a - s.b;
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
