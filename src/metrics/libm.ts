// glibc's `exp` (the one CPython's `math.exp` calls on Linux), reproduced bit for bit. V8's Math.exp
// differs from it in the last bit for about 10% of inputs, which would show in perplexity values.
// glibc ≥ 2.28 uses the table-driven algorithm of ARM's optimized-routines; x86-64 CPUs with FMA run the
// variant compiled with fused multiply-adds, so the contracted operations are emulated exactly here.

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer); // little-endian: [0] = low word, [1] = high word

export function fromBits(hi: number, lo: number): number {
  u32[1] = hi;
  u32[0] = lo;
  return f64[0]!;
}

/** m · 2^e with integer m (sign included) for a finite double. */
export function exactParts(x: number): [bigint, number] {
  f64[0] = x;
  const hi = u32[1]!;
  const lo = u32[0]!;
  const biased = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (biased === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = biased - 1075;
  }
  return [hi >>> 31 ? -m : m, e];
}

/** Round-half-even of the exact value m · 2^e to a double (subnormal results on the 2^-1074 grid). */
export function roundToDouble(m: bigint, e: number): number {
  if (m === 0n) return 0;
  const negative = m < 0n;
  let mag = negative ? -m : m;
  const bits = mag.toString(2).length;
  const shift = Math.max(bits - 53, -1074 - e);
  let exponent = e;
  if (shift > 0) {
    const s = BigInt(shift);
    const q = mag >> s;
    const rest = mag - (q << s);
    const half = 1n << (s - 1n);
    mag = rest > half || (rest === half && (q & 1n) === 1n) ? q + 1n : q;
    exponent += shift;
  }
  const value = Number(mag) * 2 ** exponent;
  return negative ? -value : value;
}

/** Exact fused multiply-add a·b + c, rounded once (BigInt arithmetic; the slow, always-right path). */
function fmaExact(a: number, b: number, c: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c) || a === 0 || b === 0) return a * b + c;
  const [ma, ea] = exactParts(a);
  const [mb, eb] = exactParts(b);
  if (c === 0) return roundToDouble(ma * mb, ea + eb);
  const [mc, ec] = exactParts(c);
  const ep = ea + eb;
  const e = Math.min(ep, ec);
  const sum = ((ma * mb) << BigInt(ep - e)) + (mc << BigInt(ec - e));
  return sum === 0n ? a * b + c : roundToDouble(sum, e);
}

const SPLITTER = 134217729; // 2^27 + 1 (Veltkamp)

/**
 * Fused multiply-add a·b + c with a single rounding. Fast path: exact product and sum in double-double
 * (Dekker/Knuth), then one rounding that can only go wrong on an exact tie, which takes the exact path.
 */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  const ap = Math.abs(p);
  const ac = Math.abs(c);
  // outside these ranges splitting could overflow or lose bits to underflow
  const safe = ap < 1e300 && ap > 1e-250 && Math.abs(a) < 1e290 && Math.abs(b) < 1e290 && ac < 1e300 && (ac > 1e-250 || c === 0);
  if (!safe) return fmaExact(a, b, c);
  // product error: a·b = p + pe exactly
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const pe = ah * bh - p + ah * bl + al * bh + al * bl;
  // p + c = s + se exactly
  const s = p + c;
  const bb = s - p;
  const se = p - (s - bb) + (c - bb);
  const tail = se + pe;
  const r = s + tail;
  // exactness check of the last rounding: s + tail = r + w
  const rb = r - s;
  const w = s - (r - rb) + (tail - rb);
  if (w === 0) {
    // r = s + tail exactly, but tail itself may have been rounded: fine unless that rounding crossed a tie
    const tb = tail - se;
    const tailErr = se - (tail - tb) + (pe - tb);
    return tailErr === 0 ? r : fmaExact(a, b, c);
  }
  // a residual that is a power of two may be half an ulp of r (a tie): decide exactly
  f64[0] = w;
  if ((u32[1]! & 0xfffff) === 0 && u32[0] === 0) return fmaExact(a, b, c);
  return r;
}

/** A C99 hexadecimal float literal such as `-0x1.62e42fefa0000p-8` (exact). */
export function hexFloat(literal: string): number {
  const m = /^(-?)0x([01])\.([0-9a-f]*)p([+-]?\d+)$/.exec(literal);
  if (!m) throw new Error(`bad hex float ${literal}`);
  const mantissa = Number.parseInt(m[2]! + m[3]!, 16);
  const value = mantissa * 2 ** (Number(m[4]) - 4 * m[3]!.length);
  return m[1] ? -value : value;
}

// exp(x) = 2^(k/N) · exp(r), |r| ≤ ln2/(2N), N = 128; the constants are glibc's (optimized-routines).
const N = 128;
const INV_LN2_N = hexFloat('0x1.71547652b82fep0') * N;
const NEG_LN2_HI_N = hexFloat('-0x1.62e42fefa0000p-8');
const NEG_LN2_LO_N = hexFloat('-0x1.cf79abc9e3b3ap-47');
const SHIFT = hexFloat('0x1.8p52'); // adding it rounds to an integer held in the low mantissa bits
const C2 = hexFloat('0x1.ffffffffffdbdp-2');
const C3 = hexFloat('0x1.555555555543cp-3');
const C4 = hexFloat('0x1.55555cf172b91p-5');
const C5 = hexFloat('0x1.1111167a4d017p-7');

/**
 * The 2N-entry table: for k < N, 2^(k/N) = H·(1 + T) with H the nearest double; entry 2k holds T,
 * entry 2k+1 the bits of H minus k << 45 (so adding k' << 45 for k' ≡ k scales by 2^(k'/N)).
 * Computed from 2^(1/N) in 256-bit fixed point, so every value is correctly rounded.
 */
const TABLE_HI = new Uint32Array(2 * N);
const TABLE_LO = new Uint32Array(2 * N);
{
  const P = 256n;
  const one = 1n << P;
  const isqrt = (v: bigint): bigint => {
    let x = 1n << BigInt((v.toString(2).length >> 1) + 1);
    for (;;) {
      const y = (x + v / x) >> 1n;
      if (y >= x) return x;
      x = y;
    }
  };
  let root = 2n << P; // 2^(1/128) by seven square roots
  for (let i = 0; i < 7; i++) root = isqrt(root << P);
  let exact = one;
  for (let k = 0; k < N; k++) {
    const H = roundToDouble(exact, -Number(P)); // in [1, 2)
    const [hm, he] = exactParts(H);
    const hFixed = hm << BigInt(Number(P) + he);
    const T = roundToDouble(((exact - hFixed) << P) / hFixed, -Number(P));
    f64[0] = T;
    TABLE_HI[2 * k] = u32[1]!;
    TABLE_LO[2 * k] = u32[0]!;
    f64[0] = H;
    TABLE_HI[2 * k + 1] = (u32[1]! - (k << 13)) >>> 0; // k << 45 in the high word
    TABLE_LO[2 * k + 1] = u32[0]!;
    exact = (exact * root) >> P;
  }
}

/** Scales exp for |x| > 512, where 2^(k/N) alone would overflow or underflow (glibc `specialcase`). */
function expSpecialCase(tmp: number, scaleHi: number, scaleLo: number, kLow: number): number {
  if ((kLow & 0x80000000) === 0) {
    const scale = fromBits((scaleHi - (1009 << 20)) >>> 0, scaleLo);
    return 2 ** 1009 * fma(scale, tmp, scale);
  }
  // here the compiled code computes scale · tmp once and reuses it, so nothing is fused
  const scale = fromBits((scaleHi + (1022 << 20)) >>> 0, scaleLo);
  const product = scale * tmp;
  let y = scale + product;
  if (y < 1.0) {
    let lo = scale - y + product;
    const hi = 1.0 + y;
    lo = 1.0 - hi + y + lo;
    y = hi + lo - 1.0;
    if (y === 0) y = 0;
  }
  return 2 ** -1022 * y;
}

/**
 * exp(x + xtail) for 2^-54 ≤ |x| < 1024 (glibc's `exp_inline`, shared by exp and pow; xtail is the
 * low part of pow's double-double exponent, 0 for exp).
 */
export function expCore(x: number, xtail: number): number {
  const z = INV_LN2_N * x;
  f64[0] = z + SHIFT;
  const kLow = u32[0]!;
  const kd = f64[0]! - SHIFT;
  const r = fma(kd, NEG_LN2_LO_N, fma(kd, NEG_LN2_HI_N, x)) + xtail;
  const idx = 2 * (kLow & (N - 1));
  const tail = fromBits(TABLE_HI[idx]!, TABLE_LO[idx]!);
  const scaleHi = (TABLE_HI[idx + 1]! + ((kLow & 0x7ffff) << 13)) >>> 0;
  const scaleLo = TABLE_LO[idx + 1]!;
  const r2 = r * r;
  const tmp = fma(r2 * r2, fma(r, C5, C4), fma(r2, fma(r, C3, C2), tail + r));
  if (Math.abs(x) >= 512) return expSpecialCase(tmp, scaleHi, scaleLo, kLow);
  const scale = fromBits(scaleHi, scaleLo);
  return fma(scale, tmp, scale);
}

/** CPython `math.exp` on Linux/glibc (x86-64 with FMA, aarch64). */
export function glibcExp(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  if (ax < 2 ** -54) return 1.0 + x;
  if (ax >= 1024) {
    if (x === -Infinity) return 0;
    if (x === Infinity) return Infinity;
    return x < 0 ? 0 : Infinity;
  }
  return expCore(x, 0);
}
