// `yardstick run`: evaluate a model on tasks and print lm-eval's results table; with several --model,
// each in turn (one in memory at a time), then the comparison `yardstick compare --output` writes.
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import type { RegisterCommand } from './index.js';
import { YardstickError } from '../../errors.js';
import { createDataSource } from '../../data/source.js';
import { stderrProgress } from '../../data/progress.js';
import { openCheckingChatTemplates, runEvaluation, type RunOptions } from '../../run.js';
import { defaultCachePath } from '../../engines/cache/location.js';
import { ProgressReporter } from '../progress.js';
import { intOption, limitOption, lmEvalVersionOption } from '../numbers.js';
import { writeComparison } from './compare.js';

function boolArg(v: string): boolean {
  if (/^(true|1|yes)$/i.test(v)) return true;
  if (/^(false|0|no)$/i.test(v)) return false;
  throw new YardstickError('usage', `expected true or false, got '${v}'`);
}

/** What each phase of a run is called on the progress line. */
const PHASE_LABELS: Record<string, string> = { check: 'checking documents', prepare: 'building requests' };

/**
 * The options `run` and `sweep` share: everything but --num-fewshot (one count for run, a list for sweep).
 * `sweep` evaluates each of its cells with exactly these, so an option added here reaches both.
 */
export function addEvaluationOptions(command: Command): Command {
  return command
    .option(
      '--model <spec>',
      'model: hf:OWNER/NAME[@REVISION] (Hugging Face Hub), a local Hugging Face folder, onnx:DIR, or an engine name with --model-args; repeat to evaluate and compare several',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option('--model-args <args>', 'engine arguments, e.g. pretrained=DIR,max_length=2048')
    .requiredOption('--tasks <names>', 'comma-separated task, group or tag names (see `yardstick tasks`)')
    .option('--data-dir <dir>', 'local documents: <dir>/<dataset_path>/<dataset_name>/<split>.{jsonl,json,csv,parquet}')
    .option('--include-path <dir>', 'extra folder of lm-eval task YAML files')
    .option('--limit <n>', 'evaluate only the first N documents of each task (a fraction if < 1)', limitOption)
    .option('--batch-size <n>', 'requests per forward pass (at most: passes are cut where padding costs more than another pass)', intOption('--batch-size', 1, "lm-eval's 'auto' is not supported; try 8 or 16"), 1)
    .option('--max-batch-tokens <n>', 'padded tokens per scoring pass (rows × longest input, rounded to a length bucket); default: free memory / 256 KiB, 2048..16384', intOption('--max-batch-tokens', 1))
    .option('--no-prefix-sharing', 'score every input in full (by default inputs sharing 12+ leading tokens that are a quarter or more of them, e.g. a few-shot block, compute them once where that saves 128+ tokens)')
    .option('--apply-chat-template [name]', "render prompts with the model's chat template (tokenizer_config.json, chat_template.jinja or the GGUF's); NAME picks one of several")
    .addOption(new Option('--fewshot-as-multiturn [bool]', 'with a chat template: few-shot examples as user/assistant turns (default true; false: one user message)').argParser(boolArg))
    .option('--system-instruction <text>', 'a system instruction before the task description (with a chat template: the system message)')
    .option('--output-path <path>', 'folder (or .json file name) for results_<date>.json')
    .option('--log-samples', 'also write samples_<task>_<date>.jsonl per task')
    .option('--add-bos-token <bool>', 'true: always prefix BOS; false: never (default: the tokenizer decides, lm-eval >= 0.4.9.2)', boolArg)
    .addOption(new Option('--lm-eval-version <v>', 'emulate an older lm-eval default (<= 0.4.9.1 adds no BOS)').argParser(lmEvalVersionOption))
    .option('--max-length <n>', "override the model's max length", intOption('--max-length', 1))
    .option('--bootstrap-iters <n>', 'bootstrap resamples for mcc/f1/perplexity stderr (lm-eval: 100000; 0 skips them)', intOption('--bootstrap-iters', 0))
    .option('--skip-missing', 'run the tasks that pass the pre-flight check and list the ones skipped (default: any problem stops the run before compute)')
    .addOption(new Option('--python-version <v>', "reproduce this CPython's float summation in aggregates (3.12+ sums with Neumaier compensation)").choices(['3.11', '3.12']))
    .option('--cache <path>', 'response cache file: answers there are reused, new ones added (default: responses.sqlite in $YARDSTICK_CACHE, else in $XDG_CACHE_HOME/yardstick or ~/.cache/yardstick)', (v) => {
      if (v.trim() === '') throw new YardstickError('usage', '--cache needs a file path', { hint: 'or pass --no-cache to run without the response cache' });
      return v;
    })
    .option('--no-cache', 'neither read nor write the response cache');
}

/** The parsed shared options as RunOptions (all but the model and the few-shot count), checked. */
export function evaluationOptionsFrom(opts: Record<string, any>): { models: string[]; base: Omit<RunOptions, 'model' | 'numFewshot'> } {
  const tasks = String(opts.tasks).split(',').map((t: string) => t.trim()).filter(Boolean);
  if (tasks.length === 0) throw new YardstickError('usage', '--tasks names no task', { hint: 'e.g. --tasks lambada_openai,winogrande (`yardstick tasks` lists them)' });
  const models = opts.model as string[];
  if (models.length === 0) throw new YardstickError('usage', "required option '--model <spec>' not specified", { hint: 'e.g. --model hf:HuggingFaceTB/SmolLM-135M' });
  if (models.length > 1 && /(^|,)\s*pretrained\s*=/.test(opts.modelArgs ?? '')) {
    throw new YardstickError('usage', '--model-args pretrained=... names one model but --model is given several times', { hint: 'put each model in its own --model (hf:OWNER/NAME or a folder)' });
  }
  const base: Omit<RunOptions, 'model' | 'numFewshot'> = {
    modelArgs: opts.modelArgs,
    applyChatTemplate: opts.applyChatTemplate,
    fewshotAsMultiturn: opts.fewshotAsMultiturn,
    systemInstruction: opts.systemInstruction,
    tasks,
    data: createDataSource({ dataDir: opts.dataDir, onProgress: stderrProgress() }),
    includePaths: opts.includePath ? [opts.includePath] : [],
    limit: opts.limit,
    batchSize: opts.batchSize,
    maxBatchTokens: opts.maxBatchTokens,
    prefixSharing: opts.prefixSharing,
    outputPath: opts.outputPath,
    logSamples: opts.logSamples,
    addBosToken: opts.addBosToken,
    lmEvalVersion: opts.lmEvalVersion,
    maxLength: opts.maxLength,
    bootstrapIters: opts.bootstrapIters,
    pythonVersion: opts.pythonVersion,
    cache: opts.cache === false ? undefined : typeof opts.cache === 'string' ? opts.cache : defaultCachePath(),
    onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
    onDownload: stderrProgress(),
    skipMissing: opts.skipMissing,
    onSkipped: (skipped) => {
      for (const s of skipped) process.stderr.write(`yardstick: skipped ${s.task}: ${s.reason.oneLine()}\n`);
    },
  };
  return { models, base };
}

export const registerRun: RegisterCommand = (program) => {
  addEvaluationOptions(program.command('run').description('evaluate a model on tasks (lm-eval semantics) and write lm-eval results JSON'))
    .option('--num-fewshot <k>', 'few-shot examples per prompt', intOption('--num-fewshot', 0))
    .action(async (opts) => {
      const { models, base: shared } = evaluationOptionsFrom(opts);
      const several = models.length > 1;
      if (several && !opts.outputPath) {
        throw new YardstickError('usage', `${models.length} models need --output-path (each model's results and samples, and the comparison, are written there)`, { hint: 'add --output-path runs' });
      }
      // compare pairs documents from the sample logs, so several models always log them
      const base: Omit<RunOptions, 'model'> = { ...shared, numFewshot: opts.numFewshot, logSamples: opts.logSamples || several };
      const resultsFiles: string[] = [];
      // a later model without the template would otherwise fail only after the ones before it have run;
      // the first model stays open from the check for its own run
      let first = several && base.applyChatTemplate ? await openCheckingChatTemplates(models, base, base.applyChatTemplate) : undefined;
      const stop = stopOnSignals();
      try {
        for (const [i, model] of models.entries()) {
          if (several) process.stderr.write(`== model ${i + 1}/${models.length}: ${model}\n`);
          const file = await runOne({ ...base, model, signal: stop.signal, engine: first });
          await first?.close();
          first = undefined;
          if (file) resultsFiles.push(file);
        }
      } finally {
        stop.dispose();
        await first?.close();
      }
      if (!several) return;
      if (resultsFiles.length < 2) {
        process.stderr.write(`yardstick: only ${resultsFiles.length} of ${models.length} models have results; no comparison written\n`);
        process.exitCode = 1;
        return;
      }
      const comparisonDir = join(opts.outputPath, 'comparison');
      process.stdout.write(`\n== comparison of ${resultsFiles.length} models\n`);
      await writeComparison(resultsFiles, comparisonDir);
      process.stderr.write(`results: ${resultsFiles.join(', ')}\ncomparison: ${join(comparisonDir, 'report.html')}\n`);
    });
};

/** One model: evaluate, print the tables, say where the results went; returns the results file. */
export async function runOne(options: RunOptions): Promise<string | undefined> {
  const reporter = new ProgressReporter();
  const outcome = await runEvaluation({
    ...options,
    onProgress: (e, p) => reporter.update(`[${e.taskIndex}/${e.taskCount}] ${e.task} ${PHASE_LABELS[e.phase] ?? e.phase}`, p, e.phase === 'check' || e.phase === 'prepare' ? 'documents' : 'requests'),
  });
  const finished = outcome.run.tasks.length;
  if (finished > 0) {
    process.stdout.write(`${outcome.headerLine}\n${outcome.table}\n`);
    if (outcome.groupsTable) process.stdout.write(`${outcome.groupsTable}\n`);
  }
  if (outcome.resultsFile) process.stderr.write(`results written to ${outcome.resultsFile}\n`);
  if (outcome.skipped.length > 0) process.stderr.write(`yardstick: ${outcome.skipped.length} task(s) skipped by --skip-missing: ${outcome.skipped.map((s) => s.task).join(', ')}\n`);
  if (outcome.cache) process.stderr.write(`cache: ${outcome.cache.fromCache} of ${outcome.cache.total} requests from ${outcome.cache.path}\n`);
  const stats = (outcome.results.yardstick as { engine_stats?: Record<string, number> | null }).engine_stats;
  if (stats && typeof stats.http_calls === 'number') {
    const reasons = Object.entries(stats).filter(([k, v]) => k.startsWith('retries.') && v > 0).map(([k, v]) => `${k.slice(8)} ${v}`);
    process.stderr.write(`server: ${stats.http_calls} HTTP calls, ${stats.retries ?? 0} retries${reasons.length ? ` (${reasons.join(', ')})` : ''}, ${stats.failures ?? 0} failed\n`);
  }
  for (const f of outcome.run.failed) process.stderr.write(`yardstick: ${f.error.oneLine()}\n`);
  if (outcome.run.failed.length > 0) {
    const kept =
      finished === 0 ? 'no task finished' : outcome.progressFile ? `the other tasks' results are in ${outcome.progressFile} (the run is incomplete, so no results_*.json)` : "the other tasks' results are in the table above";
    process.stderr.write(`yardstick: ${outcome.run.failed.length} task(s) failed; ${kept}\n`);
    process.exitCode = 1;
  }
  return finished > 0 ? outcome.resultsFile : undefined;
}

/** SIGINT/SIGTERM abort the run after its current batch; a second signal ends the process at once. */
export function stopOnSignals(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((name) => {
    const handler = (): void => {
      if (controller.signal.aborted) process.exit(name === 'SIGINT' ? 130 : 143);
      process.stderr.write(`\nyardstick: ${name} received; finishing the current batch (send it again to stop at once)\n`);
      controller.abort(name);
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    dispose: () => {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}
