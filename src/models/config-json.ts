// config.json as transformers' LlamaConfig reads it.
import type { LlamaConfig } from './presets.js';
import { BOS_TOKEN_ID, EOS_TOKEN_ID } from './tokenizer-files.js';

export function buildConfigJson(c: LlamaConfig): Record<string, unknown> {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    hidden_size: c.hiddenSize,
    intermediate_size: c.intermediateSize,
    num_attention_heads: c.numHeads,
    num_key_value_heads: c.numKvHeads,
    num_hidden_layers: c.numLayers,
    head_dim: c.headDim,
    vocab_size: c.vocabSize,
    rms_norm_eps: c.rmsNormEps,
    rope_theta: c.ropeTheta,
    rope_scaling: null,
    max_position_embeddings: c.maxPositionEmbeddings,
    tie_word_embeddings: true,
    bos_token_id: BOS_TOKEN_ID,
    eos_token_id: EOS_TOKEN_ID,
    hidden_act: 'silu',
    attention_bias: false,
    attention_dropout: 0.0,
    mlp_bias: false,
    initializer_range: 0.02,
    use_cache: true,
    torch_dtype: 'float32',
    // transformers.js looks for this before loading onnx/*.onnx_data
    'transformers.js_config': { use_external_data_format: { 'model.onnx': 1, 'model_with_past.onnx': 1 } },
  };
}
