// yardstick's half of the throughput bench: loads the ONNX model once, then evaluates each task in turn
// (the same library calls as `yardstick run`), timing model load, the scoring phase and the whole
// evaluation, and counting the tokens the engine computed. Prints one JSON line per task.
// `--old-path` scores as yardstick did before score_positions, token budgets and prefix sharing: LM head
// on every position, batches by request count padded to their longest input, every input in full.
// A task may be `name:K` for K few-shot examples. Run through bench/throughput/run.sh; by hand:
//   node dist/bench/bench/throughput/yardstick_side.js --model DIR --data-dir D --tasks a,b:5 --batch-size N --threads T [--old-path]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDataSource } from '../../src/data/source.js';
import { defaultMaxBatchTokens } from '../../src/engines/batching.js';
import { OnnxEngine } from '../../src/engines/onnx/engine.js';
import type { ScoreBatchOptions, ScoreInput } from '../../src/engines/types.js';
import { evaluate } from '../../src/evaluate.js';
import { TaskRegistry } from '../../src/tasks/registry.js';
import { nonEmbeddingParameters } from './model_flops.js';

function arg(name: string): string {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (v === undefined) throw new Error(`missing ${name}`);
  return v;
}

const modelDir = arg('--model');
const dataDir = arg('--data-dir');
const tasks = arg('--tasks').split(',');
const batchSize = Number(arg('--batch-size'));
const threads = Number(arg('--threads'));
const oldPath = process.argv.includes('--old-path');
const maxBatchTokens = oldPath ? undefined : defaultMaxBatchTokens();

let started = performance.now();
// what `yardstick run --model onnx:DIR` opens, with the thread count pinned (the CLI uses os.cpus().length)
const engine = await OnnxEngine.load(modelDir, { threads, scoreAllPositions: oldPath });
const loadSeconds = (performance.now() - started) / 1000;

// one small forward pass first, so neither side's first-call set-up lands in a task's timing
await engine.scoreBatch([{ input: [0, 1, 2, 3], continuations: [[4]] }]);

// count what the engine computes, and when the first and last forward pass of a task start and end
let forwardPasses = 0;
/** tokens of the distinct model inputs (the work asked for, the same on every side) */
let distinctTokens = 0;
/** tokens computed: a shared prefix once, padding excluded (inputTokens) or included (paddedTokens) */
let inputTokens = 0;
let paddedTokens = 0;
let engineSeconds = 0;
let firstStart = 0;
let lastEnd = 0;
let lastPrefix = '';
const timed = async <T>(work: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  if (firstStart === 0) firstStart = t0;
  const out = await work();
  lastEnd = performance.now();
  engineSeconds += (lastEnd - t0) / 1000;
  forwardPasses += 1;
  return out;
};
const scoreBatch = engine.scoreBatch.bind(engine);
engine.scoreBatch = (batch: ScoreInput[], options?: ScoreBatchOptions) => {
  const longest = Math.max(...batch.map((r) => r.input.length));
  inputTokens += batch.reduce((a, r) => a + r.input.length, 0);
  distinctTokens += batch.reduce((a, r) => a + r.input.length, 0);
  paddedTokens += batch.length * (oldPath ? longest : Math.max(longest, options?.padTo ?? 0));
  // the old path padded each batch to its longest input
  return timed(() => scoreBatch(batch, oldPath ? {} : options));
};
const scoreSharedPrefix = engine.scoreSharedPrefix.bind(engine);
if (oldPath) (engine as { scoreSharedPrefix?: unknown }).scoreSharedPrefix = undefined;
else {
  engine.scoreSharedPrefix = (prefix: number[], batch: ScoreInput[], options?: ScoreBatchOptions) => {
    const key = prefix.join(',');
    const fresh = key !== lastPrefix ? prefix.length : 0;
    lastPrefix = key;
    const longest = Math.max(...batch.map((r) => r.input.length - prefix.length));
    inputTokens += fresh + batch.reduce((a, r) => a + r.input.length - prefix.length, 0);
    distinctTokens += batch.reduce((a, r) => a + r.input.length, 0);
    paddedTokens += fresh + batch.length * Math.max(longest, options?.padTo ?? 0);
    return timed(() => scoreSharedPrefix(prefix, batch, options));
  };
}

// this file compiles to dist/bench/..., where builtinTaskDir() cannot find the YAML folder
const registry = new TaskRegistry();
registry.index(fileURLToPath(new URL('../../../../src/tasks/builtin', import.meta.url)));
const data = createDataSource({ dataDir, hub: false });
const nonEmbedding = nonEmbeddingParameters(JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as Record<string, number>);
for (const spec of tasks) {
  const [task, shots] = spec.split(':') as [string, string | undefined];
  forwardPasses = distinctTokens = inputTokens = paddedTokens = engineSeconds = firstStart = lastEnd = 0;
  lastPrefix = '';
  started = performance.now();
  const run = await evaluate({
    engine,
    roots: registry.expand([task]),
    data,
    encoding: { bos: 'tokenizer', maxLength: engine.maxLength, legacyEmptyContext: false },
    batchSize,
    maxBatchTokens,
    prefixSharing: !oldPath,
    numFewshot: shots === undefined ? undefined : Number(shots),
  });
  const evaluateSeconds = (performance.now() - started) / 1000;
  if (run.failed.length > 0) throw new Error(`${task}: ${run.failed.map((f) => f.error.message).join('; ')}`);
  const taskRun = run.tasks[0]!;
  const requests = taskRun.samples.reduce((a, s) => a + s.instances.length, 0);
  process.stdout.write(
    JSON.stringify({
      side: oldPath ? 'yardstick-old' : 'yardstick',
      task: spec,
      maxBatchTokens: maxBatchTokens ?? null,
      nonEmbeddingParameters: nonEmbedding,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
      batchSize,
      threads: `ORT intraOpNumThreads=${threads}, interOpNumThreads=1`,
      docs: taskRun.samples.length,
      requests,
      forwardPasses,
      distinctTokens,
      inputTokens,
      paddedTokens,
      loadSeconds,
      answerSeconds: (lastEnd - firstStart) / 1000,
      engineSeconds,
      evaluateSeconds,
      results: taskRun.results,
    }) + '\n',
  );
}
await engine.close();
