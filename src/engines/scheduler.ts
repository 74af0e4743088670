// Sits in front of every engine: de-duplicates identical requests, orders them longest first
// (lm-eval's order, so batches are tight), batches them and reports progress.
import type { Engine, GenerateRequest, GenerateResult, ScoreRequest, ScoreResult } from './types.js';

export interface Progress {
  done: number;
  total: number;
  tokens: number;
}

export type ProgressFn = (p: Progress) => void;

export async function scoreAll(engine: Engine, requests: ScoreRequest[], batchSize: number, onProgress?: ProgressFn): Promise<ScoreResult[]> {
  const unique = new Map<string, number>();
  const uniqueRequests: ScoreRequest[] = [];
  const slot = requests.map((r) => {
    const key = `${r.input.join(',')}|${r.continuation.join(',')}`;
    let i = unique.get(key);
    if (i === undefined) {
      i = uniqueRequests.length;
      unique.set(key, i);
      uniqueRequests.push(r);
    }
    return i;
  });
  const order = uniqueRequests.map((_, i) => i);
  const keyOf = (r: ScoreRequest): number => r.input.length + 1;
  order.sort((a, b) => keyOf(uniqueRequests[b]!) - keyOf(uniqueRequests[a]!) || a - b);
  const results = new Array<ScoreResult>(uniqueRequests.length);
  let done = 0;
  let tokens = 0;
  for (let start = 0; start < order.length; start += batchSize) {
    const idx = order.slice(start, start + batchSize);
    const batch = idx.map((i) => uniqueRequests[i]!);
    const out = await engine.scoreBatch(batch);
    idx.forEach((i, k) => (results[i] = out[k]!));
    done += batch.length;
    tokens += batch.reduce((a, r) => a + r.input.length, 0);
    onProgress?.({ done, total: order.length, tokens });
  }
  return slot.map((i) => results[i]!);
}

export async function generateAll(engine: Engine, requests: GenerateRequest[], batchSize: number, onProgress?: ProgressFn): Promise<GenerateResult[]> {
  const order = requests.map((_, i) => i);
  order.sort((a, b) => requests[b]!.input.length - requests[a]!.input.length || a - b);
  const results = new Array<GenerateResult>(requests.length);
  let done = 0;
  let tokens = 0;
  for (let start = 0; start < order.length; start += batchSize) {
    const idx = order.slice(start, start + batchSize);
    const out = await engine.generateBatch(idx.map((i) => requests[i]!));
    idx.forEach((i, k) => (results[i] = out[k]!));
    done += idx.length;
    tokens += out.reduce((a, r) => a + r.tokens.length, 0);
    onProgress?.({ done, total: requests.length, tokens });
  }
  return results;
}
