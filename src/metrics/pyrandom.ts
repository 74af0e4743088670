// CPython's `random.Random` (MT19937) for integer seeds, bit for bit: lm-eval's few-shot sampler
// draws with `Random(1234).sample(...)` and its bootstrap resamples with `Random(i).choices(...)`.

export const MT_N = 624;
const MT_M = 397;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const MATRIX_A = 0x9908b0df;

/** 32-bit words of a non-negative integer, least significant first (CPython's seeding key). */
export function seedKey(seed: number | bigint): number[] {
  let n = typeof seed === 'bigint' ? seed : BigInt(seed);
  if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
    throw new RangeError(`random seed must be an integer, got ${seed}`);
  }
  if (n < 0n) n = -n; // CPython seeds with abs(seed)
  if (n === 0n) return [0];
  const key: number[] = [];
  while (n > 0n) {
    key.push(Number(n & 0xffffffffn));
    n >>= 32n;
  }
  return key;
}

/** MT19937 `init_by_array` (after `init_genrand(19650218)`), exactly as CPython's `random_seed`. */
export function seedMtState(state: Uint32Array | Int32Array, seed: number | bigint): void {
  const key = seedKey(seed);
  const mt = state;
  mt[0] = 19650218;
  for (let i = 1; i < MT_N; i++) {
    const prev = mt[i - 1]! >>> 0;
    mt[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
  }
  let i = 1;
  let j = 0;
  for (let k = Math.max(MT_N, key.length); k > 0; k--) {
    const prev = mt[i - 1]! >>> 0;
    mt[i] = (((mt[i]! ^ Math.imul(prev ^ (prev >>> 30), 1664525)) >>> 0) + key[j]! + j) >>> 0;
    i++;
    j++;
    if (i >= MT_N) {
      mt[0] = mt[MT_N - 1]!;
      i = 1;
    }
    if (j >= key.length) j = 0;
  }
  for (let k = MT_N - 1; k > 0; k--) {
    const prev = mt[i - 1]! >>> 0;
    mt[i] = (((mt[i]! ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) >>> 0) - i) >>> 0;
    i++;
    if (i >= MT_N) {
      mt[0] = mt[MT_N - 1]!;
      i = 1;
    }
  }
  mt[0] = UPPER_MASK; // assures a non-zero initial state
}

/** Regenerates all 624 state words (the MT19937 "twist"). */
export function twistMtState(mt: Uint32Array): void {
  let kk = 0;
  let y: number;
  for (; kk < MT_N - MT_M; kk++) {
    y = (mt[kk]! & UPPER_MASK) | (mt[kk + 1]! & LOWER_MASK);
    mt[kk] = mt[kk + MT_M]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
  }
  for (; kk < MT_N - 1; kk++) {
    y = (mt[kk]! & UPPER_MASK) | (mt[kk + 1]! & LOWER_MASK);
    mt[kk] = mt[kk + (MT_M - MT_N)]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
  }
  y = (mt[MT_N - 1]! & UPPER_MASK) | (mt[0]! & LOWER_MASK);
  mt[MT_N - 1] = mt[MT_M - 1]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
}

/** MT19937 output tempering of one state word. */
export function temperMt(word: number): number {
  let y = word;
  y ^= y >>> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  y ^= y >>> 18;
  return y >>> 0;
}

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

/** Python's `random.Random(seed)` for integer seeds (the only seeding lm-eval uses). */
export class PyRandom {
  private readonly mt = new Uint32Array(MT_N);
  private index = MT_N;

  constructor(seed: number | bigint) {
    this.seed(seed);
  }

  seed(seed: number | bigint): void {
    seedMtState(this.mt, seed);
    this.index = MT_N;
  }

  /** One tempered 32-bit output word (`genrand_uint32`). */
  nextUint32(): number {
    if (this.index >= MT_N) {
      twistMtState(this.mt);
      this.index = 0;
    }
    return temperMt(this.mt[this.index++]!);
  }

  /** `random()`: 53-bit float in [0, 1) from two words (`genrand_res53`). */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * TWO_POW_26 + b) / TWO_POW_53;
  }

  /** `getrandbits(k)` for 0 ≤ k ≤ 53 (words consumed least significant first, like CPython). */
  getrandbits(k: number): number {
    if (!Number.isInteger(k) || k < 0 || k > 53) {
      throw new RangeError(`getrandbits supports 0..53 bits here, got ${k}`);
    }
    if (k === 0) return 0;
    if (k <= 32) return this.nextUint32() >>> (32 - k);
    const low = this.nextUint32();
    const high = this.nextUint32() >>> (64 - k);
    return high * 4294967296 + low;
  }

  /** `_randbelow(n)`: rejection sampling on `n.bit_length()` bits. */
  randbelow(n: number): number {
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`randbelow needs 1 ≤ n < 2^53, got ${n}`);
    const k = bitLength(n);
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  /**
   * `sample(population, k)` without `counts`: the pool branch for small populations, the set branch
   * otherwise, choosing between them exactly as CPython does (they consume the generator differently).
   */
  sample<T>(population: readonly T[], k: number): T[] {
    const n = population.length;
    if (!Number.isInteger(k) || k < 0 || k > n) {
      throw new RangeError(`Sample larger than population or is negative (k=${k}, population=${n})`);
    }
    const result: T[] = new Array<T>(k);
    let setsize = 21;
    if (k > 5) setsize += 4 ** Math.ceil(Math.log(k * 3) / Math.log(4));
    if (n <= setsize) {
      const pool = population.slice();
      for (let i = 0; i < k; i++) {
        const j = this.randbelow(n - i);
        result[i] = pool[j]!;
        pool[j] = pool[n - i - 1]!;
      }
    } else {
      const selected = new Set<number>();
      for (let i = 0; i < k; i++) {
        let j = this.randbelow(n);
        while (selected.has(j)) j = this.randbelow(n);
        selected.add(j);
        result[i] = population[j]!;
      }
    }
    return result;
  }

  /** `choices(population, k=k)` without weights: `population[floor(random() * n)]` per draw. */
  choices<T>(population: readonly T[], k: number): T[] {
    const n = population.length;
    const out: T[] = new Array<T>(k);
    for (let i = 0; i < k; i++) out[i] = population[Math.floor(this.random() * n)]!;
    return out;
  }
}

/** Python's `int.bit_length()` for a non-negative safe integer. */
function bitLength(n: number): number {
  if (n < 4294967296) return 32 - Math.clz32(n);
  return 32 + bitLength(Math.floor(n / 4294967296));
}
