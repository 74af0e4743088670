// Sits in front of every engine: answers what it can from the response cache, groups the rest by
// model input (equal inputs share one forward pass, as lm-eval's logits cache does), orders inputs
// longest first (lm-eval's order, so batches are tight), has long shared prefixes computed once where
// the engine can (prefix-groups.ts), batches by rows and padded tokens (batching.ts), writes each
// batch's results to the cache as it returns, and reports progress.
import { planBatches, type Batching } from './batching.js';
import { sharedPrefixClusters } from './prefix-groups.js';
import { throwIfInterrupted } from '../errors.js';
import { generateKey } from './cache/keys.js';
import type { CacheCounts, ModelCache } from './cache/model-cache.js';
import type { Engine, GenerateRequest, GenerateResult, ScoreInput, ScoreRequest, ScoreResult } from './types.js';

export interface Progress {
  done: number;
  total: number;
  tokens: number;
}

export type ProgressFn = (p: Progress) => void;

interface InputGroup {
  input: number[];
  /** distinct continuations scored on this input, and which requests want each */
  continuations: number[][];
  requests: number[][];
  first: number;
}

/** Puts the cache's answers into `results`, counts them, and returns the indices left to compute. */
function takeHits<R>(results: R[], hits: Array<R | undefined> | undefined, counts: CacheCounts | undefined): number[] {
  if (!hits || !counts) return Array.from({ length: results.length }, (_, i) => i);
  const misses: number[] = [];
  hits.forEach((hit, i) => {
    if (hit === undefined) misses.push(i);
    else results[i] = hit;
  });
  counts.fromCache += hits.length - misses.length;
  counts.computed += misses.length;
  return misses;
}

/** Scores every request. `batching`: a row cap (--batch-size), or rows and a padded-token budget
 *  (--max-batch-tokens). With a cache, only the requests it lacks reach the engine, and each batch's
 *  results are stored as soon as it returns (a killed run loses only batches in flight). `signal`
 *  (aborted with reason 'SIGINT' or 'SIGTERM') stops the run between batches: the batch in flight
 *  finishes, no new one starts, and RunInterrupted is thrown. */
export async function scoreAll(engine: Engine, requests: ScoreRequest[], batching: number | Batching, onProgress?: ProgressFn, cache?: ModelCache, signal?: AbortSignal): Promise<ScoreResult[]> {
  const plan = typeof batching === 'number' ? { batchSize: batching } : batching;
  const results = new Array<ScoreResult>(requests.length);
  const todo = takeHits(results, cache?.getScores(requests), cache?.counts);
  if (cache && todo.length === 0) return results;
  const groups = new Map<string, InputGroup>();
  todo.forEach((i) => {
    const r = requests[i]!;
    const key = r.input.join(',');
    let g = groups.get(key);
    if (!g) {
      g = { input: r.input, continuations: [], requests: [], first: i };
      groups.set(key, g);
    }
    const contKey = r.continuation.join(',');
    const j = g.continuations.findIndex((c) => c.join(',') === contKey);
    if (j === -1) {
      g.continuations.push(r.continuation);
      g.requests.push([i]);
    } else g.requests[j]!.push(i);
  });
  const order = [...groups.values()].sort((a, b) => b.input.length - a.input.length || a.first - b.first);
  let done = 0;
  /** tokens computed: a shared prefix counts once */
  let tokens = 0;
  let lastPrefix: number[] | undefined;
  // a start event, so rates and ETAs count the first batch's time
  onProgress?.({ done, total: todo.length, tokens });
  const passes = planPasses(engine, order, plan);
  await inFlight(passes, engine.concurrency ?? 1, async ({ groups: batch, padTo, prefix }) => {
    throwIfInterrupted(signal);
    const inputs = batch.map((g): ScoreInput => ({ input: g.input, continuations: g.continuations }));
    const out =
      prefix && engine.scoreSharedPrefix ? await engine.scoreSharedPrefix(prefix, inputs, { padTo }) : await engine.scoreBatch(inputs, { padTo });
    batch.forEach((g, b) => g.requests.forEach((ids, j) => ids.forEach((i) => (results[i] = out[b]![j]!))));
    cache?.putScores(batch.flatMap((g, b) => g.continuations.map((continuation, j) => ({ request: { input: g.input, continuation }, result: out[b]![j]! }))));
    done += batch.reduce((a, g) => a + g.requests.reduce((n, ids) => n + ids.length, 0), 0);
    tokens += batch.reduce((a, g) => a + g.input.length - (prefix ? prefix.length : 0), 0) + (prefix && prefix !== lastPrefix ? prefix.length : 0);
    lastPrefix = prefix;
    onProgress?.({ done, total: todo.length, tokens });
  });
  return results;
}

interface Pass {
  groups: InputGroup[];
  padTo: number;
  /** the tokens every input of the pass starts with, computed once (engine.scoreSharedPrefix) */
  prefix?: number[];
}

/** Passes over the longest-first groups: clusters sharing a prefix first (each prefix computed once,
 *  its passes back to back so the engine's cache serves them), then the rest. */
function planPasses(engine: Engine, order: InputGroup[], plan: Batching): Pass[] {
  const padded = engine.padsBatches === true;
  const plainPasses = (groups: InputGroup[]): Pass[] =>
    planBatches(groups.map((g) => g.input.length), plan, engine.maxLength, 0, padded).map(({ members, padTo }) => ({ groups: members.map((i) => groups[i]!), padTo }));
  if (plan.prefixSharing === false || !engine.scoreSharedPrefix) return plainPasses(order);
  const firstScored = order.map((g) => Math.min(g.input.length - 1, g.input.length - Math.max(...g.continuations.map((c) => c.length))));
  const { clusters, alone } = sharedPrefixClusters(order.map((g) => g.input), firstScored);
  const passes: Pass[] = [];
  for (const { prefixLength, members } of clusters) {
    // longest rest first, as everywhere
    const groups = members.map((i) => order[i]!).sort((a, b) => b.input.length - a.input.length);
    const prefix = groups[0]!.input.slice(0, prefixLength);
    const rests = groups.map((g) => g.input.length - prefixLength);
    for (const { members: rows, padTo } of planBatches(rests, plan, engine.maxLength - prefixLength, prefixLength, padded)) {
      passes.push({ groups: rows.map((i) => groups[i]!), padTo, prefix });
    }
  }
  return [...passes, ...plainPasses(alone.map((i) => order[i]!))];
}

/** Generates for every request; the cache works as in scoreAll. */
export async function generateAll(engine: Engine, requests: GenerateRequest[], batchSize: number, onProgress?: ProgressFn, cache?: ModelCache, signal?: AbortSignal): Promise<GenerateResult[]> {
  const results = new Array<GenerateResult>(requests.length);
  const samples = cache ? sampleNumbers(requests) : [];
  const order = takeHits(results, cache?.getGenerations(requests, samples), cache?.counts);
  if (cache && order.length === 0) return results;
  order.sort((a, b) => requests[b]!.input.length - requests[a]!.input.length || a - b);
  let done = 0;
  let tokens = 0;
  onProgress?.({ done, total: order.length, tokens });
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += batchSize) batches.push(order.slice(start, start + batchSize));
  await inFlight(batches, engine.concurrency ?? 1, async (idx) => {
    throwIfInterrupted(signal);
    const out = await engine.generateBatch(idx.map((i) => requests[i]!));
    idx.forEach((i, k) => (results[i] = out[k]!));
    cache?.putGenerations(idx.map((i, k) => ({ request: requests[i]!, result: out[k]!, sample: samples[i] })));
    done += idx.length;
    tokens += out.reduce((a, r) => a + r.tokens.length, 0);
    onProgress?.({ done, total: order.length, tokens });
  });
  return results;
}

/** For each request, how many equal sampling requests come before it: repeated samples are distinct
 *  answers, so the cache files them apart (greedy requests are always 0). */
function sampleNumbers(requests: GenerateRequest[]): number[] {
  const seen = new Map<string, number>();
  return requests.map((r) => {
    if (!r.sampling?.doSample) return 0;
    const key = generateKey(r).toString('hex');
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return n;
  });
}

/** Runs `work` over `items` with at most `limit` calls pending; the first failure stops new calls
 *  and is rethrown once the pending ones settle. */
export async function inFlight<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failure) throw failure.error;
}
