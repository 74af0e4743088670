// A minimal WebAssembly binary assembler: just the instructions the bootstrap kernel uses, so the kernel
// is written in TypeScript next to the code that calls it (no binary blobs, no build step).

export type Bytes = number[];

export const valtype = { i32: 0x7f, i64: 0x7e, f64: 0x7c, v128: 0x7b } as const;
export type ValType = (typeof valtype)[keyof typeof valtype];

export function uleb(value: number): Bytes {
  const out: Bytes = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

export function sleb(value: number | bigint): Bytes {
  const out: Bytes = [];
  let v = BigInt(value);
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    const signBit = (byte & 0x40) !== 0;
    if ((v === 0n && !signBit) || (v === -1n && signBit)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function f64Bytes(value: number): Bytes {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value, true);
  return [...new Uint8Array(view.buffer)];
}

function memarg(alignLog2: number, offset: number): Bytes {
  return [...uleb(alignLog2), ...uleb(offset)];
}

const simd = (op: number): Bytes => [0xfd, ...uleb(op)];

/** Instruction encoders; each returns the bytes of one instruction. */
export const op = {
  block: (): Bytes => [0x02, 0x40],
  loop: (): Bytes => [0x03, 0x40],
  if: (): Bytes => [0x04, 0x40],
  else: (): Bytes => [0x05],
  end: (): Bytes => [0x0b],
  br: (depth: number): Bytes => [0x0c, ...uleb(depth)],
  brIf: (depth: number): Bytes => [0x0d, ...uleb(depth)],
  call: (fn: number): Bytes => [0x10, ...uleb(fn)],
  select: (): Bytes => [0x1b],
  localGet: (i: number): Bytes => [0x20, ...uleb(i)],
  localSet: (i: number): Bytes => [0x21, ...uleb(i)],
  localTee: (i: number): Bytes => [0x22, ...uleb(i)],
  globalGet: (i: number): Bytes => [0x23, ...uleb(i)],
  globalSet: (i: number): Bytes => [0x24, ...uleb(i)],
  i32Load: (offset = 0): Bytes => [0x28, ...memarg(2, offset)],
  i64Load: (offset = 0): Bytes => [0x29, ...memarg(3, offset)],
  f64Load: (offset = 0): Bytes => [0x2b, ...memarg(3, offset)],
  i32Load8U: (offset = 0): Bytes => [0x2d, ...memarg(0, offset)],
  i32Store: (offset = 0): Bytes => [0x36, ...memarg(2, offset)],
  i32Const: (v: number): Bytes => [0x41, ...sleb(v | 0)],
  i64Const: (v: number | bigint): Bytes => [0x42, ...sleb(v)],
  f64Const: (v: number): Bytes => [0x44, ...f64Bytes(v)],
  i32Eqz: (): Bytes => [0x45],
  i32LtU: (): Bytes => [0x49],
  i32GeU: (): Bytes => [0x4f],
  f64Eq: (): Bytes => [0x61],
  f64Ne: (): Bytes => [0x62],
  f64Ge: (): Bytes => [0x66],
  i32Add: (): Bytes => [0x6a],
  i32Sub: (): Bytes => [0x6b],
  i32And: (): Bytes => [0x71],
  i32Or: (): Bytes => [0x72],
  i32Xor: (): Bytes => [0x73],
  i32Shl: (): Bytes => [0x74],
  i32ShrS: (): Bytes => [0x75],
  i32ShrU: (): Bytes => [0x76],
  i64Add: (): Bytes => [0x7c],
  i64And: (): Bytes => [0x83],
  i64Shl: (): Bytes => [0x86],
  i64ShrU: (): Bytes => [0x88],
  i64Or: (): Bytes => [0x84],
  f64Abs: (): Bytes => [0x99],
  f64Add: (): Bytes => [0xa0],
  f64Sub: (): Bytes => [0xa1],
  f64Mul: (): Bytes => [0xa2],
  i32WrapI64: (): Bytes => [0xa7],
  i32TruncF64U: (): Bytes => [0xab],
  i64ExtendI32U: (): Bytes => [0xad],
  f64ConvertI32U: (): Bytes => [0xb8],
  f64ConvertI64S: (): Bytes => [0xb9],
  f64ConvertI32S: (): Bytes => [0xb7],
  i32TruncF64S: (): Bytes => [0xaa],
  v128Load: (offset = 0): Bytes => [...simd(0x00), ...memarg(4, offset)],
  v128Store: (offset = 0): Bytes => [...simd(0x0b), ...memarg(4, offset)],
  i32x4Splat: (): Bytes => simd(0x11),
  v128And: (): Bytes => simd(0x4e),
  v128Xor: (): Bytes => simd(0x51),
  v128Bitselect: (): Bytes => simd(0x52),
  i32x4Shl: (): Bytes => simd(0xab),
  i32x4ShrS: (): Bytes => simd(0xac),
  i32x4ShrU: (): Bytes => simd(0xad),
};

export interface FunctionDef {
  name: string;
  params: ValType[];
  results: ValType[];
  locals: ValType[];
  body: Bytes;
}

export interface ModuleDef {
  /** Initial memory size in 64 KiB pages; exported as "memory". */
  memoryPages: number;
  /** Mutable i32 globals with their initial values (not exported). */
  globals: number[];
  functions: FunctionDef[];
}

function vec(items: Bytes[]): Bytes {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, content: Bytes): Bytes {
  return [id, ...uleb(content.length), ...content];
}

function str(s: string): Bytes {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

/** Encodes a module: one type per function, the memory and every function exported by name. */
export function assembleModule(def: ModuleDef): Uint8Array<ArrayBuffer> {
  const types = def.functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const funcs = def.functions.map((_, i) => uleb(i));
  const memory = [[0x00, ...uleb(def.memoryPages)]];
  const globals = def.globals.map((init) => [valtype.i32, 0x01, ...op.i32Const(init), ...op.end()]);
  const exports = [
    [...str('memory'), 0x02, ...uleb(0)],
    ...def.functions.map((f, i) => [...str(f.name), 0x00, ...uleb(i)]),
  ];
  const codes = def.functions.map((f) => {
    const locals = vec(f.locals.map((t) => [...uleb(1), t]));
    const body = [...locals, ...f.body, ...op.end()];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(3, vec(funcs)),
    ...section(5, vec(memory)),
    ...section(6, vec(globals)),
    ...section(7, vec(exports)),
    ...section(10, vec(codes)),
  ]);
}
