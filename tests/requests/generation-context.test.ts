// The generation context of a generate_until request (semantics §5.4): BOS as for loglikelihood
// requests (no second BOS when the text starts with it), left-truncated to max_length - max_gen_toks
// with Python's slice semantics (`ids[-n:]`, and no truncation when n is 0).
import { beforeAll, describe, expect, it } from 'vitest';
import { HfTokenizer } from '../../src/engines/hf-tokenizer.js';
import { encodeGenerationContext } from '../../src/requests/tokenize.js';
import { tinyModel } from '../helpers/tiny-model.js';

let tok: HfTokenizer;
const context = 'Problem: What is 2+2?\nAnswer:';

beforeAll(async () => {
  tok = HfTokenizer.fromFolder(await tinyModel({ bos: true }));
});

describe('encodeGenerationContext', () => {
  it('follows the BOS policy', () => {
    const plain = tok.encode(context, false);
    expect(encodeGenerationContext(tok, context, 'tokenizer', 2048, 256)).toEqual([tok.bosTokenId, ...plain]);
    expect(encodeGenerationContext(tok, context, 'never', 2048, 256)).toEqual(plain);
    expect(encodeGenerationContext(tok, tok.bosToken! + context, 'tokenizer', 2048, 256)).toEqual(tok.encode(tok.bosToken! + context, false));
  });

  it('keeps the last max_length - max_gen_toks tokens', () => {
    const ids = [tok.bosTokenId!, ...tok.encode(context, false)];
    expect(ids.length).toBeGreaterThan(6);
    expect(encodeGenerationContext(tok, context, 'tokenizer', 10, 4)).toEqual(ids.slice(-6));
    // Python ids[-0:] is the whole list: lm-eval skips truncation when the length is 0
    expect(encodeGenerationContext(tok, context, 'tokenizer', 4, 4)).toEqual(ids);
  });
});
