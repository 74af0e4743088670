// `yardstick data import`: the original-release importers by format name, and writing their output.
import { YardstickError } from '../../errors.js';
import { type ImportOptions, type ImportOutput, type Importer, type WrittenSplit, writeSplits } from './common.js';
import { importGlueTsv } from './glue-tsv.js';
import { importLambadaJsonl } from './lambada-jsonl.js';
import { importMathJson } from './math-json.js';
import { importMmluCsv } from './mmlu-csv.js';
import { importWinograndeJsonl } from './winogrande-jsonl.js';

export const IMPORT_FORMATS: Record<string, { importer: Importer; describe: string }> = {
  'glue-tsv': { importer: importGlueTsv, describe: 'GLUE glue_data/<TASK>/{train,dev,test}.tsv → nyu-mll/glue' },
  'mmlu-csv': { importer: importMmluCsv, describe: 'MMLU data/{test,dev,val}/<subject>_<split>.csv → cais/mmlu' },
  'math-json': { importer: importMathJson, describe: 'MATH <split>/<subject>/<n>.json or a .jsonl → EleutherAI/hendrycks_math' },
  'winogrande-jsonl': { importer: importWinograndeJsonl, describe: 'WinoGrande {dev,train_<size>,test}.jsonl → allenai/winogrande' },
  'lambada-jsonl': { importer: importLambadaJsonl, describe: 'OpenAI lambada_test.jsonl → EleutherAI/lambada_openai' },
};

export function convertOriginal(format: string, path: string, options: ImportOptions = {}): ImportOutput {
  const entry = IMPORT_FORMATS[format];
  if (!entry) {
    throw new YardstickError('usage', `unknown import format '${format}'`, { hint: `use one of ${Object.keys(IMPORT_FORMATS).join(', ')}` });
  }
  return entry.importer(path, options);
}

/** Converts the original files and writes them under dataDir; returns what was written. */
export function importDataset(format: string, path: string, dataDir: string, options: ImportOptions = {}): { written: WrittenSplit[]; warnings: string[] } {
  const output = convertOriginal(format, path, options);
  return { written: writeSplits(dataDir, output.splits), warnings: output.warnings };
}

export type { ImportOptions, ImportOutput, ImportedSplit, WrittenSplit } from './common.js';
