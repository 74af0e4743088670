// What transformers 5 (AutoTokenizer) runs, given a folder's tokenizer.json, tokenizer_config.json and
// config.json: it picks a tokenizer class (from the model type for some types, else from the declared
// class), and its tokenizer classes rebuild parts of the pipeline instead of taking them from
// tokenizer.json, so reading tokenizer.json as written would give other ids for some texts.
// Checked against transformers 5.25 by tests/engines/hf-tokenizer-fixtures.test.ts.

type Json = Record<string, unknown>;

const LLAMA_CLASSES = new Set(['LlamaTokenizer', 'CodeLlamaTokenizer']);
/** Qwen2Tokenizer's split (transformers' models/qwen2/tokenization_qwen2.py): one digit per piece. */
const QWEN2_SPLIT = String.raw`(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`;
/** "tokenizer.json as written": transformers' TokenizersBackend, which rebuilds nothing */
const AS_WRITTEN = 'TokenizersBackend';
/** the class AutoTokenizer registers for a model type, used when a folder declares none (supported types only) */
const REGISTERED: Record<string, string> = { gpt2: 'GPT2Tokenizer', qwen2: 'Qwen2Tokenizer', qwen3: 'Qwen2Tokenizer' };

/** Special tokens a tokenizer class fills in where tokenizer_config.json does not name them (an explicit null stays). */
const LLAMA_SPECIAL_DEFAULTS: Json = { bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>' };
const CLASS_SPECIAL_DEFAULTS: Record<string, Json> = {
  GPT2Tokenizer: { bos_token: '<|endoftext|>', eos_token: '<|endoftext|>', unk_token: '<|endoftext|>' },
  Qwen2Tokenizer: { eos_token: '<|endoftext|>', unk_token: '<|endoftext|>', pad_token: '<|endoftext|>' },
  LlamaTokenizer: LLAMA_SPECIAL_DEFAULTS,
  CodeLlamaTokenizer: LLAMA_SPECIAL_DEFAULTS,
};
/** tokenizer_config.json's special-token fields, in the order transformers adds the ones missing from the vocabulary */
export const SPECIAL_KEYS = ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token'];

/** A special token's text: a string, or an AddedToken object's content. */
export function tokenText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as Json).content === 'string') return (v as Json).content as string;
  return undefined;
}

/** A ByteLevel pre-tokenizer anywhere in the pipeline (Llama 3 style repos that still say LlamaTokenizer). */
function isByteLevel(tokenizerJson: Json): boolean {
  const pre = tokenizerJson.pre_tokenizer as Json | null | undefined;
  const parts = pre?.type === 'Sequence' ? ((pre.pretokenizers as Json[]) ?? []) : pre ? [pre] : [];
  return parts.some((p) => p.type === 'ByteLevel');
}

/**
 * The tokenizer class transformers 5.25's AutoTokenizer picks for a folder (no remote code, no
 * mistral-common), without the "Fast" suffix:
 * - model type qwen2: Qwen2Tokenizer, whatever the folder declares (transformers lists qwen2 among the types
 *   whose hub class is wrong);
 * - model type mistral: tokenizer.json as written (its registered MistralCommonBackend needs mistral-common
 *   and a tekken.json; without them AutoTokenizer falls back to TokenizersBackend), even for a LlamaTokenizer;
 * - otherwise the declared class (tokenizer_config.json, else config.json), except that a LlamaTokenizer with
 *   a byte-level tokenizer.json is read as written; no declared class: the model type's registered class,
 *   else as written.
 */
export function transformersTokenizerClass(tokenizerJson: Json, tokenizerConfig: Json, modelConfig: Json = {}): string {
  const modelType = typeof modelConfig.model_type === 'string' ? modelConfig.model_type : '';
  if (modelType === 'qwen2') return 'Qwen2Tokenizer';
  if (modelType === 'mistral') return AS_WRITTEN;
  const declaredValue = tokenizerConfig.tokenizer_class ?? modelConfig.tokenizer_class;
  const declared = typeof declaredValue === 'string' ? declaredValue.replace(/Fast$/, '') : '';
  if (declared === '') return REGISTERED[modelType] ?? AS_WRITTEN;
  if (declared === 'PreTrainedTokenizer') return AS_WRITTEN; // PreTrainedTokenizerFast is TokenizersBackend in 5.x
  if (LLAMA_CLASSES.has(declared) && isByteLevel(tokenizerJson)) return AS_WRITTEN;
  return declared;
}

/**
 * tokenizer.json and tokenizer_config.json as transformers 5 effectively runs them: the class's pipeline, its
 * default special tokens where the config names none, and special tokens missing from the vocabulary added
 * after it (as AutoTokenizer does). Returns new objects; the inputs are unchanged.
 */
export function asTransformersLoads(tokenizerJson: Json, config: Json, modelConfig: Json = {}): { tokenizerJson: Json; tokenizerConfig: Json } {
  const cls = transformersTokenizerClass(tokenizerJson, config, modelConfig);
  const tokenizerConfig: Json = { ...CLASS_SPECIAL_DEFAULTS[cls], ...config };
  return { tokenizerJson: withSpecialTokens(classPipeline(tokenizerJson, config, cls), tokenizerConfig), tokenizerConfig };
}

/** Special tokens the config names that are neither in the vocabulary nor added tokens, added with the next ids. */
function withSpecialTokens(tokenizerJson: Json, config: Json): Json {
  const vocab = (tokenizerJson.model as Json | undefined)?.vocab;
  if (!vocab || typeof vocab !== 'object' || Array.isArray(vocab)) return tokenizerJson; // Unigram: a list, left alone
  const added = (tokenizerJson.added_tokens as Json[] | undefined) ?? [];
  const known = new Set<string>([...Object.keys(vocab), ...added.map((t) => String(t.content))]);
  const missing = [...new Set(SPECIAL_KEYS.map((key) => tokenText(config[key])))].filter((c): c is string => c !== undefined && !known.has(c));
  if (missing.length === 0) return tokenizerJson;
  let next = 0;
  for (const id of Object.values(vocab as Record<string, number>)) next = Math.max(next, id + 1);
  for (const t of added) next = Math.max(next, Number(t.id) + 1);
  const extra = missing.map((content) => ({ id: next++, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }));
  return { ...tokenizerJson, added_tokens: [...added, ...extra] };
}

/** The decoder and BPE settings GPT2Tokenizer and Qwen2Tokenizer both rebuild: byte-level, no unknown token, merges not ignored. */
function byteLevelBpe(tokenizerJson: Json): Json {
  const { unk_token: _unk, ...model } = tokenizerJson.model as Json;
  return {
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { ...model, dropout: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, ignore_merges: false },
  };
}

/** The pipeline the class rebuilds around tokenizer.json's vocabulary, merges and post-processor. */
function classPipeline(tokenizerJson: Json, config: Json, cls: string): Json {
  const out: Json = { ...tokenizerJson };
  // LlamaTokenizer (Llama 2, TinyLlama, Mistral v0.1 folders) keeps the vocabulary, merges and
  // post-processor: no normalizer, a Metaspace pre-tokenizer that prepends "▁" to the first piece
  // only (every piece when legacy), byte fallback. add_bos_token / add_eos_token in
  // tokenizer_config.json change nothing in 5.25: tokenizer.json's post-processor decides BOS.
  if (LLAMA_CLASSES.has(cls) && (tokenizerJson.model as Json | undefined)?.type === 'BPE') {
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
  if (cls === 'GPT2Tokenizer' && (tokenizerJson.model as Json | undefined)?.type === 'BPE') {
    out.normalizer = null;
    out.pre_tokenizer = { type: 'ByteLevel', add_prefix_space: config.add_prefix_space === true, trim_offsets: true, use_regex: true };
    Object.assign(out, byteLevelBpe(tokenizerJson));
  }
  // Qwen2Tokenizer (Qwen2, Qwen2.5, Qwen3) keeps the vocabulary, merges and post-processor but runs its own
  // pipeline: NFC, Qwen's split, ByteLevel without its regex, BPE that does not ignore merges. The hub's
  // Qwen tokenizer.json files say the same; any other tokenizer.json in a qwen2 folder is read this way too.
  if (cls === 'Qwen2Tokenizer' && (tokenizerJson.model as Json | undefined)?.type === 'BPE') {
    out.normalizer = { type: 'NFC' };
    out.pre_tokenizer = {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: QWEN2_SPLIT }, behavior: 'Isolated', invert: false },
        { type: 'ByteLevel', add_prefix_space: config.add_prefix_space === true, trim_offsets: true, use_regex: false },
      ],
    };
    Object.assign(out, byteLevelBpe(tokenizerJson));
  }
  return out;
}

/** transformers 5 ignores clean_up_tokenization_spaces for BPE models (it would eat real spaces). */
export function cleansUpSpaces(tokenizerJson: Json, config: Json): boolean {
  if (config.clean_up_tokenization_spaces !== true) return false;
  return (tokenizerJson.model as Json | undefined)?.type !== 'BPE' || config.clean_up_tokenization_spaces_for_bpe_even_though_it_will_corrupt_output === true;
}
