// The GGUF's own tokenizer (llama.cpp's, through a vocabulary-only load in this process) behind
// EngineTokenizer, with Hugging Face encode/decode semantics: special-token text in the input is
// always recognised (as HF's added tokens are), BOS/EOS are added only with add_special_tokens and
// only as the file's tokenizer.ggml.add_bos_token / add_eos_token say.
import { createHash } from 'node:crypto';
import type { Llama, LlamaModel, Token } from 'node-llama-cpp';
import { YardstickError } from '../../errors.js';
import type { ChatTemplates, EngineTokenizer } from '../types.js';
import { metaNumber, metaString, type GgufHeader } from './gguf-file.js';

let mainLlama: Promise<Llama> | undefined;

/** One CPU llama.cpp binding for this process; it only ever loads vocabularies (no weights, no compute). */
function vocabLlama(): Promise<Llama> {
  mainLlama ??= import('node-llama-cpp').then(({ getLlama, LlamaLogLevel }) =>
    getLlama({ gpu: false, build: 'never', progressLogs: false, logLevel: LlamaLogLevel.error }),
  );
  return mainLlama;
}

/** sha256 over the file's tokenizer.* metadata, in key order: what defines the tokenizer. */
export function tokenizerDigest(header: GgufHeader): string {
  const hash = createHash('sha256');
  for (const key of [...header.metadata.keys()].filter((k) => k.startsWith('tokenizer.')).sort()) {
    hash.update(key).update('\0').update(JSON.stringify(header.metadata.get(key), (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).update('\0');
  }
  return hash.digest('hex');
}

/** The file's tokenizer.chat_template, and named ones (tokenizer.chat_template.NAME), as llama.cpp's converter writes them. */
function ggufChatTemplates(header: GgufHeader, tokens: string[], ids: Record<string, number | undefined>): ChatTemplates | undefined {
  const main = metaString(header, 'tokenizer.chat_template');
  const named: Record<string, string> = {};
  for (const key of header.metadata.keys()) {
    const v = metaString(header, key);
    if (key.startsWith('tokenizer.chat_template.') && v !== undefined) named[key.slice('tokenizer.chat_template.'.length)] = v;
  }
  if (main === undefined && Object.keys(named).length === 0) return undefined;
  const specialTokens: Record<string, string> = {};
  for (const [name, id] of Object.entries(ids)) if (id !== undefined) specialTokens[name] = tokens[id]!;
  if (Object.keys(named).length === 0) return { templates: main!, source: 'gguf tokenizer.chat_template', specialTokens };
  return { templates: main === undefined ? named : { default: main, ...named }, source: 'gguf tokenizer.chat_template', specialTokens };
}

export class GgufTokenizer implements EngineTokenizer {
  readonly source = 'gguf';
  readonly bosToken?: string;
  readonly eosToken?: string;
  readonly padToken?: string;
  readonly bosTokenId?: number;
  readonly eosTokenId?: number;
  readonly padTokenId: number;
  readonly modelMaxLength?: number;
  readonly chatTemplates?: ChatTemplates;
  private readonly ids = new Map<string, number>();
  private readonly addBos: boolean;
  private readonly addEos: boolean;

  private constructor(
    private readonly model: LlamaModel,
    header: GgufHeader,
    readonly sha256: string,
  ) {
    const tokens = header.metadata.get('tokenizer.ggml.tokens') as string[];
    tokens.forEach((t, id) => {
      if (!this.ids.has(t)) this.ids.set(t, id);
    });
    const id = (key: string): number | undefined => {
      const v = metaNumber(header, key);
      return v !== undefined && v >= 0 && v < tokens.length ? v : undefined;
    };
    this.bosTokenId = id('tokenizer.ggml.bos_token_id');
    this.eosTokenId = id('tokenizer.ggml.eos_token_id');
    const padId = id('tokenizer.ggml.padding_token_id');
    this.bosToken = this.bosTokenId === undefined ? undefined : tokens[this.bosTokenId];
    this.eosToken = this.eosTokenId === undefined ? undefined : tokens[this.eosTokenId];
    this.padToken = padId === undefined ? undefined : tokens[padId];
    // lm-eval's pad: pad, else unk, else eos; padding never reaches a scored position
    this.padTokenId = padId ?? id('tokenizer.ggml.unknown_token_id') ?? this.eosTokenId ?? 0;
    const unkId = id('tokenizer.ggml.unknown_token_id');
    this.chatTemplates = ggufChatTemplates(header, tokens, { bos_token: this.bosTokenId, eos_token: this.eosTokenId, unk_token: unkId, pad_token: padId ?? unkId ?? this.eosTokenId });
    // what llama.cpp itself decided from the file (add_bos_token, or the pre-tokenizer's default)
    this.addBos = model.tokens.shouldPrependBosToken && this.bosTokenId !== undefined;
    this.addEos = model.tokens.shouldAppendEosToken && this.eosTokenId !== undefined;
  }

  static async open(header: GgufHeader): Promise<GgufTokenizer> {
    let llama: Llama;
    try {
      llama = await vocabLlama();
    } catch (e) {
      throw new YardstickError('engine', `cannot start llama.cpp (node-llama-cpp): ${String((e as Error).message ?? e).split('\n')[0]}`, {
        hint: 'reinstall with npm ci; its prebuilt binaries come from the @node-llama-cpp/* packages',
      });
    }
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: header.path, vocabOnly: true, gpuLayers: 0 });
    } catch (e) {
      throw new YardstickError('model', `llama.cpp cannot read the tokenizer of ${header.path}: ${(e as Error).message}`, {
        hint: 'the file may need a newer llama.cpp, or be damaged',
      });
    }
    return new GgufTokenizer(model, header, tokenizerDigest(header));
  }

  encode(text: string, addSpecialTokens: boolean): number[] {
    const ids: number[] = text === '' ? [] : Array.from(this.model.tokenize(text, true));
    if (addSpecialTokens) {
      if (this.addBos) ids.unshift(this.bosTokenId!);
      if (this.addEos) ids.push(this.eosTokenId!);
    }
    return ids;
  }

  decode(ids: number[], skipSpecialTokens: boolean): string {
    return this.model.detokenize(ids as Token[], !skipSpecialTokens);
  }

  tokenToId(token: string): number | undefined {
    return this.ids.get(token);
  }

  async close(): Promise<void> {
    if (!this.model.disposed) await this.model.dispose();
  }
}
