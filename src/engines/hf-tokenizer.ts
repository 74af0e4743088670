// The Hugging Face tokenizer (tokenizer.json + tokenizer_config.json) behind the EngineTokenizer
// interface, via @huggingface/tokenizers, with the pipeline transformers 5 actually runs.
import { createHash } from 'node:crypto';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { YardstickError } from '../errors.js';
import { asTransformersLoads, cleansUpSpaces, SPECIAL_KEYS, tokenText } from './transformers-tokenizer.js';
import type { ChatTemplates, EngineTokenizer } from './types.js';

type Json = Record<string, unknown>;

// Enough for every choice of one document (MMLU 4, the widest seed task a handful); a text this many
// encodings ago is encoded again, which costs time but never changes the result.
const RECENT_ENCODINGS = 32;

/** Chat templates saved as files: chat_template.jinja ("default") and additional_chat_templates/NAME.jinja. */
function chatTemplateFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const main = join(dir, 'chat_template.jinja');
  if (existsSync(main)) out.default = readFileSync(main, 'utf8');
  const extra = join(dir, 'additional_chat_templates');
  if (existsSync(extra)) {
    for (const f of readdirSync(extra).filter((f) => f.endsWith('.jinja')).sort()) out[f.slice(0, -'.jinja'.length)] = readFileSync(join(extra, f), 'utf8');
  }
  return out;
}

/**
 * transformers' loading rule: template files, when present, replace the config's chat_template; one
 * "default" file is a single template. The config's chat_template is a string or a list of
 * {name, template}. The special tokens are those a template sees, pad as lm-eval configures it.
 */
export function hfChatTemplates(tokenizerConfig: Json, files: Record<string, string> = {}): ChatTemplates | undefined {
  const specialTokens: Record<string, string> = {};
  for (const name of SPECIAL_KEYS) {
    const text = tokenText(tokenizerConfig[name]);
    if (text !== undefined) specialTokens[name] = text;
  }
  // lm-eval's configure_pad_token: a tokenizer without a pad token gets unk, else eos
  const pad = specialTokens.pad_token ?? specialTokens.unk_token ?? specialTokens.eos_token;
  if (pad !== undefined) specialTokens.pad_token = pad;
  const names = Object.keys(files);
  if (names.length > 0) {
    const single = names.length === 1 && names[0] === 'default';
    return { templates: single ? files.default! : files, source: single ? 'chat_template.jinja' : 'chat_template.jinja, additional_chat_templates/', specialTokens };
  }
  const cfg = tokenizerConfig.chat_template;
  if (typeof cfg === 'string') return { templates: cfg, source: 'tokenizer_config.json', specialTokens };
  if (Array.isArray(cfg)) {
    const named: Record<string, string> = {};
    for (const t of cfg) {
      if (t && typeof t === 'object' && typeof (t as Json).name === 'string' && typeof (t as Json).template === 'string') named[(t as Json).name as string] = (t as Json).template as string;
    }
    if (Object.keys(named).length > 0) return { templates: named, source: 'tokenizer_config.json', specialTokens };
  }
  return undefined;
}

export class HfTokenizer implements EngineTokenizer {
  readonly source = 'tokenizer.json';
  readonly sha256: string;
  readonly bosToken?: string;
  readonly eosToken?: string;
  readonly padToken?: string;
  readonly bosTokenId?: number;
  readonly eosTokenId?: number;
  readonly padTokenId: number;
  /** tokenizer_config.json's model_max_length, when finite */
  readonly modelMaxLength?: number;
  readonly cleanUpTokenizationSpaces: boolean;
  readonly chatTemplates?: ChatTemplates;
  private readonly tok: Tokenizer;
  /** the last few encodings, oldest first: lm-eval encodes a multiple-choice context once per choice */
  private readonly recent = new Map<string, number[]>();

  /**
   * modelConfig: the folder's config.json (its model_type can choose the tokenizer class, as in transformers).
   * sha256 should cover all three files' bytes; it defaults to a hash of the three objects.
   */
  constructor(tokenizerJsonAsWritten: Json, tokenizerConfigAsWritten: Json, sha256?: string, chatTemplates?: ChatTemplates, modelConfig: Json = {}) {
    this.sha256 =
      sha256 ??
      createHash('sha256')
        .update(JSON.stringify([tokenizerJsonAsWritten, tokenizerConfigAsWritten, modelConfig.model_type ?? null, modelConfig.tokenizer_class ?? null]))
        .digest('hex');
    const { tokenizerJson, tokenizerConfig } = asTransformersLoads(tokenizerJsonAsWritten, tokenizerConfigAsWritten, modelConfig);
    this.tok = new Tokenizer(tokenizerJson, tokenizerConfig);
    this.bosToken = tokenText(tokenizerConfig.bos_token);
    this.eosToken = tokenText(tokenizerConfig.eos_token);
    this.padToken = tokenText(tokenizerConfig.pad_token);
    this.bosTokenId = this.bosToken === undefined ? undefined : this.tok.token_to_id(this.bosToken);
    this.eosTokenId = this.eosToken === undefined ? undefined : this.tok.token_to_id(this.eosToken);
    const unk = tokenText(tokenizerConfig.unk_token);
    const padId = this.padToken !== undefined ? this.tok.token_to_id(this.padToken) : undefined;
    const unkId = unk !== undefined ? this.tok.token_to_id(unk) : undefined;
    // lm-eval: pad = unk if present, else eos; padding never influences scored positions.
    this.padTokenId = padId ?? unkId ?? this.eosTokenId ?? 0;
    const mml = tokenizerConfig.model_max_length;
    this.modelMaxLength = typeof mml === 'number' && mml < 1e15 ? mml : undefined;
    this.cleanUpTokenizationSpaces = cleansUpSpaces(tokenizerJson, tokenizerConfig);
    this.chatTemplates = chatTemplates ?? hfChatTemplates(tokenizerConfig);
  }

  static fromFolder(dir: string): HfTokenizer {
    const tjPath = join(dir, 'tokenizer.json');
    if (!existsSync(tjPath)) {
      throw new YardstickError('model', `no tokenizer.json in model folder ${dir}`, {
        hint: 'the folder must be a Hugging Face model folder (config.json, tokenizer.json, onnx/model.onnx)',
      });
    }
    const cfgPath = join(dir, 'tokenizer_config.json');
    const hash = createHash('sha256');
    const parse = (p: string, hashed = true): Json => {
      try {
        const bytes = readFileSync(p);
        if (hashed) hash.update(bytes);
        return JSON.parse(bytes.toString('utf8')) as Json;
      } catch (e) {
        throw new YardstickError('model', `cannot parse ${p}: ${(e as Error).message}`, {
          hint: 'the file is corrupt; re-download or re-create the model folder',
        });
      }
    };
    const tokenizerJson = parse(tjPath);
    const tokenizerConfig = existsSync(cfgPath) ? parse(cfgPath) : {};
    // older folders name their special tokens only in special_tokens_map.json, which transformers
    // also reads; tokenizer_config.json wins where both do
    const mapPath = join(dir, 'special_tokens_map.json');
    if (existsSync(mapPath)) {
      const map = parse(mapPath);
      for (const key of ['bos_token', 'eos_token', 'unk_token', 'pad_token']) {
        if (tokenizerConfig[key] === undefined && map[key] !== undefined) tokenizerConfig[key] = map[key];
      }
    }
    // config.json's model type and declared class can choose the tokenizer class (transformers-tokenizer.ts)
    const modelPath = join(dir, 'config.json');
    const { model_type: modelType, tokenizer_class: declaredClass } = existsSync(modelPath) ? parse(modelPath, false) : ({} as Json);
    hash.update(JSON.stringify({ model_type: modelType ?? null, tokenizer_class: declaredClass ?? null }));
    // the templates change prompts, not token ids, so they stay out of the tokenizer hash
    return new HfTokenizer(tokenizerJson, tokenizerConfig, hash.digest('hex'), hfChatTemplates(tokenizerConfig, chatTemplateFiles(dir)), {
      model_type: modelType,
      tokenizer_class: declaredClass,
    });
  }

  /** HF `tokenizer.encode(text, add_special_tokens=...)`. Returns a fresh array the caller may change. */
  encode(text: string, addSpecialTokens: boolean): number[] {
    const key = (addSpecialTokens ? '1' : '0') + text;
    const hit = this.recent.get(key);
    if (hit) return hit.slice();
    const ids = this.tok.encode(text, { add_special_tokens: addSpecialTokens }).ids;
    this.recent.set(key, ids);
    if (this.recent.size > RECENT_ENCODINGS) this.recent.delete(this.recent.keys().next().value!);
    return ids.slice();
  }

  /** HF `tokenizer.decode(ids, skip_special_tokens=...)`, with the folder's clean-up setting. */
  decode(ids: number[], skipSpecialTokens: boolean): string {
    if (ids.length === 0) return ''; // the library refuses an empty list; transformers returns ''
    return this.tok.decode(ids, {
      skip_special_tokens: skipSpecialTokens,
      clean_up_tokenization_spaces: this.cleanUpTokenizationSpaces,
    });
  }

  tokenToId(token: string): number | undefined {
    return this.tok.token_to_id(token);
  }
}
