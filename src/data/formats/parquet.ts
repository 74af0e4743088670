// Parquet files (the Hub's format) read with hyparquet; values keep their HF types, with int64 as JS numbers.
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { YardstickError } from '../../errors.js';
import type { Doc } from '../types.js';

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function corrupt(file: string, e: unknown): YardstickError {
  const why = e instanceof Error ? e.message : String(e);
  return new YardstickError('data', `${file}: not a readable parquet file (${why})`, {
    hint: 'the file is truncated or corrupt; delete it and download or export it again',
  });
}

/** int64 columns (HF ClassLabel, MMLU answer) arrive as bigint; documents carry plain numbers like Python ints in JSON. */
function plainValue(v: unknown, file: string, row: number, column: string): unknown {
  if (typeof v === 'bigint') {
    const n = Number(v);
    if (!Number.isSafeInteger(n)) {
      throw new YardstickError('data', `${file}: row ${row + 1}, column ${column}: integer ${v} is too large for a JS number`, {
        hint: 'this column cannot be used as a document field',
      });
    }
    return n;
  }
  if (Array.isArray(v)) return v.map((x) => plainValue(x, file, row, column));
  if (v instanceof Uint8Array || v instanceof Date || v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = plainValue(x, file, row, column);
  return out;
}

/** Number of rows from the footer alone (cheap; for `data status`). */
export function parquetRowCount(bytes: Uint8Array, file: string): number {
  try {
    return Number(parquetMetadata(toArrayBuffer(bytes)).num_rows);
  } catch (e) {
    throw corrupt(file, e);
  }
}

/** All rows as documents, columns in schema order. */
export async function readParquetDocs(bytes: Uint8Array, file: string): Promise<Doc[]> {
  let rows: Array<Record<string, unknown>>;
  const buffer = toArrayBuffer(bytes);
  try {
    const metadata = parquetMetadata(buffer);
    rows = (await parquetReadObjects({ file: buffer, metadata, compressors })) as Array<Record<string, unknown>>;
    if (rows.length !== Number(metadata.num_rows)) {
      throw new Error(`read ${rows.length} rows, the footer says ${metadata.num_rows}`);
    }
  } catch (e) {
    if (e instanceof YardstickError) throw e;
    throw corrupt(file, e);
  }
  return rows.map((row, r) => {
    const doc: Doc = {};
    for (const [k, v] of Object.entries(row)) doc[k] = plainValue(v, file, r, k);
    return doc;
  });
}
