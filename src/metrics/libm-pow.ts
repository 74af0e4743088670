// Python `x ** 2`, which CPython computes as the C library's `pow(x, 2.0)`. glibc's pow is not always
// correctly rounded (about 0.08% of squares differ from `x * x` in the last bit), and lm-eval squares with
// `** 2` in sample_stddev and the pooled group stderr, so glibc's pow (optimized-routines algorithm,
// FMA variant as on x86-64 with FMA and aarch64) is reproduced here for exponent 2.
import { expCore, fma, fromBits, hexFloat, roundToDouble } from './libm.js';

const N = 128;
const LN2_HI = hexFloat('0x1.62e42fefa3800p-1');
const LN2_LO = hexFloat('0x1.ef35793c76730p-45');
// log1p polynomial, coefficients pre-scaled as in glibc
const A0 = -0.5;
const A1 = hexFloat('0x1.555555555556p-2') * -2;
const A2 = hexFloat('-0x1.0000000000006p-2') * -2;
const A3 = hexFloat('0x1.999999959554ep-3') * 4;
const A4 = hexFloat('-0x1.555555529a47ap-3') * 4;
const A5 = hexFloat('0x1.2495b9b4845e9p-3') * -8;
const A6 = hexFloat('-0x1.0002b8b263fc3p-3') * -8;
const OFF_HI = 0x3fe69555; // 0x3fe6955500000000: z = x / 2^k lies in [0x1.69555p-1, 0x1.69555p0)

/**
 * log table: z's range is split into N subintervals (width 1/(2N) below 1, 1/N above); c near each
 * centre with 1/c = round(N/centre)/N (or round(2N/centre)/(2N)), logc = log(c) rounded to 2^-43,
 * logctail = log(c) − logc. log(c) is computed in 256-bit fixed point (2·atanh series).
 */
const INVC = new Float64Array(N);
const LOGC = new Float64Array(N);
const LOGCTAIL = new Float64Array(N);
{
  const P = 256n;
  const lo = hexFloat('0x1.69555p-1');
  const hi = hexFloat('0x1.69555p0');
  // ln(num/den) = 2·atanh((num − den)/(num + den)) in fixed point
  const lnRatio = (num: bigint, den: bigint): bigint => {
    const negative = num < den;
    const t = ((negative ? den - num : num - den) << P) / (num + den);
    const t2 = (t * t) >> P;
    let power = t;
    let sum = 0n;
    for (let k = 1n; power !== 0n; k += 2n) {
      sum += power / k;
      power = (power * t2) >> P;
    }
    return negative ? -2n * sum : 2n * sum; // atanh is odd
  };
  for (let i = 0; i < N; i++) {
    const center = i / (2 * N) + lo < 1 ? (i + 0.5) / (2 * N) + lo : (i + 0.5) / N + hi - 1;
    const scale = center < 1 ? N : 2 * N;
    const m = Math.round(scale / center); // 1/c = m / scale
    INVC[i] = m / scale;
    const lnc = lnRatio(BigInt(scale), BigInt(m)); // log(c) = log(scale / m)
    const unit = P - 43n;
    let q = lnc >> unit; // round to a multiple of 2^-43, half to even
    const rest = lnc - (q << unit);
    const half = 1n << (unit - 1n);
    if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
    LOGC[i] = Number(q) * 2 ** -43;
    LOGCTAIL[i] = roundToDouble(lnc - (q << unit), -Number(P));
  }
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/** log(x) as hi + tail (about 68 bits) for the bit pattern (hi, lo) of positive x, subnormals prenormalised. */
function logInline(ixHi: number, ixLo: number): [number, number] {
  const tmpHi = (ixHi - OFF_HI) | 0; // the low word of OFF is zero, so no borrow
  const i = (tmpHi >>> 13) & (N - 1);
  const k = tmpHi >> 20;
  const z = fromBits((ixHi - (tmpHi & 0xfff00000)) >>> 0, ixLo);
  const kd = k;
  const invc = INVC[i]!;
  const logc = LOGC[i]!;
  const logctail = LOGCTAIL[i]!;
  const r = fma(z, invc, -1.0); // exact: 1/c has few bits
  const t1 = fma(kd, LN2_HI, logc);
  const t2 = t1 + r;
  const lo1 = fma(kd, LN2_LO, logctail);
  const lo2 = t1 - t2 + r;
  const ar = A0 * r;
  const ar2 = r * ar;
  const ar3 = r * ar2;
  const hi = t2 + ar2;
  const lo3 = fma(ar, r, -ar2);
  const lo4 = t2 - hi + ar2;
  const poly = fma(ar2, fma(ar2, fma(r, A6, A5), fma(r, A4, A3)), fma(r, A2, A1));
  const lo = fma(ar3, poly, lo1 + lo2 + lo3 + lo4);
  const y = hi + lo;
  return [y, hi - y + lo];
}

/** glibc `pow(x, 2.0)`. */
export function glibcPowSquare(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x * x;
  bits[0] = Math.abs(x); // x < 0 with an even integer exponent: pow uses |x|
  let ixHi = words[1]!;
  let ixLo = words[0]!;
  if (ixHi >>> 20 === 0) {
    // subnormal: scale into the normal range and keep the exponent offset in the bit pattern
    bits[0] = Math.abs(x) * 2 ** 52;
    ixHi = (words[1]! - (52 << 20)) >>> 0;
    ixLo = words[0]!;
  }
  const [hi, tail] = logInline(ixHi, ixLo);
  const ehi = 2 * hi;
  const elo = 2 * tail; // y·lo + fma(y, hi, −ehi) with y = 2 is exact
  const a = Math.abs(ehi);
  if (a < 2 ** -54) return 1.0;
  if (a >= 1024) return ehi < 0 ? 0 : Infinity;
  return expCore(ehi, elo);
}

/**
 * Python `x ** 2` for a float. Where the exact square is not near a rounding tie, glibc's pow (error
 * < 0.52 ulp) returns the correctly rounded `x * x`; only near ties is the full algorithm run.
 */
export function pySquare(x: number): number {
  const p = x * x;
  if (!(p > 1e-290 && p < 1e300)) return glibcPowSquare(x);
  const err = fma(x, x, -p); // x² = p + err exactly
  bits[0] = p;
  const ulp = 2 ** (((words[1]! >>> 20) & 0x7ff) - 1075);
  return Math.abs(err) < 0.4 * ulp ? p : glibcPowSquare(x);
}
