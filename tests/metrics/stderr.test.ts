// Standard errors (spec §9): mean_stderr, the bootstrap and the "N/A" rules. Values from the spec's test
// vectors; those marked "lm-eval" were computed with lm-eval 0.4.13's `bootstrap_stderr` (CPython 3.11.7,
// scikit-learn 1.9.1) on the item lists built here.
import { describe, expect, it } from 'vitest';
import type { LabelPair } from '../../src/metrics/aggregations.js';
import {
  bootstrapStderr, bootstrapStderrAsync, meanStderr, metricStderr, metricStderrAsync, sampleStddev, stderrMethod,
} from '../../src/metrics/stderr.js';

const LLS = [-1.5, -0.25, -3.0, -0.75, -2.125, -0.5, -4.0, -1.0];

function binaryPairs(n: number): LabelPair[] {
  return Array.from({ length: n }, (_, i) => {
    const x = (i * 7919 + 13) % 10007;
    return [x % 3 === 0 ? 1 : 0, x % 5 < 2 ? 1 : 0];
  });
}

function threeClassPairs(n: number): LabelPair[] {
  return Array.from({ length: n }, (_, i) => {
    const x = (i * 7919 + 13) % 10007;
    return [x % 3, Math.floor(x / 3) % 3];
  });
}

describe('mean_stderr', () => {
  it('spec vector', () => {
    expect(meanStderr([1, 0, 1, 1, 0, 1, 0, 1, 1, 1])).toBe(0.15275252316519466);
  });

  it('sample_stddev divides by n - 1', () => {
    // mean 2, squares 1 + 0 + 1 = 2, 2 / 2 = 1
    expect(sampleStddev([1, 2, 3])).toBe(1);
  });
});

describe('bootstrap (perplexity, spec §9 vectors)', () => {
  it('1000 iterations, CPython 3.11 and 3.12 sums', () => {
    expect(bootstrapStderr('perplexity', LLS, 1000)).toBe(2.602638280776432);
    expect(bootstrapStderr('perplexity', LLS, 1000, { python: '3.12' })).toBe(2.6026382807764334);
  });

  it('100000 iterations, CPython 3.11 and 3.12 sums', () => {
    expect(bootstrapStderr('perplexity', LLS, 100000)).toBe(2.7280993078877778);
    expect(bootstrapStderr('perplexity', LLS, 100000, { python: '3.12' })).toBe(2.728099307887828);
  });

  it('the literal resample-then-aggregate loop gives the same values', () => {
    expect(bootstrapStderr('perplexity', LLS, 1000, { method: 'reference' })).toBe(2.602638280776432);
  });
});

describe('bootstrap (F1, MCC, median against lm-eval)', () => {
  it('F1 of 500 binary pairs, 2000 iterations (2 chunks)', () => {
    expect(bootstrapStderr('f1', binaryPairs(500), 2000)).toBe(0.03146558599080374);
    expect(bootstrapStderr('f1', binaryPairs(500), 2000, { method: 'reference' })).toBe(0.03146558599080374);
  });

  it('MCC with 1500 iterations uses one chunk of 1000', () => {
    expect(bootstrapStderr('matthews_corrcoef', binaryPairs(500), 1500)).toBe(0.044268695789005094);
  });

  it('MCC of three classes (more than four distinct pairs)', () => {
    expect(bootstrapStderr('matthews_corrcoef', threeClassPairs(300), 2000)).toBe(0.041443610726927385);
  });

  it('F1 of 5000 pairs', () => {
    expect(bootstrapStderr('f1', binaryPairs(5000), 1000)).toBe(0.010134695629739754);
  });

  it('on worker threads (large enough to be split): F1 and perplexity of 5000 items, 5000 iterations', async () => {
    expect(await bootstrapStderrAsync('f1', binaryPairs(5000), 5000, { workers: 2 })).toBe(0.01006672178889843);
    const lls = Array.from({ length: 5000 }, (_, i) => -(((i * 7919 + 13) % 10007) / 1000.0));
    expect(await bootstrapStderrAsync('perplexity', lls, 5000, { workers: 2 })).toBe(6.155765612800375);
  });

  it('median and perplexity of 64 values', () => {
    const values = Array.from({ length: 64 }, (_, i) => ((i * 37) % 101) / 7.0 - 5);
    expect(bootstrapStderr('median', values, 1000)).toBe(0.9247958751400133);
    expect(bootstrapStderr('perplexity', values, 2000)).toBe(0.07939871837067014);
  });
});

describe('which stderr (stderr_for_metric)', () => {
  it('mean → mean_stderr, bootstrappable → bootstrap, others → none', () => {
    expect(stderrMethod('acc', 'mean')).toEqual({ kind: 'mean' });
    expect(stderrMethod('f1', 'f1')).toEqual({ kind: 'bootstrap', iters: 100000 });
    expect(stderrMethod('mcc', 'matthews_corrcoef', 5000)).toEqual({ kind: 'bootstrap', iters: 5000 });
    expect(stderrMethod('bleu', 'bleu')).toEqual({ kind: 'bootstrap', iters: 100 });
    expect(stderrMethod('word_perplexity', 'weighted_perplexity')).toEqual({ kind: 'none' });
    expect(stderrMethod('acc', 'mean', 0)).toEqual({ kind: 'none' });
  });

  it('reports "N/A" without a stderr function, with bootstrap_iters 0, or below two documents', async () => {
    expect(metricStderr('word_perplexity', 'weighted_perplexity', [[-1, 2], [-2, 3]])).toBe('N/A');
    expect(metricStderr('acc', 'mean', [1, 0, 1], { bootstrapIters: 0 })).toBe('N/A');
    expect(metricStderr('acc', 'mean', [1])).toBe('N/A');
    expect(metricStderr('acc', 'mean', [1, 0, 1, 1, 0, 1, 0, 1, 1, 1])).toBe(0.15275252316519466);
    expect(await metricStderrAsync('perplexity', 'perplexity', LLS, { bootstrapIters: 1000 })).toBe(2.602638280776432);
  });
});
