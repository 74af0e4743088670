// The error a call throws, checked to be yardstick's own (typed, with a one-line message).
import { expect } from 'vitest';
import { YardstickError } from '../../src/errors.js';

/** The YardstickError `f` throws; fails the test when it throws something else or nothing. */
export function errorOf(f: () => unknown): YardstickError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(YardstickError);
    return e as YardstickError;
  }
  throw new Error('expected an error');
}
