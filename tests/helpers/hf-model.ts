// Writes small Hugging Face model folders of each converted architecture (config.json variants,
// make-model's tokenizer, seeded random safetensors in any dtype, optionally sharded).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { trainByteLevelBpe, type TrainedBpe } from '../../src/models/bpe-trainer.js';
import { writeCheckpoint } from '../../src/models/checkpoint-writer.js';
import { TRAINING_CORPUS } from '../../src/models/corpus.js';
import { readHfDecoder } from '../../src/models/hf/architectures.js';
import { TOKENIZER_SIZE } from '../../src/models/make-model.js';
import type { StoredDtype } from '../../src/models/safetensors.js';
import { SPECIAL_TOKENS, buildTokenizerConfig, buildTokenizerJson } from '../../src/models/tokenizer-files.js';
import { initFor } from '../../src/models/weights.js';

let bpe: TrainedBpe | undefined;

const MODEL_TYPES: Record<string, string> = {
  LlamaForCausalLM: 'llama',
  MistralForCausalLM: 'mistral',
  Qwen2ForCausalLM: 'qwen2',
  Qwen3ForCausalLM: 'qwen3',
  GPT2LMHeadModel: 'gpt2',
};

export interface HfModelOptions {
  architecture: keyof typeof MODEL_TYPES | string;
  /** merged over the base config (hidden 64, 2 layers, 4 heads / 2 KV heads (GPT-2: 4 heads), vocab 512) */
  config?: Record<string, unknown>;
  dtype?: StoredDtype;
  shards?: number;
  seed?: number;
  /** tokenizer prepends BOS with special tokens */
  bos?: boolean;
}

export function hfConfig(options: HfModelOptions): Record<string, unknown> {
  const torchDtype = { F32: 'float32', BF16: 'bfloat16', F16: 'float16' }[options.dtype ?? 'F32'];
  if (options.architecture === 'GPT2LMHeadModel') {
    return {
      architectures: ['GPT2LMHeadModel'],
      model_type: 'gpt2',
      n_embd: 64,
      n_head: 4,
      n_layer: 2,
      n_positions: 1024,
      vocab_size: TOKENIZER_SIZE,
      layer_norm_epsilon: 1e-5,
      activation_function: 'gelu_new',
      bos_token_id: 0,
      eos_token_id: 0,
      torch_dtype: torchDtype,
      ...options.config,
    };
  }
  return {
    architectures: [options.architecture],
    model_type: MODEL_TYPES[options.architecture] ?? 'unknown',
    hidden_size: 64,
    intermediate_size: 128,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    num_hidden_layers: 2,
    vocab_size: TOKENIZER_SIZE,
    rms_norm_eps: 1e-5,
    rope_theta: 10000,
    max_position_embeddings: 2048,
    tie_word_embeddings: true,
    hidden_act: 'silu',
    bos_token_id: 0,
    eos_token_id: 0,
    torch_dtype: torchDtype,
    ...options.config,
  };
}

/** Writes the folder; returns `dir`. */
export async function writeHfModel(dir: string, options: HfModelOptions): Promise<string> {
  bpe ??= trainByteLevelBpe(TRAINING_CORPUS, TOKENIZER_SIZE - SPECIAL_TOKENS.length);
  const config = hfConfig(options);
  await mkdir(dir, { recursive: true });
  const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;
  await writeFile(join(dir, 'config.json'), json(config));
  const bos = options.bos ?? false;
  await writeFile(join(dir, 'tokenizer.json'), json(buildTokenizerJson(bpe, { bos })));
  await writeFile(join(dir, 'tokenizer_config.json'), json(buildTokenizerConfig({ bos, modelMaxLength: 2048 })));
  const decoder = readHfDecoder(config, join(dir, 'config.json'));
  const specs = initFor(decoder.tensors, decoder.graph.hiddenSize);
  await writeCheckpoint(dir, specs, { seed: options.seed ?? 1, dtype: options.dtype ?? 'F32', shards: options.shards });
  return dir;
}
