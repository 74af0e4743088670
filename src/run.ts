// `yardstick run` as a library call: open the model, expand tasks, evaluate, write lm-eval's
// results JSON (and per-sample logs), return what to print.
import { RunInterrupted, YardstickError } from './errors.js';
import type { DataSource } from './data/types.js';
import type { DownloadProgress } from './data/hub/client.js';
import { openEngine, parseModelSpec } from './engines/registry.js';
import { ChatTemplateRenderer, selectChatTemplate } from './engines/chat-template.js';
import type { Engine } from './engines/types.js';
import type { PromptOptions } from './tasks/task.js';
import { fingerprintDigest } from './engines/fingerprint.js';
import { defaultMaxBatchTokens } from './engines/batching.js';
import { ResponseCache } from './engines/cache/response-cache.js';
import type { ModelCache } from './engines/cache/model-cache.js';
import { evaluate, type EvaluationRun, type ProgressEvent, type TaskRun } from './evaluate.js';
import { preflight, type SkippedTask } from './preflight.js';
import type { BosPolicy } from './requests/tokenize.js';
import { TaskRegistry, type TreeNode } from './tasks/registry.js';
import { buildResultsJson, sha256Hex, type RunContext } from './report/results-json.js';
import { taskHash } from './report/samples.js';
import { RunWriter } from './report/writer.js';
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
  /** lm-eval --apply_chat_template [NAME]: render prompts with the model's chat template (true: its default) */
  applyChatTemplate?: string | true;
  /** lm-eval --fewshot_as_multiturn: few-shot examples as user/assistant turns (default: true with a chat template) */
  fewshotAsMultiturn?: boolean;
  /** lm-eval --system_instruction: a system message (before the description) */
  systemInstruction?: string;
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
  /** run the tasks that pass the pre-flight check, skipping the others (--skip-missing) */
  skipMissing?: boolean;
  /** told, before any compute, which tasks --skip-missing left out */
  onSkipped?: (skipped: SkippedTask[]) => void;
  /** aborted (reason 'SIGINT' or 'SIGTERM') to stop after the current batch */
  signal?: AbortSignal;
  /** engine warnings (ignored arguments, non-fp32 weights); default: the engine prints them */
  onWarning?: (message: string) => void;
  /** hub download progress of the model's files */
  onDownload?: (p: DownloadProgress) => void;
  /** response cache file: answers found there are not recomputed, new ones are added (none: no cache) */
  cache?: string;
  /** an engine already open for `model` (a sweep's cells share one): used as is and left open; engine_stats
   *  count only this run's calls on it */
  engine?: Engine;
}

export interface RunOutcome {
  run: EvaluationRun;
  results: Record<string, unknown>;
  table: string;
  groupsTable?: string;
  headerLine: string;
  resultsFile?: string;
  /** the record of finished tasks, when the run did not complete (results_*.json is not written) */
  progressFile?: string;
  sampleFiles: string[];
  skipped: SkippedTask[];
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

export { dateId } from './report/writer.js';

/** The pre-flight check shows progress only once it has taken this long. */
const CHECK_PROGRESS_AFTER_MS = 1000;

/** lm-eval's EvaluationTracker fields for the chat settings, and the prompt options they stand for. */
interface ChatSettings {
  prompt: PromptOptions;
  record: {
    system_instruction: string | null;
    system_instruction_sha: string | null;
    fewshot_as_multiturn: boolean | null;
    chat_template: string | null;
    chat_template_sha: string | null;
  };
  /** which template, from where: yardstick's own record */
  template?: { name: string | null; source: string };
}

/** lm-eval's EvaluateConfig rule: fewshot_as_multiturn defaults to true with a chat template and needs one. */
export function fewshotAsMultiturnFor(applyChatTemplate: string | true | undefined, fewshotAsMultiturn: boolean | undefined): boolean | undefined {
  if (fewshotAsMultiturn === true && !applyChatTemplate) {
    throw new YardstickError('usage', '--fewshot-as-multiturn needs --apply-chat-template', { hint: 'add --apply-chat-template, or drop --fewshot-as-multiturn' });
  }
  return fewshotAsMultiturn ?? (applyChatTemplate ? true : undefined);
}

function chatSettings(engine: Engine, options: RunOptions, multiturn: boolean | undefined): ChatSettings {
  const sha = (text: string): string => sha256Hex(text);
  const system = options.systemInstruction;
  const record: ChatSettings['record'] = {
    system_instruction: system ?? null,
    // lm-eval hashes a non-empty instruction only
    system_instruction_sha: system ? sha(system) : null,
    fewshot_as_multiturn: multiturn ?? null,
    chat_template: null,
    chat_template_sha: null,
  };
  const prompt: PromptOptions = { systemInstruction: system };
  if (!options.applyChatTemplate) return { prompt, record };
  const warn = options.onWarning ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
  const selected = selectChatTemplate(engine.tokenizer, engine.info.name, options.applyChatTemplate, warn);
  const renderer = new ChatTemplateRenderer(selected, engine.info.name, warn);
  prompt.chat = { render: (turns) => renderer.render(turns, true), fewshotAsMultiturn: multiturn ?? true };
  record.chat_template = selected.template;
  record.chat_template_sha = selected.sha256;
  return { prompt, record, template: { name: selected.name ?? null, source: selected.source } };
}

/** Opens the run's model as `run` would. */
export function openRunEngine(options: Pick<RunOptions, 'model' | 'modelArgs' | 'maxLength' | 'onWarning' | 'onDownload'>): Promise<Engine> {
  return openEngine(parseModelSpec(options.model, options.modelArgs), { maxLength: options.maxLength, onWarning: options.onWarning, onDownload: options.onDownload });
}

/**
 * Checks, before any compute, that every model has the chat template --apply-chat-template asks for, so
 * that with several models (or a sweep's chat cells) a missing one fails before the models ahead of it
 * have run. Each model is opened for the look-up, one at a time; the first stays open and is returned
 * for its run (the caller closes it), so a single model is opened once.
 */
export async function openCheckingChatTemplates(models: readonly string[], options: Omit<RunOptions, 'model' | 'applyChatTemplate' | 'engine'>, applyChatTemplate: string | true): Promise<Engine> {
  // warnings (a name given for a single template) are left to the run itself
  const check = (engine: Engine): void => void selectChatTemplate(engine.tokenizer, engine.info.name, applyChatTemplate);
  const first = await openRunEngine({ ...options, model: models[0]! });
  try {
    check(first);
    for (const model of models.slice(1)) {
      const engine = await openRunEngine({ ...options, model });
      try {
        check(engine);
      } finally {
        await engine.close();
      }
    }
  } catch (e) {
    await first.close();
    throw e;
  }
  return first;
}

/** Counters gained since `before` (all of `after` when there was no before). */
function statsSince(before: Record<string, number> | undefined, after: Record<string, number> | undefined): Record<string, number> | null {
  if (!after) return null;
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before?.[k] ?? 0)]));
}

export async function runEvaluation(options: RunOptions): Promise<RunOutcome> {
  if (options.logSamples && !options.outputPath) {
    throw new YardstickError('usage', '--log-samples needs --output-path', { hint: 'add --output-path DIR' });
  }
  const multiturn = fewshotAsMultiturnFor(options.applyChatTemplate, options.fewshotAsMultiturn);
  const registry = TaskRegistry.load(options.includePaths ?? []);
  const spec = parseModelSpec(options.model, options.modelArgs);
  // opened first so a damaged or locked cache file fails before any loading
  const responseCache = options.cache === undefined ? undefined : ResponseCache.open(options.cache);
  // nothing is computed (or opened) until every task, its data, the model and the output check out
  const checkStarted = Date.now();
  const { roots, skipped, rendered } = await preflight({
    registry,
    taskNames: options.tasks,
    data: options.data,
    model: spec,
    limit: options.limit,
    numFewshot: options.numFewshot,
    outputPath: options.outputPath,
    logSamples: options.logSamples,
    skipMissing: options.skipMissing,
    prompt: { systemInstruction: options.systemInstruction },
    // shown only when checking takes a while (MMLU 5-shot: seconds), so a refused run prints only its problems
    onProgress: (at, done, total) => {
      if (Date.now() - checkStarted >= CHECK_PROGRESS_AFTER_MS) options.onProgress?.({ ...at, phase: 'check' }, { done, total, tokens: 0 });
    },
  }).catch((e: unknown) => {
    responseCache?.close();
    throw e;
  });
  if (skipped.length > 0) options.onSkipped?.(skipped);
  const engine = options.engine ?? (await openRunEngine(options).catch((e: unknown) => {
    responseCache?.close();
    throw e;
  }));
  const closeEngine = async (): Promise<void> => {
    if (!options.engine) await engine.close();
  };
  let chat: ChatSettings;
  try {
    chat = chatSettings(engine, options, multiturn);
  } catch (e) {
    await closeEngine();
    responseCache?.close();
    throw e;
  }
  // a shared engine counts from its opening (a sweep's earlier cells included): this run's share is the
  // difference; an engine this run opened counts its opening too
  const statsBefore = options.engine ? engine.stats?.() : undefined;
  let cache: ModelCache | undefined;
  const started = Date.now();
  const bos = bosPolicyFor(options.addBosToken, options.lmEvalVersion);
  const batchSize = options.batchSize ?? 1;
  const maxBatchTokens = options.maxBatchTokens ?? defaultMaxBatchTokens();
  const bootstrapIters = options.bootstrapIters ?? DEFAULT_BOOTSTRAP_ITERS;
  const writer = options.outputPath ? new RunWriter(options.outputPath, engine.info.name, options.logSamples ?? false) : undefined;
  const finished: TaskRun[] = [];
  const progressRecord = (): Record<string, unknown> => buildResultsJson({ tasks: finished, groups: [], failed: [] }, roots, context({ tasks: finished, groups: [], failed: [] }));
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
      prompt: chat.prompt,
      bootstrapIters,
      python: options.pythonVersion,
      onProgress: options.onProgress,
      signal: options.signal,
      // each finished task is on disk before the next starts, so an interruption loses only the current one
      onTaskDone: (task) => {
        finished.push(task);
        writer?.taskDone(task);
        writer?.writeProgress(progressRecord());
      },
      cache,
      // chat prompts need the model's template: rendered again now that the model is open
      rendered: chat.prompt.chat ? undefined : rendered,
    });
  } catch (e) {
    if (e instanceof RunInterrupted) {
      e.finishedTasks = finished.map((t) => t.node.name);
      e.outputDir = writer && finished.length > 0 ? writer.dir : undefined;
      e.cached = cache !== undefined;
    }
    throw e;
  } finally {
    await closeEngine();
    responseCache?.close();
  }
  const outcome = finish(run, roots, context(run));
  outcome.skipped = skipped;
  outcome.cache = cache && { path: cache.path, fromCache: cache.counts.fromCache, total: cache.counts.fromCache + cache.counts.computed };
  if (writer) {
    // a run with a failed task is incomplete: its finished tasks stay in the progress record only
    if (run.failed.length === 0) outcome.resultsFile = writer.writeFinal(outcome.results);
    else if (finished.length > 0) outcome.progressFile = writer.progressFile;
    outcome.sampleFiles = writer.sampleFiles;
  }
  return outcome;

  function context(run: EvaluationRun): RunContext {
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
      chat: chat.record,
      taskHashes: options.logSamples ? Object.fromEntries(run.tasks.map((t) => [t.node.name, taskHash(t)])) : {},
      yardstick: {
        bos_policy: bos,
        add_bos_token: options.addBosToken ?? null,
        max_batch_tokens: maxBatchTokens,
        prefix_sharing: options.prefixSharing ?? true,
        chat_template: chat.template ?? null,
        lm_eval_compat: options.lmEvalVersion ?? 'HEAD (0.4.13.dev0)',
        python_float_semantics: options.pythonVersion ?? DEFAULT_PYTHON_VERSION,
        engine: engine.info.engine,
        tokenizer: engine.tokenizer.source,
        model_fingerprint: { ...engine.info.fingerprint, digest: fingerprintDigest(engine.info.fingerprint) },
        data: Object.fromEntries(run.tasks.map((t) => [t.node.name, t.task.provenance])),
        failed_tasks: Object.fromEntries(run.failed.map((f) => [f.task, f.error.oneLine()])),
        // e.g. a remote engine's HTTP calls and retries by reason (Engine.stats)
        engine_stats: statsSince(statsBefore, engine.stats?.()),
      },
    };
    return ctx;
  }

  function finish(run: EvaluationRun, roots: TreeNode[], ctx: RunContext): RunOutcome {
    const results = buildResultsJson(run, roots, ctx);
    return {
      run,
      results,
      table: makeTable(results, 'results'),
      groupsTable: 'groups' in results ? makeTable(results, 'groups') : undefined,
      headerLine: `${spec.engine} (${Object.entries(spec.args).map(([k, v]) => `${k}=${v}`).join(',')}), gen_kwargs: (None), limit: ${options.limit ?? 'None'}, num_fewshot: ${options.numFewshot ?? 'None'}, batch_size: ${batchSize}`,
      sampleFiles: [],
      skipped: [],
    };
  }
}
