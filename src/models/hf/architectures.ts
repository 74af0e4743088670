// config.json of a Hugging Face causal LM -> the decoder graph's settings and the tensors it needs,
// for the Llama-family architectures yardstick converts. Defaults are transformers' own, so a
// config that omits an optional field means what it means to transformers.
import { YardstickError } from '../../errors.js';
import type { Gpt2GraphConfig } from '../onnx/gpt2-graph.js';
import type { DecoderGraphConfig } from '../onnx/llama-graph.js';
import { readGpt2Config } from './gpt2.js';
import { readRopeParameters, ropeInvFreq } from './rope.js';

type Json = Record<string, unknown>;

interface ArchitectureDefaults {
  modelType: string;
  maxPositionEmbeddings: number;
  /** Qwen2 always has q/k/v biases; Llama and Qwen3 follow attention_bias */
  qkvBias: (c: Json) => boolean;
  oBias: (c: Json) => boolean;
  mlpBias: (c: Json) => boolean;
  qkNorm: boolean;
  /** Qwen3Config's head_dim default (128); the others derive hidden_size / heads */
  headDim?: number;
  /** sliding window of layer i, or null for full attention */
  slidingWindow: (c: Json, layer: number) => number | null;
}

const flag = (key: string) => (c: Json) => c[key] === true;
const never = () => false;

/** Qwen2/Qwen3: layer_types (or max_window_layers) say which layers slide, only with use_sliding_window. */
function qwenSlidingWindow(c: Json, layer: number): number | null {
  if (c.use_sliding_window !== true || typeof c.sliding_window !== 'number') return null;
  const types = c.layer_types;
  if (Array.isArray(types)) return types[layer] === 'sliding_attention' ? c.sliding_window : null;
  return layer >= Number(c.max_window_layers ?? 28) ? c.sliding_window : null;
}

export const ARCHITECTURES: Readonly<Record<string, ArchitectureDefaults>> = {
  LlamaForCausalLM: {
    modelType: 'llama',
    maxPositionEmbeddings: 2048,
    qkvBias: flag('attention_bias'),
    oBias: flag('attention_bias'),
    mlpBias: flag('mlp_bias'),
    qkNorm: false,
    slidingWindow: () => null,
  },
  MistralForCausalLM: {
    modelType: 'mistral',
    maxPositionEmbeddings: 4096 * 32,
    qkvBias: never,
    oBias: never,
    mlpBias: never,
    qkNorm: false,
    // MistralConfig defaults sliding_window to 4096; an explicit null turns it off
    slidingWindow: (c) => (c.sliding_window === undefined ? 4096 : typeof c.sliding_window === 'number' ? c.sliding_window : null),
  },
  Qwen2ForCausalLM: {
    modelType: 'qwen2',
    maxPositionEmbeddings: 32768,
    qkvBias: () => true,
    oBias: never,
    mlpBias: never,
    qkNorm: false,
    slidingWindow: qwenSlidingWindow,
  },
  Qwen3ForCausalLM: {
    modelType: 'qwen3',
    maxPositionEmbeddings: 32768,
    qkvBias: flag('attention_bias'),
    oBias: flag('attention_bias'),
    mlpBias: never,
    qkNorm: true,
    headDim: 128,
    slidingWindow: qwenSlidingWindow,
  },
};

const GPT2 = 'GPT2LMHeadModel';

export function supportedArchitectures(): string[] {
  return [...Object.keys(ARCHITECTURES), GPT2];
}

export interface ExpectedTensor {
  /** the graph's name for it */
  name: string;
  shape: number[];
  /** other names checkpoints use for the same tensor */
  aliases?: string[];
}

interface DecoderBase {
  architecture: string;
  /** every tensor the graph reads, with the shape the config implies, in graph order */
  tensors: ExpectedTensor[];
  maxPositionEmbeddings: number;
}

/** A config.json read: the Llama family's graph, or GPT-2's. */
export type HfDecoder = (DecoderBase & { family: 'llama'; graph: DecoderGraphConfig }) | (DecoderBase & { family: 'gpt2'; graph: Gpt2GraphConfig });

/** The architecture name of a config.json, with the one line users see for anything else. */
export function architectureOf(config: Json, where: string): string {
  const names = Array.isArray(config.architectures) ? (config.architectures as unknown[]).map(String) : [];
  const known = names.find((n) => Object.hasOwn(ARCHITECTURES, n) || n === GPT2);
  if (known) return known;
  const byType = Object.entries(ARCHITECTURES).find(([, a]) => a.modelType === config.model_type)?.[0] ?? (config.model_type === 'gpt2' ? GPT2 : undefined);
  if (names.length === 0 && byType) return byType;
  const what = names.length > 0 ? names.join(', ') : `model_type ${JSON.stringify(config.model_type ?? null)}`;
  throw new YardstickError('model', `${where}: architecture ${what} is not one yardstick converts (it converts ${supportedArchitectures().join(', ')})`, {
    hint: 'alternatives: an ONNX export of the model (an onnx/ folder, e.g. from optimum), a GGUF file, or a server engine',
  });
}

/** Reads config.json into the graph settings; `where` is the config file's path, for errors. */
export function readHfDecoder(config: Json, where: string): HfDecoder {
  const architecture = architectureOf(config, where);
  if (architecture === GPT2) return { family: 'gpt2', architecture, ...readGpt2Config(config, where) };
  const arch = ARCHITECTURES[architecture]!;
  const required = (key: string): number => {
    const v = config[key];
    if (v === undefined || v === null) {
      throw new YardstickError('model', `${where} has no "${key}", which ${architecture} needs`, { hint: 'add it to config.json (see the model card) or re-download the model' });
    }
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) {
      throw new YardstickError('model', `${where}: "${key}" must be a positive integer, got ${JSON.stringify(v)}`, { hint: 'fix config.json' });
    }
    return v;
  };
  const optional = (key: string, fallback: number): number => (typeof config[key] === 'number' ? (config[key] as number) : fallback);

  const hiddenSize = required('hidden_size');
  const numLayers = required('num_hidden_layers');
  const numHeads = required('num_attention_heads');
  const intermediateSize = required('intermediate_size');
  const vocabSize = required('vocab_size');
  const numKvHeads = config.num_key_value_heads == null ? numHeads : required('num_key_value_heads');
  const headDim = config.head_dim == null ? (arch.headDim ?? Math.floor(hiddenSize / numHeads)) : required('head_dim');
  if (numHeads % numKvHeads !== 0) {
    throw new YardstickError('model', `${where}: num_attention_heads ${numHeads} is not a multiple of num_key_value_heads ${numKvHeads}`, { hint: 'fix config.json' });
  }
  if (headDim % 2 !== 0) throw new YardstickError('model', `${where}: head_dim ${headDim} is odd; rotary embeddings need an even head_dim`, { hint: 'fix config.json' });
  const activation = config.hidden_act ?? config.hidden_activation ?? 'silu';
  if (activation !== 'silu') {
    throw new YardstickError('model', `${where}: hidden_act "${String(activation)}" is not supported for ${architecture} (only silu)`, { hint: 'use an ONNX export of this model' });
  }
  const rope = readRopeParameters(config, where);
  const tied = config.tie_word_embeddings === true;
  const graph: DecoderGraphConfig = {
    hiddenSize,
    numLayers,
    numHeads,
    numKvHeads,
    headDim,
    intermediateSize,
    vocabSize,
    rmsNormEps: optional('rms_norm_eps', 1e-6),
    invFreq: ropeInvFreq(rope, headDim),
    qkvBias: arch.qkvBias(config),
    oBias: arch.oBias(config),
    mlpBias: arch.mlpBias(config),
    qkNorm: arch.qkNorm,
    tiedEmbeddings: tied,
    slidingWindows: Array.from({ length: numLayers }, (_, i) => arch.slidingWindow(config, i)),
  };
  return {
    family: 'llama',
    architecture,
    graph,
    tensors: expectedTensors(graph),
    maxPositionEmbeddings: optional('max_position_embeddings', arch.maxPositionEmbeddings),
  };
}

/** The tensors a decoder of this shape reads, with Hugging Face names and [out, in] layouts. */
export function expectedTensors(g: DecoderGraphConfig): ExpectedTensor[] {
  const H = g.hiddenSize;
  const qDim = g.numHeads * g.headDim;
  const kvDim = g.numKvHeads * g.headDim;
  const I = g.intermediateSize;
  const out: ExpectedTensor[] = [{ name: 'model.embed_tokens.weight', shape: [g.vocabSize, H] }];
  const linear = (name: string, rows: number, cols: number, bias: boolean): void => {
    out.push({ name: `${name}.weight`, shape: [rows, cols] });
    if (bias) out.push({ name: `${name}.bias`, shape: [rows] });
  };
  for (let i = 0; i < g.numLayers; i++) {
    const p = `model.layers.${i}`;
    out.push({ name: `${p}.input_layernorm.weight`, shape: [H] });
    linear(`${p}.self_attn.q_proj`, qDim, H, g.qkvBias);
    linear(`${p}.self_attn.k_proj`, kvDim, H, g.qkvBias);
    linear(`${p}.self_attn.v_proj`, kvDim, H, g.qkvBias);
    if (g.qkNorm) out.push({ name: `${p}.self_attn.q_norm.weight`, shape: [g.headDim] }, { name: `${p}.self_attn.k_norm.weight`, shape: [g.headDim] });
    linear(`${p}.self_attn.o_proj`, H, qDim, g.oBias);
    out.push({ name: `${p}.post_attention_layernorm.weight`, shape: [H] });
    linear(`${p}.mlp.gate_proj`, I, H, g.mlpBias);
    linear(`${p}.mlp.up_proj`, I, H, g.mlpBias);
    linear(`${p}.mlp.down_proj`, H, I, g.mlpBias);
  }
  out.push({ name: 'model.norm.weight', shape: [H] });
  if (!g.tiedEmbeddings) out.push({ name: 'lm_head.weight', shape: [g.vocabSize, H] });
  return out;
}
