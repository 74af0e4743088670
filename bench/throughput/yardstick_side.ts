// yardstick's half of the throughput bench: loads the ONNX model once, then evaluates each task in turn
// (the same library calls as `yardstick run`), timing model load, the scoring phase and the whole
// evaluation, and counting the tokens the engine was fed. Prints one JSON line per task.
// Run through bench/throughput/run.sh; by hand:
//   node dist/bench/bench/throughput/yardstick_side.js --model DIR --data-dir D --tasks a,b --batch-size N --threads T
import { fileURLToPath } from 'node:url';
import { createDataSource } from '../../src/data/source.js';
import { OnnxEngine } from '../../src/engines/onnx/engine.js';
import type { ScoreInput } from '../../src/engines/types.js';
import { evaluate } from '../../src/evaluate.js';
import { TaskRegistry } from '../../src/tasks/registry.js';

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

let started = performance.now();
// what `yardstick run --model onnx:DIR` opens, with the thread count pinned (the CLI uses os.cpus().length)
const engine = await OnnxEngine.load(modelDir, { threads });
const loadSeconds = (performance.now() - started) / 1000;

// one small forward pass first, so neither side's first-call set-up lands in a task's timing
await engine.scoreBatch([{ input: [0, 1, 2, 3], continuations: [[4]] }]);

// count what the engine is fed, and when the first and last forward pass of a task start and end
let forwardPasses = 0;
let inputTokens = 0;
let paddedTokens = 0;
let engineSeconds = 0;
let firstStart = 0;
let lastEnd = 0;
const scoreBatch = engine.scoreBatch.bind(engine);
engine.scoreBatch = async (batch: ScoreInput[]) => {
  const t0 = performance.now();
  if (firstStart === 0) firstStart = t0;
  const out = await scoreBatch(batch);
  lastEnd = performance.now();
  engineSeconds += (lastEnd - t0) / 1000;
  forwardPasses += 1;
  inputTokens += batch.reduce((a, r) => a + r.input.length, 0);
  paddedTokens += batch.length * Math.max(...batch.map((r) => r.input.length));
  return out;
};

// this file compiles to dist/bench/..., where builtinTaskDir() cannot find the YAML folder
const registry = new TaskRegistry();
registry.index(fileURLToPath(new URL('../../../../src/tasks/builtin', import.meta.url)));
const data = createDataSource({ dataDir, hub: false });
for (const task of tasks) {
  forwardPasses = inputTokens = paddedTokens = engineSeconds = firstStart = lastEnd = 0;
  started = performance.now();
  const run = await evaluate({
    engine,
    roots: registry.expand([task]),
    data,
    encoding: { bos: 'tokenizer', maxLength: engine.maxLength, legacyEmptyContext: false },
    batchSize,
  });
  const evaluateSeconds = (performance.now() - started) / 1000;
  if (run.failed.length > 0) throw new Error(`${task}: ${run.failed.map((f) => f.error.message).join('; ')}`);
  const taskRun = run.tasks[0]!;
  const requests = taskRun.samples.reduce((a, s) => a + s.instances.length, 0);
  process.stdout.write(
    JSON.stringify({
      side: 'yardstick',
      task,
      batchSize,
      threads: `ORT intraOpNumThreads=${threads}, interOpNumThreads=1`,
      docs: taskRun.samples.length,
      requests,
      forwardPasses,
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
