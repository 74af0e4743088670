// Which repository files make a split: card data_files globs and the parquet-conversion layouts.
import { describe, expect, test } from 'vitest';
import { cardConfigNames, cardSplitPatterns, conversionLayoutFiles, globToRegExp, guessSplitFiles, matchPatterns, patternBaseDir } from '../../../src/data/hub/data-files.js';

const files = (...paths: string[]) => paths.map((path) => ({ path, size: 1 }));

describe('data_files patterns', () => {
  test('globs: * and ? stay in one folder, ** crosses folders', () => {
    expect(globToRegExp('cola/validation-*').test('cola/validation-00000-of-00001.parquet')).toBe(true);
    expect(globToRegExp('cola/validation-*').test('cola/sub/validation-0.parquet')).toBe(false);
    expect(globToRegExp('data/**/test-*.parquet').test('data/a/b/test-0.parquet')).toBe(true);
    expect(globToRegExp('data/**/test-*.parquet').test('data/test-0.parquet')).toBe(true);
    expect(globToRegExp('x/te?t.csv').test('x/test.csv')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(patternBaseDir('cola/validation-*')).toBe('cola');
    expect(patternBaseDir('data/**/x')).toBe('data');
    expect(patternBaseDir('*.parquet')).toBe('');
  });

  test('card configs in their three shapes', () => {
    const card = {
      configs: [
        { config_name: 'cola', data_files: [{ split: 'validation', path: 'cola/validation-*' }, { split: 'train', path: ['cola/train-0*', 'cola/train-1*'] }] },
        { config_name: 'plain', data_files: 'plain/*.parquet' },
        { config_name: 'dict', data_files: { test: 'dict/test.parquet' } },
        { data_files: [{ split: 'test', path: 'data/test-*' }] },
      ],
    };
    expect(cardConfigNames(card)).toEqual(['cola', 'plain', 'dict', 'default']);
    expect([...cardSplitPatterns(card, 'cola')!]).toEqual([
      ['validation', ['cola/validation-*']],
      ['train', ['cola/train-0*', 'cola/train-1*']],
    ]);
    expect([...cardSplitPatterns(card, 'plain')!]).toEqual([['train', ['plain/*.parquet']]]);
    expect([...cardSplitPatterns(card, 'dict')!]).toEqual([['test', ['dict/test.parquet']]]);
    expect([...cardSplitPatterns(card, 'default')!]).toEqual([['test', ['data/test-*']]]);
    expect(cardSplitPatterns(card, 'nope')).toBeUndefined();
    expect(cardSplitPatterns(undefined, 'cola')).toBeUndefined();
  });

  test('matches come back sorted in shard order', () => {
    const listed = files('cola/validation-00001-of-00002.parquet', 'cola/train-00000-of-00001.parquet', 'cola/validation-00000-of-00002.parquet');
    expect(matchPatterns(listed, ['cola/validation-*']).map((f) => f.path)).toEqual(['cola/validation-00000-of-00002.parquet', 'cola/validation-00001-of-00002.parquet']);
  });
});

describe('parquet conversion layouts', () => {
  test('<config>/<split>/NNNN.parquet, else the older flat names', () => {
    expect(conversionLayoutFiles(files('default/test/0001.parquet', 'default/test/0000.parquet', 'default/train/0000.parquet', 'en/test/0000.parquet'), 'default', 'test').map((f) => f.path)).toEqual([
      'default/test/0000.parquet',
      'default/test/0001.parquet',
    ]);
    expect(conversionLayoutFiles(files('cola/glue-validation.parquet', 'cola/glue-train.parquet'), 'cola', 'validation').map((f) => f.path)).toEqual(['cola/glue-validation.parquet']);
    expect(conversionLayoutFiles(files('cola/glue-test-00000-of-00002.parquet', 'cola/glue-test-00001-of-00002.parquet'), 'cola', 'test')).toHaveLength(2);
  });

  test('offline guesses cover the conversion layout and the usual repo layouts', () => {
    expect(guessSplitFiles(['cola/validation-00000-of-00001.parquet', 'cola/train-00000-of-00001.parquet'], 'cola', 'validation')).toEqual(['cola/validation-00000-of-00001.parquet']);
    expect(guessSplitFiles(['data/test-00000-of-00001.parquet'], 'default', 'test')).toEqual(['data/test-00000-of-00001.parquet']);
    expect(guessSplitFiles(['README.md'], 'default', 'test')).toEqual([]);
  });
});
