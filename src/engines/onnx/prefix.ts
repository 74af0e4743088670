// Scoring inputs that share a token prefix on the with-past graph: the prefix runs once (batch 1),
// its KV cache is repeated for every row, and each row runs only its own rest, attending to it.
import * as ort from 'onnxruntime-node';
import { YardstickError } from '../../errors.js';
import type { ModelConfig } from '../model-folder.js';
import type { ScoreInput, ScoreResult } from '../types.js';
import { emptyPastFeeds, hasPastInputs, int64, logitsAsFloat32, scorePositionsFeed, takesScorePositions, useCacheBranch } from './past.js';
import { scoreContinuations } from './rows.js';

const PAST_PREFIX = 'past_key_values.';

/** A prefix's cache: batch-1 present.* tensors under their past_key_values.* names. */
export interface PrefixPast {
  key: string;
  length: number;
  past: Record<string, ort.Tensor>;
}

export async function computePrefixPast(session: ort.InferenceSession, config: ModelConfig, prefix: number[]): Promise<PrefixPast> {
  if (!hasPastInputs(session)) {
    throw new YardstickError('model', 'this ONNX model has no past_key_values inputs, which prefix sharing needs', {
      hint: 'run with --no-prefix-sharing, or convert the safetensors with the hf engine',
    });
  }
  const P = prefix.length;
  const feeds: Record<string, ort.Tensor> = {
    ...emptyPastFeeds(session, config, 1),
    input_ids: int64(prefix, [1, P]),
    attention_mask: int64(prefix.map(() => 1), [1, P]),
  };
  if (session.inputNames.includes('position_ids')) feeds.position_ids = int64(prefix.map((_, i) => i), [1, P]);
  // no prefix position is scored; one row keeps the LM head's shapes non-empty
  Object.assign(feeds, scorePositionsFeed(session, [P - 1]));
  // with an empty past, a graph's new.* (this call's keys and values) are its whole cache, as present.* are
  const cacheOutput = (input: string): string => input.replace(PAST_PREFIX, session.outputNames.includes('new.0.key') ? 'new.' : 'present.');
  const pastNames = session.inputNames.filter((n) => n.startsWith(PAST_PREFIX));
  const out = await session.run(feeds, pastNames.map(cacheOutput));
  const past: Record<string, ort.Tensor> = {};
  for (const name of pastNames) past[name] = out[cacheOutput(name)]!;
  return { key: prefix.join(','), length: P, past };
}

/** The batch-1 cache repeated for `rows` rows ([1, kv, P, hd] -> [rows, kv, P, hd]). */
function repeatPast(prefix: PrefixPast, rows: number): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(prefix.past)) {
    const one = t.data as Float32Array | Uint16Array;
    const many = t.type === 'float16' ? new Uint16Array(one.length * rows) : new Float32Array(one.length * rows);
    for (let r = 0; r < rows; r++) many.set(one, r * one.length);
    out[name] = new ort.Tensor(t.type as 'float32' | 'float16', many, [rows, ...t.dims.slice(1)]);
  }
  return out;
}

/**
 * Scores inputs that all start with the cached prefix and score only positions after it. Rows are
 * right-padded to `padTo` (at least the longest rest); position ids continue from the prefix.
 */
export async function scoreAfterPrefix(
  session: ort.InferenceSession,
  prefix: PrefixPast,
  batch: ScoreInput[],
  padId: number,
  padTo: number,
): Promise<ScoreResult[][]> {
  const P = prefix.length;
  const B = batch.length;
  const T = Math.max(padTo, ...batch.map((r) => r.input.length - P));
  const ids: number[] = [];
  const mask: number[] = [];
  const positions: number[] = [];
  for (const r of batch) {
    const rest = r.input.length - P;
    for (let i = 0; i < P; i++) mask.push(1);
    for (let i = 0; i < T; i++) {
      ids.push(i < rest ? r.input[P + i]! : padId);
      mask.push(i < rest ? 1 : 0);
      positions.push(P + i);
    }
  }
  const feeds: Record<string, ort.Tensor> = {
    ...repeatPast(prefix, B),
    ...useCacheBranch(session, true),
    input_ids: int64(ids, [B, T]),
    attention_mask: int64(mask, [B, P + T]),
  };
  if (session.inputNames.includes('position_ids')) feeds.position_ids = int64(positions, [B, T]);
  // the LM head runs on the scored positions only where the graph allows (row firstRow[b] + i - first[b])
  const scoredOnly = takesScorePositions(session);
  const rows: number[] = [];
  const first: number[] = [];
  const firstRow: number[] = [];
  batch.forEach((r, b) => {
    const firstScored = r.input.length - Math.max(...r.continuations.map((c) => c.length));
    if (firstScored < P) throw new YardstickError('engine', `a scored position (${firstScored}) lies inside the shared prefix (${P} tokens)`);
    first.push(firstScored);
    firstRow.push(scoredOnly ? rows.length : b * T + firstScored - P);
    for (let i = firstScored; i < r.input.length; i++) rows.push(b * T + i - P);
  });
  Object.assign(feeds, scorePositionsFeed(session, rows));
  const out = await session.run(feeds, ['logits']);
  const logits = out.logits!;
  const data = logitsAsFloat32(logits);
  const V = logits.dims[logits.dims.length - 1]!;
  return batch.map((r, b) => scoreContinuations(data, V, r, (i) => firstRow[b]! + i - first[b]!));
}
