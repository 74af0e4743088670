// Reads one split file of any supported format (parquet, jsonl, json, csv) into documents, with its checksum.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { YardstickError } from '../../errors.js';
import type { Doc } from '../types.js';
import { csvDocs, parseCsvRecords } from './csv.js';
import { parseJsonDocs, parseJsonl } from './jsonl.js';
import { parquetRowCount, readParquetDocs } from './parquet.js';

/** Split file extensions, in the order a --data-dir folder is searched. */
export const SPLIT_FILE_EXTENSIONS = ['.parquet', '.jsonl', '.json', '.csv'] as const;

export interface ReadFile {
  docs: Doc[];
  sha256: string;
  size: number;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Decodes strict UTF-8, naming the file when it is not text. */
function utf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new YardstickError('data', `${file}: not valid UTF-8 text`, { hint: 'convert the file to UTF-8' });
  }
}

export async function parseDocs(bytes: Uint8Array, file: string): Promise<Doc[]> {
  const ext = extname(file).toLowerCase();
  switch (ext) {
    case '.parquet':
      return readParquetDocs(bytes, file);
    case '.jsonl':
      return parseJsonl(utf8(bytes, file), file);
    case '.json':
      return parseJsonDocs(utf8(bytes, file), file);
    case '.csv':
      return csvDocs(utf8(bytes, file), file);
    default:
      throw new YardstickError('data', `${file}: unsupported file type ${ext || '(none)'}`, {
        hint: `use one of ${SPLIT_FILE_EXTENSIONS.join(', ')}`,
      });
  }
}

export async function readDocsFile(file: string): Promise<ReadFile> {
  const bytes = readFileSync(file);
  const docs = await parseDocs(bytes, file);
  return { docs, sha256: sha256Hex(bytes), size: bytes.byteLength };
}

/** Row count without building documents where the format allows it. */
export async function countRows(file: string): Promise<number> {
  const bytes = readFileSync(file);
  const ext = extname(file).toLowerCase();
  if (ext === '.parquet') return parquetRowCount(bytes, file);
  if (ext === '.csv') return Math.max(0, parseCsvRecords(utf8(bytes, file), { file }).filter((r) => r.fields.length > 0).length - 1);
  return (await parseDocs(bytes, file)).length;
}
