// Parsers for numeric and versioned CLI options: a bad value is one clear line naming the option,
// never a crash deep inside an engine (`--batch-size 0` once ended in an ONNX shape error).
import { YardstickError } from '../errors.js';

/** An integer option with a lower bound (`min` 0 for counts that may be zero). */
export function intOption(name: string, min: number, hint?: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isInteger(n) || n < min) {
      const what = min === 0 ? 'a whole number (0 or more)' : min === 1 ? 'a positive whole number' : `a whole number of at least ${min}`;
      throw new YardstickError('usage', `${name} must be ${what}, got '${v}'`, hint ? { hint } : {});
    }
    return n;
  };
}

/** lm-eval's --limit: a document count (whole number >= 1) or a fraction of the split in (0, 1). */
export function limitOption(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0 || (n >= 1 && !Number.isInteger(n))) {
    throw new YardstickError('usage', `--limit must be a whole number of documents or a fraction between 0 and 1, got '${v}'`, {
      hint: 'e.g. --limit 100 or --limit 0.1',
    });
  }
  return n;
}

/** lm-eval releases whose defaults yardstick can emulate. */
export const LM_EVAL_VERSIONS = [
  '0.4.0', '0.4.1', '0.4.2', '0.4.3', '0.4.4', '0.4.5', '0.4.6', '0.4.7', '0.4.8', '0.4.9', '0.4.9.1', '0.4.9.2',
  '0.4.10', '0.4.11', '0.4.12', '0.4.13',
];

export function lmEvalVersionOption(v: string): string {
  const version = v.replace(/^v/, '');
  if (!LM_EVAL_VERSIONS.includes(version)) {
    throw new YardstickError('usage', `--lm-eval-version '${v}' is not an lm-eval release yardstick knows`, {
      hint: `use one of ${LM_EVAL_VERSIONS.join(', ')}`,
    });
  }
  return version;
}
