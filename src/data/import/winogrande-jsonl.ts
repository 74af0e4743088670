// WinoGrande's release files (train_<size>.jsonl, dev.jsonl, test.jsonl, *-labels.lst) → allenai/winogrande:
// {sentence, option1, option2, answer} with answer the string "1"/"2" ("" in test); qID is dropped, as in HF.
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { YardstickError } from '../../errors.js';
import type { Doc } from '../types.js';
import { type ImportOptions, type ImportOutput, isDir, jsonlRows, mustExist, readText, rowError } from './common.js';

export const WINOGRANDE_DATASET = 'allenai/winogrande';
const SIZES = ['xs', 's', 'm', 'l', 'xl', 'debiased'];

function readWinograndeJsonl(file: string, split: string): Doc[] {
  return jsonlRows(file).map(({ row: v, line }) => {
    for (const f of ['sentence', 'option1', 'option2']) {
      if (typeof v[f] !== 'string') throw rowError(file, line, `field '${f}' is ${v[f] === undefined ? 'missing' : 'not a string'}`);
    }
    let answer = '';
    if (split !== 'test') {
      answer = typeof v.answer === 'number' ? String(v.answer) : (v.answer as string);
      if (answer !== '1' && answer !== '2') throw rowError(file, line, `answer ${JSON.stringify(v.answer)} is not "1" or "2"`);
    }
    return { sentence: v.sentence, option1: v.option1, option2: v.option2, answer };
  });
}

/** The release's <name>-labels.lst must agree with the answers line by line. */
function checkLabels(file: string, docs: Doc[]): void {
  const labelsFile = join(dirname(file), `${basename(file, '.jsonl')}-labels.lst`);
  if (!existsSync(labelsFile)) return;
  const labels = readText(labelsFile).split('\n').map((l) => l.trim());
  while (labels.length > 0 && labels[labels.length - 1] === '') labels.pop();
  if (labels.length !== docs.length) {
    throw new YardstickError('data', `${labelsFile} has ${labels.length} labels, ${file} has ${docs.length} rows`, { hint: 'the two files are from different releases' });
  }
  labels.forEach((label, i) => {
    if (label !== docs[i]!.answer) throw rowError(labelsFile, i + 1, `label ${label} disagrees with answer ${docs[i]!.answer as string} in ${file}`);
  });
}

function fileTarget(name: string, options: ImportOptions): { config: string; split: string } | undefined {
  const train = /^train_(xs|s|m|l|xl|debiased)\.jsonl$/.exec(name);
  if (train) return { config: options.config ?? `winogrande_${train[1]}`, split: options.split ?? 'train' };
  const split = options.split ?? ({ 'dev.jsonl': 'validation', 'test.jsonl': 'test' } as Record<string, string>)[name];
  return split ? { config: options.config ?? 'winogrande_xl', split } : undefined;
}

export function importWinograndeJsonl(path: string, options: ImportOptions): ImportOutput {
  mustExist(path, 'WinoGrande');
  const out: ImportOutput = { splits: [], warnings: [] };
  const files = isDir(path)
    ? readdirSync(path)
        .sort()
        .filter((n) => n.endsWith('.jsonl'))
        .map((n) => join(path, n))
    : [path];
  for (const file of files) {
    const target = fileTarget(basename(file), isDir(path) ? { config: options.config } : options);
    if (!target) {
      if (!isDir(path)) throw new YardstickError('usage', `cannot tell which split ${file} is`, { hint: 'pass --split (validation, train or test)' });
      continue;
    }
    const docs = readWinograndeJsonl(file, target.split);
    if (target.split !== 'test') checkLabels(file, docs);
    out.splits.push({ dataset: WINOGRANDE_DATASET, ...target, docs, sources: [file] });
  }
  if (out.splits.length === 0) {
    throw new YardstickError('data', `no WinoGrande files (dev.jsonl, train_<size>.jsonl, test.jsonl) found in ${path}`, {
      hint: `sizes are ${SIZES.join(', ')}`,
    });
  }
  return out;
}
