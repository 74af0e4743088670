import { expect, test } from 'vitest';
import { formatDifference, formatFixed, formatPValue } from '../../../src/report/compare/format.js';

test('formatFixed matches Python format(x, ".4f"), exact ties rounded half to even', () => {
  // expected strings from CPython 3.11: format(x, '.4f')
  expect(formatFixed(0.03125)).toBe('0.0312'); // JS toFixed: 0.0313
  expect(formatFixed(-0.03125)).toBe('-0.0312');
  expect(formatFixed(0.09375)).toBe('0.0938');
  expect(formatFixed(0.2672)).toBe('0.2672');
  expect(formatFixed(1)).toBe('1.0000');
  expect(formatFixed(5e-5)).toBe('0.0001'); // the double is just above the tie
  expect(formatFixed(12.34565)).toBe('12.3456'); // the double is just below the tie
  expect(formatFixed(21.46234999)).toBe('21.4623');
  expect(formatFixed(NaN)).toBe('nan');
  expect(formatFixed(-Infinity)).toBe('-inf');
  // format(x, '.0f')
  expect(formatFixed(0.5, 0)).toBe('0');
  expect(formatFixed(2.5, 0)).toBe('2');
  expect(formatFixed(3.5, 0)).toBe('4');
  expect(formatFixed(-0.5, 0)).toBe('-0');
});

test('p-values and signed differences', () => {
  expect(formatPValue(0.04512)).toBe('p=0.0451');
  expect(formatPValue(1)).toBe('p=1.0000');
  expect(formatPValue(0.00009)).toBe('p<0.0001');
  expect(formatDifference(0.0127)).toBe('+0.0127');
  expect(formatDifference(-0.0906)).toBe('-0.0906');
  expect(formatDifference(0)).toBe('0.0000');
  expect(formatDifference(-0.00001)).toBe('0.0000');
});
