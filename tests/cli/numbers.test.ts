// Numeric and versioned options of `yardstick run`: each bad value is one line naming the option,
// exit 1, before any model is opened (the model path below does not even exist).
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { intOption, limitOption, lmEvalVersionOption } from '../../src/cli/numbers.js';

const base = ['run', '--model', 'onnx:/nonexistent/model', '--tasks', 'lambada_openai'];

describe('run option values', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--batch-size', '0'], /--batch-size must be a positive whole number, got '0'/],
    [['--batch-size', 'auto'], /--batch-size must be a positive whole number, got 'auto'/],
    [['--batch-size', '-3'], /--batch-size/],
    [['--limit', '0'], /--limit must be/],
    [['--limit', '2.5'], /--limit must be/],
    [['--limit', 'ten'], /--limit must be/],
    [['--num-fewshot', '-1'], /--num-fewshot must be a whole number \(0 or more\)/],
    [['--num-fewshot', '1.5'], /--num-fewshot/],
    [['--max-length', '0'], /--max-length must be a positive whole number/],
    [['--bootstrap-iters', '-5'], /--bootstrap-iters must be a whole number/],
    [['--lm-eval-version', 'banana'], /--lm-eval-version 'banana' is not an lm-eval release/],
  ];
  it.each(cases)('%j is refused in one line', (extra, message) => {
    const r = runCli([...base, ...extra]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('refuses an empty --tasks', () => {
    const r = runCli(['run', '--model', 'onnx:/nonexistent/model', '--tasks', '']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--tasks names no task/);
  });

  it('accepts good values', () => {
    expect(intOption('--batch-size', 1)('16')).toBe(16);
    expect(intOption('--num-fewshot', 0)('0')).toBe(0);
    expect(limitOption('0.25')).toBe(0.25);
    expect(limitOption('100')).toBe(100);
    expect(lmEvalVersionOption('0.4.9.1')).toBe('0.4.9.1');
    expect(lmEvalVersionOption('v0.4.13')).toBe('0.4.13');
  });
});
