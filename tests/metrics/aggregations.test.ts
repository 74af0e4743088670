// Task aggregations (spec §8). Expected values are hand-computed from the formulas or quoted from the
// spec; the two labelled "lm-eval" come from lm-eval 0.4.13 (scikit-learn 1.9.1, CPython 3.11.7).
import { describe, expect, it } from 'vitest';
import {
  bitsPerByte, f1, getAggregation, matthewsCorrcoef, mean, median, metricDefaults, perplexity, weightedPerplexity,
  type LabelPair,
} from '../../src/metrics/aggregations.js';

const pairs = (golds: number[], preds: number[]): LabelPair[] => golds.map((g, i) => [g, preds[i]!]);

describe('mean and perplexity', () => {
  it('mean is Python sum / len', () => {
    expect(mean([1, 0, 1, 1])).toBe(0.75);
    expect(mean([0.1, 0.2, 0.3])).toBe(0.6000000000000001 / 3);
    expect(mean([0.1, 0.2, 0.3], { python: '3.12' })).toBe(0.6 / 3);
  });

  it('perplexity is exp(-mean) of document loglikelihoods (spec §9 vector)', () => {
    expect(perplexity([-1.5, -0.25, -3.0, -0.75, -2.125, -0.5, -4.0, -1.0])).toBe(5.15839250025867);
  });

  it('weighted perplexity and bits per byte divide the summed loglikelihood by the summed weights', () => {
    // Σll = -6, Σweights = 4: exp(1.5) (glibc) and 1.5 / ln 2
    expect(weightedPerplexity([[-2, 1], [-4, 3]])).toBe(4.4816890703380645);
    expect(bitsPerByte([[-2, 1], [-4, 3]])).toBe(1.5 / 0.6931471805599453);
  });

  it('median is sorted(items)[n // 2]', () => {
    expect(median([5, 1, 4, 2])).toBe(4);
    expect(median([3, 1, 2])).toBe(2);
  });
});

describe('f1 (scikit-learn binary, positive label 1)', () => {
  it('is 2TP / (2TP + FP + FN)', () => {
    // TP = 3, FP = 1, FN = 1
    expect(f1(pairs([1, 1, 1, 1, 0, 0, 0], [1, 1, 1, 0, 1, 0, 0]))).toBe(0.75);
    // TP = 1, FP = 2, FN = 0: 2 / 4
    expect(f1(pairs([1, 0, 0], [1, 1, 1]))).toBe(0.5);
  });

  it('is 0.0 when nothing is positive', () => {
    expect(f1(pairs([0, 0], [0, 0]))).toBe(0);
  });

  it('fails like scikit-learn on non-binary labels', () => {
    expect(() => f1(pairs([0, 1, 2], [0, 1, 2]))).toThrow(/binary/);
    expect(() => f1(pairs([0, 2], [2, 0]))).toThrow(/positive label 1/);
  });

  it('matches lm-eval on a 500-item case', () => {
    const items = Array.from({ length: 500 }, (_, i): LabelPair => {
      const x = (i * 7919 + 13) % 10007;
      return [x % 3 === 0 ? 1 : 0, x % 5 < 2 ? 1 : 0];
    });
    expect(f1(items)).toBe(0.366120218579235); // lm-eval
  });
});

describe('matthews_corrcoef (scikit-learn order of operations)', () => {
  it('binary: cov(t,p) / sqrt(var(t)·var(p)) from the confusion sums', () => {
    // t = [3, 4], p = [3, 4], correct 5, n 7: (35 - 25) / sqrt(24 · 24) = 10 / 24
    expect(matthewsCorrcoef(pairs([1, 1, 1, 1, 0, 0, 0], [1, 1, 1, 0, 1, 0, 0]))).toBe(10 / 24);
  });

  it('multiclass uses the labels present', () => {
    // golds [0,1,2,2], preds [0,2,2,1]: t = [1,1,2], p = [1,1,2], correct 2, n 4
    // cov_ytyp = 8 - 6 = 2, cov = 16 - 6 = 10 each: 2 / sqrt(100)
    expect(matthewsCorrcoef(pairs([0, 1, 2, 2], [0, 2, 2, 1]))).toBe(0.2);
  });

  it('is 0.0 when one variance is zero (single label or constant prediction)', () => {
    expect(matthewsCorrcoef(pairs([1, 1, 1], [1, 1, 1]))).toBe(0);
    expect(matthewsCorrcoef(pairs([0, 1, 1], [1, 1, 1]))).toBe(0);
  });

  it('matches lm-eval on a 300-item three-class case', () => {
    const items = Array.from({ length: 300 }, (_, i): LabelPair => {
      const x = (i * 7919 + 13) % 10007;
      return [x % 3, Math.floor(x / 3) % 3];
    });
    expect(matthewsCorrcoef(items)).toBe(-0.005016833894463149); // lm-eval
  });
});

describe('registry', () => {
  it('has the spec §8 defaults', () => {
    expect(metricDefaults.acc).toEqual({ aggregation: 'mean', higherIsBetter: true });
    expect(metricDefaults.perplexity).toEqual({ aggregation: 'perplexity', higherIsBetter: false });
    expect(metricDefaults.mcc).toEqual({ aggregation: 'matthews_corrcoef', higherIsBetter: true });
    expect(metricDefaults.f1).toEqual({ aggregation: 'f1', higherIsBetter: true });
    expect(metricDefaults.byte_perplexity).toEqual({ aggregation: 'weighted_perplexity', higherIsBetter: false });
    expect(metricDefaults.bits_per_byte).toEqual({ aggregation: 'bits_per_byte', higherIsBetter: false });
  });

  it('looks aggregations up by name and names the known ones otherwise', () => {
    expect(getAggregation('mean')([1, 0])).toBe(0.5);
    expect(() => getAggregation('toString')).toThrow(/unknown aggregation "toString".*/);
  });
});
