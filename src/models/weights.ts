// The model's tensors (Hugging Face names and shapes) and their seeded random initialisation.
// Each tensor draws from its own stream (seed, name), so tensors can be made one at a time.
import type { LlamaConfig } from './presets.js';
import { Xoshiro128, fillNormal } from './prng.js';

export interface TensorSpec {
  name: string;
  /** row-major; linear layers are [out, in] (y = x·Wᵀ) */
  shape: number[];
  /** values are mean + std·N(0, 1) */
  mean: number;
  std: number;
}

/**
 * Scales are chosen so that the random model is neither flat nor one-hot: attention logits of
 * order one (so context and position matter), residual updates comparable to the embedding, and
 * output logits with a spread of a few nats.
 */
export function tensorSpecs(c: LlamaConfig): TensorSpec[] {
  const h = c.hiddenSize;
  const kvDim = c.numKvHeads * c.headDim;
  const embedStd = 2 / Math.sqrt(h);
  const linear = (name: string, out: number, inp: number, gain: number): TensorSpec => ({
    name,
    shape: [out, inp],
    mean: 0,
    std: gain / Math.sqrt(inp),
  });
  const norm = (name: string): TensorSpec => ({ name, shape: [h], mean: 1, std: 0.1 });

  const specs: TensorSpec[] = [{ name: 'model.embed_tokens.weight', shape: [c.vocabSize, h], mean: 0, std: embedStd }];
  for (let i = 0; i < c.numLayers; i++) {
    const p = `model.layers.${i}`;
    specs.push(
      norm(`${p}.input_layernorm.weight`),
      linear(`${p}.self_attn.q_proj.weight`, h, h, 1.5),
      linear(`${p}.self_attn.k_proj.weight`, kvDim, h, 1.5),
      linear(`${p}.self_attn.v_proj.weight`, kvDim, h, 1),
      linear(`${p}.self_attn.o_proj.weight`, h, h, 2.5 * embedStd),
      norm(`${p}.post_attention_layernorm.weight`),
      linear(`${p}.mlp.gate_proj.weight`, c.intermediateSize, h, 1),
      linear(`${p}.mlp.up_proj.weight`, c.intermediateSize, h, 1),
      linear(`${p}.mlp.down_proj.weight`, h, c.intermediateSize, 2.5 * embedStd),
    );
  }
  specs.push(norm('model.norm.weight'));
  return specs;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function generateTensor(spec: TensorSpec, seed: number): Float32Array {
  const out = new Float32Array(elementCount(spec.shape));
  fillNormal(out, new Xoshiro128(seed, spec.name), spec.mean, spec.std);
  return out;
}

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The tensor's little-endian float32 bytes (a view when the host is little-endian). */
export function littleEndianBytes(values: Float32Array): Uint8Array {
  if (HOST_IS_LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint8Array(values.byteLength);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

/**
 * Random-init scales for any tensor list in Hugging Face naming (the hf converter's architectures):
 * norms near one, biases small, projections scaled as in tensorSpecs. GPT-2's Conv1D weights are
 * stored [in, out], so their fan-in is the first dimension.
 */
export function initFor(tensors: ReadonlyArray<{ name: string; shape: number[] }>, hiddenSize: number): TensorSpec[] {
  const embedStd = 2 / Math.sqrt(hiddenSize);
  return tensors.map(({ name, shape }) => {
    const conv1d = /\.(c_attn|c_fc|c_proj)\.weight$/.test(name);
    const fanIn = conv1d ? shape[0]! : shape[shape.length - 1]!;
    if (/norm\.weight$|\.ln_(\d|f)\.weight$/.test(name)) return { name, shape, mean: 1, std: 0.1 };
    if (name.endsWith('.bias')) return { name, shape, mean: 0, std: 0.2 };
    if (/embed_tokens|lm_head|wte|wpe/.test(name)) return { name, shape, mean: 0, std: embedStd };
    const gain = /q_proj|k_proj|c_attn/.test(name) ? 1.5 : /o_proj|down_proj|c_proj/.test(name) ? 2.5 * embedStd : 1;
    return { name, shape, mean: 0, std: gain / Math.sqrt(fanIn) };
  });
}
