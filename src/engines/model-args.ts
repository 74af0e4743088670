// --model-args: lm-eval's `k=v,k=v` text, and the value checks every engine's arguments share.
import { YardstickError } from '../errors.js';

/** `k=v,k=v` as lm-eval reads --model_args (values may not contain commas). */
export function parseModelArgs(text: string | undefined): Record<string, string> {
  const args: Record<string, string> = {};
  if (!text) return args;
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq === -1) throw new YardstickError('usage', `--model-args: '${part}' is not key=value`, { hint: 'e.g. --model-args pretrained=DIR,max_length=2048' });
    args[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return args;
}

/** An integer argument that must be at least 1 (max_length, threads, ...); undefined when not given. */
export function positiveIntegerArg(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new YardstickError('usage', `--model-args ${name} must be a positive integer, got '${v}'`);
  return n;
}

/** OpenOptions.onWarning's default: one `warning: ...` line on stderr. */
export function defaultWarning(message: string): void {
  process.stderr.write(`warning: ${message}\n`);
}
