// The GGUF tokenizer (llama.cpp's, from the file) against the Hugging Face tokenizer of the same
// folder on real text: identical ids with and without special tokens, identical decoding, special
// tokens recognised in text, BOS only where the file says so.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGgufHeader } from '../../../src/engines/llamacpp/gguf-file.js';
import { GgufTokenizer } from '../../../src/engines/llamacpp/tokenizer.js';
import { HfTokenizer } from '../../../src/engines/hf-tokenizer.js';
import { sampleSplits } from '../../../src/demo/sample-docs.js';
import { tinyGgufModel } from '../../helpers/gguf-model.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

let gguf: GgufTokenizer;
let hf: HfTokenizer;
let noBos: GgufTokenizer;
let hfNoBos: HfTokenizer;

beforeAll(async () => {
  const dir = await tinyGgufModel();
  gguf = await GgufTokenizer.open(readGgufHeader(join(dir, 'model.gguf')));
  hf = HfTokenizer.fromFolder(dir);
  const other = await tinyGgufModel({ bos: false });
  noBos = await GgufTokenizer.open(readGgufHeader(join(other, 'model.gguf')));
  hfNoBos = HfTokenizer.fromFolder(other);
});

afterAll(async () => {
  await gguf?.close();
  await noBos?.close();
});

/** Real text: the repository's docs and specs, the demo's documents, and LAMBADA passages when shared/ is beside the repo. */
function realTexts(): string[] {
  const texts: string[] = [];
  for (const folder of [join(ROOT, 'docs'), join(ROOT, '..', 'shared', 'spec')]) {
    if (!existsSync(folder)) continue;
    for (const f of readdirSync(folder).filter((n) => n.endsWith('.md'))) texts.push(...readFileSync(join(folder, f), 'utf8').split(/\n\n/));
  }
  texts.push(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  for (const s of sampleSplits()) for (const d of s.docs) texts.push(...Object.values(d).filter((v): v is string => typeof v === 'string'));
  const lambada = join(ROOT, '..', 'shared', 'data', 'lambada_openai', 'test.jsonl');
  if (existsSync(lambada)) {
    for (const line of readFileSync(lambada, 'utf8').split('\n').slice(0, 300)) if (line) texts.push((JSON.parse(line) as { text: string }).text);
  }
  // whitespace runs, digits, punctuation runs, non-Latin scripts, emoji, contractions in odd cases
  texts.push('  leading spaces', 'trailing   ', 'tabs\tand\nnewlines\r\n\n', '3.14159 and 1,000,000', "It'S I'LL we're", 'naïve café — “quotes”', '日本語のテキスト', '👍🏽 emoji', '');
  return texts;
}

describe('GgufTokenizer', () => {
  it('gives the Hugging Face ids on real text, with and without special tokens', () => {
    const texts = realTexts();
    expect(texts.length).toBeGreaterThan(300);
    let tokens = 0;
    for (const t of texts) {
      const expected = hf.encode(t, false);
      expect(gguf.encode(t, false), JSON.stringify(t.slice(0, 80))).toEqual(expected);
      expect(gguf.encode(t, true)).toEqual(hf.encode(t, true));
      expect(noBos.encode(t, true)).toEqual(hfNoBos.encode(t, true));
      tokens += expected.length;
    }
    expect(tokens).toBeGreaterThan(20000);
  });

  it('decodes as the Hugging Face tokenizer does, keeping spaces before punctuation', () => {
    for (const t of [...realTexts().slice(0, 200), 'Hello , world ? Yes . Ok !', "a ' b"]) {
      const ids = hf.encode(t, false);
      expect(gguf.decode(ids, false)).toBe(hf.decode(ids, false));
    }
  });

  it('recognises special-token text and renders or skips special tokens like HF', () => {
    const text = '<|im_start|>user hi<|im_end|><|endoftext|>';
    expect(gguf.encode(text, false)).toEqual(hf.encode(text, false));
    const ids = hf.encode(text, true);
    expect(gguf.decode(ids, false)).toBe(hf.decode(ids, false));
    expect(gguf.decode(ids, true)).toBe(hf.decode(ids, true));
  });

  it('reports BOS, EOS, pad and vocabulary lookups from the file', () => {
    expect(gguf.source).toBe('gguf');
    expect(gguf.bosTokenId).toBe(hf.bosTokenId);
    expect(gguf.eosTokenId).toBe(hf.eosTokenId);
    expect(gguf.padTokenId).toBe(hf.padTokenId);
    expect(gguf.bosToken).toBe('<|endoftext|>');
    for (const token of ['<|im_end|>', 'Ġthe', 'e']) expect(gguf.tokenToId(token)).toBe(hf.tokenToId(token));
    expect(gguf.tokenToId('no such token')).toBeUndefined();
    expect(gguf.encode('', true)).toEqual(hf.encode('', true));
    expect(noBos.encode('', true)).toEqual([]);
  });
});
