// Reads lm-eval task YAML: the `!function module.name` tag and `include:` of a base file.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse, type Tags } from 'yaml';
import { YardstickError } from '../errors.js';
import { isFunctionRef } from './config.js';

const customTags: Tags = [
  {
    tag: '!function',
    resolve: (value: string) => ({ function: value }),
  },
];

export function readYamlFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new YardstickError('task', `cannot read task file ${file}: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    // ints as BigInt so `version: 1.0` (a float) and `version: 2` (an int) stay distinguishable
    value = numbersFromBigInt(parse(text, { customTags, uniqueKeys: false, intAsBigInt: true }), []);
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    throw new YardstickError('task', `malformed task file ${file}: ${msg}`, {
      hint: 'fix the YAML syntax (lm-eval task format)',
    });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new YardstickError('task', `malformed task file ${file}: expected a mapping of task fields`);
  }
  markFunctionSources(value, file);
  return value as Record<string, unknown>;
}

/** lm-eval resolves `!function module.name` relative to the YAML file that spells it, so every
 *  reference remembers its file (an included base file keeps its own). */
function markFunctionSources(value: unknown, file: string): void {
  if (Array.isArray(value)) value.forEach((v) => markFunctionSources(v, file));
  else if (isFunctionRef(value)) value.file ??= file;
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => markFunctionSources(v, file));
}

/** YAML integers become JS numbers again, except metadata.version, whose int/float type
 *  lm-eval preserves in results (task 1.0 vs group "2"). */
function numbersFromBigInt(value: unknown, path: string[]): unknown {
  if (typeof value === 'bigint') {
    return path.join('.') === 'metadata.version' ? value : Number(value);
  }
  if (Array.isArray(value)) return value.map((v) => numbersFromBigInt(v, [...path, '[]']));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = numbersFromBigInt(v, [...path, k]);
    return out;
  }
  return value;
}

/** Reads a task YAML and merges its `include:` chain (the including file's keys win), like lm-eval. */
export function loadYamlWithIncludes(file: string, seen: string[] = []): Record<string, unknown> {
  if (seen.includes(file)) {
    throw new YardstickError('task', `task file ${file} includes itself (${[...seen, file].join(' -> ')})`);
  }
  const own = readYamlFile(file);
  const include = own.include;
  if (include === undefined) return own;
  if (typeof include !== 'string') {
    throw new YardstickError('task', `malformed task file ${file}: include must be a file name`);
  }
  const base = loadYamlWithIncludes(resolve(dirname(file), include), [...seen, file]);
  const { include: _drop, ...rest } = own;
  return { ...base, ...rest };
}
