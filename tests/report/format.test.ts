import { expect, test } from 'vitest';
import { formatDifference, formatFixed, formatInterval, formatNumber, formatPValue, formatSigned } from '../../src/report/format.js';

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

// Expected strings written by hand (mantissas checked against Python's '%.4g' and '%.3e').
test('numbers by magnitude: 4 significant digits, scientific from 1e6 and below 1e-3', () => {
  expect(formatNumber(0.2672)).toBe('0.2672');
  expect(formatNumber(21.46234999)).toBe('21.46');
  expect(formatNumber(10877180290288.766)).toBe('1.088e13');
  expect(formatNumber(123456.7)).toBe('123457'); // the integer part is never rounded away
  expect(formatNumber(999999.4)).toBe('999999');
  expect(formatNumber(1e6)).toBe('1.000e6');
  expect(formatNumber(5e-5)).toBe('5.000e-5');
  expect(formatNumber(0.0012)).toBe('0.001200');
  expect(formatNumber(1)).toBe('1.000');
  expect(formatNumber(-0.0906)).toBe('-0.09060');
  expect(formatNumber(0)).toBe('0');
  expect(formatNumber(-0)).toBe('0');
  expect(formatNumber(NaN)).toBe('NaN');
  expect(formatNumber(Infinity)).toBe('∞');
});

test('axis ticks drop trailing zeros; differences carry a sign; intervals use 3 digits', () => {
  expect(formatNumber(0.05, { trim: true })).toBe('0.05');
  expect(formatNumber(1e13, { trim: true })).toBe('1e13');
  expect(formatNumber(2.5e-4, { trim: true })).toBe('2.5e-4');
  expect(formatNumber(200, { trim: true })).toBe('200');
  expect(formatSigned(0.0127)).toBe('+0.01270');
  expect(formatSigned(-2.0077e14)).toBe('-2.008e14');
  expect(formatSigned(0)).toBe('0');
  expect(formatInterval(0.4494, 1)).toBe('[0.449, 1.00]');
  expect(formatInterval(3.2e12, 3.61e13)).toBe('[3.20e12, 3.61e13]');
  // a narrow interval gets the digits that set its bounds apart from the value
  expect(formatInterval(12.3681, 12.4073, 12.3877)).toBe('[12.37, 12.41]');
  expect(formatInterval(0, 0, 0)).toBe('[0, 0]');
});
