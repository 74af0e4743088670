// yardstick's half of the throughput bench: loads the ONNX model once, then evaluates each task in turn
// (the same library calls as `yardstick run`), timing model load, the scoring phase and the whole
// evaluation, and counting the tokens the engine computed. Prints one JSON line per task.
// `--old-path` scores as yardstick did before score_positions, token budgets and prefix sharing: LM head
// on every position, batches by request count padded to their longest input, every input in full.
// `--repeat N` evaluates each scoring task N times in the process and reports the fastest (the
// machine's noise moves one timing by 10-15 %); MATH generation runs once.
// `--no-prefix-sharing` is today's path with every input computed in full (`yardstick run
// --no-prefix-sharing`), so one run shows what sharing saves.
// A task may be `name:K` for K few-shot examples. Generation tasks (hendrycks_math_*) count the tokens
// generated. `--count-only` runs no model: every call returns zeros at once, so the line gives the work
// a run would do (tokens computed, generations and their max_gen_toks), which project.py turns into a
// projected wall time. Run through bench/throughput/run.sh; by hand:
//   node dist/bench/bench/throughput/yardstick_side.js --model DIR --data-dir D --tasks a,b:5 --batch-size N --threads T [--old-path | --no-prefix-sharing] [--count-only] [--repeat N]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDataSource } from '../../src/data/source.js';
import { defaultMaxBatchTokens } from '../../src/engines/batching.js';
import { OnnxEngine } from '../../src/engines/onnx/engine.js';
import type { GenerateRequest, ScoreBatchOptions, ScoreInput, ScoreResult } from '../../src/engines/types.js';
import { evaluate } from '../../src/evaluate.js';
import { leafTasks } from '../../src/tasks/registry.js';
import { arg } from '../common/args.js';
import { builtinTasks, warmUp } from '../common/evaluate.js';
import { EngineClock, loadAverage } from '../common/timing.js';
import { nonEmbeddingParameters } from './model_flops.js';

const modelDir = arg('--model');
const dataDir = arg('--data-dir');
const tasks = arg('--tasks').split(',');
const batchSize = Number(arg('--batch-size'));
const threads = Number(arg('--threads'));
const oldPath = process.argv.includes('--old-path');
const prefixSharing = !oldPath && !process.argv.includes('--no-prefix-sharing');
const countOnly = process.argv.includes('--count-only');
const repeat = Number(arg('--repeat', '1'));
const maxBatchTokens = oldPath ? undefined : defaultMaxBatchTokens();

let started = performance.now();
// what `yardstick run --model onnx:DIR` opens, with the thread count pinned (the CLI uses os.cpus().length)
const engine = await OnnxEngine.load(modelDir, { threads, scoreAllPositions: oldPath });
const loadSeconds = (performance.now() - started) / 1000;

// one small forward pass first, so neither side's first-call set-up lands in a task's timing
await warmUp(engine);

// count what the engine computes, and when the first and last forward pass of a task start and end
const clock = new EngineClock();
/** tokens of the distinct model inputs (the work asked for, the same on every side) */
let distinctTokens = 0;
/** tokens computed: a shared prefix once, padding excluded (inputTokens) or included (paddedTokens) */
let inputTokens = 0;
let paddedTokens = 0;
/** positions the LM head runs on: each input's longest continuation (the useful FLOPs count them) */
let scoredRows = 0;
const scored = (batch: ScoreInput[]): number => batch.reduce((a, r) => a + Math.max(...r.continuations.map((c) => c.length)), 0);
let lastPrefix = '';
/** generation: requests, prompt tokens, tokens generated, and the max_gen_toks asked for */
let generations = 0;
let promptTokens = 0;
let generatedTokens = 0;
let maxNewTokens = 0;
const zeros = (batch: ScoreInput[]): ScoreResult[][] =>
  batch.map((r) => r.continuations.map((c) => ({ logprob: 0, isGreedy: false, tokenLogprobs: c.map(() => 0) })));
if (countOnly) {
  engine.scoreBatch = async (batch) => zeros(batch);
  engine.scoreSharedPrefix = async (_prefix, batch) => zeros(batch);
  engine.generateBatch = async (batch) => batch.map(() => ({ tokens: [] }));
}
const generateBatch = engine.generateBatch.bind(engine);
engine.generateBatch = async (batch: GenerateRequest[]) => {
  generations += batch.length;
  promptTokens += batch.reduce((a, r) => a + r.input.length, 0);
  maxNewTokens += batch.reduce((a, r) => a + r.maxNewTokens, 0);
  const out = await clock.time(() => generateBatch(batch));
  generatedTokens += out.reduce((a, r) => a + r.tokens.length, 0);
  return out;
};
const scoreBatch = engine.scoreBatch.bind(engine);
engine.scoreBatch = (batch: ScoreInput[], options?: ScoreBatchOptions) => {
  const longest = Math.max(...batch.map((r) => r.input.length));
  inputTokens += batch.reduce((a, r) => a + r.input.length, 0);
  scoredRows += scored(batch);
  distinctTokens += batch.reduce((a, r) => a + r.input.length, 0);
  paddedTokens += batch.length * (oldPath ? longest : Math.max(longest, options?.padTo ?? 0));
  // the old path padded each batch to its longest input
  return clock.time(() => scoreBatch(batch, oldPath ? {} : options));
};
const scoreSharedPrefix = engine.scoreSharedPrefix.bind(engine);
if (!prefixSharing) (engine as { scoreSharedPrefix?: unknown }).scoreSharedPrefix = undefined;
else {
  engine.scoreSharedPrefix = (prefix: number[], batch: ScoreInput[], options?: ScoreBatchOptions) => {
    const key = prefix.join(',');
    const fresh = key !== lastPrefix ? prefix.length : 0;
    lastPrefix = key;
    const longest = Math.max(...batch.map((r) => r.input.length - prefix.length));
    inputTokens += fresh + batch.reduce((a, r) => a + r.input.length - prefix.length, 0);
    scoredRows += scored(batch);
    distinctTokens += batch.reduce((a, r) => a + r.input.length, 0);
    paddedTokens += fresh + batch.length * Math.max(longest, options?.padTo ?? 0);
    return clock.time(() => scoreSharedPrefix(prefix, batch, options));
  };
}

const registry = builtinTasks();
const data = createDataSource({ dataDir, hub: false });
const modelConfig = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as Record<string, number>;
const nonEmbedding = nonEmbeddingParameters(modelConfig);
const lmHead = modelConfig.hidden_size! * modelConfig.vocab_size!;
// --count-only counts every leaf task of what is asked for (e.g. `seed`) on its own line
const specs = countOnly
  ? tasks.flatMap((spec) => {
      const [name, shots] = spec.split(':') as [string, string | undefined];
      return leafTasks(registry.expand([name])).map((leaf) => (shots === undefined ? leaf.name : `${leaf.name}:${shots}`));
    })
  : tasks;
/** One evaluation of `spec`: its JSON line. */
async function measure(spec: string): Promise<Record<string, unknown>> {
  const [task, shots] = spec.split(':') as [string, string | undefined];
  clock.reset();
  distinctTokens = inputTokens = paddedTokens = scoredRows = 0;
  generations = promptTokens = generatedTokens = maxNewTokens = 0;
  lastPrefix = '';
  started = performance.now();
  const run = await evaluate({
    engine,
    roots: registry.expand([task]),
    data,
    encoding: { bos: 'tokenizer', maxLength: engine.maxLength, legacyEmptyContext: false },
    batchSize,
    maxBatchTokens,
    prefixSharing,
    numFewshot: shots === undefined ? undefined : Number(shots),
  });
  const evaluateSeconds = (performance.now() - started) / 1000;
  if (run.failed.length > 0) throw new Error(`${task}: ${run.failed.map((f) => f.error.message).join('; ')}`);
  const taskRun = run.tasks[0]!;
  const requests = taskRun.samples.reduce((a, s) => a + s.instances.length, 0);
  return {
      side: countOnly ? 'count' : oldPath ? 'yardstick-old' : prefixSharing ? 'yardstick' : 'yardstick-noshare',
      task: spec,
      maxBatchTokens: maxBatchTokens ?? null,
      nonEmbeddingParameters: nonEmbedding,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      loadAverage: loadAverage(),
      batchSize,
      threads: `ORT intraOpNumThreads=${threads}, interOpNumThreads=1`,
      docs: taskRun.samples.length,
      requests,
      forwardPasses: clock.calls,
      distinctTokens,
      inputTokens,
      paddedTokens,
      scoredRows,
      lmHeadParameters: lmHead,
      generations,
      promptTokens,
      generatedTokens,
      maxNewTokens,
      loadSeconds,
      answerSeconds: clock.spanSeconds,
      engineSeconds: clock.engineSeconds,
      evaluateSeconds,
      results: taskRun.results,
  };
}

for (const spec of specs) {
  // --repeat N: the task N times in this process, the fastest scoring phase reported (MATH generation once)
  const times = countOnly || spec.startsWith('hendrycks_math') ? 1 : repeat;
  let best: Record<string, unknown> | undefined;
  const each: number[] = [];
  for (let i = 0; i < times; i++) {
    const line = await measure(spec);
    each.push(line.answerSeconds as number);
    if (!best || (line.answerSeconds as number) < (best.answerSeconds as number)) best = line;
  }
  process.stdout.write(JSON.stringify({ ...best, repeats: times, answerSecondsEach: each }) + '\n');
}
await engine.close();
