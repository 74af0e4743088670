// The GGUF container's constants: metadata value types and ggml tensor types with their block
// sizes (what a tensor of a given shape occupies on disk). Shared by the reader and make-model's writer.

/** GGUF metadata value types. */
export const GgufValueType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;
export type GgufValueType = (typeof GgufValueType)[keyof typeof GgufValueType];

/** Bytes of one scalar of each fixed-size value type. */
export const SCALAR_BYTES: Readonly<Record<number, number>> = {
  0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8,
};

/** The ggml tensor types make-model writes. */
export const GgmlType = { F32: 0, F16: 1, Q4_1: 3, Q8_0: 8 } as const;

/** llama.cpp's `general.file_type` (LLAMA_FTYPE_*) for the files make-model writes. */
export const LlamaFileType = { ALL_F32: 0, MOSTLY_F16: 1, MOSTLY_Q8_0: 7 } as const;

interface TypeTraits {
  name: string;
  /** values per block */
  block: number;
  /** bytes per block */
  bytes: number;
}

// ggml's type_traits (ggml.c): block size and bytes per block; ids without an entry were removed
// from ggml (Q4_2, Q4_3, Q4_0_4_4, ...) and no current file carries them.
const TYPES: Readonly<Record<number, TypeTraits>> = {
  0: { name: 'F32', block: 1, bytes: 4 },
  1: { name: 'F16', block: 1, bytes: 2 },
  2: { name: 'Q4_0', block: 32, bytes: 18 },
  3: { name: 'Q4_1', block: 32, bytes: 20 },
  6: { name: 'Q5_0', block: 32, bytes: 22 },
  7: { name: 'Q5_1', block: 32, bytes: 24 },
  8: { name: 'Q8_0', block: 32, bytes: 34 },
  9: { name: 'Q8_1', block: 32, bytes: 36 },
  10: { name: 'Q2_K', block: 256, bytes: 84 },
  11: { name: 'Q3_K', block: 256, bytes: 110 },
  12: { name: 'Q4_K', block: 256, bytes: 144 },
  13: { name: 'Q5_K', block: 256, bytes: 176 },
  14: { name: 'Q6_K', block: 256, bytes: 210 },
  15: { name: 'Q8_K', block: 256, bytes: 292 },
  16: { name: 'IQ2_XXS', block: 256, bytes: 66 },
  17: { name: 'IQ2_XS', block: 256, bytes: 74 },
  18: { name: 'IQ3_XXS', block: 256, bytes: 98 },
  19: { name: 'IQ1_S', block: 256, bytes: 50 },
  20: { name: 'IQ4_NL', block: 32, bytes: 18 },
  21: { name: 'IQ3_S', block: 256, bytes: 110 },
  22: { name: 'IQ2_S', block: 256, bytes: 82 },
  23: { name: 'IQ4_XS', block: 256, bytes: 136 },
  24: { name: 'I8', block: 1, bytes: 1 },
  25: { name: 'I16', block: 1, bytes: 2 },
  26: { name: 'I32', block: 1, bytes: 4 },
  27: { name: 'I64', block: 1, bytes: 8 },
  28: { name: 'F64', block: 1, bytes: 8 },
  29: { name: 'IQ1_M', block: 256, bytes: 56 },
  30: { name: 'BF16', block: 1, bytes: 2 },
  34: { name: 'TQ1_0', block: 256, bytes: 54 },
  35: { name: 'TQ2_0', block: 256, bytes: 66 },
  39: { name: 'MXFP4', block: 32, bytes: 17 },
};

export function ggmlTypeName(type: number): string {
  return TYPES[type]?.name ?? `type ${type}`;
}

export function isKnownGgmlType(type: number): boolean {
  return TYPES[type] !== undefined;
}

/**
 * Bytes a tensor of `dims` (fastest-moving first, as GGUF stores them) occupies, or undefined when
 * the row length is not a whole number of blocks (ggml refuses such a tensor).
 */
export function ggmlTensorBytes(type: number, dims: readonly number[]): number | undefined {
  const t = TYPES[type];
  if (!t) return undefined;
  const row = dims[0] ?? 1;
  if (row % t.block !== 0) return undefined;
  let rows = 1;
  for (let i = 1; i < dims.length; i++) rows *= dims[i]!;
  return (row / t.block) * t.bytes * rows;
}

export const GGUF_MAGIC = 'GGUF';
export const GGUF_DEFAULT_ALIGNMENT = 32;
