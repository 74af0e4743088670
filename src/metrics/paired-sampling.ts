// Seeded sampling for the paired bootstrap: a small fast generator, whole resamples of document indices,
// and exact multinomial draws of category counts (a resample of n documents seen only through the
// categories they fall in needs K binomial draws instead of n index draws).

/** sfc32, seeded through splitmix32: reproducible and quick in a tight loop. */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const splitmix = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix() | 0;
    this.b = splitmix() | 0;
    this.c = splitmix() | 0;
    this.d = splitmix() | 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    return ((this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6)) / 9007199254740992;
  }

  /** out[i] = uniform index in [0, n) (multiply-high; bias below n / 2^32, negligible here). */
  fillIndices(out: Int32Array, n: number): void {
    let a = this.a;
    let b = this.b;
    let c = this.c;
    let d = this.d;
    const scale = n / 4294967296;
    for (let i = 0; i < out.length; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      out[i] = Math.floor((t >>> 0) * scale);
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }
}

const LOG_FACTORIAL_TABLE = (() => {
  const t = new Float64Array(1024);
  for (let i = 1; i < t.length; i++) t[i] = t[i - 1]! + Math.log(i);
  return t;
})();

/** ln(k!) for integer k ≥ 0: a table below 1024, Stirling's series above (error < 1e-15 relative). */
export function logFactorial(k: number): number {
  if (k < LOG_FACTORIAL_TABLE.length) return LOG_FACTORIAL_TABLE[k]!;
  const x = k + 1;
  const inv = 1 / x;
  const inv2 = inv * inv;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + inv * (1 / 12 - inv2 * (1 / 360 - inv2 / 1260));
}

/**
 * Exact Binomial(n, p) draw: inversion when n·p is small, otherwise Hörmann's BTRS (transformed
 * rejection with squeeze, 1993), the sampler TensorFlow and JAX use.
 */
export function binomial(random: SeededRandom, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(random, n, 1 - p);
  const q = 1 - p;
  if (n * p < 10) {
    // inversion: walk the pmf from 0, P(k+1) = P(k) · (n−k)/(k+1) · p/q
    const s = p / q;
    let r = Math.exp(n * Math.log1p(-p));
    let u = random.nextDouble();
    let k = 0;
    while (u > r && k < n) {
      u -= r;
      r *= ((n - k) / (k + 1)) * s;
      k++;
    }
    return k;
  }
  const spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const alpha = (2.83 + 5.1 / b) * spq;
  const lpq = Math.log(p / q);
  const m = Math.floor((n + 1) * p);
  const h = logFactorial(m) + logFactorial(n - m);
  for (;;) {
    const u = random.nextDouble() - 0.5;
    let v = random.nextDouble();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) return k;
    v = Math.log((v * alpha) / (a / (us * us) + b));
    if (v <= h - logFactorial(k) - logFactorial(n - k) + (k - m) * lpq) return k;
  }
}

/**
 * Counts of a with-replacement resample of n documents over categories of the given sizes
 * (Σ sizes = n): a multinomial draw done as sequential binomials with exact integer ratios.
 */
export function multinomialCounts(random: SeededRandom, sizes: ArrayLike<number>, out: Int32Array): void {
  let total = 0;
  for (let k = 0; k < sizes.length; k++) total += sizes[k]!;
  let remainingDraws = total;
  let remainingSize = total;
  const last = sizes.length - 1;
  for (let k = 0; k < last; k++) {
    const size = sizes[k]!;
    const x = remainingDraws === 0 || remainingSize <= 0 ? 0 : binomial(random, remainingDraws, size / remainingSize);
    out[k] = x;
    remainingDraws -= x;
    remainingSize -= size;
  }
  if (last >= 0) out[last] = remainingDraws;
}
