// tokenizer.json and tokenizer_config.json for the trained byte-level BPE, in the Hugging Face
// tokenizers format, with SmolLM's special tokens. BOS policy lives in the post-processor.
import type { TrainedBpe } from './bpe-trainer.js';

export const SPECIAL_TOKENS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'] as const;
/** `<|endoftext|>` is BOS, EOS and UNK, as in SmolLM. */
export const BOS_TOKEN = SPECIAL_TOKENS[0];
export const BOS_TOKEN_ID = 0;
export const EOS_TOKEN_ID = 0;

type Json = Record<string, unknown>;

/** Token strings in id order: the special tokens first, then the BPE tokens. */
export function vocabularyInIdOrder(bpe: TrainedBpe): string[] {
  return [...SPECIAL_TOKENS, ...bpe.tokens];
}

export function buildTokenizerJson(bpe: TrainedBpe, options: { bos: boolean }): Json {
  const vocab: Record<string, number> = {};
  vocabularyInIdOrder(bpe).forEach((token, id) => {
    vocab[token] = id;
  });
  const byteLevel = { add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', ...byteLevel },
    post_processor: options.bos ? prependBos() : { type: 'ByteLevel', ...byteLevel, trim_offsets: false },
    decoder: { type: 'ByteLevel', ...byteLevel },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      // "a b" strings: unambiguous because byte-level tokens never contain a space
      merges: bpe.merges.map(([a, b]) => `${a} ${b}`),
    },
  };
}

/** Llama-style: encode(add_special_tokens=True) prepends BOS; nothing is appended. */
function prependBos(): Json {
  return {
    type: 'TemplateProcessing',
    single: [{ SpecialToken: { id: BOS_TOKEN, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
    pair: [
      { SpecialToken: { id: BOS_TOKEN, type_id: 0 } },
      { Sequence: { id: 'A', type_id: 0 } },
      { SpecialToken: { id: BOS_TOKEN, type_id: 1 } },
      { Sequence: { id: 'B', type_id: 1 } },
    ],
    special_tokens: { [BOS_TOKEN]: { id: BOS_TOKEN, ids: [BOS_TOKEN_ID], tokens: [BOS_TOKEN] } },
  };
}

export function buildTokenizerConfig(options: { bos: boolean; modelMaxLength: number }): Json {
  const addedTokensDecoder: Record<string, Json> = {};
  SPECIAL_TOKENS.forEach((content, id) => {
    addedTokensDecoder[String(id)] = {
      content,
      lstrip: false,
      normalized: false,
      rstrip: false,
      single_word: false,
      special: true,
    };
  });
  return {
    // the generic fast class keeps tokenizer.json's post-processor as written
    tokenizer_class: 'PreTrainedTokenizerFast',
    add_bos_token: options.bos,
    add_eos_token: false,
    add_prefix_space: false,
    bos_token: BOS_TOKEN,
    eos_token: BOS_TOKEN,
    unk_token: BOS_TOKEN,
    additional_special_tokens: ['<|im_start|>', '<|im_end|>'],
    added_tokens_decoder: addedTokensDecoder,
    clean_up_tokenization_spaces: false,
    model_max_length: options.modelMaxLength,
  };
}
