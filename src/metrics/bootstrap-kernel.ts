// The bootstrap's hot loop in WebAssembly: MT19937 (SIMD twist and tempering) feeding `choices()` draws
// that either count categories (F1/MCC resamples) or sum values in draw order (perplexity resamples).
// It reproduces `Random(i).choices(items, k=n)` exactly; PyRandom is the readable reference.
import { MT_N, seedMtState } from './pyrandom.js';
import { assembleModule, op, valtype, type Bytes, type FunctionDef } from './wasm-emit.js';

const STATE = 0; // 624 state words
const OUT = MT_N * 4; // 624 tempered output words
const OUT_END = OUT + MT_N * 4;
const COUNTS = 5120; // category counters (i32)
const MAX_CATEGORIES = 256;
const DATA = COUNTS + MAX_CATEGORIES * 4; // per-item categories (u8) or values (f64)
const PAGE = 65536;
const MIDPOINT = MT_N - 397; // 227: first index whose twist source is already regenerated

const UPPER = 0x80000000 | 0;
const LOWER = 0x7fffffff;
const MATRIX_A = 0x9908b0df | 0;
const TEMPER_B = 0x9d2c5680 | 0;
const TEMPER_C = 0xefc60000 | 0;

const FN_TWIST = 0;
const G_POS = 0; // address of the next unread output word; OUT_END = block exhausted

// twist locals: loop offset, scratch vector and word, then the constant vectors
const T = { p: 0, v: 1, w: 2, upper: 3, matrix: 4, temperB: 5, temperC: 6 };

/** MT19937 tempering of the i32 on the stack, leaving the output word. */
function temperScalar(): Bytes {
  const w = T.w;
  return [
    ...op.localSet(w),
    ...op.localGet(w), ...op.localGet(w), ...op.i32Const(11), ...op.i32ShrU(), ...op.i32Xor(), ...op.localSet(w),
    ...op.localGet(w), ...op.localGet(w), ...op.i32Const(7), ...op.i32Shl(), ...op.i32Const(TEMPER_B), ...op.i32And(), ...op.i32Xor(), ...op.localSet(w),
    ...op.localGet(w), ...op.localGet(w), ...op.i32Const(15), ...op.i32Shl(), ...op.i32Const(TEMPER_C), ...op.i32And(), ...op.i32Xor(), ...op.localSet(w),
    ...op.localGet(w), ...op.localGet(w), ...op.i32Const(18), ...op.i32ShrU(), ...op.i32Xor(),
  ];
}

/** One scalar twist step for state index `kk` (source word `src`, successor `next`), output tempered. */
function scalarTwist(kk: number, src: number, next: number): Bytes {
  const w = T.w;
  return [
    ...op.i32Const(src * 4), ...op.i32Load(STATE),
    ...op.i32Const(kk * 4), ...op.i32Load(STATE), ...op.i32Const(UPPER), ...op.i32And(),
    ...op.i32Const(next * 4), ...op.i32Load(STATE), ...op.i32Const(LOWER), ...op.i32And(),
    ...op.i32Or(), ...op.localTee(w),
    ...op.i32Const(1), ...op.i32ShrU(), ...op.i32Xor(),
    ...op.i32Const(0), ...op.localGet(w), ...op.i32Const(1), ...op.i32And(), ...op.i32Sub(),
    ...op.i32Const(MATRIX_A), ...op.i32And(), ...op.i32Xor(), ...op.localSet(w),
    ...op.i32Const(kk * 4), ...op.localGet(w), ...op.i32Store(STATE),
    ...op.i32Const(kk * 4), ...op.localGet(w), ...temperScalar(), ...op.i32Store(OUT),
  ];
}

function xorShifted(shift: Bytes, mask?: number): Bytes {
  const v = T.v;
  return [
    ...op.localGet(v), ...op.localGet(v), ...shift,
    ...(mask === undefined ? [] : [...op.localGet(mask), ...op.v128And()]),
    ...op.v128Xor(), ...op.localSet(v),
  ];
}

/** Four twist steps at byte offset p (`srcAddress` pushes the source words' address), outputs tempered. */
function vectorTwist(srcAddress: Bytes): Bytes {
  const { p, v, upper, matrix } = T;
  return [
    ...srcAddress,
    ...op.localGet(p), ...op.v128Load(STATE),
    ...op.localGet(p), ...op.v128Load(STATE + 4),
    ...op.localGet(upper), ...op.v128Bitselect(), ...op.localTee(v), // y = upper bit of mt[i] | lower bits of mt[i+1]
    ...op.i32Const(1), ...op.i32x4ShrU(), ...op.v128Xor(),
    ...op.localGet(v), ...op.i32Const(31), ...op.i32x4Shl(), ...op.i32Const(31), ...op.i32x4ShrS(),
    ...op.localGet(matrix), ...op.v128And(), ...op.v128Xor(), ...op.localSet(v),
    ...op.localGet(p), ...op.localGet(v), ...op.v128Store(STATE),
    ...xorShifted([...op.i32Const(11), ...op.i32x4ShrU()]),
    ...xorShifted([...op.i32Const(7), ...op.i32x4Shl()], T.temperB),
    ...xorShifted([...op.i32Const(15), ...op.i32x4Shl()], T.temperC),
    ...xorShifted([...op.i32Const(18), ...op.i32x4ShrU()]),
    ...op.localGet(p), ...op.localGet(v), ...op.v128Store(OUT),
  ];
}

/** `do { body; p += step } while (p < limit)` starting from p = start. */
function countedLoop(p: number, start: number, step: number, limit: number, body: Bytes): Bytes {
  return [
    ...op.i32Const(start), ...op.localSet(p),
    ...op.loop(),
    ...body,
    ...op.localGet(p), ...op.i32Const(step), ...op.i32Add(), ...op.localTee(p),
    ...op.i32Const(limit), ...op.i32LtU(), ...op.brIf(0),
    ...op.end(),
  ];
}

/** Regenerates the state and writes the 624 tempered output words (twist and tempering fused). */
function twistFunction(): FunctionDef {
  const splat = (value: number, local: number): Bytes => [...op.i32Const(value), ...op.i32x4Splat(), ...op.localSet(local)];
  const body: Bytes = [
    ...splat(UPPER, T.upper), ...splat(MATRIX_A, T.matrix), ...splat(TEMPER_B, T.temperB), ...splat(TEMPER_C, T.temperC),
    // indices 0..223: sources 397..620 are still old words
    ...countedLoop(T.p, 0, 16, (MIDPOINT - 3) * 4, vectorTwist([...op.localGet(T.p), ...op.v128Load(STATE + 397 * 4)])),
    ...scalarTwist(224, 621, 225),
    ...scalarTwist(225, 622, 226),
    ...scalarTwist(226, 623, 227),
    // indices 227..622: sources 0..395 were regenerated above, as in the reference loop
    ...countedLoop(T.p, MIDPOINT * 4, 16, (MT_N - 1) * 4, vectorTwist([
      ...op.localGet(T.p), ...op.i32Const(MIDPOINT * 4), ...op.i32Sub(), ...op.v128Load(STATE),
    ])),
    ...scalarTwist(623, 396, 0),
    ...op.i32Const(OUT), ...op.globalSet(G_POS),
  ];
  const v128 = valtype.v128;
  return { name: 'twist', params: [], results: [], locals: [valtype.i32, v128, valtype.i32, v128, v128, v128, v128], body };
}

// params (n, data, scale, counts), then the draw loop's locals; kernel-specific locals start at 9
const L = { n: 0, data: 1, scale: 2, counts: 3, remaining: 4, p: 5, end: 6, take: 7, word: 8 };
const LOOP_LOCALS = [valtype.i32, valtype.i32, valtype.i32, valtype.i32, valtype.i64];

/**
 * Draw loop shared by all kernels: `n` draws of `floor(random() * n_items)` (scale = n_items / 2^53),
 * refilling the output block with the twist as needed. `perDraw` consumes the item index on the stack;
 * `perBlock` runs after each stretch of draws within one output block.
 */
function drawLoop(perDraw: Bytes, beforeBlock: Bytes, perBlock: Bytes): Bytes {
  const { n, scale, remaining, p, end, take, word } = L;
  return [
    ...op.localGet(n), ...op.localSet(remaining),
    ...op.block(),
    ...op.loop(),
    ...op.localGet(remaining), ...op.i32Eqz(), ...op.brIf(1),
    ...op.globalGet(G_POS), ...op.i32Const(OUT_END), ...op.i32GeU(),
    ...op.if(), ...op.call(FN_TWIST), ...op.end(),
    ...op.globalGet(G_POS), ...op.localSet(p),
    // take = min(remaining * 8, OUT_END - p) bytes of output words, two words per draw
    ...op.localGet(remaining), ...op.i32Const(3), ...op.i32Shl(),
    ...op.i32Const(OUT_END), ...op.localGet(p), ...op.i32Sub(),
    ...op.localGet(remaining), ...op.i32Const(3), ...op.i32Shl(),
    ...op.i32Const(OUT_END), ...op.localGet(p), ...op.i32Sub(),
    ...op.i32LtU(), ...op.select(), ...op.localSet(take),
    ...op.localGet(p), ...op.localGet(take), ...op.i32Add(), ...op.localSet(end),
    ...op.localGet(remaining), ...op.localGet(take), ...op.i32Const(3), ...op.i32ShrU(), ...op.i32Sub(), ...op.localSet(remaining),
    ...beforeBlock,
    ...op.loop(),
    // random() = (a * 2^26 + b) / 2^53 with a = w0 >>> 5, b = w1 >>> 6; one i64 load holds w0 | w1 << 32,
    // so a * 2^26 + b = ((x << 21) & (2^53 - 2^26)) | (x >>> 38), exact in f64. Scaling by n / 2^53
    // instead of 2^-53 then n rounds once, at the same place as Python's `random() * n`.
    ...op.localGet(p), ...op.i64Load(0), ...op.localTee(word),
    ...op.i64Const(21), ...op.i64Shl(), ...op.i64Const(0x1ffffffc000000n), ...op.i64And(),
    ...op.localGet(word), ...op.i64Const(38), ...op.i64ShrU(), ...op.i64Or(),
    ...op.f64ConvertI64S(), ...op.localGet(scale), ...op.f64Mul(), ...op.i32TruncF64S(),
    ...perDraw,
    ...op.localGet(p), ...op.i32Const(8), ...op.i32Add(), ...op.localTee(p),
    ...op.localGet(end), ...op.i32LtU(), ...op.brIf(0),
    ...op.end(),
    ...op.localGet(p), ...op.globalSet(G_POS),
    ...perBlock,
    ...op.br(0),
    ...op.end(),
    ...op.end(),
  ];
}

/** Up to 4 categories: counts packed in 16-bit fields of one i64, flushed to memory per output block. */
function countPackedFunction(): FunctionDef {
  const [acc, shift] = [9, 10];
  const perDraw: Bytes = [
    ...op.localGet(L.data), ...op.i32Add(), ...op.i32Load8U(0),
    ...op.i32Const(4), ...op.i32Shl(), ...op.i64ExtendI32U(), ...op.localSet(shift),
    ...op.i64Const(1), ...op.localGet(shift), ...op.i64Shl(), ...op.localGet(acc), ...op.i64Add(), ...op.localSet(acc),
  ];
  const flush: Bytes = [];
  for (let j = 0; j < 4; j++) {
    flush.push(
      ...op.localGet(L.counts),
      ...op.localGet(L.counts), ...op.i32Load(j * 4),
      ...op.localGet(acc), ...op.i64Const(16 * j), ...op.i64ShrU(), ...op.i32WrapI64(),
      ...op.i32Const(0xffff), ...op.i32And(), ...op.i32Add(),
      ...op.i32Store(j * 4),
    );
  }
  return {
    name: 'countPacked',
    params: [valtype.i32, valtype.i32, valtype.f64, valtype.i32],
    results: [],
    locals: [...LOOP_LOCALS, valtype.i64, valtype.i64],
    body: drawLoop(perDraw, [...op.i64Const(0), ...op.localSet(acc)], flush),
  };
}

/** Any number of categories (≤ 256): one i32 counter per category in memory. */
function countMemoryFunction(): FunctionDef {
  const addr = 9;
  const perDraw: Bytes = [
    ...op.localGet(L.data), ...op.i32Add(), ...op.i32Load8U(0),
    ...op.i32Const(2), ...op.i32Shl(), ...op.localGet(L.counts), ...op.i32Add(), ...op.localTee(addr),
    ...op.localGet(addr), ...op.i32Load(0), ...op.i32Const(1), ...op.i32Add(), ...op.i32Store(0),
  ];
  return {
    name: 'countMemory',
    params: [valtype.i32, valtype.i32, valtype.f64, valtype.i32],
    results: [],
    locals: [...LOOP_LOCALS, valtype.i32],
    body: drawLoop(perDraw, [], []),
  };
}

/** Sum of the drawn values in draw order: CPython ≤ 3.11 `sum`. */
function sumNaiveFunction(): FunctionDef {
  const s = 9;
  const perDraw: Bytes = [
    ...op.i32Const(3), ...op.i32Shl(), ...op.localGet(L.data), ...op.i32Add(), ...op.f64Load(0),
    ...op.localGet(s), ...op.f64Add(), ...op.localSet(s),
  ];
  return {
    name: 'sumNaive',
    params: [valtype.i32, valtype.i32, valtype.f64, valtype.i32],
    results: [valtype.f64],
    locals: [...LOOP_LOCALS, valtype.f64],
    body: [...drawLoop(perDraw, [], []), ...op.localGet(s)],
  };
}

/** Sum of the drawn values in draw order: CPython ≥ 3.12 `sum` (Neumaier). */
function sumNeumaierFunction(): FunctionDef {
  const [s, c, t, x] = [9, 10, 11, 12];
  const perDraw: Bytes = [
    ...op.i32Const(3), ...op.i32Shl(), ...op.localGet(L.data), ...op.i32Add(), ...op.f64Load(0), ...op.localSet(x),
    ...op.localGet(s), ...op.localGet(x), ...op.f64Add(), ...op.localSet(t),
    ...op.localGet(c),
    ...op.localGet(s), ...op.localGet(t), ...op.f64Sub(), ...op.localGet(x), ...op.f64Add(),
    ...op.localGet(x), ...op.localGet(t), ...op.f64Sub(), ...op.localGet(s), ...op.f64Add(),
    ...op.localGet(s), ...op.f64Abs(), ...op.localGet(x), ...op.f64Abs(), ...op.f64Ge(),
    ...op.select(), ...op.f64Add(), ...op.localSet(c),
    ...op.localGet(t), ...op.localSet(s),
  ];
  const finish: Bytes = [
    ...op.localGet(c), ...op.f64Const(0), ...op.f64Ne(),
    ...op.localGet(c), ...op.localGet(c), ...op.f64Sub(), ...op.f64Const(0), ...op.f64Eq(),
    ...op.i32And(),
    ...op.if(), ...op.localGet(s), ...op.localGet(c), ...op.f64Add(), ...op.localSet(s), ...op.end(),
    ...op.localGet(s),
  ];
  return {
    name: 'sumNeumaier',
    params: [valtype.i32, valtype.i32, valtype.f64, valtype.i32],
    results: [valtype.f64],
    locals: [...LOOP_LOCALS, valtype.f64, valtype.f64, valtype.f64, valtype.f64],
    body: [...drawLoop(perDraw, [], []), ...finish],
  };
}

interface KernelExports {
  memory: WebAssembly.Memory;
  twist(): void;
  countPacked(n: number, data: number, scale: number, counts: number): void;
  countMemory(n: number, data: number, scale: number, counts: number): void;
  sumNaive(n: number, data: number, scale: number, unused: number): number;
  sumNeumaier(n: number, data: number, scale: number, unused: number): number;
}

let compiled: WebAssembly.Module | null | undefined;

/** Memory layout shared with worker threads that drive the kernel themselves. */
export function kernelLayout(): { state: number; stateWords: number; counts: number; data: number } {
  return { state: STATE, stateWords: MT_N, counts: COUNTS, data: DATA };
}

/** The compiled kernel, or null where WebAssembly SIMD is unavailable. */
export function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  const bytes = assembleModule({
    memoryPages: 1,
    globals: [OUT_END],
    functions: [twistFunction(), countPackedFunction(), countMemoryFunction(), sumNaiveFunction(), sumNeumaierFunction()],
  });
  compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  return compiled;
}

const TWO_POW_53 = 9007199254740992;

/**
 * One MT19937 stream plus one item array. Load items once, then per chunk `seed(i)` and per replicate
 * `countCategories` or `sumDraws`, which consume the generator exactly like `rng.choices(items, k=n)`.
 */
export class BootstrapKernel {
  private readonly x: KernelExports;
  private itemCount = 0;
  private kind: 'categories' | 'values' | undefined;
  private categoryCount = 0;

  private constructor(instance: WebAssembly.Instance) {
    this.x = instance.exports as unknown as KernelExports;
  }

  /** A kernel, or undefined where WebAssembly SIMD is unavailable (callers fall back to PyRandom). */
  static create(): BootstrapKernel | undefined {
    const module = kernelModule();
    return module ? new BootstrapKernel(new WebAssembly.Instance(module, {})) : undefined;
  }

  private ensureBytes(bytes: number): void {
    const have = this.x.memory.buffer.byteLength;
    if (bytes > have) this.x.memory.grow(Math.ceil((bytes - have) / PAGE));
  }

  /** Items as category ids 0..categoryCount-1 (categoryCount ≤ 256). */
  loadCategories(categories: Uint8Array, categoryCount: number): void {
    if (categoryCount > MAX_CATEGORIES) throw new RangeError(`at most ${MAX_CATEGORIES} categories`);
    this.ensureBytes(DATA + categories.length);
    new Uint8Array(this.x.memory.buffer, DATA, categories.length).set(categories);
    this.itemCount = categories.length;
    this.categoryCount = categoryCount;
    this.kind = 'categories';
  }

  /** Items as float64 values, summed in draw order. */
  loadValues(values: ArrayLike<number>): void {
    this.ensureBytes(DATA + values.length * 8);
    new Float64Array(this.x.memory.buffer, DATA, values.length).set(values);
    this.itemCount = values.length;
    this.kind = 'values';
  }

  /** Restart the stream as CPython `Random(seed)`. */
  seed(seed: number): void {
    seedMtState(new Uint32Array(this.x.memory.buffer, STATE, MT_N), seed);
    this.x.twist(); // CPython twists lazily before the first word; twisting now is the same stream
  }

  /** Draws `itemCount` items and writes how many fell in each category into `counts`. */
  countCategories(counts: Int32Array): void {
    if (this.kind !== 'categories') throw new Error('countCategories needs loadCategories first');
    const view = new Int32Array(this.x.memory.buffer, COUNTS, this.categoryCount);
    view.fill(0);
    const scale = this.itemCount / TWO_POW_53;
    if (this.categoryCount <= 4) this.x.countPacked(this.itemCount, DATA, scale, COUNTS);
    else this.x.countMemory(this.itemCount, DATA, scale, COUNTS);
    counts.set(view);
  }

  /** Draws `itemCount` values and returns their Python `sum` in draw order. */
  sumDraws(neumaier: boolean): number {
    if (this.kind !== 'values') throw new Error('sumDraws needs loadValues first');
    const scale = this.itemCount / TWO_POW_53;
    return neumaier
      ? this.x.sumNeumaier(this.itemCount, DATA, scale, 0)
      : this.x.sumNaive(this.itemCount, DATA, scale, 0);
  }
}
