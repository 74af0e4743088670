// lm-eval's bootstrap: `iters // chunk` chunks of `chunk = min(1000, iters)` resamples, chunk i drawn
// with CPython `Random(i).choices(items, k=n)`, replicate values kept in chunk order. F1/MCC resamples
// only need confusion counts and perplexity resamples only the draw-order sum, so those run in the
// WebAssembly kernel (optionally on worker threads); any other aggregation resamples item by item.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { f1FromCounts, getAggregation, mccFromSums, presentLabels, type LabelPair, type MetricItem } from './aggregations.js';
import { BootstrapKernel, kernelLayout, kernelModule } from './bootstrap-kernel.js';
import { glibcExp } from './libm.js';
import { MT_N, PyRandom, seedMtState } from './pyrandom.js';
import { DEFAULT_PYTHON_VERSION, pySum, type PythonVersion } from './pysum.js';

export interface BootstrapOptions {
  python?: PythonVersion;
  /** Worker threads for the async variant (default: available cores); 1 runs in this thread. */
  workers?: number;
  /**
   * 'fast' (default): count/sum kernels where the aggregation allows. 'reference': lm-eval's loop as
   * written, `rng.choices(items, k=n)` then the aggregation on the resample (slow; for checks).
   */
  method?: 'fast' | 'reference';
}

/** Chunk size and count exactly as lm-eval's `bootstrap_stderr` (iters ≥ 1). */
export function bootstrapChunks(iters: number): { chunkSize: number; chunks: number } {
  if (!Number.isInteger(iters) || iters < 1) throw new RangeError(`bootstrap needs a positive integer number of iterations, got ${iters}`);
  const chunkSize = Math.min(1000, iters);
  return { chunkSize, chunks: Math.floor(iters / chunkSize) };
}

/** How one replicate is computed: from category counts, from the draw-order sum, or from the resample. */
type Plan =
  | { kind: 'categories'; categories: Uint8Array; categoryCount: number; replicate: (counts: Int32Array) => number }
  | { kind: 'values'; values: Float64Array; replicate: (sum: number) => number }
  | { kind: 'items'; replicate: (resample: MetricItem[]) => number };

/** Distinct (gold, pred) pairs as categories: a resample is then fully described by its counts. */
function pairCategories(items: readonly LabelPair[]): { categories: Uint8Array; pairs: LabelPair[] } | undefined {
  const index = new Map<string, number>();
  const pairs: LabelPair[] = [];
  const categories = new Uint8Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const [gold, pred] = items[i]!;
    const key = `${gold},${pred}`;
    let c = index.get(key);
    if (c === undefined) {
      if (pairs.length === 256) return undefined;
      c = pairs.length;
      index.set(key, c);
      pairs.push([gold, pred]);
    }
    categories[i] = c;
  }
  return { categories, pairs };
}

const MAX_KERNEL_ITEMS = 1 << 26; // keeps the kernel's byte arithmetic within 32 bits

function planFor(aggregation: string, items: readonly MetricItem[], python: PythonVersion, method: 'fast' | 'reference'): Plan {
  const n = items.length;
  if (method === 'reference') {
    const fn = getAggregation(aggregation);
    return { kind: 'items', replicate: (resample) => fn(resample, { python }) };
  }
  if (n <= MAX_KERNEL_ITEMS && (aggregation === 'f1' || aggregation === 'matthews_corrcoef')) {
    const grouped = pairCategories(items as readonly LabelPair[]);
    if (grouped) {
      const { categories, pairs } = grouped;
      if (aggregation === 'f1') {
        return {
          kind: 'categories',
          categories,
          categoryCount: pairs.length,
          replicate: (counts) => {
            let tp = 0;
            let fp = 0;
            let fn = 0;
            for (let c = 0; c < pairs.length; c++) {
              const [gold, pred] = pairs[c]!;
              if (pred === 1) {
                if (gold === 1) tp += counts[c]!;
                else fp += counts[c]!;
              } else if (gold === 1) fn += counts[c]!;
            }
            return f1FromCounts({ tp, fp, fn });
          },
        };
      }
      const labels = presentLabels(pairs);
      const labelIndex = new Map(labels.map((l, i) => [l, i]));
      const goldIndex = pairs.map(([g]) => labelIndex.get(g)!);
      const predIndex = pairs.map(([, p]) => labelIndex.get(p)!);
      const trueSums = new Array<number>(labels.length);
      const predSums = new Array<number>(labels.length);
      return {
        kind: 'categories',
        categories,
        categoryCount: pairs.length,
        replicate: (counts) => {
          trueSums.fill(0);
          predSums.fill(0);
          let correct = 0;
          for (let c = 0; c < pairs.length; c++) {
            const k = counts[c]!;
            trueSums[goldIndex[c]!] += k;
            predSums[predIndex[c]!] += k;
            if (goldIndex[c] === predIndex[c]) correct += k;
          }
          return mccFromSums(trueSums, predSums, correct);
        },
      };
    }
  }
  if (n <= MAX_KERNEL_ITEMS && aggregation === 'perplexity') {
    // exp(-mean(resample)), the mean being Python `sum(resample) / len(resample)`
    return { kind: 'values', values: Float64Array.from(items as readonly number[]), replicate: (sum) => glibcExp(-(sum / n)) };
  }
  const fn = getAggregation(aggregation);
  return { kind: 'items', replicate: (resample) => fn(resample, { python }) };
}

/** Replicates of chunks [first, first + count) in this thread. */
function runChunks(plan: Plan, items: readonly MetricItem[], first: number, count: number, chunkSize: number, python: PythonVersion): Float64Array {
  const out = new Float64Array(count * chunkSize);
  const n = items.length;
  const kernel = plan.kind === 'items' ? undefined : BootstrapKernel.create();
  if (kernel && plan.kind === 'categories') kernel.loadCategories(plan.categories, plan.categoryCount);
  if (kernel && plan.kind === 'values') kernel.loadValues(plan.values);
  const counts = new Int32Array(plan.kind === 'categories' ? plan.categoryCount : 0);
  let o = 0;
  for (let chunk = first; chunk < first + count; chunk++) {
    if (kernel) kernel.seed(chunk);
    const rng = kernel ? undefined : new PyRandom(chunk);
    for (let r = 0; r < chunkSize; r++) {
      if (plan.kind === 'categories') {
        if (kernel) kernel.countCategories(counts);
        else {
          counts.fill(0);
          for (let d = 0; d < n; d++) counts[plan.categories[Math.floor(rng!.random() * n)]!]!++;
        }
        out[o++] = plan.replicate(counts);
      } else if (plan.kind === 'values') {
        let sum: number;
        if (kernel) sum = kernel.sumDraws(python === '3.12');
        else {
          const drawn = new Float64Array(n);
          for (let d = 0; d < n; d++) drawn[d] = plan.values[Math.floor(rng!.random() * n)]!;
          sum = pySum(drawn, python);
        }
        out[o++] = plan.replicate(sum);
      } else {
        out[o++] = plan.replicate(rng!.choices(items, n));
      }
    }
  }
  return out;
}

/**
 * The replicate values of lm-eval's bootstrap for an aggregation over `items`, in chunk order
 * (length `chunks × chunkSize`). Synchronous, single thread.
 */
export function bootstrapReplicates(aggregation: string, items: readonly MetricItem[], iters: number, options: BootstrapOptions = {}): Float64Array {
  const python = options.python ?? DEFAULT_PYTHON_VERSION;
  const { chunkSize, chunks } = bootstrapChunks(iters);
  return runChunks(planFor(aggregation, items, python, options.method ?? 'fast'), items, 0, chunks, chunkSize, python);
}

// The worker is plain JavaScript evaluated from a string, so it runs the same whether this module was
// loaded from compiled output or from TypeScript sources (tests); it only drives the kernel.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, layout, kind, data, categoryCount, states, chunkSize, neumaier } = workerData;
const x = new WebAssembly.Instance(module, {}).exports;
const n = data.length;
const bytes = layout.data + (kind === 'categories' ? n : n * 8);
const have = x.memory.buffer.byteLength;
if (bytes > have) x.memory.grow(Math.ceil((bytes - have) / 65536));
if (kind === 'categories') new Uint8Array(x.memory.buffer, layout.data, n).set(data);
else new Float64Array(x.memory.buffer, layout.data, n).set(data);
const chunks = states.length / layout.stateWords;
const scale = n / 9007199254740992;
const out = kind === 'categories' ? new Int32Array(chunks * chunkSize * categoryCount) : new Float64Array(chunks * chunkSize);
const counts = new Int32Array(x.memory.buffer, layout.counts, Math.max(categoryCount, 1));
let o = 0;
for (let c = 0; c < chunks; c++) {
  new Uint32Array(x.memory.buffer, layout.state, layout.stateWords).set(states.subarray(c * layout.stateWords, (c + 1) * layout.stateWords));
  x.twist();
  for (let r = 0; r < chunkSize; r++) {
    if (kind === 'categories') {
      counts.fill(0);
      if (categoryCount <= 4) x.countPacked(n, layout.data, scale, layout.counts);
      else x.countMemory(n, layout.data, scale, layout.counts);
      out.set(counts.subarray(0, categoryCount), o);
      o += categoryCount;
    } else {
      out[o++] = neumaier ? x.sumNeumaier(n, layout.data, scale, 0) : x.sumNaive(n, layout.data, scale, 0);
    }
  }
}
parentPort.postMessage(out, [out.buffer]);
`;

/** Worthwhile only when the work dwarfs starting a thread (~tens of ms). */
const MIN_PARALLEL_DRAWS = 20_000_000;

/**
 * Same values as `bootstrapReplicates`, with the F1/MCC/perplexity kernels spread over worker threads
 * (contiguous chunk ranges, results concatenated in chunk order, so the output is identical).
 */
export async function bootstrapReplicatesAsync(aggregation: string, items: readonly MetricItem[], iters: number, options: BootstrapOptions = {}): Promise<Float64Array> {
  const python = options.python ?? DEFAULT_PYTHON_VERSION;
  const { chunkSize, chunks } = bootstrapChunks(iters);
  const plan = planFor(aggregation, items, python, options.method ?? 'fast');
  const module = kernelModule();
  const workers = Math.min(options.workers ?? availableParallelism(), chunks);
  if (plan.kind === 'items' || !module || workers <= 1 || items.length * chunkSize * chunks < MIN_PARALLEL_DRAWS) {
    return runChunks(plan, items, 0, chunks, chunkSize, python);
  }
  const layout = kernelLayout();
  const ranges: Array<[number, number]> = [];
  for (let w = 0; w < workers; w++) {
    const first = Math.floor((w * chunks) / workers);
    const end = Math.floor(((w + 1) * chunks) / workers);
    if (end > first) ranges.push([first, end]);
  }
  const parts = await Promise.all(
    ranges.map(([first, end]) => {
      const states = new Uint32Array((end - first) * MT_N);
      for (let c = first; c < end; c++) seedMtState(states.subarray((c - first) * MT_N, (c - first + 1) * MT_N), c);
      return runWorker({
        module,
        layout,
        kind: plan.kind,
        data: plan.kind === 'categories' ? plan.categories : plan.values,
        categoryCount: plan.kind === 'categories' ? plan.categoryCount : 0,
        states,
        chunkSize,
        neumaier: python === '3.12',
      });
    }),
  );
  const out = new Float64Array(chunks * chunkSize);
  let o = 0;
  for (const part of parts) {
    if (plan.kind === 'categories') {
      const k = plan.categoryCount;
      const counts = part as Int32Array;
      for (let r = 0; r < counts.length / k; r++) out[o++] = plan.replicate(counts.subarray(r * k, (r + 1) * k));
    } else if (plan.kind === 'values') {
      for (const sum of part as Float64Array) out[o++] = plan.replicate(sum);
    }
  }
  return out;
}

function runWorker(workerData: Record<string, unknown>): Promise<Int32Array | Float64Array> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
    worker.once('message', (result: Int32Array | Float64Array) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`bootstrap worker exited with code ${code}`));
    });
  });
}
