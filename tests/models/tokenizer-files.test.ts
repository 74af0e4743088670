// The written tokenizer.json / tokenizer_config.json, loaded with @huggingface/tokenizers.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeModel } from '../../src/models/make-model.js';

type Json = Record<string, unknown>;

let root: string;
const folders: Record<'bos' | 'noBos', { tokenizerJson: Json; tokenizerConfig: Json; tok: Tokenizer }> = {} as never;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'yardstick-tok-'));
  for (const [key, bos] of [
    ['bos', undefined], // the tiny preset's default: prepend BOS
    ['noBos', false],
  ] as const) {
    const outDir = join(root, key);
    await makeModel({ preset: 'tiny', seed: 1, outDir, bos });
    const tokenizerJson = JSON.parse(await readFile(join(outDir, 'tokenizer.json'), 'utf8')) as Json;
    const tokenizerConfig = JSON.parse(await readFile(join(outDir, 'tokenizer_config.json'), 'utf8')) as Json;
    folders[key] = { tokenizerJson, tokenizerConfig, tok: new Tokenizer(tokenizerJson, tokenizerConfig) };
  }
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

const SAMPLES = [
  'The cat sat on the mat.',
  '  leading spaces, trailing spaces   ',
  'Line one\nLine two\n\n\tindented with a tab\r\nwindows line end',
  'Numbers: 3.14159, 2,718 and 1e-5; dates like 2024-06-30.',
  'Unicode: naïve café, Straße, Ελληνικά, 東京, emoji 🚀👍🏽, and a zero-width\u200bjoiner.',
  "Contractions: don't, it's, we're, I'll, they've, she'd.",
  'Symbols ~!@#$%^&*()_+{}|:"<>?`-=[]\\;\',./',
  ' ',
  '\n',
];

describe('tokenizer.json', () => {
  it('round-trips text exactly through encode and decode', () => {
    const { tok } = folders.bos;
    for (const text of SAMPLES) {
      const ids = tok.encode(text, { add_special_tokens: false }).ids;
      expect(tok.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false })).toBe(text);
      // with BOS added, skipping special tokens gives the text back as well
      const withBos = tok.encode(text, { add_special_tokens: true }).ids;
      expect(tok.decode(withBos, { skip_special_tokens: true, clean_up_tokenization_spaces: false })).toBe(text);
    }
  });

  it('encodes the empty string to nothing (plus BOS when asked)', () => {
    const { tok } = folders.bos;
    expect(tok.encode('', { add_special_tokens: false }).ids).toEqual([]);
    expect(tok.encode('', { add_special_tokens: true }).ids).toEqual([0]);
  });

  it('prepends BOS (id 0) only with add_special_tokens, when configured to', () => {
    const { tok } = folders.bos;
    const plain = tok.encode('Hello there', { add_special_tokens: false }).ids;
    expect(plain[0]).not.toBe(0);
    expect(tok.encode('Hello there', { add_special_tokens: true }).ids).toEqual([0, ...plain]);
    expect(folders.bos.tokenizerConfig.add_bos_token).toBe(true);
  });

  it('adds nothing when written with bos: false', () => {
    const { tok } = folders.noBos;
    const plain = tok.encode('Hello there', { add_special_tokens: false }).ids;
    expect(tok.encode('Hello there', { add_special_tokens: true }).ids).toEqual(plain);
    expect(folders.noBos.tokenizerConfig.add_bos_token).toBe(false);
    // the vocabulary is the same either way
    expect(folders.noBos.tokenizerJson.model).toEqual(folders.bos.tokenizerJson.model);
  });

  it('has the special tokens at ids 0, 1, 2 and recognises them in text', () => {
    const { tok } = folders.bos;
    expect(tok.token_to_id('<|endoftext|>')).toBe(0);
    expect(tok.token_to_id('<|im_start|>')).toBe(1);
    expect(tok.token_to_id('<|im_end|>')).toBe(2);
    const ids = tok.encode('<|im_start|>user\nhi<|im_end|><|endoftext|>', { add_special_tokens: false }).ids;
    expect(ids[0]).toBe(1);
    expect(ids.slice(-2)).toEqual([2, 0]);
  });

  it('has a 512-token vocabulary with contiguous ids', () => {
    const model = folders.bos.tokenizerJson.model as { type: string; vocab: Record<string, number>; merges: string[] };
    expect(model.type).toBe('BPE');
    const ids = Object.values(model.vocab).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 512 }, (_, i) => i));
    expect(model.merges.length).toBeGreaterThanOrEqual(512 - 3 - 256);
    expect(folders.bos.tokenizerJson.pre_tokenizer).toMatchObject({ type: 'ByteLevel', add_prefix_space: false });
    expect(folders.bos.tokenizerJson.decoder).toMatchObject({ type: 'ByteLevel' });
  });

  it('encodes ordinary English into multi-byte tokens', () => {
    const { tok } = folders.bos;
    const text =
      'A man is sitting on a roof. He is using a tool to remove the old shingles, and the children ' +
      'watch him from the garden while their mother prepares dinner in the kitchen.';
    const ids = tok.encode(text, { add_special_tokens: false }).ids;
    expect(ids.length).toBeLessThan(Buffer.byteLength(text) / 2);
    // common words are single tokens (Ġ is GPT-2's byte-level space)
    for (const word of ['Ġthe', 'Ġand', 'Ġis', 'Ġof', 'Ġto']) expect(tok.token_to_id(word)).toBeDefined();
  });
});

describe('tokenizer_config.json', () => {
  it('names the special tokens like SmolLM and uses the generic fast tokenizer class', () => {
    const cfg = folders.bos.tokenizerConfig;
    expect(cfg.tokenizer_class).toBe('PreTrainedTokenizerFast');
    expect(cfg.bos_token).toBe('<|endoftext|>');
    expect(cfg.eos_token).toBe('<|endoftext|>');
    expect(cfg.unk_token).toBe('<|endoftext|>');
    expect(cfg.clean_up_tokenization_spaces).toBe(false);
    expect(cfg.model_max_length).toBe(2048);
  });
});
