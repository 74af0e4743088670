// How the scheduler cuts sorted inputs into forward passes: at most `batchSize` rows and at most
// `maxBatchTokens` padded tokens (rows × bucketed longest input) per pass, no more than a quarter of a
// pass's tokens padding once it is past a few dozen tokens, long inputs' lengths rounded up to buckets
// (under 1/32 of padding) so the runtime sees a bounded number of distinct shapes.
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

/** A pass's padded tokens may be this many times its real ones... */
export const MAX_PADDING_RATIO = 1.25;
/**
 * ...unless it pads to at most this many. Every pass reads all the weights: on 2 cores (smollm-135m
 * shape) a token of an 8-token pass cost 2.8 times one of a 512-token pass, of a 16-token pass 1.8
 * times, of a 64-token pass 1.1-1.4 times, so small passes are better filled with padding than split.
 */
export const SMALL_PASS_TOKENS = 64;

/** Whether a pass of `rows` inputs padded to `padTo` tokens, `realTokens` of them real, wastes little enough. */
export function paddingFits(rows: number, padTo: number, realTokens: number): boolean {
  const padded = rows * padTo;
  return padded <= SMALL_PASS_TOKENS || padded <= MAX_PADDING_RATIO * realTokens;
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
 * Greedy plan over inputs sorted longest first: each pass opens with its longest input and takes
 * the following ones while rows ≤ batchSize, rows × (padded length + perRowTokens) ≤ maxBatchTokens
 * and the padding fits (`paddingFits`: a batch of 32 out of a few dozen documents of spread lengths
 * would otherwise be mostly padding). `perRowTokens`: a shared prefix every row attends to (and holds a
 * cache copy of); `lengths` and the padding count the tokens each row computes.
 */
export function planBatches(lengths: number[], batching: Batching, maxLength: number = Infinity, perRowTokens = 0): PlannedBatch[] {
  const budget = batching.maxBatchTokens ?? Infinity;
  const rowCap = Math.max(1, batching.batchSize);
  const batches: PlannedBatch[] = [];
  let i = 0;
  while (i < lengths.length) {
    const padTo = bucketLength(lengths[i]!, maxLength);
    const rows = Math.max(1, Math.min(rowCap, Math.floor(budget / (padTo + perRowTokens))));
    const members: number[] = [i];
    let real = lengths[i++]!;
    for (; members.length < rows && i < lengths.length && paddingFits(members.length + 1, padTo, real + lengths[i]!); i++) {
      members.push(i);
      real += lengths[i]!;
    }
    batches.push({ members, padTo });
  }
  return batches;
}
