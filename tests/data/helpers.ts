// Test helpers: tiny parquet files in HF's column types, and throwaway folders.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';

/** A parquet file with HF's physical types: strings as UTF8, ClassLabel/int64 as INT64, int32 as INT32, string lists as LIST. */
export function parquetBytes(columns: Array<{ name: string; type: 'string' | 'int64' | 'int32' | 'string-list'; data: unknown[] }>): Uint8Array {
  const schema: Array<Record<string, unknown>> = [{ name: 'schema', num_children: columns.length }];
  for (const c of columns) {
    if (c.type === 'string') schema.push({ name: c.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' });
    else if (c.type === 'int64') schema.push({ name: c.name, type: 'INT64', repetition_type: 'OPTIONAL' });
    else if (c.type === 'int32') schema.push({ name: c.name, type: 'INT32', repetition_type: 'OPTIONAL' });
    else {
      schema.push({ name: c.name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 });
      schema.push({ name: 'list', repetition_type: 'REPEATED', num_children: 1 });
      schema.push({ name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' });
    }
  }
  const columnData = columns.map((c) => ({ name: c.name, data: c.type === 'int64' ? c.data.map((v) => BigInt(v as number)) : c.data }));
  return new Uint8Array(parquetWriteBuffer({ columnData, schema } as unknown as Parameters<typeof parquetWriteBuffer>[0]));
}

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `yardstick-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
