// MMLU's data.tar CSVs (<split>/<subject>_<split>.csv: question, A, B, C, D, answer letter; no header)
// → cais/mmlu in HF's schema: {question, subject, choices[4], answer 0-3}, one config per subject.
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { YardstickError } from '../../errors.js';
import { parseCsvRecords } from '../formats/csv.js';
import type { Doc } from '../types.js';
import { type ImportOptions, type ImportOutput, type ImportedSplit, isDir, mustExist, readText, rowError } from './common.js';

export const MMLU_DATASET = 'cais/mmlu';

/** data.tar folder/suffix → cais/mmlu split */
const SPLITS: Record<string, string> = { test: 'test', dev: 'dev', val: 'validation' };
const LETTERS = ['A', 'B', 'C', 'D'];

export function readMmluCsv(file: string, subject: string): Doc[] {
  // pandas.read_csv(header=None) skips blank lines; every other row must have the six columns
  const records = parseCsvRecords(readText(file), { file }).filter((r) => r.fields.length > 0);
  return records.map((r) => {
    if (r.fields.length !== 6) {
      throw rowError(file, r.line, `expected 6 columns (question, A, B, C, D, answer), found ${r.fields.length}`, 'check the quoting of this row');
    }
    const [question, a, b, c, d, letter] = r.fields as [string, string, string, string, string, string];
    const answer = LETTERS.indexOf(letter);
    if (answer === -1) throw rowError(file, r.line, `answer '${letter}' is not one of A, B, C, D`);
    return { question, subject, choices: [a, b, c, d], answer };
  });
}

function subjectAndSplit(file: string): { subject: string; split: string } | undefined {
  const m = /^(.+)_(test|dev|val)\.csv$/.exec(basename(file));
  return m ? { subject: m[1]!, split: SPLITS[m[2]!]! } : undefined;
}

function importFile(file: string, options: ImportOptions, out: ImportOutput): void {
  const named = subjectAndSplit(file);
  const subject = options.config ?? named?.subject;
  const split = options.split ?? named?.split;
  if (!subject || !split) {
    throw new YardstickError('usage', `cannot tell subject and split of ${file} (expected <subject>_<test|dev|val>.csv)`, {
      hint: 'rename it, or pass --config SUBJECT and --split SPLIT',
    });
  }
  const split_: ImportedSplit = { dataset: MMLU_DATASET, config: subject, split, docs: readMmluCsv(file, subject), sources: [file] };
  out.splits.push(split_);
}

export function importMmluCsv(path: string, options: ImportOptions): ImportOutput {
  mustExist(path, 'MMLU');
  const out: ImportOutput = { splits: [], warnings: [] };
  if (!isDir(path)) {
    importFile(path, options, out);
    return out;
  }
  // the data.tar root (or its data/ folder) holds test/, dev/, val/; a split folder holds the CSVs itself
  const root = isDir(join(path, 'data')) && !isDir(join(path, 'test')) ? join(path, 'data') : path;
  const folders = Object.keys(SPLITS).filter((s) => isDir(join(root, s)));
  const dirs = folders.length > 0 ? folders.map((s) => join(root, s)) : [root];
  for (const dir of dirs) {
    for (const name of readdirSync(dir).sort()) {
      if (subjectAndSplit(name)) importFile(join(dir, name), { split: options.split }, out);
    }
  }
  if (out.splits.length === 0) {
    throw new YardstickError('data', `no MMLU CSV files (<subject>_<test|dev|val>.csv) found in ${path}`, {
      hint: 'pass the extracted data.tar folder (with test/, dev/, val/) or one CSV file',
    });
  }
  return out;
}
