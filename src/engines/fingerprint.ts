// Model fingerprints: content hashes of weight and tokenizer files, and one digest over everything
// that decides a model's numbers (the response cache's key and the results JSON's record).
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { YardstickError } from '../errors.js';
import type { ModelFingerprint } from './types.js';

/** sha256 of one file's bytes, streamed (weights can be GBs). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) hash.update(chunk as Buffer);
  } catch (e) {
    throw new YardstickError('model', `cannot read ${path}: ${(e as Error).message}`, { hint: 'check the file exists and is readable' });
  }
  return hash.digest('hex');
}

/** One digest over several files, named by base name so a moved folder keeps its fingerprint. */
export async function sha256Files(paths: string[]): Promise<string> {
  const parts: string[] = [];
  for (const p of [...paths].sort((a, b) => basename(a).localeCompare(basename(b)))) {
    parts.push(`${basename(p)}:${statSync(p).size}:${await sha256File(p)}`);
  }
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

/** Canonical JSON (sorted keys), so equal fingerprints always digest equally. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
    .join(',')}}`;
}

/** The digest of a fingerprint: equal digests mean the same numbers for the same request. */
export function fingerprintDigest(fp: ModelFingerprint): string {
  return createHash('sha256').update(canonical(fp)).digest('hex');
}
