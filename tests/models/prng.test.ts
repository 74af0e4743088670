// The weight PRNG: reproducible per (seed, stream), distinct across them, roughly normal.
import { describe, expect, it } from 'vitest';
import { Xoshiro128, fillNormal } from '../../src/models/prng.js';

function draws(seed: number, stream: string, n = 8): number[] {
  const rng = new Xoshiro128(seed, stream);
  return Array.from({ length: n }, () => rng.nextUint32());
}

describe('Xoshiro128', () => {
  it('repeats for the same seed and stream, and differs otherwise', () => {
    expect(draws(1, 'a')).toEqual(draws(1, 'a'));
    expect(draws(1, 'a')).not.toEqual(draws(2, 'a'));
    expect(draws(1, 'a')).not.toEqual(draws(1, 'b'));
    // seeds beyond 32 bits are not truncated
    expect(draws(2 ** 40, 'a')).not.toEqual(draws(0, 'a'));
  });

  it('gives 32-bit unsigned integers and units in (0, 1]', () => {
    const rng = new Xoshiro128(7, 'range');
    let bad = 0;
    let high = 0;
    for (let i = 0; i < 100000; i++) {
      const u = rng.nextUint32();
      if (!Number.isInteger(u) || u < 0 || u >= 2 ** 32) bad++;
      if (u >= 2 ** 31) high++;
      const x = rng.nextUnit();
      if (!(x > 0 && x <= 1)) bad++;
    }
    expect(bad).toBe(0);
    // the top bit is set about half the time (sd 158)
    expect(Math.abs(high - 50000)).toBeLessThan(1000);
  });
});

describe('fillNormal', () => {
  it('has the requested mean and standard deviation', () => {
    const out = new Float32Array(200001); // odd length: the last pair is half used
    fillNormal(out, new Xoshiro128(5, 'x'), 1, 0.5);
    let sum = 0;
    for (const v of out) sum += v;
    const mean = sum / out.length;
    let sq = 0;
    for (const v of out) sq += (v - mean) ** 2;
    const std = Math.sqrt(sq / out.length);
    // standard errors: 0.5/sqrt(2e5) ≈ 0.0011 for the mean, ≈ 0.0008 for the std
    expect(Math.abs(mean - 1)).toBeLessThan(0.006);
    expect(Math.abs(std - 0.5)).toBeLessThan(0.005);
    expect(out[out.length - 1]).not.toBe(0);
    // about 95.4% within two standard deviations
    const inside = out.filter((v) => Math.abs(v - 1) < 1).length / out.length;
    expect(Math.abs(inside - 0.9545)).toBeLessThan(0.005);
  });
});
