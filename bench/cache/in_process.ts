// In-process half of the cache bench: one model load, then evaluate() on the same tasks without a cache,
// with an empty cache file, and with the filled one, interleaved REPEATS times. Besides each evaluation's
// time it sums the time spent inside the cache's own calls (open, look-ups, batch writes, close), which
// other load on the machine disturbs far less than whole-run differences. Prints one JSON line per run.
// Run through bench/cache/run.sh; by hand:
//   node dist/bench/bench/cache/in_process.js --model DIR --data-dir D --tasks a,b --batch-size N --repeats R --cache FILE
import { rmSync } from 'node:fs';
import { createDataSource } from '../../src/data/source.js';
import { ResponseCache } from '../../src/engines/cache/response-cache.js';
import type { ModelCache } from '../../src/engines/cache/model-cache.js';
import { OnnxEngine } from '../../src/engines/onnx/engine.js';
import { evaluate } from '../../src/evaluate.js';
import { arg } from '../common/args.js';
import { builtinTasks } from '../common/evaluate.js';

const engine = await OnnxEngine.load(arg('--model'));
const tasks = arg('--tasks').split(',');
const batchSize = Number(arg('--batch-size'));
const repeats = Number(arg('--repeats'));
const cacheFile = arg('--cache');
const registry = builtinTasks();
const data = createDataSource({ dataDir: arg('--data-dir'), hub: false });

let cacheMs = 0;
/** Wraps a method so the time inside it adds to cacheMs. */
function timed<T extends object>(target: T, names: Array<keyof T>): void {
  for (const name of names) {
    const f = target[name] as unknown as (...a: unknown[]) => unknown;
    (target as Record<keyof T, unknown>)[name] = (...a: unknown[]): unknown => {
      const t0 = performance.now();
      try {
        return f.apply(target, a);
      } finally {
        cacheMs += performance.now() - t0;
      }
    };
  }
}

async function once(kind: 'warm-up' | 'no-cache' | 'fresh' | 'cached'): Promise<void> {
  if (kind === 'fresh') rmSync(cacheFile, { force: true }), rmSync(`${cacheFile}-wal`, { force: true }), rmSync(`${cacheFile}-shm`, { force: true });
  cacheMs = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  let file: ResponseCache | undefined;
  let model: ModelCache | undefined;
  if (kind === 'fresh' || kind === 'cached') {
    const t0 = performance.now();
    file = ResponseCache.open(cacheFile);
    model = file.forModel(engine.info);
    cacheMs += performance.now() - t0;
    timed(model, ['getScores', 'putScores', 'getGenerations', 'putGenerations']);
  }
  const run = await evaluate({
    engine,
    roots: registry.expand(tasks),
    data,
    encoding: { bos: 'tokenizer', maxLength: engine.maxLength, legacyEmptyContext: false },
    batchSize,
    cache: model,
  });
  if (file) {
    const t0 = performance.now();
    file.close();
    cacheMs += performance.now() - t0;
  }
  if (run.failed.length > 0) throw new Error(run.failed.map((f) => f.error.message).join('; '));
  const used = process.cpuUsage(cpu);
  process.stdout.write(
    `${JSON.stringify({
      kind,
      evaluateSeconds: (performance.now() - started) / 1000,
      cpuSeconds: (used.user + used.system) / 1e6,
      cacheSeconds: cacheMs / 1000,
      fromCache: model?.counts.fromCache ?? 0,
      requests: model ? model.counts.fromCache + model.counts.computed : undefined,
    })}\n`,
  );
}

await once('warm-up'); // ORT session set-up, task loading, tokenizer caches
for (let r = 0; r < repeats; r++) {
  await once('no-cache');
  await once('fresh');
  await once('cached');
}
await engine.close();
