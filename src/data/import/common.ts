// Shared pieces of the importers: what an importer returns, reading text files, and writing splits
// into the --data-dir layout as JSON lines.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { YardstickError } from '../../errors.js';
import { SPLIT_FILE_EXTENSIONS } from '../formats/index.js';
import { toJsonl } from '../formats/jsonl.js';
import { checkRefPath } from '../local.js';
import type { Doc } from '../types.js';

/** One split converted to the HF schema. */
export interface ImportedSplit {
  dataset: string;
  config: string;
  split: string;
  docs: Doc[];
  /** original files it was built from */
  sources: string[];
}

export interface ImportOutput {
  splits: ImportedSplit[];
  /** things the user should know (skipped rows, fields that differ from HF) */
  warnings: string[];
}

export interface ImportOptions {
  /** override the HF config the files belong to */
  config?: string;
  /** override the split (single-file imports) */
  split?: string;
}

export type Importer = (path: string, options: ImportOptions) => ImportOutput;

export function readText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new YardstickError('data', `cannot read ${file} (${(e as Error).message})`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new YardstickError('data', `${file}: not valid UTF-8 text`, { hint: 'the original release files are UTF-8; the file may be damaged' });
  }
}

export function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function mustExist(p: string, format: string): void {
  if (!existsSync(p)) throw new YardstickError('usage', `${p} does not exist`, { hint: `pass the ${format} file or folder to import` });
}

/** Throws the one-line error every importer uses for a bad row. */
export function rowError(file: string, line: number, what: string, hint?: string): YardstickError {
  return new YardstickError('data', `${file}:${line}: ${what}`, { hint: hint ?? 'fix or remove this row of the original file' });
}

export interface WrittenSplit {
  dataset: string;
  config: string;
  split: string;
  rows: number;
  file: string;
}

/** Writes each split to <dataDir>/<dataset>/<config>/<split>.jsonl (atomically; refuses to shadow another format). */
export function writeSplits(dataDir: string, splits: ImportedSplit[]): WrittenSplit[] {
  const root = resolve(dataDir);
  const out: WrittenSplit[] = [];
  for (const s of splits) {
    checkRefPath({ path: s.dataset, name: s.config, split: s.split });
    const dir = join(root, ...s.dataset.split('/'), s.config);
    const file = join(dir, `${s.split}.jsonl`);
    for (const ext of SPLIT_FILE_EXTENSIONS) {
      const other = join(dir, `${s.split}${ext}`);
      if (ext !== '.jsonl' && existsSync(other)) {
        throw new YardstickError('data', `${other} already holds ${s.dataset} (config ${s.config}, split ${s.split})`, {
          hint: 'remove it first; a split must have exactly one file',
        });
      }
    }
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, toJsonl(s.docs));
    renameSync(tmp, file);
    out.push({ dataset: s.dataset, config: s.config, split: s.split, rows: s.docs.length, file });
  }
  return out;
}

/** The JSON objects of a jsonl file with their 1-based line numbers; a bad line is a row error. */
export function jsonlRows(file: string): Array<{ row: Record<string, unknown>; line: number }> {
  const rows: Array<{ row: Record<string, unknown>; line: number }> = [];
  readText(file)
    .split('\n')
    .forEach((text, i) => {
      if (text.trim() === '') return;
      try {
        rows.push({ row: JSON.parse(text) as Record<string, unknown>, line: i + 1 });
      } catch (e) {
        throw rowError(file, i + 1, `not valid JSON (${(e as Error).message})`, 'each line must be one complete JSON object');
      }
    });
  return rows;
}
