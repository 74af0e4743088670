// GLUE's original TSV files (glue_data/<TASK>/{train,dev,test}.tsv, as download_glue_data.py writes them)
// → nyu-mll/glue in HF's schema: HF's column names, ClassLabel ints in HF's label order, idx = row number.
// Mirrors HF's glue.py: tab-separated with no quoting, corrupted rows (missing cells) dropped.
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { YardstickError } from '../../errors.js';
import { parseCsvRecords } from '../formats/csv.js';
import type { Doc } from '../types.js';
import { type ImportOptions, type ImportOutput, type ImportedSplit, isDir, mustExist, readText, rowError } from './common.js';

export const GLUE_DATASET = 'nyu-mll/glue';

interface GlueTask {
  /** HF feature name → TSV column, in HF feature order */
  text: Array<[string, string]>;
  labelColumn: string;
  /** ClassLabel names in HF order; absent = float label (STS-B) */
  classes?: string[];
}

/** From HF's glue.py BUILDER_CONFIGS. */
export const GLUE_TASKS: Record<string, GlueTask> = {
  cola: { text: [['sentence', 'sentence']], labelColumn: 'is_acceptable', classes: ['unacceptable', 'acceptable'] },
  sst2: { text: [['sentence', 'sentence']], labelColumn: 'label', classes: ['negative', 'positive'] },
  mrpc: { text: [['sentence1', '#1 String'], ['sentence2', '#2 String']], labelColumn: 'Quality', classes: ['not_equivalent', 'equivalent'] },
  qqp: { text: [['question1', 'question1'], ['question2', 'question2']], labelColumn: 'is_duplicate', classes: ['not_duplicate', 'duplicate'] },
  stsb: { text: [['sentence1', 'sentence1'], ['sentence2', 'sentence2']], labelColumn: 'score' },
  mnli: { text: [['premise', 'sentence1'], ['hypothesis', 'sentence2']], labelColumn: 'gold_label', classes: ['entailment', 'neutral', 'contradiction'] },
  qnli: { text: [['question', 'question'], ['sentence', 'sentence']], labelColumn: 'label', classes: ['entailment', 'not_entailment'] },
  rte: { text: [['sentence1', 'sentence1'], ['sentence2', 'sentence2']], labelColumn: 'label', classes: ['entailment', 'not_entailment'] },
  wnli: { text: [['sentence1', 'sentence1'], ['sentence2', 'sentence2']], labelColumn: 'label', classes: ['not_entailment', 'entailment'] },
};

/** GLUE folder names (CoLA, SST-2, STS-B, ...) → HF config names. */
export function glueConfigFor(folder: string): string | undefined {
  const key = folder.toLowerCase().replace(/[^a-z0-9]/g, '');
  return key in GLUE_TASKS ? key : undefined;
}

/** TSV file name → HF split of that config. */
function splitFor(config: string, file: string): string | undefined {
  const name = basename(file).toLowerCase();
  if (config === 'mnli') {
    return (
      { 'train.tsv': 'train', 'dev_matched.tsv': 'validation_matched', 'dev_mismatched.tsv': 'validation_mismatched', 'test_matched.tsv': 'test_matched', 'test_mismatched.tsv': 'test_mismatched' } as Record<string, string>
    )[name];
  }
  return ({ 'train.tsv': 'train', 'dev.tsv': 'validation', 'test.tsv': 'test' } as Record<string, string>)[name];
}

const PY_INT = /^\s*[-+]?\d+\s*$/;

/** HF's label handling: a class name → its index; else int(); a missing cell → row dropped. */
function labelValue(raw: string | undefined, task: GlueTask, file: string, line: number): number | null {
  if (raw === undefined) return null;
  if (!task.classes) {
    if (raw === '') return null;
    const v = Number(raw);
    if (!Number.isFinite(v)) throw rowError(file, line, `score '${raw}' is not a number (column ${task.labelColumn})`);
    return Math.fround(v); // HF stores STS-B scores as float32
  }
  const index = task.classes.indexOf(raw);
  if (index !== -1) return index;
  if (raw === '') return null;
  if (!PY_INT.test(raw)) {
    throw rowError(file, line, `unknown label '${raw}' in column ${task.labelColumn} (expected ${task.classes.join(', ')}, or 0-${task.classes.length - 1})`);
  }
  const n = parseInt(raw, 10);
  if (n < -1 || n >= task.classes.length) {
    throw rowError(file, line, `label ${n} in column ${task.labelColumn} is out of range for ${task.classes.length} classes`);
  }
  return n;
}

function docFromRow(task: GlueTask, row: Map<string, string>, labelInHeader: boolean, idx: number, file: string, line: number): Doc | null {
  const doc: Doc = {};
  for (const [feature, column] of task.text) {
    const v = row.get(column);
    if (v === undefined) return null;
    doc[feature] = v;
  }
  // a file without the label column (GLUE's test files) gets HF's -1
  const label = labelInHeader ? labelValue(row.get(task.labelColumn), task, file, line) : -1;
  if (label === null) return null;
  doc.label = label;
  doc.idx = idx;
  return doc;
}

/** One GLUE TSV → documents, the way HF's glue.py reads it; dropped rows are reported by line. */
export function readGlueTsv(config: string, file: string, split: string): { docs: Doc[]; dropped: number[] } {
  const task = GLUE_TASKS[config]!;
  const records = parseCsvRecords(readText(file), { delimiter: '\t', quoting: false, file });
  const docs: Doc[] = [];
  const dropped: number[] = [];
  if (config === 'cola' && !split.startsWith('test')) {
    // CoLA's train/dev files have no header: source, label, original mark, sentence
    records.forEach((r, n) => {
      if (r.fields.length < 4) throw rowError(file, r.line, `expected 4 tab-separated columns (source, label, mark, sentence), found ${r.fields.length}`);
      const doc = docFromRow(task, new Map([['sentence', r.fields[3]!], ['is_acceptable', r.fields[1]!]]), true, n, file, r.line);
      if (doc) docs.push(doc);
      else dropped.push(r.line);
    });
    return { docs, dropped };
  }
  const rows = records.filter((r) => r.fields.length > 0); // csv.DictReader skips blank lines
  if (rows.length === 0) return { docs, dropped };
  const header = rows[0]!.fields;
  for (const [, column] of task.text) {
    if (!header.includes(column)) {
      throw new YardstickError('data', `${file}: no column '${column}' in the header (${header.join(', ')})`, {
        hint: `is this the ${config} file of GLUE? pass --config to name the task`,
      });
    }
  }
  const labelInHeader = header.includes(task.labelColumn);
  if (!labelInHeader && !split.startsWith('test')) {
    throw new YardstickError('data', `${file}: no label column '${task.labelColumn}' in the header (${header.join(', ')})`, {
      hint: `is this the ${config} file of GLUE? pass --config to name the task`,
    });
  }
  rows.slice(1).forEach((r, n) => {
    const row = new Map<string, string>();
    header.forEach((h, c) => {
      if (c < r.fields.length) row.set(h, r.fields[c]!);
    });
    const doc = docFromRow(task, row, labelInHeader, n, file, r.line);
    if (doc) docs.push(doc);
    else dropped.push(r.line);
  });
  return { docs, dropped };
}

/** MRPC from Microsoft's files (msr_paraphrase_train.txt + dev_ids.tsv), giving HF's exact idx values. */
function readMrpcOriginal(dir: string): ImportedSplit[] {
  const trainFile = join(dir, 'msr_paraphrase_train.txt');
  const idsFile = join(dir, 'dev_ids.tsv');
  const devIds = new Set(parseCsvRecords(readText(idsFile), { delimiter: '\t', quoting: false }).filter((r) => r.fields.length >= 2).map((r) => `${r.fields[0]}\t${r.fields[1]}`));
  const records = parseCsvRecords(readText(trainFile), { delimiter: '\t', quoting: false, file: trainFile }).filter((r) => r.fields.length > 0);
  const header = records[0]?.fields ?? [];
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i === -1) throw new YardstickError('data', `${trainFile}: no column '${name}' in the header`);
    return i;
  };
  const [q, id1, id2, s1, s2] = [col('Quality'), col('#1 ID'), col('#2 ID'), col('#1 String'), col('#2 String')];
  const train: Doc[] = [];
  const validation: Doc[] = [];
  records.slice(1).forEach((r, n) => {
    const f = r.fields;
    if (!PY_INT.test(f[q] ?? '')) throw rowError(trainFile, r.line, `Quality '${f[q] ?? ''}' is not 0 or 1`);
    const doc = { sentence1: f[s1] ?? '', sentence2: f[s2] ?? '', label: parseInt(f[q]!, 10), idx: n };
    (devIds.has(`${f[id1]}\t${f[id2]}`) ? validation : train).push(doc);
  });
  const out: ImportedSplit[] = [
    { dataset: GLUE_DATASET, config: 'mrpc', split: 'train', docs: train, sources: [trainFile, idsFile] },
    { dataset: GLUE_DATASET, config: 'mrpc', split: 'validation', docs: validation, sources: [trainFile, idsFile] },
  ];
  const testFile = join(dir, 'msr_paraphrase_test.txt');
  if (existsSync(testFile)) {
    const t = parseCsvRecords(readText(testFile), { delimiter: '\t', quoting: false, file: testFile }).filter((r) => r.fields.length > 0);
    const docs = t.slice(1).map((r, n) => {
      if (!PY_INT.test(r.fields[q] ?? '')) throw rowError(testFile, r.line, `Quality '${r.fields[q] ?? ''}' is not 0 or 1`);
      return { sentence1: r.fields[s1] ?? '', sentence2: r.fields[s2] ?? '', label: parseInt(r.fields[q]!, 10), idx: n };
    });
    out.push({ dataset: GLUE_DATASET, config: 'mrpc', split: 'test', docs, sources: [testFile] });
  }
  return out;
}

function importTaskDir(config: string, dir: string, out: ImportOutput): void {
  const useMsr = config === 'mrpc' && existsSync(join(dir, 'msr_paraphrase_train.txt')) && existsSync(join(dir, 'dev_ids.tsv'));
  if (useMsr) out.splits.push(...readMrpcOriginal(dir));
  for (const name of readdirSync(dir).sort()) {
    const split = splitFor(config, name);
    if (!split || (useMsr && split !== 'test') || (useMsr && existsSync(join(dir, 'msr_paraphrase_test.txt')))) continue;
    importTaskFile(config, join(dir, name), split, out);
  }
}

function importTaskFile(config: string, file: string, split: string, out: ImportOutput): void {
  const { docs, dropped } = readGlueTsv(config, file, split);
  if (dropped.length > 0) {
    out.warnings.push(`${file}: dropped ${dropped.length} row(s) with missing cells, as HF's loader does (lines ${dropped.slice(0, 10).join(', ')}${dropped.length > 10 ? ', …' : ''})`);
  }
  if (config === 'mrpc') {
    out.warnings.push(`${file}: idx numbers the rows of this file; HF's MRPC idx numbers rows of msr_paraphrase_train.txt (put it and dev_ids.tsv next to dev.tsv for HF's values)`);
  }
  out.splits.push({ dataset: GLUE_DATASET, config, split, docs, sources: [file] });
}

export function importGlueTsv(path: string, options: ImportOptions): ImportOutput {
  mustExist(path, 'GLUE');
  const out: ImportOutput = { splits: [], warnings: [] };
  if (!isDir(path)) {
    const config = options.config ?? glueConfigFor(basename(dirname(path)));
    if (!config || !GLUE_TASKS[config]) {
      throw new YardstickError('usage', `cannot tell which GLUE task ${path} belongs to`, { hint: `pass --config (one of ${Object.keys(GLUE_TASKS).join(', ')})` });
    }
    const split = options.split ?? splitFor(config, path);
    if (!split) throw new YardstickError('usage', `cannot tell which split ${path} is`, { hint: 'pass --split (e.g. validation)' });
    importTaskFile(config, path, split, out);
    return out;
  }
  const own = options.config ?? glueConfigFor(basename(path));
  if (own && GLUE_TASKS[own]) {
    importTaskDir(own, path, out);
  } else {
    for (const name of readdirSync(path).sort()) {
      const config = glueConfigFor(name);
      if (config && isDir(join(path, name))) importTaskDir(config, join(path, name), out);
    }
  }
  if (out.splits.length === 0) {
    throw new YardstickError('data', `no GLUE TSV files found in ${path}`, {
      hint: 'pass glue_data/ (task folders like CoLA, SST-2), one task folder, or one .tsv file',
    });
  }
  return out;
}
