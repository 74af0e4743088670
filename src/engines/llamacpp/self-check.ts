// The startup self-check: score a fixed token sequence and compare it with the values recorded when
// this exact file (by sha256) was first loaded in a fresh process, with the same settings. It
// catches a runtime that computes this file differently from before (the in-process mix-up once seen
// with several model types, a different llama.cpp build, changed settings); it cannot judge the file
// itself, so at first load the values are also checked against an independent implementation of the
// same weights where one exists (see reference.ts). What it does and does not catch: docs/gguf.md.
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { yardstickCacheDir } from '../cache/location.js';
import { basename, join } from 'node:path';
import { YardstickError } from '../../errors.js';
import type { EngineTokenizer } from '../types.js';

/** A paragraph of ordinary English: tokens any text vocabulary has, in a context the model sees often. */
const FIXED_TEXT =
  'The quick brown fox jumps over the lazy dog. In the morning the river was calm, and the children walked along it to school.';
export const SELF_CHECK_TOKENS = 32;
/** Same file, same settings, same machine gives identical numbers; across CPU kernels they move by ~1e-6. */
export const RECORD_TOLERANCE = 1e-3;

export interface SelfCheckScores {
  /** log p(tokens[i+1] | tokens[..i]) for i = 0..n-2 */
  logprobs: number[];
  argmax: number[];
}

export interface SelfCheckRecord {
  version: 1;
  file: string;
  sha256: string;
  engineVersion: string;
  settings: Record<string, string | number | boolean | null>;
  tokens: number[];
  logprobs: number[];
  argmax: number[];
  /** the independent check made when the record was written, if any */
  reference: { what: string; maxAbsDiff: number; meanAbsDiff: number; tolerance: ReferenceTolerance } | null;
}

export interface ReferenceTolerance {
  maxAbs?: number;
  meanAbs?: number;
}

export interface IndependentReference {
  /** e.g. "the ONNX export in DIR" */
  what: string;
  /** per-position |Δ| allowed for this file's storage type: its largest and/or its mean */
  tolerance: ReferenceTolerance;
  score(tokens: number[]): Promise<number[]>;
  close(): Promise<void>;
}

export interface SelfCheckOutcome {
  status: 'recorded' | 'matched';
  recordPath: string;
  maxAbsDiff: number;
  reference: SelfCheckRecord['reference'];
}

/** Where records live: $YARDSTICK_CACHE, else $XDG_CACHE_HOME/yardstick, else ~/.cache/yardstick. */
export function defaultSelfCheckDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(yardstickCacheDir(env), 'gguf-self-check');
}

/** The fixed sequence, in this file's own vocabulary (BOS first when the tokenizer adds one). */
export function selfCheckTokens(tokenizer: EngineTokenizer): number[] {
  const ids = tokenizer.encode(FIXED_TEXT, true).slice(0, SELF_CHECK_TOKENS);
  if (ids.length < 2) throw new YardstickError('model', 'the GGUF tokenizer turns the self-check text into fewer than 2 tokens', { hint: 'the vocabulary looks broken' });
  return ids;
}

function maxAbsDiff(a: number[], b: number[]): { value: number; at: number } {
  let value = 0;
  let at = 0;
  a.forEach((x, i) => {
    const d = Math.abs(x - b[i]!);
    // an infinite or NaN disagreement is as bad as it gets
    if (!(d <= value)) {
      value = Number.isNaN(d) ? Infinity : d;
      at = i;
    }
  });
  return { value, at };
}

function meanAbsDiff(a: number[], b: number[]): number {
  let sum = 0;
  a.forEach((x, i) => {
    sum += Math.abs(x - b[i]!);
  });
  return Number.isNaN(sum) ? Infinity : sum / a.length;
}

function recordFile(dir: string, sha256: string, settings: Record<string, unknown>): string {
  const tag = Object.keys(settings)
    .sort()
    .map((k) => `${k}=${String(settings[k])}`)
    .join(',')
    .replace(/[^A-Za-z0-9=,._-]/g, '_');
  return join(dir, `${sha256}.${tag}.json`);
}

export async function runSelfCheck(o: {
  path: string;
  sha256: string;
  engineVersion: string;
  settings: Record<string, string | number | boolean | null>;
  tokens: number[];
  dir: string;
  scores: SelfCheckScores;
  /** consulted only when no record exists yet */
  reference?: () => Promise<IndependentReference | undefined>;
}): Promise<SelfCheckOutcome> {
  const recordPath = recordFile(o.dir, o.sha256, o.settings);
  if (existsSync(recordPath)) {
    let record: SelfCheckRecord;
    try {
      record = JSON.parse(readFileSync(recordPath, 'utf8')) as SelfCheckRecord;
    } catch (e) {
      throw new YardstickError('model', `cannot read the self-check record ${recordPath}: ${(e as Error).message}`, { hint: 'delete it; it is written again at the next load' });
    }
    if (record.tokens.join(',') !== o.tokens.join(',')) {
      throw new YardstickError('model', `self-check failed for ${o.path}: its tokenizer now gives different ids for the fixed text than when it was first loaded`, {
        hint: `the llama.cpp tokenizer changed; if that was intended, delete ${recordPath}`,
      });
    }
    const diff = maxAbsDiff(o.scores.logprobs, record.logprobs);
    if (diff.value > RECORD_TOLERANCE) {
      throw new YardstickError(
        'model',
        `self-check failed for ${o.path}: llama.cpp's log-probs differ from those recorded when the file was first loaded by ${diff.value.toPrecision(3)} nats (position ${diff.at + 1}, tolerance ${RECORD_TOLERANCE})`,
        { hint: `the runtime is computing this model wrongly in this process; if node-llama-cpp was upgraded on purpose, delete ${recordPath}` },
      );
    }
    return { status: 'matched', recordPath, maxAbsDiff: diff.value, reference: record.reference };
  }

  let reference: SelfCheckRecord['reference'] = null;
  const ref = await o.reference?.();
  if (ref) {
    try {
      const expected = await ref.score(o.tokens);
      const diff = maxAbsDiff(o.scores.logprobs, expected);
      const mean = meanAbsDiff(o.scores.logprobs, expected);
      const { maxAbs, meanAbs } = ref.tolerance;
      reference = { what: ref.what, maxAbsDiff: diff.value, meanAbsDiff: mean, tolerance: ref.tolerance };
      const failure =
        maxAbs !== undefined && diff.value > maxAbs
          ? `by up to ${diff.value.toPrecision(3)} nats (position ${diff.at + 1}, tolerance ${maxAbs})`
          : meanAbs !== undefined && mean > meanAbs
            ? `by ${mean.toPrecision(3)} nats on average (tolerance ${meanAbs})`
            : undefined;
      if (failure) {
        throw new YardstickError(
          'model',
          `self-check failed for ${o.path}: its log-probs differ from ${ref.what} ${failure}; the GGUF is not a faithful conversion of those weights`,
          { hint: 're-convert it (yardstick make-model writes matching files), or move it out of that folder if it is a different model' },
        );
      }
    } finally {
      await ref.close();
    }
  }
  const record: SelfCheckRecord = {
    version: 1,
    file: basename(o.path),
    sha256: o.sha256,
    engineVersion: o.engineVersion,
    settings: o.settings,
    tokens: o.tokens,
    logprobs: o.scores.logprobs,
    argmax: o.scores.argmax,
    reference,
  };
  try {
    mkdirSync(o.dir, { recursive: true });
    // write-then-rename, so a concurrent load never reads half a record
    const tmp = `${recordPath}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(record, null, 1)}\n`);
    renameSync(tmp, recordPath);
  } catch (e) {
    throw new YardstickError('model', `cannot write the self-check record ${recordPath}: ${(e as Error).message}`, {
      hint: 'set YARDSTICK_CACHE to a writable folder',
    });
  }
  return { status: 'recorded', recordPath, maxAbsDiff: 0, reference };
}
