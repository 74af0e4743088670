// OpenAI's LAMBADA test file (lambada_test.jsonl, lines of {"text": ...}; lambada_test_<lang>.jsonl for the
// translations) → EleutherAI/lambada_openai test split: config "default" and "en" for English, else <lang>.
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { YardstickError } from '../../errors.js';
import type { Doc } from '../types.js';
import { type ImportOptions, type ImportOutput, isDir, jsonlRows, mustExist, rowError } from './common.js';

export const LAMBADA_DATASET = 'EleutherAI/lambada_openai';

function readLambada(file: string): Doc[] {
  return jsonlRows(file).map(({ row, line }) => {
    if (typeof row.text !== 'string') throw rowError(file, line, `field 'text' is ${row.text === undefined ? 'missing' : 'not a string'}`);
    return { text: row.text };
  });
}

function configsFor(name: string, options: ImportOptions): string[] | undefined {
  if (options.config) return [options.config];
  if (name === 'lambada_test.jsonl' || name === 'lambada_test_en.jsonl') return ['default', 'en'];
  const lang = /^lambada_test_([a-z]{2})\.jsonl$/.exec(name)?.[1];
  return lang ? [lang] : undefined;
}

export function importLambadaJsonl(path: string, options: ImportOptions): ImportOutput {
  mustExist(path, 'LAMBADA');
  const out: ImportOutput = { splits: [], warnings: [] };
  const single = !isDir(path);
  const files = single ? [path] : readdirSync(path).sort().map((n) => join(path, n));
  const seen = new Set<string>();
  for (const file of files) {
    const configs = configsFor(basename(file), options) ?? (single ? ['default'] : undefined);
    if (!configs) continue;
    const docs = readLambada(file);
    for (const config of configs) {
      if (seen.has(config)) continue; // lambada_test.jsonl and lambada_test_en.jsonl are the same text
      seen.add(config);
      out.splits.push({ dataset: LAMBADA_DATASET, config, split: options.split ?? 'test', docs, sources: [file] });
    }
  }
  if (out.splits.length === 0) {
    throw new YardstickError('data', `no LAMBADA file (lambada_test.jsonl or lambada_test_<lang>.jsonl) found in ${path}`, {
      hint: 'pass the file itself',
    });
  }
  return out;
}
