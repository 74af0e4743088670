// Reading a finished run folder (lm-eval's --output_path layout): the results JSON and its per-task
// sample logs. Reports are derived from these files only; nothing here runs a model.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { YardstickError } from '../errors.js';

/** The parts of lm-eval's results JSON (§12) that reports use; both HEAD and legacy schemas fit. */
export interface ResultsJson {
  results: Record<string, Record<string, unknown>>;
  groups?: Record<string, Record<string, unknown>>;
  group_subtasks?: Record<string, string[]>;
  configs?: Record<string, Record<string, unknown>>;
  versions?: Record<string, unknown>;
  'n-shot'?: Record<string, unknown>;
  higher_is_better?: Record<string, Record<string, unknown>>;
  'n-samples'?: Record<string, { original?: number; effective?: number }>;
  config?: Record<string, unknown>;
  model_name?: string;
  task_hashes?: Record<string, string>;
  lm_eval_version?: string;
  [key: string]: unknown;
}

/** One line of a samples_<task>_<date>.jsonl file (§13). */
export interface SampleRecord {
  doc_id: number;
  doc?: unknown;
  target?: unknown;
  arguments?: Record<string, { arg_0?: unknown; arg_1?: unknown }> | unknown[];
  resps?: unknown;
  filtered_resps?: unknown;
  filter?: string;
  metrics?: string[];
  doc_hash?: string;
  prompt_hash?: string;
  target_hash?: string;
  [metric: string]: unknown;
}

export interface RunFolder {
  /** the path the user gave */
  input: string;
  resultsPath: string;
  dateId: string;
  results: ResultsJson;
  /** results `model_name`, else the model named in `config.model_args` */
  modelId: string;
  numParameters: number | null;
  /** task → samples file */
  samplesPaths: Map<string, string>;
  /** things worth telling the user (e.g. several results files, the newest was used) */
  notes: string[];
}

const RESULTS_RE = /^results_(.+)\.json$/;

/**
 * Finds the results file for RUN: a results JSON itself, a folder holding results_<date>.json, or a folder
 * with one model-name sub-folder holding it (lm-eval's --output_path DIR layout).
 */
export function openRunFolder(input: string): RunFolder {
  const path = resolve(input);
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new YardstickError('usage', `run folder ${input} does not exist`, {
      hint: 'pass the --output_path folder of an lm-eval or yardstick run',
    });
  }
  const notes: string[] = [];
  let resultsPath: string;
  if (stat.isFile()) {
    resultsPath = path;
  } else {
    let dir = path;
    let candidates = resultsFilesIn(dir);
    if (candidates.length === 0) {
      const nested = readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && resultsFilesIn(join(dir, e.name)).length > 0)
        .map((e) => e.name)
        .sort();
      if (nested.length === 0) {
        throw new YardstickError('usage', `no results_<date>.json in ${input} or its sub-folders`, {
          hint: 'pass the --output_path folder of a run made with lm-eval or yardstick',
        });
      }
      if (nested.length > 1) {
        throw new YardstickError('usage', `${input} holds results of several models (${nested.join(', ')})`, {
          hint: `pass one of them, e.g. ${join(input, nested[0]!)}`,
        });
      }
      dir = join(dir, nested[0]!);
      candidates = resultsFilesIn(dir);
    }
    // date ids are ISO timestamps, so the lexicographic maximum is the newest run
    candidates.sort();
    resultsPath = join(dir, candidates[candidates.length - 1]!);
    if (candidates.length > 1) {
      notes.push(`${input}: ${candidates.length} results files; using the newest, ${basename(resultsPath)}`);
    }
  }
  const dateId = dateIdOf(basename(resultsPath));
  const results = readResultsJson(resultsPath);
  return {
    input,
    resultsPath,
    dateId,
    results,
    modelId: modelIdOf(results) ?? basename(dirname(resultsPath)),
    numParameters: numParametersOf(results),
    samplesPaths: samplesFilesFor(dirname(resultsPath), dateId),
    notes,
  };
}

function resultsFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => RESULTS_RE.test(f));
  } catch {
    return [];
  }
}

function dateIdOf(fileName: string): string {
  const m = RESULTS_RE.exec(fileName) ?? /_(\d{4}-\d{2}-\d{2}T[^_]+)\.json$/.exec(fileName);
  return m ? m[1]! : '';
}

function samplesFilesFor(dir: string, dateId: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!dateId) return out;
  const suffix = `_${dateId}.jsonl`;
  for (const f of readdirSync(dir).sort()) {
    if (f.startsWith('samples_') && f.endsWith(suffix)) {
      out.set(f.slice('samples_'.length, f.length - suffix.length), join(dir, f));
    }
  }
  return out;
}

export function readResultsJson(path: string): ResultsJson {
  let parsed: unknown;
  const text = readFileSync(path, 'utf8');
  if (text.trim() === '') {
    throw new YardstickError('data', `${path} is empty (left by a run that failed while writing it?)`, {
      hint: 'delete it, rerun that model, or pass an older results file',
    });
  }
  try {
    parsed = parsePythonJson(text);
  } catch (e) {
    throw new YardstickError('data', `${path} is not valid JSON (${(e as Error).message})`, {
      hint: 'point at an unmodified results_<date>.json',
    });
  }
  if (!isRecord(parsed) || !isRecord(parsed.results)) {
    throw new YardstickError('data', `${path} has no "results" object`, {
      hint: 'this does not look like an lm-eval results file',
    });
  }
  if (Object.keys(parsed.results).length === 0) {
    throw new YardstickError('data', `${path} holds no task results (a failed or interrupted run?)`, {
      hint: 'delete it, rerun that model, or pass an older results file',
    });
  }
  return parsed as ResultsJson;
}

/** Reads one task's sample log (all filters), in file order. */
export function readSamples(run: RunFolder, task: string): SampleRecord[] | null {
  const path = run.samplesPaths.get(task);
  if (!path) return null;
  const out: SampleRecord[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    let rec: unknown;
    try {
      rec = parsePythonJson(line);
    } catch (e) {
      throw new YardstickError('data', `${path} line ${i + 1} is not valid JSON (${(e as Error).message})`, {
        hint: 'the sample log may be truncated; rerun the task with --log_samples',
      });
    }
    if (!isRecord(rec) || typeof rec.doc_id !== 'number') {
      throw new YardstickError('data', `${path} line ${i + 1} has no numeric doc_id`, {
        hint: 'expected lm-eval --log_samples records',
      });
    }
    out.push(rec as SampleRecord);
  }
  return out;
}

/** The model id lm-eval would print: results `model_name`, else the first model key of model_args. */
export function modelIdOf(results: ResultsJson): string | null {
  if (typeof results.model_name === 'string' && results.model_name) return results.model_name;
  const args = results.config?.model_args;
  const keys = ['peft', 'delta', 'pretrained', 'model', 'path', 'engine'];
  if (isRecord(args)) {
    for (const k of keys) if (args[k] !== undefined && args[k] !== null) return String(args[k]);
  } else if (typeof args === 'string' && args) {
    for (const k of keys) {
      const m = new RegExp(`(?:^|,)\\s*${k}=([^,]*)`).exec(args);
      if (m && m[1]) return m[1];
    }
    return args;
  }
  return null;
}

function numParametersOf(results: ResultsJson): number | null {
  const v = results.config?.model_num_parameters;
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null;
}

/**
 * JSON.parse that also accepts Python's json.dumps spellings NaN, Infinity and -Infinity (written for
 * float metrics such as a -inf loglikelihood).
 */
export function parsePythonJson(text: string): unknown {
  if (!/NaN|Infinity/.test(text)) return JSON.parse(text);
  const SENTINEL = '\u0000pyfloat:';
  let out = '';
  let i = 0;
  let last = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    const word = ['-Infinity', 'Infinity', 'NaN'].find((w) => text.startsWith(w, i));
    if (word) {
      out += text.slice(last, i) + JSON.stringify(SENTINEL + word);
      i += word.length;
      last = i;
    } else {
      i++;
    }
  }
  out += text.slice(last);
  return JSON.parse(out, (_k, v: unknown) => {
    if (typeof v === 'string' && v.startsWith(SENTINEL)) {
      const word = v.slice(SENTINEL.length);
      return word === 'NaN' ? NaN : word === 'Infinity' ? Infinity : -Infinity;
    }
    return v;
  });
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
