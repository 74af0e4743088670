// glibc exp and pow(x, 2) as CPython's math.exp and x ** 2 compute them. Expected values: CPython 3.11.7
// on glibc 2.36, x86-64 with FMA (first exp group: inputs where V8's Math.exp differs in the last bit).
import { describe, expect, it } from 'vitest';
import { glibcPowSquare, pySquare } from '../../src/metrics/libm-pow.js';
import { fma, glibcExp } from '../../src/metrics/libm.js';

describe('glibcExp', () => {
  it('matches CPython where V8 Math.exp differs in the last bit', () => {
    const cases: Array<[number, number]> = [
      [-9.337259328527647, 0.00008808050531836508],
      [9.273593545902656, 10652.965103934066],
      [-9.963922517363166, 0.00004706774941060804],
      [10.10223165717878, 24397.395338930288],
      [8.736865439720486, 6228.341968730477],
      [3.1082439932024943, 22.38170744246268],
      [-1.5367335608832773, 0.215082509171766],
      [10.716460912981244, 45092.0354791581],
    ];
    for (const [x, expected] of cases) expect(glibcExp(x), String(x)).toBe(expected);
  });

  it('matches CPython on ordinary, tiny and large arguments', () => {
    const cases: Array<[number, number]> = [
      [1.5, 4.4816890703380645],
      [-6.407, 0.0016499669855952115],
      [6.4073, 606.2545819022257],
      [0, 1],
      [1e-20, 1],
      [599.17233922989, 1.6490758687074697e260],
      [709.78, 1.7928227943945155e308],
      [-568.6067986328276, 1.1407880969820639e-247],
      [-609.0771028419335, 3.028134645779224e-265],
    ];
    for (const [x, expected] of cases) expect(glibcExp(x), String(x)).toBe(expected);
  });

  it('matches CPython on subnormal results and underflow', () => {
    expect(glibcExp(-718.276574713261)).toBe(1.138799116816e-312);
    expect(glibcExp(-735.518149148222)).toBe(3.7025e-320);
    expect(glibcExp(-745.13)).toBe(5e-324);
    expect(glibcExp(-746)).toBe(0);
  });

  it('overflows to infinity (CPython raises OverflowError there) and passes NaN through', () => {
    expect(glibcExp(710)).toBe(Infinity);
    expect(glibcExp(-Infinity)).toBe(0);
    expect(glibcExp(NaN)).toBeNaN();
  });
});

describe('fma', () => {
  it('rounds a·b + c once (hand-derived)', () => {
    // 0.1 · 10 is exactly 1 + 2^-54 before rounding
    expect(fma(0.1, 10, -1)).toBe(2 ** -54);
    // (1 + 2^-52)(1 - 2^-52) - 1 = -2^-104 exactly
    expect(fma(1 + 2 ** -52, 1 - 2 ** -52, -1)).toBe(-(2 ** -104));
    expect(fma(2, 3, 4)).toBe(10);
  });
});

describe('pySquare (Python x ** 2 = glibc pow(x, 2.0))', () => {
  it('matches CPython where the correctly rounded x * x differs', () => {
    const cases: Array<[number, number]> = [
      [-50.51133388703397, 2551.394851047426],
      [6.887023230705253, 47.43108898027383],
      [-6.622011489445737e90, 4.385103616635135e181],
      [-6.213062337162745e-143, 3.860214360547019e-285],
      [90.38212155258907, 8168.927896346986],
      [-66.89531369053654, 4474.982993755286],
      [-65.34591488616893, 4270.088592310434], // spec §11: -0x1.056237830d2e3p+6 → 0x1.0ae16adfc53fep+12
    ];
    for (const [x, expected] of cases) {
      expect(pySquare(x), String(x)).toBe(expected);
      expect(glibcPowSquare(x), String(x)).toBe(expected);
      expect(x * x).not.toBe(expected);
    }
  });

  it('agrees with x * x away from ties, and on zeros, underflow and overflow', () => {
    expect(pySquare(3)).toBe(9);
    expect(pySquare(0.5)).toBe(0.25);
    expect(pySquare(-0)).toBe(0);
    expect(pySquare(5e-324)).toBe(0);
    expect(pySquare(1e154)).toBe(1e308);
    expect(pySquare(1e200)).toBe(Infinity);
  });
});
