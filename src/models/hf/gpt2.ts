// config.json of a GPT2LMHeadModel -> the GPT-2 graph's settings and the tensors it reads, with
// GPT2Config's defaults. Checkpoints name tensors with or without the "transformer." prefix.
import { YardstickError } from '../../errors.js';
import type { Gpt2Activation, Gpt2GraphConfig } from '../onnx/gpt2-graph.js';

type Json = Record<string, unknown>;

const ACTIVATIONS: Gpt2Activation[] = ['gelu_new', 'gelu_pytorch_tanh', 'gelu', 'relu'];

export interface Gpt2Tensor {
  /** the name the graph uses (transformers' current spelling) */
  name: string;
  shape: number[];
  /** other spellings found in checkpoints (the original openai-community/gpt2 has no prefix) */
  aliases: string[];
}

export function readGpt2Config(config: Json, where: string): { graph: Gpt2GraphConfig; tensors: Gpt2Tensor[]; maxPositionEmbeddings: number } {
  const required = (key: string): number => {
    const v = config[key];
    if (v === undefined || v === null) throw new YardstickError('model', `${where} has no "${key}", which GPT2LMHeadModel needs`, { hint: 'add it to config.json (see the model card) or re-download the model' });
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) throw new YardstickError('model', `${where}: "${key}" must be a positive integer, got ${JSON.stringify(v)}`, { hint: 'fix config.json' });
    return v;
  };
  const hiddenSize = required('n_embd');
  const numHeads = required('n_head');
  if (hiddenSize % numHeads !== 0) throw new YardstickError('model', `${where}: n_embd ${hiddenSize} is not a multiple of n_head ${numHeads}`, { hint: 'fix config.json' });
  const activation = String(config.activation_function ?? 'gelu_new') as Gpt2Activation;
  if (!ACTIVATIONS.includes(activation)) {
    throw new YardstickError('model', `${where}: activation_function "${activation}" is not supported for GPT2LMHeadModel (${ACTIVATIONS.join(', ')})`, { hint: 'use an ONNX export of this model' });
  }
  const graph: Gpt2GraphConfig = {
    hiddenSize,
    numLayers: required('n_layer'),
    numHeads,
    innerSize: config.n_inner == null ? 4 * hiddenSize : required('n_inner'),
    vocabSize: required('vocab_size'),
    maxPositions: config.n_positions == null ? 1024 : required('n_positions'),
    layerNormEps: typeof config.layer_norm_epsilon === 'number' ? config.layer_norm_epsilon : 1e-5,
    activation,
    scaleAttnWeights: config.scale_attn_weights !== false,
    scaleAttnByInverseLayerIdx: config.scale_attn_by_inverse_layer_idx === true,
    tiedEmbeddings: config.tie_word_embeddings !== false,
  };
  return { graph, tensors: gpt2Tensors(graph), maxPositionEmbeddings: graph.maxPositions };
}

export function gpt2Tensors(g: Gpt2GraphConfig): Gpt2Tensor[] {
  const H = g.hiddenSize;
  const out: Gpt2Tensor[] = [];
  const add = (name: string, shape: number[]): void => {
    out.push({ name: `transformer.${name}`, shape, aliases: [name] });
  };
  add('wte.weight', [g.vocabSize, H]);
  add('wpe.weight', [g.maxPositions, H]);
  for (let i = 0; i < g.numLayers; i++) {
    const p = `h.${i}`;
    add(`${p}.ln_1.weight`, [H]);
    add(`${p}.ln_1.bias`, [H]);
    add(`${p}.attn.c_attn.weight`, [H, 3 * H]);
    add(`${p}.attn.c_attn.bias`, [3 * H]);
    add(`${p}.attn.c_proj.weight`, [H, H]);
    add(`${p}.attn.c_proj.bias`, [H]);
    add(`${p}.ln_2.weight`, [H]);
    add(`${p}.ln_2.bias`, [H]);
    add(`${p}.mlp.c_fc.weight`, [H, g.innerSize]);
    add(`${p}.mlp.c_fc.bias`, [g.innerSize]);
    add(`${p}.mlp.c_proj.weight`, [g.innerSize, H]);
    add(`${p}.mlp.c_proj.bias`, [H]);
  }
  add('ln_f.weight', [H]);
  add('ln_f.bias', [H]);
  if (!g.tiedEmbeddings) out.push({ name: 'lm_head.weight', shape: [g.vocabSize, H], aliases: [] });
  return out;
}
