// HfTokenizer.encode keeps its last few encodings: the ids must always be what the underlying
// tokenizer returns, whatever was encoded before and whatever the caller did with earlier arrays.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { HfTokenizer } from '../../src/engines/hf-tokenizer.js';
import { tinyModel } from '../helpers/tiny-model.js';

let tok: HfTokenizer;
let direct: Tokenizer;

beforeAll(async () => {
  const dir = await tinyModel({ bos: true });
  tok = HfTokenizer.fromFolder(dir);
  const json = (f: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>;
  direct = new Tokenizer(json('tokenizer.json'), json('tokenizer_config.json'));
});

const expected = (text: string, special: boolean): number[] => direct.encode(text, { add_special_tokens: special }).ids;

describe('HfTokenizer.encode', () => {
  it('returns the tokenizer ids on repeated calls, keeping add_special_tokens apart', () => {
    const text = 'The following are multiple choice questions (with answers) about anatomy.\nAnswer:';
    for (let i = 0; i < 3; i++) {
      expect(tok.encode(text, true)).toEqual(expected(text, true));
      expect(tok.encode(text, false)).toEqual(expected(text, false));
    }
    // the tiny tokenizer prepends BOS, so the two encodings differ
    expect(expected(text, true)).not.toEqual(expected(text, false));
  });

  it('hands out arrays the caller may change without affecting later calls', () => {
    const text = 'Question: which bone is the longest?';
    const first = tok.encode(text, false);
    first.push(99);
    first[0] = -1;
    expect(tok.encode(text, false)).toEqual(expected(text, false));
  });

  it('still encodes a text correctly after many others were encoded in between', () => {
    const texts = Array.from({ length: 100 }, (_, i) => `document ${i}: ${'word '.repeat(i % 7)}end`);
    const firstPass = texts.map((t) => tok.encode(t, true));
    const secondPass = texts.map((t) => tok.encode(t, true));
    expect(secondPass).toEqual(texts.map((t) => expected(t, true)));
    expect(firstPass).toEqual(secondPass);
  });
});

describe('HfTokenizer.fromFolder', () => {
  it('takes special tokens from special_tokens_map.json where tokenizer_config.json has none', async () => {
    const { cpSync, mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = join(mkdtempSync(join(tmpdir(), 'yardstick-tok-')), 'm');
    cpSync(await tinyModel({ bos: true }), dir, { recursive: true });
    const config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
    delete config.eos_token;
    delete config.unk_token;
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(config));
    expect(HfTokenizer.fromFolder(dir).eosTokenId).toBeUndefined();
    writeFileSync(join(dir, 'special_tokens_map.json'), JSON.stringify({ eos_token: { content: '<|im_end|>' }, bos_token: '<|im_start|>' }));
    const tok = HfTokenizer.fromFolder(dir);
    expect(tok.eosToken).toBe('<|im_end|>');
    expect(tok.eosTokenId).toBe(2);
    expect(tok.bosToken).toBe('<|endoftext|>'); // tokenizer_config.json's own bos_token wins
  });
});
