// Python json.dumps / repr fidelity (spec §11-13), expected strings written as CPython prints them.
import { describe, expect, it } from 'vitest';
import { pyFloat, pyFloatRepr, pyJsonDumps, pyStr } from '../../src/report/pyjson.js';

describe('pyFloatRepr', () => {
  it('writes floats as Python repr does', () => {
    const cases: Array<[number, string]> = [
      [1, '1.0'], [0, '0.0'], [-0, '-0.0'], [0.1, '0.1'], [1e-5, '1e-05'], [1.5e-7, '1.5e-07'],
      [0.0001, '0.0001'], [1e16, '1e+16'], [1.2345e16, '1.2345e+16'], [123456789012345.6, '123456789012345.6'],
      [9999999999999998, '9999999999999998.0'], [-2.5, '-2.5'], [0.15275252316519466, '0.15275252316519466'],
      [5.15839250025867, '5.15839250025867'], [NaN, 'NaN'], [Infinity, 'Infinity'], [2.5e-5, '2.5e-05'],
    ];
    for (const [x, text] of cases) expect(pyFloatRepr(x), String(x)).toBe(text);
  });
});

describe('pyJsonDumps', () => {
  it('matches json.dumps(indent=2, ensure_ascii=False)', () => {
    const value = { a: pyFloat(1), b: [1, 2], c: {}, d: [], e: 'é"\n', f: null, g: true };
    expect(pyJsonDumps(value, { indent: 2 })).toBe('{\n  "a": 1.0,\n  "b": [\n    1,\n    2\n  ],\n  "c": {},\n  "d": [],\n  "e": "é\\"\\n",\n  "f": null,\n  "g": true\n}');
  });

  it('writes one-line samples with ", " and ": " separators', () => {
    expect(pyJsonDumps({ doc_id: 0, acc: pyFloat(1), f1: [1, 0], s: 'x' })).toBe('{"doc_id": 0, "acc": 1.0, "f1": [1, 0], "s": "x"}');
  });
});

describe('pyStr', () => {
  it('writes Python str() of log-likelihood responses', () => {
    expect([pyStr(pyFloat(-1.5)), pyStr(false), pyStr(pyFloat(-3))]).toEqual(['-1.5', 'False', '-3.0']);
    expect(pyStr(2)).toBe('2');
    expect(pyStr([1, 2])).toBe('[1, 2]');
  });
});
