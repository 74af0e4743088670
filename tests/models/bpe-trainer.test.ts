// The byte-level BPE trainer on small hand-checkable corpora.
import { describe, expect, it } from 'vitest';
import { BYTE_TO_CHAR, byteLevelPieces, trainByteLevelBpe } from '../../src/models/bpe-trainer.js';

describe('BYTE_TO_CHAR', () => {
  it('is GPT-2\'s byte map: printable bytes map to themselves, the rest above U+00FF', () => {
    expect(BYTE_TO_CHAR[0x41]).toBe('A');
    expect(BYTE_TO_CHAR[0x20]).toBe('Ġ'); // space, the 33rd unprintable byte -> U+0120
    expect(BYTE_TO_CHAR[0x0a]).toBe('Ċ'); // newline -> U+010A
    expect(BYTE_TO_CHAR[0x00]).toBe('Ā');
    expect(new Set(BYTE_TO_CHAR).size).toBe(256);
  });
});

describe('byteLevelPieces', () => {
  it('splits like GPT-2: leading space kept with the word, contractions apart', () => {
    expect(byteLevelPieces("I'm here, ok?")).toEqual(['I', "'m", 'Ġhere', ',', 'Ġok', '?']);
    expect(byteLevelPieces('a  b\n')).toEqual(['a', 'Ġ', 'Ġb', 'Ċ']);
    expect(byteLevelPieces('é')).toEqual(['Ã©']);
  });
});

describe('trainByteLevelBpe', () => {
  it('merges the most frequent pair first, ties by the smallest pair', () => {
    // pieces "aab", "Ġaab", "Ġaab": pair counts (a,a)=3, (a,b)=3, (Ġ,a)=2 -> tie: (a,a) < (a,b)
    const { merges, tokens } = trainByteLevelBpe('aab aab aab', 258);
    expect(merges[0]).toEqual(['a', 'a']);
    expect(merges[1]).toEqual(['aa', 'b']);
    expect(tokens.slice(256)).toEqual(['aa', 'aab']);
  });

  it('stops when nothing is left to merge', () => {
    const { tokens, merges } = trainByteLevelBpe('ab', 1000);
    expect(merges).toEqual([['a', 'b']]);
    expect(tokens.length).toBe(257);
  });

  it('is deterministic and every merge result is a token', () => {
    const text = 'the cat sat on the mat with the other cat';
    const a = trainByteLevelBpe(text, 280);
    expect(a).toEqual(trainByteLevelBpe(text, 280));
    const vocab = new Set(a.tokens);
    for (const [x, y] of a.merges) {
      expect(vocab.has(x) && vocab.has(y) && vocab.has(x + y)).toBe(true);
    }
  });
});
