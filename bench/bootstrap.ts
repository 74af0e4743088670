// Times lm-eval's F1 bootstrap stderr on a QQP-sized item list (40430 (gold, pred) pairs, 100000
// resamples): the WebAssembly kernel on worker threads and on one thread, against the literal
// resample-then-aggregate loop (timed on a few chunks and scaled, since it takes minutes).
// Run: npx tsc -p bench/tsconfig.json && node dist/bench/bench/bootstrap.js [--reference-chunks N] [--skip-sync]
import { availableParallelism } from 'node:os';
import type { LabelPair } from '../src/metrics/aggregations.js';
import { bootstrapReplicates, bootstrapReplicatesAsync } from '../src/metrics/bootstrap.js';
import { sampleStddev } from '../src/metrics/stderr.js';

const QQP_ITEMS = 40430;
const ITERS = 100000;
const CHUNK = 1000;

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Deterministic QQP-like pairs: about 37% duplicates, a classifier that is right ~70% of the time. */
function qqpLikeItems(n: number): LabelPair[] {
  return Array.from({ length: n }, (_, i) => {
    const x = (i * 2654435761) % 4294967296;
    const gold = x % 100 < 37 ? 1 : 0;
    const pred = (x >>> 8) % 100 < 70 ? gold : 1 - gold;
    return [gold, pred];
  });
}

async function time<T>(f: () => T | Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await f();
  return [value, (performance.now() - start) / 1000];
}

const items = qqpLikeItems(QQP_ITEMS);
const referenceChunks = argValue('--reference-chunks', 2);
console.log(`F1 bootstrap, ${QQP_ITEMS} items, ${ITERS} resamples (${ITERS / CHUNK} chunks), ${availableParallelism()} cores, Node ${process.version}`);

const [parallel, parallelSeconds] = await time(() => bootstrapReplicatesAsync('f1', items, ITERS));
console.log(`kernel, worker threads : ${parallelSeconds.toFixed(1)} s  stderr ${sampleStddev(parallel)}`);

if (!process.argv.includes('--skip-sync')) {
  const [single, singleSeconds] = await time(() => bootstrapReplicates('f1', items, ITERS));
  const same = single.every((v, i) => v === parallel[i]);
  console.log(`kernel, one thread     : ${singleSeconds.toFixed(1)} s  (replicates identical: ${same})`);
}

const [reference, referenceSeconds] = await time(() => bootstrapReplicates('f1', items, referenceChunks * CHUNK, { method: 'reference' }));
const agrees = reference.every((v, i) => v === parallel[i]);
const projected = (referenceSeconds * ITERS) / (referenceChunks * CHUNK);
console.log(`reference loop         : ${referenceSeconds.toFixed(1)} s for ${referenceChunks} chunks → ${projected.toFixed(0)} s projected for ${ITERS / CHUNK} (first chunks identical: ${agrees})`);
console.log(`speed-up (worker threads vs reference): ${(projected / parallelSeconds).toFixed(0)}×`);
