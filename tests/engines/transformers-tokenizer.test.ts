// transformers 5's tokenizer-class rebuilds, on a hand-made SentencePiece-style vocabulary whose
// ids can be worked out by hand; every expectation here was also confirmed once with transformers
// 5.25's AutoTokenizer (the fixture test checks real tokenizers against transformers).
import { describe, expect, it } from 'vitest';
import { HfTokenizer } from '../../src/engines/hf-tokenizer.js';
import { transformersTokenizerClass } from '../../src/engines/transformers-tokenizer.js';

// ids: <unk> 0, <s> 1, </s> 2, ▁ 3, H 4, i 5, ▁H 6, ▁Hi 7; merges ▁+H, ▁H+i
function legacyLlamaJson(): Record<string, unknown> {
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    added_tokens: [special(0, '<unk>'), special(1, '<s>'), special(2, '</s>')],
    // the Llama 2 / TinyLlama hub layout: the "▁" prefix comes from the normalizer
    normalizer: { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }] },
    pre_tokenizer: null,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }],
      special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
    },
    decoder: { type: 'Sequence', decoders: [{ type: 'Replace', pattern: { String: '▁' }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }, { type: 'Strip', content: ' ', start: 1, stop: 0 }] },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      vocab: { '<unk>': 0, '<s>': 1, '</s>': 2, '▁': 3, H: 4, i: 5, '▁H': 6, '▁Hi': 7 },
      merges: ['▁ H', '▁H i'],
    },
  };
}

const llamaConfig = { tokenizer_class: 'LlamaTokenizer', bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>', add_bos_token: true, add_eos_token: false, legacy: false };

describe('tokenizers as transformers 5 loads them', () => {
  it('LlamaTokenizer: "▁" is prepended to the first piece only, never doubled, not after a special token', () => {
    const tok = new HfTokenizer(legacyLlamaJson(), llamaConfig);
    expect(tok.encode('Hi', false)).toEqual([7]); // ▁Hi
    // tokenizer.json's normalizer would give ▁▁Hi -> [3, 7]; transformers 5's Metaspace does not add a
    // second ▁ to text that already starts with one
    expect(tok.encode(' Hi', false)).toEqual([7]);
    // after <s> the text is not the first piece: H, i without ▁ (tokenizer.json alone: [1, 7])
    expect(tok.encode('<s>Hi', false)).toEqual([1, 4, 5]);
    expect(tok.encode('Hi', true)).toEqual([1, 7]);
    expect(tok.decode([1, 7], true)).toBe('Hi');
  });

  it('legacy: true prepends "▁" to every piece, as transformers does for legacy Llama folders', () => {
    const tok = new HfTokenizer(legacyLlamaJson(), { ...llamaConfig, legacy: true });
    expect(tok.encode('<s>Hi', false)).toEqual([1, 7]);
  });

  it('tokenizer.json\'s post-processor decides BOS and EOS; add_bos_token / add_eos_token do not (transformers 5.25)', () => {
    expect(new HfTokenizer(legacyLlamaJson(), { ...llamaConfig, add_bos_token: false }).encode('Hi', true)).toEqual([1, 7]);
    expect(new HfTokenizer(legacyLlamaJson(), { ...llamaConfig, add_eos_token: true }).encode('Hi', true)).toEqual([1, 7]);
    expect(new HfTokenizer({ ...legacyLlamaJson(), post_processor: null }, llamaConfig).encode('Hi', true)).toEqual([7]);
  });

  it('clean_up_tokenization_spaces is ignored for BPE models; decode of nothing is empty', () => {
    const tok = new HfTokenizer(legacyLlamaJson(), { ...llamaConfig, clean_up_tokenization_spaces: true });
    expect(tok.cleanUpTokenizationSpaces).toBe(false);
    expect(tok.decode([], false)).toBe('');
  });

  // What AutoTokenizer.from_pretrained picked (type(tok).__name__) for folders with each config.json model type
  // and declared class, printed once by transformers 5.25 (no mistral-common installed). "spm": a SentencePiece-style
  // tokenizer.json (no pre-tokenizer); "byte": a byte-level one.
  const picked: Array<[string, string | undefined, 'spm' | 'byte', string]> = [
    ['', 'LlamaTokenizer', 'spm', 'LlamaTokenizer'],
    ['', 'LlamaTokenizerFast', 'byte', 'TokenizersBackend'],
    ['', 'PreTrainedTokenizerFast', 'spm', 'TokenizersBackend'],
    ['', undefined, 'byte', 'TokenizersBackend'],
    ['llama', 'LlamaTokenizer', 'spm', 'LlamaTokenizer'],
    ['llama', undefined, 'spm', 'TokenizersBackend'],
    ['llama', 'GPT2Tokenizer', 'byte', 'GPT2Tokenizer'],
    ['mistral', 'LlamaTokenizer', 'spm', 'TokenizersBackend'],
    ['mistral', 'GPT2Tokenizer', 'byte', 'TokenizersBackend'],
    ['qwen2', 'GPT2Tokenizer', 'byte', 'Qwen2Tokenizer'],
    ['qwen2', 'PreTrainedTokenizerFast', 'byte', 'Qwen2Tokenizer'],
    ['qwen2', undefined, 'spm', 'Qwen2Tokenizer'],
    ['qwen3', 'GPT2Tokenizer', 'byte', 'GPT2Tokenizer'],
    ['qwen3', 'LlamaTokenizer', 'spm', 'LlamaTokenizer'],
    ['qwen3', undefined, 'byte', 'Qwen2Tokenizer'],
    ['gpt2', undefined, 'byte', 'GPT2Tokenizer'],
    ['gpt2', 'TokenizersBackend', 'byte', 'TokenizersBackend'],
  ];
  it.each(picked)('model_type %j, tokenizer_class %j, %s tokenizer.json: transformers 5.25 runs %s', (modelType, declared, kind, expected) => {
    const tokenizerJson = kind === 'spm' ? legacyLlamaJson() : { ...legacyLlamaJson(), normalizer: null, pre_tokenizer: { type: 'ByteLevel' } };
    const cls = transformersTokenizerClass(tokenizerJson, declared === undefined ? {} : { tokenizer_class: declared }, modelType ? { model_type: modelType } : {});
    expect(cls).toBe(expected.replace(/Fast$/, ''));
  });

  it('a class\'s default special tokens fill in what the config leaves out, and are added when missing from the vocabulary', () => {
    const byteLevel = { ...legacyLlamaJson(), normalizer: null, pre_tokenizer: { type: 'ByteLevel' }, post_processor: null };
    // GPT2Tokenizer: bos, eos and unk default to <|endoftext|>, which this vocabulary lacks: it becomes id 8
    const gpt2 = new HfTokenizer(byteLevel, { tokenizer_class: 'GPT2Tokenizer' });
    expect([gpt2.bosToken, gpt2.bosTokenId, gpt2.eosToken, gpt2.eosTokenId]).toEqual(['<|endoftext|>', 8, '<|endoftext|>', 8]);
    expect(gpt2.encode('<|endoftext|>', false)).toEqual([8]);
    // an explicit null stays null
    expect(new HfTokenizer(byteLevel, { tokenizer_class: 'GPT2Tokenizer', eos_token: null }).eosTokenId).toBeUndefined();
    // Qwen2Tokenizer: eos and pad default to <|endoftext|>, no BOS
    const qwen = new HfTokenizer(byteLevel, {}, undefined, undefined, { model_type: 'qwen2' });
    expect([qwen.bosTokenId, qwen.eosToken, qwen.eosTokenId, qwen.padTokenId]).toEqual([undefined, '<|endoftext|>', 8, 8]);
    // tokenizer.json as written: no defaults
    expect(new HfTokenizer(byteLevel, {}).eosTokenId).toBeUndefined();
  });
});
