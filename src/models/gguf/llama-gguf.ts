// The generated Llama model as a GGUF file for llama.cpp: llama.cpp's tensor names, q/k rows
// permuted to its interleaved rotary layout, the byte-level BPE tokenizer embedded, and the weights
// stored as f32, f16 or q8_0 (1-D norm weights stay f32, as llama.cpp's converter keeps them).
import { GgmlType, LlamaFileType } from '../../engines/llamacpp/gguf-format.js';
import type { TrainedBpe } from '../bpe-trainer.js';
import type { LlamaConfig } from '../presets.js';
import { BOS_TOKEN_ID, EOS_TOKEN_ID, SPECIAL_TOKENS, vocabularyInIdOrder } from '../tokenizer-files.js';
import { generateTensor, littleEndianBytes, tensorSpecs, type TensorSpec } from '../weights.js';
import { encodeStored, type StoredDtype } from '../safetensors.js';
import { toFloat32 } from '../hf/safetensors-reader.js';
import { meta, writeGguf, type GgufMetaValue, type GgufTensorSource } from './gguf-writer.js';
import { Q8_0_BLOCK, toF16Bytes, toQ8_0Bytes } from './quantize.js';

export const GGUF_VARIANTS = ['f32', 'f16', 'q8_0'] as const;
export type GgufVariant = (typeof GGUF_VARIANTS)[number];

/** model.gguf for f32 (the file engines compare against), model-<variant>.gguf for the others. */
export function ggufFileName(variant: GgufVariant): string {
  return variant === 'f32' ? 'model.gguf' : `model-${variant}.gguf`;
}

// llama.cpp's token types (LLAMA_TOKEN_TYPE_*)
const TOKEN_NORMAL = 1;
const TOKEN_CONTROL = 3;
const TOKEN_UNUSED = 5;

/**
 * The pre-tokenizer name llama.cpp maps to GPT-2's split pattern without its decode-time space
 * clean-up. "gpt-2" would split the same but, when decoding, drop the space before ?!., like
 * clean_up_tokenization_spaces=True; our tokenizer_config.json says False, so generated text would
 * differ from the Hugging Face tokenizer's. "trillion" is llama.cpp's name for exactly that pair.
 */
export const GPT2_SPLIT_NO_CLEANUP_PRE = 'trillion';

function tokenizerMetadata(bpe: TrainedBpe, config: LlamaConfig, bos: boolean): Array<[string, GgufMetaValue]> {
  const tokens = vocabularyInIdOrder(bpe);
  const types: number[] = tokens.map((_, id) => (id < SPECIAL_TOKENS.length ? TOKEN_CONTROL : TOKEN_NORMAL));
  // Embedding rows beyond the tokenizer (the SmolLM-shaped presets) need vocabulary entries too;
  // llama.cpp's converter fills them with unused [PADn] tokens.
  for (let id = tokens.length; id < config.vocabSize; id++) {
    tokens.push(`[PAD${id}]`);
    types.push(TOKEN_UNUSED);
  }
  return [
    ['tokenizer.ggml.model', meta.string('gpt2')],
    ['tokenizer.ggml.pre', meta.string(GPT2_SPLIT_NO_CLEANUP_PRE)],
    ['tokenizer.ggml.tokens', meta.strings(tokens)],
    ['tokenizer.ggml.token_type', meta.i32s(types)],
    ['tokenizer.ggml.merges', meta.strings(bpe.merges.map(([a, b]) => `${a} ${b}`))],
    ['tokenizer.ggml.bos_token_id', meta.u32(BOS_TOKEN_ID)],
    ['tokenizer.ggml.eos_token_id', meta.u32(EOS_TOKEN_ID)],
    ['tokenizer.ggml.unknown_token_id', meta.u32(BOS_TOKEN_ID)],
    ['tokenizer.ggml.add_bos_token', meta.bool(bos)],
    ['tokenizer.ggml.add_eos_token', meta.bool(false)],
  ];
}

function modelMetadata(config: LlamaConfig, variant: GgufVariant, name: string): Array<[string, GgufMetaValue]> {
  const fileType = { f32: LlamaFileType.ALL_F32, f16: LlamaFileType.MOSTLY_F16, q8_0: LlamaFileType.MOSTLY_Q8_0 }[variant];
  return [
    ['general.architecture', meta.string('llama')],
    ['general.name', meta.string(name)],
    ['general.file_type', meta.u32(fileType)],
    ['general.quantization_version', meta.u32(2)],
    ['llama.vocab_size', meta.u32(config.vocabSize)],
    ['llama.context_length', meta.u32(config.maxPositionEmbeddings)],
    ['llama.embedding_length', meta.u32(config.hiddenSize)],
    ['llama.block_count', meta.u32(config.numLayers)],
    ['llama.feed_forward_length', meta.u32(config.intermediateSize)],
    ['llama.attention.head_count', meta.u32(config.numHeads)],
    ['llama.attention.head_count_kv', meta.u32(config.numKvHeads)],
    ['llama.rope.freq_base', meta.f32(config.ropeTheta)],
    ['llama.rope.dimension_count', meta.u32(config.headDim)],
    ['llama.attention.layer_norm_rms_epsilon', meta.f32(config.rmsNormEps)],
  ];
}

/** Hugging Face tensor name -> llama.cpp's. */
export function ggufTensorName(hfName: string): string {
  if (hfName === 'model.embed_tokens.weight') return 'token_embd.weight';
  if (hfName === 'model.norm.weight') return 'output_norm.weight';
  const m = /^model\.layers\.(\d+)\.(.+)$/.exec(hfName);
  const parts: Record<string, string> = {
    'input_layernorm.weight': 'attn_norm.weight',
    'self_attn.q_proj.weight': 'attn_q.weight',
    'self_attn.k_proj.weight': 'attn_k.weight',
    'self_attn.v_proj.weight': 'attn_v.weight',
    'self_attn.o_proj.weight': 'attn_output.weight',
    'post_attention_layernorm.weight': 'ffn_norm.weight',
    'mlp.gate_proj.weight': 'ffn_gate.weight',
    'mlp.up_proj.weight': 'ffn_up.weight',
    'mlp.down_proj.weight': 'ffn_down.weight',
  };
  const suffix = m ? parts[m[2]!] : undefined;
  if (!m || !suffix) throw new Error(`gguf: no llama.cpp name for ${hfName}`);
  return `blk.${m[1]}.${suffix}`;
}

/**
 * Reorders the rows of a q or k projection [heads·hd, in] from Hugging Face's rotate-half layout
 * (rotary pairs (j, j+hd/2)) to llama.cpp's interleaved one (pairs (2j, 2j+1)), per head, exactly
 * as convert_hf_to_gguf's permute: reshape(heads, 2, hd/2, in).swapaxes(1, 2).
 */
export function permuteRotaryRows(w: Float32Array, heads: number, rowLength: number): Float32Array {
  const rows = w.length / rowLength;
  const hd = rows / heads;
  const half = hd / 2;
  const out = new Float32Array(w.length);
  for (let h = 0; h < heads; h++) {
    for (let j = 0; j < half; j++) {
      for (let s = 0; s < 2; s++) {
        const from = h * hd + s * half + j;
        const to = h * hd + 2 * j + s;
        out.set(w.subarray(from * rowLength, (from + 1) * rowLength), to * rowLength);
      }
    }
  }
  return out;
}

function storage(spec: TensorSpec, variant: GgufVariant): number {
  if (spec.shape.length === 1 || variant === 'f32') return GgmlType.F32;
  if (variant === 'f16') return GgmlType.F16;
  // llama.cpp falls back the same way for rows that are not whole q8_0 blocks
  return spec.shape[spec.shape.length - 1]! % Q8_0_BLOCK === 0 ? GgmlType.Q8_0 : GgmlType.F16;
}

function encode(values: Float32Array, type: number): Uint8Array {
  if (type === GgmlType.F16) return toF16Bytes(values);
  if (type === GgmlType.Q8_0) return toQ8_0Bytes(values);
  return littleEndianBytes(values);
}

export interface LlamaGgufOptions {
  config: LlamaConfig;
  bpe: TrainedBpe;
  bos: boolean;
  seed: number;
  variant: GgufVariant;
  name: string;
  /** how model.safetensors stores the weights: the GGUF starts from those values (default F32) */
  stored?: StoredDtype;
}

/** Writes the model as GGUF to `path`; returns the file's size. Weights are regenerated from the seed. */
export function writeLlamaGguf(path: string, o: LlamaGgufOptions): Promise<number> {
  const { config, variant, seed } = o;
  const tensors: GgufTensorSource[] = tensorSpecs(config).map((spec) => {
    const type = storage(spec, variant);
    return {
      name: ggufTensorName(spec.name),
      shape: spec.shape,
      type,
      data: () => {
        let values = generateTensor(spec, seed);
        // the same weights as model.safetensors and the ONNX data: rounded to the stored dtype first
        if (o.stored && o.stored !== 'F32') values = toFloat32(encodeStored(values, o.stored), o.stored);
        if (spec.name.endsWith('q_proj.weight')) values = permuteRotaryRows(values, config.numHeads, config.hiddenSize);
        if (spec.name.endsWith('k_proj.weight')) values = permuteRotaryRows(values, config.numKvHeads, config.hiddenSize);
        return encode(values, type);
      },
    };
  });
  return writeGguf(path, [...modelMetadata(config, variant, o.name), ...tokenizerMetadata(o.bpe, config, o.bos)], tensors);
}
