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

interface SchemaElement {
  name: string;
  num_children?: number;
}
interface FooterLike {
  schema: SchemaElement[];
  row_groups: Array<{ columns: Array<{ meta_data?: { path_in_schema: string[]; data_page_offset: bigint; dictionary_page_offset?: bigint; total_compressed_size: bigint } }> }>;
}

/** The schema's leaf columns as dotted paths (the flattened tree, root excluded). */
function leafPaths(schema: SchemaElement[]): Set<string> {
  const out = new Set<string>();
  let i = 1;
  const walk = (prefix: string[]): void => {
    const el = schema[i++];
    if (!el) throw new Error('the schema ends early');
    const path = [...prefix, el.name];
    if (!el.num_children) out.add(path.join('.'));
    else for (let c = 0; c < el.num_children; c++) walk(path);
  };
  for (let c = 0; c < (schema[0]?.num_children ?? 0); c++) walk([]);
  return out;
}

/** A damaged footer can send the reader looping over pages that are not there: every column chunk
 *  must name a schema column and lie inside the file. */
function checkFooter(metadata: FooterLike, byteLength: number): void {
  const leaves = leafPaths(metadata.schema);
  for (const group of metadata.row_groups) {
    for (const column of group.columns) {
      const m = column.meta_data;
      if (!m) throw new Error('a column chunk has no metadata');
      if (!leaves.has(m.path_in_schema.join('.'))) throw new Error(`column ${m.path_in_schema.join('.')} is not in the schema`);
      const start = Number(m.dictionary_page_offset ?? m.data_page_offset);
      const end = Number(m.data_page_offset) + Number(m.total_compressed_size);
      if (!(start >= 0 && start <= Number(m.data_page_offset) && end <= byteLength)) {
        throw new Error(`column ${m.path_in_schema.join('.')} lies outside the file`);
      }
    }
  }
}

/** All rows as documents, columns in schema order. */
export async function readParquetDocs(bytes: Uint8Array, file: string): Promise<Doc[]> {
  let rows: Array<Record<string, unknown>>;
  const buffer = toArrayBuffer(bytes);
  try {
    const metadata = parquetMetadata(buffer);
    checkFooter(metadata as unknown as FooterLike, buffer.byteLength);
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
