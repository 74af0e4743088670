// Greedy decoding with a KV cache on the with-past ONNX graph: left-padded batch, one new token
// per step, lm-eval's stop rule (a stop string within the last len(stop tokens)+2 tokens, or EOS).
// A finished row leaves the batch, so the rest step without it; the LM head runs on each row's last
// position only (graphs with score_positions).
import * as ort from 'onnxruntime-node';
import type { ModelConfig } from '../model-folder.js';
import type { EngineTokenizer } from '../types.js';
import type { GenerateRequest, GenerateResult } from '../types.js';
import { argmaxRow } from '../logsoftmax.js';
import { YardstickError } from '../../errors.js';
import { emptyPastFeeds, hasPastInputs, int64, logitsAsFloat32, scorePositionsFeed, takesScorePositions, useCacheBranch } from './past.js';

export async function greedyGenerate(
  session: ort.InferenceSession,
  config: ModelConfig,
  tokenizer: EngineTokenizer,
  batch: GenerateRequest[],
): Promise<GenerateResult[]> {
  if (!hasPastInputs(session)) {
    throw new YardstickError('model', 'this ONNX model has no past_key_values inputs, which generation needs', {
      hint: 'export it with a KV cache (optimum: --task text-generation-with-past), or convert its safetensors with the hf engine',
    });
  }
  const pad = tokenizer.padTokenId;
  const eos = tokenizer.eosTokenId;
  const generated: number[][] = batch.map(() => []);
  // the rows still generating, by request index; a finished row leaves the batch (and its cache)
  let active = batch.flatMap((r, i) => (r.maxNewTokens > 0 ? [i] : []));
  if (active.length === 0) return generated.map((tokens) => ({ tokens }));
  const P = Math.max(...active.map((i) => batch[i]!.input.length));
  const stopTokenCounts = batch.map((r) => r.until.map((s) => tokenizer.encode(s, false).length + 2));

  // left padding: each prompt ends at column P-1
  let mask: number[][] = active.map((i) => {
    const r = batch[i]!;
    return [...new Array<number>(P - r.input.length).fill(0), ...r.input.map(() => 1)];
  });
  let stepIds: number[][] = active.map((i) => {
    const r = batch[i]!;
    return [...new Array<number>(P - r.input.length).fill(pad), ...r.input];
  });
  let stepPositions: number[][] = mask.map((row) => {
    let c = 0;
    return row.map((m) => (m === 1 ? c++ : 1));
  });
  const promptLength = batch.map((r) => r.input.length);

  // the first step sees an empty cache; later steps feed back each present.* as past_key_values.*
  let past: Record<string, ort.Tensor> = emptyPastFeeds(session, config, active.length);
  const scoredOnly = takesScorePositions(session);

  while (active.length > 0) {
    const B = active.length;
    const n = stepIds[0]!.length;
    const feeds: Record<string, ort.Tensor> = {
      ...past,
      input_ids: int64(stepIds.flat(), [B, n]),
      attention_mask: int64(mask.flat(), [B, mask[0]!.length]),
      // only each row's last position is read: the LM head runs there alone where the graph allows
      ...scorePositionsFeed(session, active.map((_, b) => b * n + n - 1)),
    };
    if (session.inputNames.includes('position_ids')) feeds.position_ids = int64(stepPositions.flat(), [B, n]);
    const out = await session.run(feeds);
    const logits = out.logits!;
    const V = logits.dims[logits.dims.length - 1]!;
    const data = logitsAsFloat32(logits);
    const finished = new Set<number>();
    active.forEach((i, b) => {
      const token = argmaxRow(data, (scoredOnly ? b : b * n + (n - 1)) * V, V);
      const tokens = generated[i]!;
      tokens.push(token);
      const r = batch[i]!;
      if (token === eos || tokens.length >= r.maxNewTokens) finished.add(b);
      else if (r.until.some((stop, s) => stop !== '' && tokenizer.decode(tokens.slice(-stopTokenCounts[i]![s]!), false).includes(stop))) finished.add(b);
    });
    past = useCacheBranch(session, true);
    for (const name of session.inputNames) {
      if (name.startsWith('past_key_values.')) past[name] = out[name.replace('past_key_values.', 'present.')]!;
    }
    if (finished.size > 0) {
      const keep = active.flatMap((_, b) => (finished.has(b) ? [] : [b]));
      active = keep.map((b) => active[b]!);
      if (active.length === 0) break;
      for (const name of Object.keys(past)) if (name.startsWith('past_key_values.')) past[name] = keepRows(past[name]!, keep);
      mask = keep.map((b) => mask[b]!);
    }
    stepIds = active.map((i) => [generated[i]!.at(-1)!]);
    mask = mask.map((row) => [...row, 1]);
    stepPositions = active.map((i) => [promptLength[i]! + generated[i]!.length - 1]);
  }
  return generated.map((tokens) => ({ tokens }));
}

/** A [B, ...] cache tensor cut down to the batch rows `keep`, in that order. */
function keepRows(t: ort.Tensor, keep: number[]): ort.Tensor {
  const data = t.data as Float32Array | Uint16Array;
  const rowSize = data.length / t.dims[0]!;
  const out = t.type === 'float16' ? new Uint16Array(rowSize * keep.length) : new Float32Array(rowSize * keep.length);
  keep.forEach((b, k) => out.set(data.subarray(b * rowSize, (b + 1) * rowSize), k * rowSize));
  return new ort.Tensor(t.type as 'float32' | 'float16', out, [keep.length, ...t.dims.slice(1)]);
}
