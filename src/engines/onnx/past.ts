// The KV-cache inputs of a with-past graph (ours, or an optimum / transformers.js export with
// `past_key_values.*` inputs and possibly `use_cache_branch`), and fp16 logits read as float32.
import * as ort from 'onnxruntime-node';
import { YardstickError } from '../../errors.js';
import { toFloat32 } from '../../models/hf/safetensors-reader.js';
import type { ModelConfig } from '../model-folder.js';
import { SCORE_POSITIONS } from '../../models/onnx/decoder-common.js';

const PAST_PREFIX = 'past_key_values.';

export function hasPastInputs(session: ort.InferenceSession): boolean {
  return session.inputNames.some((n) => n.startsWith(PAST_PREFIX));
}

/** [kv heads, head dim] of the cache: the graph's declared shape, else config.json's. */
export function cacheShape(meta: ort.InferenceSession.ValueMetadata | undefined, config: ModelConfig): [number, number] {
  const heads = Number(config.num_key_value_heads ?? config.num_attention_heads);
  const headDim = Number(config.head_dim ?? Number(config.hidden_size) / Number(config.num_attention_heads));
  if (meta?.isTensor && meta.shape.length === 4) {
    const [, h, , d] = meta.shape;
    return [typeof h === 'number' ? h : heads, typeof d === 'number' ? d : headDim];
  }
  return [heads, headDim];
}

/** The cache element type the graph wants (float16 for fp16 exports). */
function cacheType(meta: ort.InferenceSession.ValueMetadata | undefined): 'float32' | 'float16' {
  return meta?.isTensor && meta.type === 'float16' ? 'float16' : 'float32';
}

/** Zero-length past tensors for every past input, plus use_cache_branch=false when the graph has it. */
export function emptyPastFeeds(session: ort.InferenceSession, config: ModelConfig, batch: number): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  const metadata = new Map(session.inputMetadata.map((m) => [m.name, m]));
  for (const name of session.inputNames) {
    if (!name.startsWith(PAST_PREFIX)) continue;
    const meta = metadata.get(name);
    const [heads, headDim] = cacheShape(meta, config);
    const type = cacheType(meta);
    feeds[name] = new ort.Tensor(type, type === 'float16' ? new Uint16Array(0) : new Float32Array(0), [batch, heads, 0, headDim]);
  }
  Object.assign(feeds, useCacheBranch(session, false));
  return feeds;
}

/** Merged optimum decoders choose the no-past or with-past subgraph by this flag. */
export function useCacheBranch(session: ort.InferenceSession, value: boolean): Record<string, ort.Tensor> {
  return session.inputNames.includes('use_cache_branch') ? { use_cache_branch: new ort.Tensor('bool', [value], [1]) } : {};
}

/** A logits tensor's values as float32 (fp16 exports return float16). */
export function logitsAsFloat32(t: ort.Tensor): Float32Array {
  if (t.type === 'float32') return t.data as Float32Array;
  if (t.type === 'float16') {
    const halves = t.data as Uint16Array;
    return toFloat32(new Uint8Array(halves.buffer, halves.byteOffset, halves.byteLength), 'F16');
  }
  throw new YardstickError('model', `the ONNX model returns logits of type ${t.type}`, { hint: 'use an fp32 (or fp16) export' });
}

/** Whether the graph runs the LM head only on `score_positions` (ours since converter version 3). */
export function takesScorePositions(session: ort.InferenceSession): boolean {
  return session.inputNames.includes(SCORE_POSITIONS);
}

/** The score_positions feed (flat indices b*T + t) for a graph that takes it; none for one that does not. */
export function scorePositionsFeed(session: ort.InferenceSession, rows: number[]): Record<string, ort.Tensor> {
  return takesScorePositions(session) ? { [SCORE_POSITIONS]: int64(rows, [rows.length]) } : {};
}

export function int64(values: number[], dims: number[]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(values, BigInt), dims);
}
