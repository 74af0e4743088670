// f16 and q8_0 encoders against their definitions: f16 is the nearest half (ties to even), checked
// against the neighbouring halves; q8_0's scale is amax/127 and every value is the nearest multiple.
import { describe, expect, it } from 'vitest';
import { fromQ8_0Bytes, toQ8_0Bytes } from '../../../src/models/gguf/quantize.js';
import { float32ToHalf, halfToFloat } from '../../../src/models/half.js';

describe('float32ToHalf', () => {
  it('encodes known values', () => {
    expect(float32ToHalf(1)).toBe(0x3c00);
    expect(float32ToHalf(-2)).toBe(0xc000);
    expect(float32ToHalf(65504)).toBe(0x7bff);
    expect(float32ToHalf(65520)).toBe(0x7c00); // halfway to the next binade rounds to even: infinity
    expect(float32ToHalf(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(float32ToHalf(2 ** -25)).toBe(0x0000); // exactly halfway to zero: even is zero
    expect(float32ToHalf(Math.fround(2 ** -25 * 1.5))).toBe(0x0001);
    expect(float32ToHalf(Infinity)).toBe(0x7c00);
    expect(float32ToHalf(NaN) & 0x7c00).toBe(0x7c00);
    // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties to even keeps 1
    expect(float32ToHalf(1 + 2 ** -11)).toBe(0x3c00);
    expect(float32ToHalf(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });

  it('returns the nearest half for random floats of every magnitude', () => {
    let state = 12345;
    const rand = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 20000; i++) {
      const x = Math.fround((rand() - 0.5) * 2 ** Math.floor(rand() * 40 - 26));
      const h = float32ToHalf(x);
      const err = Math.abs(halfToFloat(h) - x);
      for (const n of [h - 1, h + 1]) {
        if ((n & 0x7c00) === 0x7c00 || n < 0 || ((n ^ h) & 0x8000) !== 0) continue;
        const other = Math.abs(halfToFloat(n) - x);
        expect(err <= other, `x=${x} h=${h.toString(16)}`).toBe(true);
        if (err === other) expect(h & 1).toBe(0);
      }
    }
  });
});

describe('q8_0', () => {
  it('stores the scale amax/127 as f16 and the nearest int8 multiples', () => {
    const values = new Float32Array(64);
    for (let i = 0; i < 64; i++) values[i] = Math.fround(Math.sin(i * 0.7) * (i < 32 ? 3 : 0.01));
    const bytes = toQ8_0Bytes(values);
    expect(bytes.length).toBe(2 * 34);
    const view = new DataView(bytes.buffer);
    for (let b = 0; b < 2; b++) {
      let amax = 0;
      for (let j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(values[b * 32 + j]!));
      const d = halfToFloat(view.getUint16(b * 34, true));
      expect(Math.abs(d - amax / 127) / (amax / 127)).toBeLessThan(1e-3);
      const decoded = fromQ8_0Bytes(bytes);
      for (let j = 0; j < 32; j++) {
        const q = view.getInt8(b * 34 + 2 + j);
        expect(Math.abs(q)).toBeLessThanOrEqual(127);
        // within half a step of the value (the f16 scale moves the step by < 0.1 %)
        expect(Math.abs(decoded[b * 32 + j]! - values[b * 32 + j]!)).toBeLessThanOrEqual(d * 0.5 + amax * 2e-3);
      }
    }
  });

  it('encodes an all-zero block as zeros', () => {
    expect([...toQ8_0Bytes(new Float32Array(32))].every((b) => b === 0)).toBe(true);
  });

  it('rejects a length that is not whole blocks', () => {
    expect(() => toQ8_0Bytes(new Float32Array(33))).toThrow(/multiple of 32/);
  });
});
