// `yardstick run`: evaluate a model on tasks and print lm-eval's results table.
import { Option } from 'commander';
import type { RegisterCommand } from './index.js';
import { YardstickError } from '../../errors.js';
import { createDataSource } from '../../data/source.js';
import { stderrProgress } from '../../data/progress.js';
import { runEvaluation } from '../../run.js';
import { defaultCachePath } from '../../engines/cache/location.js';
import { ProgressReporter } from '../progress.js';
import { intOption, limitOption, lmEvalVersionOption } from '../numbers.js';


function boolArg(v: string): boolean {
  if (/^(true|1|yes)$/i.test(v)) return true;
  if (/^(false|0|no)$/i.test(v)) return false;
  throw new YardstickError('usage', `expected true or false, got '${v}'`);
}

export const registerRun: RegisterCommand = (program) => {
  program
    .command('run')
    .description('evaluate a model on tasks (lm-eval semantics) and write lm-eval results JSON')
    .requiredOption('--model <spec>', 'model: onnx:DIR (an HF folder with onnx/model.onnx), or an engine name with --model-args')
    .option('--model-args <args>', 'engine arguments, e.g. pretrained=DIR,max_length=2048')
    .requiredOption('--tasks <names>', 'comma-separated task, group or tag names (see `yardstick tasks`)')
    .option('--data-dir <dir>', 'local documents: <dir>/<dataset_path>/<dataset_name>/<split>.{jsonl,json,csv,parquet}')
    .option('--include-path <dir>', 'extra folder of lm-eval task YAML files')
    .option('--limit <n>', 'evaluate only the first N documents of each task (a fraction if < 1)', limitOption)
    .option('--batch-size <n>', 'requests per forward pass', intOption('--batch-size', 1, "lm-eval's 'auto' is not supported; try 8 or 16"), 1)
    .option('--max-batch-tokens <n>', 'padded tokens per scoring pass (rows × longest input, rounded to a length bucket); default: free memory / 256 KiB, 2048..16384', intOption('--max-batch-tokens', 1))
    .option('--no-prefix-sharing', 'score every input in full (by default inputs sharing 32+ leading tokens, e.g. a few-shot block, compute them once)')
    .option('--num-fewshot <k>', 'few-shot examples per prompt', intOption('--num-fewshot', 0))
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
    .option('--no-cache', 'neither read nor write the response cache')
    .action(async (opts) => {
      const tasks = String(opts.tasks).split(',').map((t: string) => t.trim()).filter(Boolean);
      if (tasks.length === 0) throw new YardstickError('usage', '--tasks names no task', { hint: 'e.g. --tasks lambada_openai,winogrande (`yardstick tasks` lists them)' });
      const reporter = new ProgressReporter();
      const stop = stopOnSignals();
      const outcome = await runEvaluation({
        model: opts.model,
        modelArgs: opts.modelArgs,
        tasks,
        data: createDataSource({ dataDir: opts.dataDir, onProgress: stderrProgress() }),
        includePaths: opts.includePath ? [opts.includePath] : [],
        limit: opts.limit,
        batchSize: opts.batchSize,
        maxBatchTokens: opts.maxBatchTokens,
        prefixSharing: opts.prefixSharing,
        numFewshot: opts.numFewshot,
        outputPath: opts.outputPath,
        logSamples: opts.logSamples,
        addBosToken: opts.addBosToken,
        lmEvalVersion: opts.lmEvalVersion,
        maxLength: opts.maxLength,
        bootstrapIters: opts.bootstrapIters,
        pythonVersion: opts.pythonVersion,
        onProgress: (e, p) => reporter.update(`[${e.taskIndex}/${e.taskCount}] ${e.task} ${e.phase === 'prepare' ? 'building requests' : e.phase}`, p, e.phase === 'prepare' ? 'documents' : 'requests'),
        cache: opts.cache === false ? undefined : typeof opts.cache === 'string' ? opts.cache : defaultCachePath(),
        skipMissing: opts.skipMissing,
        onSkipped: (skipped) => {
          for (const s of skipped) process.stderr.write(`yardstick: skipped ${s.task}: ${s.reason.oneLine()}\n`);
        },
        signal: stop.signal,
      }).finally(stop.dispose);
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
    });
};

/** SIGINT/SIGTERM abort the run after its current batch; a second signal ends the process at once. */
function stopOnSignals(): { signal: AbortSignal; dispose: () => void } {
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
