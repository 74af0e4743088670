// How the scheduler cuts sorted inputs into forward passes: at most `batchSize` rows and at most
// `maxBatchTokens` padded tokens (rows × bucketed longest input) per pass, cut where padding would cost
// more than another pass, long inputs' lengths rounded up to buckets (under 1/32 of padding) so the
// runtime sees a bounded number of distinct shapes.
import { freemem } from 'node:os';

export interface Batching {
  /** a cap on rows per forward pass (--batch-size) */
  batchSize: number;
  /** a cap on padded tokens per forward pass (--max-batch-tokens); a single longer input still runs alone */
  maxBatchTokens?: number;
  /** have inputs with a long common prefix computed once (engines with scoreSharedPrefix); default true */
  prefixSharing?: boolean;
}

export interface PlannedBatch {
  /** indices into the (longest-first) inputs */
  members: number[];
  /** the padded length every row of this pass is given */
  padTo: number;
}

/** Free memory budgeted per padded token: activations and a layer's attention scores of a small model at long context. */
const BYTES_PER_BATCH_TOKEN = 256 * 1024;
const MIN_DEFAULT_TOKENS = 2048;
const MAX_DEFAULT_TOKENS = 16384;

/** The --max-batch-tokens default: free memory / 256 KiB, rounded down to a power of two, within 2048..16384. */
export function defaultMaxBatchTokens(freeBytes: number = freemem()): number {
  const fits = Math.max(1, Math.floor(freeBytes / BYTES_PER_BATCH_TOKEN));
  const pow2 = 2 ** Math.floor(Math.log2(fits));
  return Math.min(MAX_DEFAULT_TOKENS, Math.max(MIN_DEFAULT_TOKENS, pow2));
}

/**
 * What one more forward pass costs, in tokens of compute. Every pass reads all the weights once: on 2
 * cores (smollm-135m shape) a pass of n tokens took about 18 ms + 1.3 ms × n from 8 to 512 tokens, so
 * a pass costs what 14 more tokens do. The ratio is the machine's FLOP/s over its memory bandwidth
 * (both terms grow with the parameter count), so it holds for larger models too.
 */
export const PASS_COST_TOKENS = 16;

/**
 * Cuts items sorted longest first into consecutive groups at the least total cost: a group opening
 * at item i costs PASS_COST_TOKENS + its rows × padTo(i), and takes at most maxRows(i) rows. Filling
 * every group to its row cap would let a batch of 32 out of a few dozen documents of spread lengths
 * be mostly padding; splitting at every length would pay a pass for a few tokens of padding.
 * Returns each group's first index (ascending); n × row cap steps.
 */
export function cheapestCuts(count: number, padTo: (first: number) => number, maxRows: (first: number) => number): number[] {
  const cost = new Float64Array(count + 1); // cost[i]: the cheapest plan of items i..count-1
  const next = new Int32Array(count);
  for (let i = count - 1; i >= 0; i--) {
    const pad = padTo(i);
    const last = Math.min(count, i + Math.max(1, maxRows(i)));
    cost[i] = Infinity;
    // ties go to the larger group (fewer passes)
    for (let j = last; j > i; j--) {
      const c = PASS_COST_TOKENS + (j - i) * pad + cost[j]!;
      if (c < cost[i]!) {
        cost[i] = c;
        next[i] = j;
      }
    }
  }
  const starts: number[] = [];
  for (let i = 0; i < count; i = next[i]!) starts.push(i);
  return starts;
}

/**
 * The padded length of a pass whose longest input has `length` tokens: rounded up to a multiple of the
 * largest power of two that is at most length/32 (exact below 64 tokens, a multiple of 2 up to 127, 4 up
 * to 255, 8 up to 511, ...), so padding stays under 1/32 of the input while longer inputs share 32 shapes
 * per doubling; never past `maxLength` (GPT-2's learned positions end there). onnxruntime's CPU provider
 * plans no work per shape (a new length costs nothing on its first run), so coarser buckets only add
 * padded tokens: multiples of 8 made WinoGrande's 21-token sentences 18 % longer.
 */
export function bucketLength(length: number, maxLength: number = Infinity): number {
  const step = 2 ** Math.max(0, Math.floor(Math.log2(length / 32)));
  return Math.max(length, Math.min(Math.ceil(length / step) * step, maxLength));
}

/**
 * Passes over inputs sorted longest first: each pass pads its rows to its longest input's bucket, holds
 * at most batchSize rows and rows × (padded length + perRowTokens) ≤ maxBatchTokens. For an engine
 * that pads (`padded`), the passes are cut where that costs least (`cheapestCuts`): long runs of similar
 * lengths fill the row cap, a spread of lengths splits where padding would cost more than another
 * pass; otherwise every pass takes all the rows it may. `perRowTokens`: a shared prefix every row
 * attends to (and holds a cache copy of); `lengths` count the tokens each row computes.
 */
export function planBatches(lengths: number[], batching: Batching, maxLength: number = Infinity, perRowTokens = 0, padded = true): PlannedBatch[] {
  const budget = batching.maxBatchTokens ?? Infinity;
  const rowCap = Math.max(1, batching.batchSize);
  const padTo = (i: number): number => bucketLength(lengths[i]!, maxLength);
  const maxRows = (i: number): number => Math.min(rowCap, Math.floor(budget / (padTo(i) + perRowTokens)));
  const starts: number[] = [];
  if (padded) starts.push(...cheapestCuts(lengths.length, padTo, maxRows));
  else for (let i = 0; i < lengths.length; i += Math.max(1, maxRows(i))) starts.push(i);
  return starts.map((start, k) => {
    const end = starts[k + 1] ?? lengths.length;
    return { members: Array.from({ length: end - start }, (_, r) => start + r), padTo: padTo(start) };
  });
}
