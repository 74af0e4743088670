// `yardstick run` as a library call: open the model, expand tasks, evaluate, write lm-eval's
// results JSON (and per-sample logs), return what to print.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { YardstickError } from './errors.js';
import type { DataSource } from './data/types.js';
import type { DownloadProgress } from './data/hub/client.js';
import { openEngine, parseModelSpec } from './engines/registry.js';
import { fingerprintDigest } from './engines/fingerprint.js';
import { defaultMaxBatchTokens } from './engines/batching.js';
import { ResponseCache } from './engines/cache/response-cache.js';
import type { ModelCache } from './engines/cache/model-cache.js';
import { evaluate, type EvaluationRun, type ProgressEvent } from './evaluate.js';
import type { BosPolicy } from './requests/tokenize.js';
import { TaskRegistry } from './tasks/registry.js';
import { buildResultsJson, type RunContext } from './report/results-json.js';
import { runFolderName } from './report/model-name.js';
import { samplesJsonl, taskHash } from './report/samples.js';
import { pyJsonDumps } from './report/pyjson.js';
import { makeTable } from './report/table.js';
import type { Progress } from './engines/scheduler.js';
import { DEFAULT_PYTHON_VERSION, type PythonVersion } from './metrics/pysum.js';
import { DEFAULT_BOOTSTRAP_ITERS } from './metrics/stderr.js';

export interface RunOptions {
  model: string;
  modelArgs?: string;
  tasks: string[];
  data: DataSource;
  includePaths?: string[];
  limit?: number;
  batchSize?: number;
  /** padded tokens per forward pass; default from free memory (defaultMaxBatchTokens) */
  maxBatchTokens?: number;
  /** compute long shared prefixes once (default true; false: --no-prefix-sharing) */
  prefixSharing?: boolean;
  numFewshot?: number;
  outputPath?: string;
  logSamples?: boolean;
  /** explicit --add-bos-token; undefined = the default of the emulated lm-eval version */
  addBosToken?: boolean;
  /** emulate an older lm-eval's defaults (e.g. "0.4.9.1": no BOS by default) */
  lmEvalVersion?: string;
  maxLength?: number;
  bootstrapIters?: number;
  /** reproduce CPython 3.11 (default) or 3.12+ float summation in aggregates */
  pythonVersion?: PythonVersion;
  onProgress?: (event: ProgressEvent, p: Progress) => void;
  /** engine warnings (ignored arguments, non-fp32 weights); default: the engine prints them */
  onWarning?: (message: string) => void;
  /** hub download progress of the model's files */
  onDownload?: (p: DownloadProgress) => void;
  /** response cache file: answers found there are not recomputed, new ones are added (none: no cache) */
  cache?: string;
}

export interface RunOutcome {
  run: EvaluationRun;
  results: Record<string, unknown>;
  table: string;
  groupsTable?: string;
  headerLine: string;
  resultsFile?: string;
  sampleFiles: string[];
  /** how many requests the response cache answered, when one was used */
  cache?: { path: string; fromCache: number; total: number };
}

/** lm-eval ≤ 0.4.9.1 added no BOS by default; later versions use the tokenizer's default. */
export function bosPolicyFor(addBosToken: boolean | undefined, lmEvalVersion: string | undefined): BosPolicy {
  if (addBosToken === true) return 'always';
  if (addBosToken === false) return 'never';
  if (lmEvalVersion && versionAtMost(lmEvalVersion, '0.4.9.1')) return 'never';
  return 'tokenizer';
}

function versionAtMost(v: string, limit: string): boolean {
  const a = v.replace(/^v/, '').split('.').map((x) => parseInt(x, 10) || 0);
  const b = limit.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  }
  return true;
}

/** lm-eval's date_id: local ISO time with microseconds, ':' replaced by '-'. */
export function dateId(d = new Date()): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}-${p(d.getMinutes())}-${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}000`;
}

export async function runEvaluation(options: RunOptions): Promise<RunOutcome> {
  if (options.logSamples && !options.outputPath) {
    throw new YardstickError('usage', '--log-samples needs --output-path', { hint: 'add --output-path DIR' });
  }
  const registry = TaskRegistry.load(options.includePaths ?? []);
  const roots = registry.expand(options.tasks);
  const spec = parseModelSpec(options.model, options.modelArgs);
  // opened before the model so a damaged or locked cache file fails before any loading
  const responseCache = options.cache === undefined ? undefined : ResponseCache.open(options.cache);
  const engine = await openEngine(spec, { maxLength: options.maxLength, onWarning: options.onWarning, onDownload: options.onDownload }).catch((e: unknown) => {
    responseCache?.close();
    throw e;
  });
  let cache: ModelCache | undefined;
  const started = Date.now();
  const bos = bosPolicyFor(options.addBosToken, options.lmEvalVersion);
  const batchSize = options.batchSize ?? 1;
  const maxBatchTokens = options.maxBatchTokens ?? defaultMaxBatchTokens();
  const bootstrapIters = options.bootstrapIters ?? DEFAULT_BOOTSTRAP_ITERS;
  let run: EvaluationRun;
  try {
    cache = responseCache?.forModel(engine.info);
    run = await evaluate({
      engine,
      roots,
      data: options.data,
      encoding: { bos, maxLength: engine.maxLength, legacyEmptyContext: options.lmEvalVersion ? versionAtMost(options.lmEvalVersion, '0.4.9.1') : false },
      batchSize,
      maxBatchTokens,
      prefixSharing: options.prefixSharing ?? true,
      limit: options.limit,
      numFewshot: options.numFewshot,
      bootstrapIters,
      python: options.pythonVersion,
      onProgress: options.onProgress,
      cache,
    });
  } finally {
    await engine.close();
    responseCache?.close();
  }
  const tok = engine.tokenizer;
  const modelName = engine.info.name;
  const ctx: RunContext = {
    model: spec.engine,
    modelArgs: spec.args,
    modelName,
    numParameters: engine.info.numParameters,
    dtype: engine.info.dtype,
    revision: engine.info.revision,
    sha: engine.info.sha,
    batchSize,
    limit: options.limit,
    bootstrapIters,
    fewshotSeed: 1234,
    maxLength: engine.maxLength,
    tokenizer: {
      pad: [tok.padToken ?? tok.eosToken, tok.padTokenId],
      eos: [tok.eosToken, tok.eosTokenId],
      bos: [tok.bosToken, tok.bosTokenId],
    },
    startedAt: started / 1000,
    elapsedSeconds: (Date.now() - started) / 1000,
    taskHashes: options.logSamples ? Object.fromEntries(run.tasks.map((t) => [t.node.name, taskHash(t)])) : {},
    yardstick: {
      bos_policy: bos,
      add_bos_token: options.addBosToken ?? null,
      max_batch_tokens: maxBatchTokens,
      prefix_sharing: options.prefixSharing ?? true,
      lm_eval_compat: options.lmEvalVersion ?? 'HEAD (0.4.13.dev0)',
      python_float_semantics: options.pythonVersion ?? DEFAULT_PYTHON_VERSION,
      engine: engine.info.engine,
      tokenizer: engine.tokenizer.source,
      model_fingerprint: { ...engine.info.fingerprint, digest: fingerprintDigest(engine.info.fingerprint) },
      data: Object.fromEntries(run.tasks.map((t) => [t.node.name, t.task.provenance])),
      failed_tasks: Object.fromEntries(run.failed.map((f) => [f.task, f.error.oneLine()])),
      // e.g. a remote engine's HTTP calls and retries by reason (Engine.stats)
      engine_stats: engine.stats?.() ?? null,
    },
  };
  const results = buildResultsJson(run, roots, ctx);
  const outcome: RunOutcome = {
    run,
    results,
    table: makeTable(results, 'results'),
    groupsTable: 'groups' in results ? makeTable(results, 'groups') : undefined,
    headerLine: `${spec.engine} (${Object.entries(spec.args).map(([k, v]) => `${k}=${v}`).join(',')}), gen_kwargs: (None), limit: ${options.limit ?? 'None'}, num_fewshot: ${options.numFewshot ?? 'None'}, batch_size: ${batchSize}`,
    sampleFiles: [],
    cache: cache && { path: cache.path, fromCache: cache.counts.fromCache, total: cache.counts.fromCache + cache.counts.computed },
  };
  if (options.outputPath) writeOutputs(outcome, options.outputPath, modelName, options.logSamples ?? false);
  return outcome;
}

function writeOutputs(outcome: RunOutcome, outputPath: string, modelName: string, logSamples: boolean): void {
  const id = dateId();
  const resultsFile = outputPath.endsWith('.json')
    ? `${outputPath.slice(0, -'.json'.length)}_${id}.json`
    : join(outputPath, runFolderName(modelName), `results_${id}.json`);
  const dir = dirname(resultsFile);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(resultsFile, pyJsonDumps(outcome.results, { indent: 2 }));
  } catch (e) {
    throw new YardstickError('usage', `cannot write results to ${resultsFile}: ${(e as Error).message}`, { hint: 'choose a writable --output-path' });
  }
  outcome.resultsFile = resultsFile;
  if (logSamples) {
    for (const t of outcome.run.tasks) {
      const file = join(dir, `samples_${t.node.name}_${id}.jsonl`);
      writeFileSync(file, samplesJsonl(t));
      outcome.sampleFiles.push(file);
    }
  }
}
