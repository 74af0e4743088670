// One model of the GGUF throughput bench: opens `--model SPEC` (onnx:DIR or gguf:FILE) as `yardstick run`
// does, evaluates each task in turn, times the scoring phase (first to last engine call; load and
// request building excluded) and prints one JSON line per task. `--dump FILE` also writes every
// request's log-likelihood (task, doc, idx, logprob), for the drift columns of report.ts.
// Run through bench/gguf/run.sh; by hand:
//   node dist/bench/bench/gguf/engine_side.js --model gguf:FILE --data-dir D --tasks a,b --batch-size N --threads T [--dump F]
import { appendFileSync, writeFileSync } from 'node:fs';
import { createDataSource } from '../../src/data/source.js';
import { openEngine, parseModelSpec } from '../../src/engines/registry.js';
import type { ScoreInput } from '../../src/engines/types.js';
import { evaluate } from '../../src/evaluate.js';
import type { LoglikelihoodResponse } from '../../src/requests/instance.js';
import { arg } from '../common/args.js';
import { builtinTasks, warmUp } from '../common/evaluate.js';
import { EngineClock } from '../common/timing.js';

const model = arg('--model');
const label = arg('--label', model);
const tasks = arg('--tasks').split(',');
const batchSize = Number(arg('--batch-size', '1'));
const threads = arg('--threads', '2');
const dump = arg('--dump', '');

let started = performance.now();
const engine = await openEngine(parseModelSpec(model, `threads=${threads}`), {});
const loadSeconds = (performance.now() - started) / 1000;
// one small call first, so no first-call set-up lands in a task's timing
await warmUp(engine);

const clock = new EngineClock();
let inputTokens = 0;
let scoredTokens = 0;
const scoreBatch = engine.scoreBatch.bind(engine);
engine.scoreBatch = async (batch: ScoreInput[]) => {
  const out = await clock.time(() => scoreBatch(batch));
  inputTokens += batch.reduce((a, r) => a + r.input.length, 0);
  scoredTokens += batch.reduce((a, r) => a + r.continuations.reduce((b, c) => b + c.length, 0), 0);
  return out;
};
// the scheduler sends inputs that share a long prefix here instead (ONNX): time and count them too
const scoreSharedPrefix = engine.scoreSharedPrefix?.bind(engine);
if (scoreSharedPrefix) {
  engine.scoreSharedPrefix = async (prefix: number[], batch: ScoreInput[], options) => {
    const out = await clock.time(() => scoreSharedPrefix(prefix, batch, options));
    inputTokens += prefix.length + batch.reduce((a, r) => a + r.input.length - prefix.length, 0);
    scoredTokens += batch.reduce((a, r) => a + r.continuations.reduce((b, c) => b + c.length, 0), 0);
    return out;
  };
}

const registry = builtinTasks();
const data = createDataSource({ dataDir: arg('--data-dir'), hub: false });
if (dump) writeFileSync(dump, '');
for (const task of tasks) {
  clock.reset();
  inputTokens = scoredTokens = 0;
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
  if (dump) {
    const lines = taskRun.samples.flatMap((s) =>
      s.responses.map((r, idx) => JSON.stringify({ task, doc: s.docId, idx, logprob: (r[0] as LoglikelihoodResponse).logprob })),
    );
    appendFileSync(dump, lines.join('\n') + '\n');
  }
  process.stdout.write(
    JSON.stringify({
      label,
      model,
      engine: engine.info.engine,
      dtype: engine.info.dtype,
      task,
      batchSize,
      threads: Number(threads),
      docs: taskRun.samples.length,
      requests: taskRun.samples.reduce((a, s) => a + s.instances.length, 0),
      calls: clock.calls,
      inputTokens,
      scoredTokens,
      loadSeconds,
      scoringSeconds: clock.spanSeconds,
      evaluateSeconds,
      results: taskRun.results,
    }) + '\n',
  );
}
await engine.close();
