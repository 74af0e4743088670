// What transformers 5 (AutoTokenizer) runs, given a folder's tokenizer.json and
// tokenizer_config.json: its tokenizer classes rebuild parts of the pipeline instead of taking them
// from tokenizer.json, so reading tokenizer.json as written would give other ids for some texts.
// Checked against transformers 5.25 by tests/engines/hf-tokenizer-fixtures.test.ts.

type Json = Record<string, unknown>;

const LLAMA_CLASSES = new Set(['LlamaTokenizer', 'LlamaTokenizerFast', 'CodeLlamaTokenizer', 'CodeLlamaTokenizerFast']);
const GPT2_CLASSES = new Set(['GPT2Tokenizer', 'GPT2TokenizerFast']);

/** A ByteLevel pre-tokenizer anywhere in the pipeline (Llama 3 style repos that still say LlamaTokenizer). */
function isByteLevel(tokenizerJson: Json): boolean {
  const pre = tokenizerJson.pre_tokenizer as Json | null | undefined;
  const parts = pre?.type === 'Sequence' ? ((pre.pretokenizers as Json[]) ?? []) : pre ? [pre] : [];
  return parts.some((p) => p.type === 'ByteLevel');
}

/** tokenizer.json as transformers 5 effectively runs it. Returns a new object; the input is unchanged. */
export function asTransformersLoads(tokenizerJson: Json, config: Json): Json {
  const out: Json = { ...tokenizerJson };
  const declared = String(config.tokenizer_class ?? '');
  // LlamaTokenizer (Llama 2, TinyLlama, Mistral v0.1 folders) keeps the vocabulary, merges and
  // post-processor: no normalizer, a Metaspace pre-tokenizer that prepends "▁" to the first piece
  // only (every piece when legacy), byte fallback. add_bos_token / add_eos_token in
  // tokenizer_config.json change nothing in 5.25: tokenizer.json's post-processor decides BOS.
  if (LLAMA_CLASSES.has(declared) && !isByteLevel(tokenizerJson) && (tokenizerJson.model as Json | undefined)?.type === 'BPE') {
    const addPrefixSpace = config.add_prefix_space !== false;
    const legacy = config.legacy === true;
    out.normalizer = null;
    out.pre_tokenizer = { type: 'Metaspace', replacement: '▁', prepend_scheme: addPrefixSpace ? (legacy ? 'always' : 'first') : 'never', split: false };
    out.decoder = {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: '▁' }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
        ...(addPrefixSpace ? [{ type: 'Strip', content: ' ', start: 1, stop: 0 }] : []),
      ],
    };
    out.model = { ...(tokenizerJson.model as Json), byte_fallback: true, fuse_unk: true };
  }
  // GPT2Tokenizer (SmolLM, SmolLM2, GPT-2) keeps the vocabulary, merges and post-processor but runs GPT-2's
  // own byte-level pipeline: no normalizer, ByteLevel(add_prefix_space) with GPT-2's regex, nothing else. A
  // Digits step in tokenizer.json (SmolLM's) is dropped, which changes whitespace runs before a digit:
  // "\n\n1" is "\n", "\n", "1" for transformers 5, "\n\n", "1" for tokenizer.json read as written.
  if (GPT2_CLASSES.has(declared) && (tokenizerJson.model as Json | undefined)?.type === 'BPE') {
    out.normalizer = null;
    out.pre_tokenizer = { type: 'ByteLevel', add_prefix_space: config.add_prefix_space === true, trim_offsets: true, use_regex: true };
    out.decoder = { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true };
    const { unk_token: _unk, ...model } = tokenizerJson.model as Json;
    out.model = { ...model, dropout: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, ignore_merges: false };
  }
  return out;
}

/** transformers 5 ignores clean_up_tokenization_spaces for BPE models (it would eat real spaces). */
export function cleansUpSpaces(tokenizerJson: Json, config: Json): boolean {
  if (config.clean_up_tokenization_spaces !== true) return false;
  return (tokenizerJson.model as Json | undefined)?.type !== 'BPE' || config.clean_up_tokenization_spaces_for_bpe_even_though_it_will_corrupt_output === true;
}
