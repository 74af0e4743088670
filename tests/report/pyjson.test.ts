// Python json.dumps / repr / str / format fidelity (spec §11-13). Expected strings are written the way
// CPython 3.11 prints them.
import { describe, expect, it } from 'vitest';
import {
  compareCodePoints, PyFloat, pyFloat, pyFloatRepr, pyFormatFixed, pyJsonDumps, pyJsonLoads, pyRepr, pyStr,
} from '../../src/report/pyjson.js';

describe('pyFloatRepr', () => {
  it('writes floats as Python repr does', () => {
    const cases: Array<[number, string]> = [
      [1, '1.0'], [0, '0.0'], [-0, '-0.0'], [0.1, '0.1'], [1e-5, '1e-05'], [1.5e-7, '1.5e-07'],
      [0.0001, '0.0001'], [0.00015, '0.00015'], [1e16, '1e+16'], [1.2345e16, '1.2345e+16'], [1e15, '1000000000000000.0'],
      [123456789012345.6, '123456789012345.6'], [9999999999999998, '9999999999999998.0'], [-2.5, '-2.5'],
      [0.15275252316519466, '0.15275252316519466'], [5.15839250025867, '5.15839250025867'], [2.5e-5, '2.5e-05'],
      [1e22, '1e+22'], [1.7976931348623157e308, '1.7976931348623157e+308'], [5e-324, '5e-324'], [1e100, '1e+100'],
      [NaN, 'nan'], [Infinity, 'inf'], [-Infinity, '-inf'],
    ];
    for (const [x, text] of cases) expect(pyFloatRepr(x), String(x)).toBe(text);
  });
});

describe('pyFormatFixed (format(x, ".4f"))', () => {
  it('rounds the exact binary value half to even', () => {
    expect(pyFormatFixed(0.03125, 4)).toBe('0.0312'); // exactly halfway: even
    expect(pyFormatFixed(0.09375, 4)).toBe('0.0938');
    expect(pyFormatFixed(0.00015, 4)).toBe('0.0001'); // 0.00015 is slightly below 1.5e-4 in binary
    expect(pyFormatFixed(605.3866, 4)).toBe('605.3866');
    expect(pyFormatFixed(0.1, 4)).toBe('0.1000');
    expect(pyFormatFixed(2.5, 0)).toBe('2');
  });

  it('keeps the sign of negative values rounding to zero and prints big numbers in full', () => {
    expect(pyFormatFixed(-0.00001, 4)).toBe('-0.0000');
    expect(pyFormatFixed(-0, 4)).toBe('-0.0000');
    expect(pyFormatFixed(1e22, 4)).toBe('10000000000000000000000.0000');
    expect(pyFormatFixed(NaN, 4)).toBe('nan');
    expect(pyFormatFixed(-Infinity, 4)).toBe('-inf');
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

  it('floats: exponent forms, NaN and Infinity; ints as ints', () => {
    expect(pyJsonDumps([pyFloat(1e-5), pyFloat(NaN), pyFloat(-Infinity), 3, -0, 0.5, 2n ** 60n])).toBe('[1e-05, NaN, -Infinity, 3, 0, 0.5, 1152921504606846976]');
  });

  it('escapes control characters as \\u00xx (lowercase) and leaves non-ASCII alone', () => {
    expect(pyJsonDumps('\u0000\u001f\b\f\t\r\\ 日\u2028\u007f')).toBe('"\\u0000\\u001f\\b\\f\\t\\r\\\\ 日\u2028\u007f"');
  });

  it('supports indent 0, custom separators, sorted keys, Maps and skips undefined properties', () => {
    expect(pyJsonDumps({ a: [1] }, { indent: 0 })).toBe('{\n"a": [\n1\n]\n}');
    expect(pyJsonDumps({ b: 1, a: 2 }, { separators: [',', ':'], sortKeys: true })).toBe('{"a":2,"b":1}');
    expect(pyJsonDumps(new Map<unknown, unknown>([['2', 'x'], [1, 'y'], [pyFloat(1.5), 'z']]))).toBe('{"2": "x", "1": "y", "1.5": "z"}');
    expect(pyJsonDumps({ a: undefined, b: [undefined] })).toBe('{"b": [null]}');
  });

  it('refuses circular structures', () => {
    const a: unknown[] = [];
    a.push(a);
    expect(() => pyJsonDumps(a)).toThrow(/Circular/);
  });
});

describe('pyStr / pyRepr', () => {
  it('writes Python str() of log-likelihood responses and targets', () => {
    expect([pyStr(pyFloat(-1.5)), pyStr(false), pyStr(pyFloat(-3))]).toEqual(['-1.5', 'False', '-3.0']);
    expect([pyStr(2), pyStr(null), pyStr('text'), pyStr(pyFloat(1e-7))]).toEqual(['2', 'None', 'text', '1e-07']);
    expect(pyStr([1, 2])).toBe('[1, 2]');
  });

  it('quotes strings the way Python chooses and escapes non-printables', () => {
    expect(pyRepr("it's")).toBe('"it\'s"');
    expect(pyRepr('say "hi"')).toBe("'say \"hi\"'");
    expect(pyRepr('both \' and "')).toBe("'both \\' and \"'");
    expect(pyRepr('a\nb\t\\\x00\x7f\u00a0\u200b日')).toBe("'a\\nb\\t\\\\\\x00\\x7f\\xa0\\u200b日'");
    expect(pyStr(['a', pyFloat(1), [true, null], { k: 'v' }])).toBe("['a', 1.0, [True, None], {'k': 'v'}]");
  });
});

describe('pyJsonLoads', () => {
  it('keeps floats as PyFloat and ints as numbers', () => {
    const value = pyJsonLoads('{"acc,none": 1.0, "n": 3, "x": 1e-05, "y": NaN, "s": "\\u00e9\\n", "l": [true, null]}') as Record<string, unknown>;
    expect(value['acc,none']).toEqual(new PyFloat(1));
    expect(value.n).toBe(3);
    expect(value.x).toEqual(new PyFloat(1e-5));
    expect((value.y as PyFloat).value).toBeNaN();
    expect(value.s).toBe('é\n');
    expect(value.l).toEqual([true, null]);
    expect(pyJsonDumps(pyJsonLoads('{"a": 1.0, "b": [2, 2.5]}'))).toBe('{"a": 1.0, "b": [2, 2.5]}');
  });

  it('keeps integer-like keys in file order with maps', () => {
    expect([...(pyJsonLoads('{"b": 1, "0": 2}', { maps: true }) as Map<string, unknown>).keys()]).toEqual(['b', '0']);
  });
});

describe('compareCodePoints', () => {
  it('orders by code point like Python (astral after BMP private use)', () => {
    expect(['\u{1F600}', '\uff5e', 'a'].sort(compareCodePoints)).toEqual(['a', '\uff5e', '\u{1F600}']);
  });
});
