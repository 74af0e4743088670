// Request construction against lm-eval's rules (spec §5.2-5.5), on hand-written cases.
import { beforeAll, describe, expect, it } from 'vitest';
import { HfTokenizer } from '../../src/engines/hf-tokenizer.js';
import { encodePair, rollingRequests, tokEncode, toScoreRequest } from '../../src/requests/tokenize.js';
import { tinyModel } from '../helpers/tiny-model.js';

let bosTok: HfTokenizer;
let plainTok: HfTokenizer;

beforeAll(async () => {
  bosTok = HfTokenizer.fromFolder(await tinyModel({ bos: true }));
  plainTok = HfTokenizer.fromFolder(await tinyModel({ bos: false }));
});

const rules = { bos: 'tokenizer' as const, maxLength: 2048 };

describe('encodePair', () => {
  it('encodes whole then splits by the context length', () => {
    const { contextTokens, continuationTokens } = encodePair(bosTok, 'The cat sat on the', ' mat', rules);
    const whole = bosTok.encode('The cat sat on the mat', true);
    const ctx = bosTok.encode('The cat sat on the', true);
    expect(contextTokens).toEqual(ctx);
    expect(continuationTokens).toEqual(whole.slice(ctx.length));
    expect(contextTokens[0]).toBe(bosTok.bosTokenId);
  });

  it('moves trailing whitespace of the context to the continuation', () => {
    const moved = encodePair(bosTok, 'Question: why?\nAnswer: ', 'because', rules);
    const ctx = bosTok.encode('Question: why?\nAnswer:', true);
    expect(moved.contextTokens).toEqual(ctx);
    expect(moved.continuationTokens).toEqual(bosTok.encode('Question: why?\nAnswer: because', true).slice(ctx.length));
    // a context ending in two spaces and a newline moves all three characters
    const three = encodePair(bosTok, 'word  \n', 'next', rules);
    expect(three.contextTokens).toEqual(bosTok.encode('word', true));
    expect(bosTok.decode(three.continuationTokens, false)).toBe('  \nnext');
  });

  it('keeps multi-token continuations whole', () => {
    const { continuationTokens } = encodePair(plainTok, 'Paris is the capital of', ' France and of the French republic', rules);
    expect(continuationTokens.length).toBeGreaterThan(3);
    expect(plainTok.decode(continuationTokens, false)).toBe(' France and of the French republic');
  });

  it('follows the BOS policy', () => {
    const bosId = bosTok.bosTokenId!;
    expect(encodePair(bosTok, 'hello', ' world', { ...rules, bos: 'tokenizer' }).contextTokens[0]).toBe(bosId);
    expect(encodePair(bosTok, 'hello', ' world', { ...rules, bos: 'never' }).contextTokens).toEqual(bosTok.encode('hello', false));
    // a tokenizer that adds nothing by default: 'tokenizer' adds nothing, 'always' prepends BOS once
    expect(encodePair(plainTok, 'hello', ' world', rules).contextTokens).toEqual(plainTok.encode('hello', false));
    expect(encodePair(plainTok, 'hello', ' world', { ...rules, bos: 'always' }).contextTokens).toEqual([bosId, ...plainTok.encode('hello', false)]);
    expect(tokEncode(bosTok, 'hello', 'always').filter((t) => t === bosId)).toHaveLength(1);
  });

  it('does not add a second BOS when the text starts with the prefix token text', () => {
    const bosText = bosTok.decode([bosTok.bosTokenId!], false);
    expect(tokEncode(bosTok, `${bosText}hello`, 'tokenizer')).toEqual(bosTok.encode(`${bosText}hello`, false));
  });

  it('encodes an empty context as the prefix token', () => {
    const r = encodePair(bosTok, '', 'hello world', rules);
    expect(r.contextTokens).toEqual([bosTok.bosTokenId]);
    expect(r.continuationTokens).toEqual(bosTok.encode('hello world', false));
  });
});

describe('toScoreRequest', () => {
  it('left-truncates (ctx + cont) to maxLength + 1 and drops the last token', () => {
    expect(toScoreRequest({ contextTokens: [1, 2, 3, 4], continuationTokens: [5, 6] }, 4, 't')).toEqual({ input: [2, 3, 4, 5], continuation: [5, 6] });
    expect(toScoreRequest({ contextTokens: [1, 2], continuationTokens: [3] }, 10, 't')).toEqual({ input: [1, 2], continuation: [3] });
  });

  it('rejects a continuation longer than the model', () => {
    expect(() => toScoreRequest({ contextTokens: [1], continuationTokens: [2, 3, 4] }, 2, 'task x, doc 3')).toThrow(/task x, doc 3.*longer than/);
  });
});

describe('rollingRequests', () => {
  it('cuts disjoint windows that predict every token once', () => {
    const text = 'one two three four five six seven eight nine ten eleven twelve';
    const tokens = plainTok.encode(text, false);
    const maxLength = 4;
    const windows = rollingRequests(plainTok, text, { bos: 'tokenizer', maxLength });
    // predicted tokens, concatenated, are exactly the text's tokens
    expect(windows.flatMap((w) => w.continuation)).toEqual(tokens);
    // first window: [prefix] + first maxLength-1 tokens predicts the first maxLength tokens
    expect(windows[0]).toEqual({ input: [plainTok.bosTokenId, ...tokens.slice(0, 3)], continuation: tokens.slice(0, 4) });
    // every later window sees the maxLength tokens before its last prediction
    for (const w of windows) expect(w.input.length).toBeLessThanOrEqual(maxLength);
    expect(windows[1]).toEqual({ input: tokens.slice(3, 7), continuation: tokens.slice(4, 8) });
  });
});
