// Greedy decoding with a KV cache on the with-past ONNX graph: left-padded batch, one new token
// per step, lm-eval's stop rule (a stop string within the last len(stop tokens)+2 tokens, or EOS).
import * as ort from 'onnxruntime-node';
import type { ModelConfig } from '../model-folder.js';
import type { EngineTokenizer } from '../types.js';
import type { GenerateRequest, GenerateResult } from '../types.js';
import { argmaxRow } from '../logsoftmax.js';
import { YardstickError } from '../../errors.js';
import { emptyPastFeeds, hasPastInputs, logitsAsFloat32, useCacheBranch } from './past.js';

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
  const B = batch.length;
  const pad = tokenizer.padTokenId;
  const eos = tokenizer.eosTokenId;
  const P = Math.max(...batch.map((r) => r.input.length));

  // left padding: row b's prompt ends at column P-1
  let mask: number[][] = batch.map((r) => [...new Array<number>(P - r.input.length).fill(0), ...r.input.map(() => 1)]);
  let stepIds: number[][] = batch.map((r) => [...new Array<number>(P - r.input.length).fill(pad), ...r.input]);
  let stepPositions: number[][] = mask.map((row) => {
    let c = 0;
    return row.map((m) => (m === 1 ? c++ : 1));
  });
  const nextPosition = mask.map((row) => row.reduce((a, m) => a + m, 0));
  const stopTokenCounts = batch.map((r) => r.until.map((s) => tokenizer.encode(s, false).length + 2));

  // the first step sees an empty cache; later steps feed back each present.* as past_key_values.*
  let past: Record<string, ort.Tensor> = emptyPastFeeds(session, config, B);
  const generated: number[][] = batch.map(() => []);
  const done = batch.map((r) => r.maxNewTokens <= 0);

  while (!done.every(Boolean)) {
    const n = stepIds[0]!.length;
    const flatMask = mask.flat();
    const feeds: Record<string, ort.Tensor> = {
      ...past,
      input_ids: new ort.Tensor('int64', BigInt64Array.from(stepIds.flat(), BigInt), [B, n]),
      attention_mask: new ort.Tensor('int64', BigInt64Array.from(flatMask, BigInt), [B, mask[0]!.length]),
    };
    if (session.inputNames.includes('position_ids')) {
      feeds.position_ids = new ort.Tensor('int64', BigInt64Array.from(stepPositions.flat(), BigInt), [B, n]);
    }
    const out = await session.run(feeds);
    const logits = out.logits!;
    const V = logits.dims[2]!;
    const data = logitsAsFloat32(logits);
    const next: number[] = [];
    for (let b = 0; b < B; b++) {
      const token = argmaxRow(data, (b * n + (n - 1)) * V, V);
      next.push(token);
      if (done[b]) continue;
      generated[b]!.push(token);
      const r = batch[b]!;
      if (token === eos || generated[b]!.length >= r.maxNewTokens) done[b] = true;
      else {
        r.until.forEach((stop, s) => {
          if (stop === '') return;
          const tail = tokenizer.decode(generated[b]!.slice(-stopTokenCounts[b]![s]!), false);
          if (tail.includes(stop)) done[b] = true;
        });
      }
    }
    past = useCacheBranch(session, true);
    for (const name of session.inputNames) {
      if (name.startsWith('past_key_values.')) past[name] = out[name.replace('past_key_values.', 'present.')]!;
    }
    // finished rows keep feeding their last token; their output is no longer recorded
    stepIds = next.map((t) => [t]);
    mask = mask.map((row) => [...row, 1]);
    stepPositions = nextPosition.map((p, b) => [p + generated[b]!.length - 1]);
  }
  return generated.map((tokens) => ({ tokens }));
}
