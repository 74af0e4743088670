// Model fingerprints: content hashes of weight and tokenizer files, and one digest over everything
// that decides a model's numbers (the response cache's key and the results JSON's record).
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { yardstickCacheDir } from './cache/location.js';
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

/**
 * sha256 of a file, remembered across runs while the file's identity stays the same (device, inode,
 * size, and modification and change times to the nanosecond, as git's index trusts them): hashing a
 * 1.4 GB model takes seconds on every open otherwise. As in git, a file changed within `racyMs` of
 * being hashed is not remembered (timestamps are coarser than a fast rewrite), nor one that changed
 * while it was read. Records live under file-hashes/ in the yardstick cache; where that is not
 * writable, the file is simply hashed again.
 */
export async function sha256FileRemembered(path: string, cacheDir: string = yardstickCacheDir(), racyMs = 2000): Promise<string> {
  const before = fileIdentity(path);
  const record = join(cacheDir, 'file-hashes', `${createHash('sha256').update(resolve(path)).digest('hex').slice(0, 32)}.json`);
  try {
    const known = JSON.parse(readFileSync(record, 'utf8')) as { identity?: string; sha256?: string };
    if (known.identity === before.id && typeof known.sha256 === 'string' && /^[0-9a-f]{64}$/.test(known.sha256)) return known.sha256;
  } catch {
    // not remembered yet (or unreadable): hash it
  }
  const sha256 = await sha256File(path);
  if (fileIdentity(path).id !== before.id || Date.now() - before.changedMs <= racyMs) return sha256;
  try {
    mkdirSync(dirname(record), { recursive: true });
    const tmp = `${record}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ path: resolve(path), identity: before.id, sha256 }));
    renameSync(tmp, record);
  } catch {
    // a read-only cache only costs the hash next time
  }
  return sha256;
}

function fileIdentity(path: string): { id: string; changedMs: number } {
  try {
    const st = statSync(path, { bigint: true });
    return { id: [st.dev, st.ino, st.size, st.mtimeNs, st.ctimeNs].join(':'), changedMs: Number(st.ctimeNs > st.mtimeNs ? st.ctimeNs : st.mtimeNs) / 1e6 };
  } catch (e) {
    throw new YardstickError('model', `cannot read ${path}: ${(e as Error).message}`, { hint: 'check the file exists and is readable' });
  }
}

/** One digest over several files, named by base name so a moved folder keeps its fingerprint. */
export async function sha256Files(paths: string[]): Promise<string> {
  const parts: string[] = [];
  for (const p of [...paths].sort((a, b) => basename(a).localeCompare(basename(b)))) {
    parts.push(`${basename(p)}:${statSync(p).size}:${await sha256FileRemembered(p)}`);
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
