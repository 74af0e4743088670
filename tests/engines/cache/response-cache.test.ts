// The cache file: schema, per-model rows, stats and clear, and one clear error for a damaged,
// foreign, newer-schema or locked file (never a wrong number).
import { existsSync, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ResponseCache, SCHEMA_VERSION, defaultCachePath } from '../../../src/engines/cache/index.js';
import { fingerprintDigest } from '../../../src/engines/fingerprint.js';
import type { ModelInfo, ScoreRequest, ScoreResult } from '../../../src/engines/types.js';
import { errorOf } from '../../helpers/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'yardstick-cache-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = (): string => join(dir, `c${n++}.sqlite`);

function model(weights: string, name = `model-${weights}`): ModelInfo {
  return {
    name,
    engine: 'test',
    dtype: 'float32',
    fingerprint: { engine: 'test', engineVersion: '1', weights, tokenizer: 'tok', dtype: 'float32', settings: { max_length: 32 } },
  };
}

const request = (i: number): ScoreRequest => ({ input: [1, 2, i], continuation: [i + 1] });
const result = (x: number): ScoreResult => ({ logprob: x, isGreedy: false, tokenLogprobs: [x] });

/** A cache with `count` rows for model `a`. */
function filled(path: string, count: number): void {
  const c = ResponseCache.open(path);
  c.forModel(model('a')).putScores(Array.from({ length: count }, (_, i) => ({ request: request(i), result: result(-i - 0.5) })));
  c.close();
}

describe('ResponseCache', () => {
  it('creates a WAL-mode file with a schema version', () => {
    const path = join(dir, 'nested', 'folder', 'responses.sqlite');
    filled(path, 3);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({ value: String(SCHEMA_VERSION) });
    expect(db.prepare('SELECT count(*) AS n FROM responses').get()).toEqual({ n: 3 });
    db.close();
  });

  it('keeps models apart: rows of one fingerprint are never answers for another', () => {
    const path = freshPath();
    filled(path, 4);
    const c = ResponseCache.open(path);
    const a = c.forModel(model('a'));
    const b = c.forModel(model('b'));
    const reqs = [0, 1, 2, 3].map(request);
    expect(a.getScores(reqs).map((r) => r?.logprob)).toEqual([-0.5, -1.5, -2.5, -3.5]);
    expect(b.getScores(reqs)).toEqual([undefined, undefined, undefined, undefined]);
    // same weights under another name (a moved folder): same fingerprint, same rows
    expect(c.forModel(model('a', 'elsewhere')).getScores(reqs).every((r) => r !== undefined)).toBe(true);
    c.close();
  });

  it('reports rows per model and clears one model or all', () => {
    const path = freshPath();
    filled(path, 5);
    const c = ResponseCache.open(path);
    c.forModel(model('b')).putScores([{ request: request(0), result: result(-1) }]);
    c.forModel(model('b')).putGenerations([{ request: { input: [1], maxNewTokens: 4, until: [] }, result: { tokens: [7, 8], text: 'hi' } }]);
    const stats = c.stats();
    expect(stats.fileBytes).toBeGreaterThan(0);
    const byName = Object.fromEntries(stats.models.map((m) => [m.name, m]));
    expect(byName['model-a']).toMatchObject({ scores: 5, generations: 0, fingerprint: fingerprintDigest(model('a').fingerprint) });
    expect(byName['model-b']).toMatchObject({ scores: 1, generations: 1 });

    const digestB = fingerprintDigest(model('b').fingerprint);
    expect(c.clear(digestB.slice(0, 12))).toEqual({ models: 1, rows: 2 });
    expect(c.stats().models.map((m) => m.name)).toEqual(['model-a']);
    expect(errorOf(() => c.clear(digestB)).message).toMatch(/has no model with fingerprint/);
    expect(errorOf(() => c.clear('xyz')).message).toMatch(/not a fingerprint digest/);
    expect(c.clear()).toEqual({ models: 1, rows: 5 });
    expect(c.stats().models).toEqual([]);
    c.close();
  });

  it('opens read-only without creating anything', () => {
    const path = freshPath();
    expect(errorOf(() => ResponseCache.open(path, { readonly: true })).message).toBe(`no response cache at ${path}`);
    expect(existsSync(path)).toBe(false);
    writeFileSync(path, '');
    const empty = ResponseCache.open(path, { readonly: true });
    expect(empty.stats().models).toEqual([]);
    empty.close();
    expect(statSync(path).size).toBe(0);
  });

  it('refuses a file that is not a database, naming it', () => {
    const path = freshPath();
    writeFileSync(path, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 131 + 7) % 256)));
    const e = errorOf(() => ResponseCache.open(path));
    expect(e.oneLine()).toMatch(new RegExp(`^response cache ${path} is damaged \\(file is not a database\\); delete it`));
    expect(e.oneLine()).not.toContain('\n');
  });

  it('refuses a truncated cache rather than answering from it', () => {
    const path = freshPath();
    filled(path, 3000);
    const full = statSync(path).size;
    truncateSync(path, Math.floor(full / 2));
    // opening may still work (the first pages are intact); reading the lost pages must fail loudly
    const e = errorOf(() => {
      const c = ResponseCache.open(path);
      try {
        const got = c.forModel(model('a')).getScores(Array.from({ length: 3000 }, (_, i) => request(i)));
        // whatever SQLite could still read must be exactly what was stored
        got.forEach((g, i) => g && expect(g.logprob).toBe(-i - 0.5));
      } finally {
        c.close();
      }
    });
    expect(e.message).toMatch(new RegExp(`response cache ${path} is damaged`));
  });

  it('refuses an SQLite file of another program', () => {
    const path = freshPath();
    const db = new Database(path);
    db.exec('CREATE TABLE notes (text TEXT)');
    db.close();
    expect(errorOf(() => ResponseCache.open(path)).message).toBe(`${path} is an SQLite file but not a yardstick response cache`);
  });

  it('refuses a file of a newer schema', () => {
    const path = freshPath();
    filled(path, 1);
    const db = new Database(path);
    db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(SCHEMA_VERSION + 1));
    db.close();
    const e = errorOf(() => ResponseCache.open(path));
    expect(e.oneLine()).toBe(
      `response cache ${path} was written by a newer yardstick (schema ${SCHEMA_VERSION + 1}; this one reads ${SCHEMA_VERSION}); ` +
        'upgrade yardstick, or pass --cache with another file, or --no-cache',
    );
    expect(errorOf(() => ResponseCache.open(path, { readonly: true })).message).toMatch(/newer yardstick/);
  });

  it('says a file is locked when another process holds it', () => {
    const path = freshPath();
    filled(path, 2);
    const other = new Database(path);
    other.pragma('locking_mode = EXCLUSIVE');
    other.exec('BEGIN EXCLUSIVE');
    other.prepare('DELETE FROM responses WHERE 0').run();
    try {
      const e = errorOf(() => ResponseCache.open(path, { busyTimeoutMs: 50 }));
      expect(e.oneLine()).toBe(`response cache ${path} is locked by another process; wait for that run to finish, or pass --cache with another file, or --no-cache`);
    } finally {
      other.exec('COMMIT');
      other.close();
    }
  });

  it('says a file is locked at open when another process is writing, before any model loads', () => {
    const path = freshPath();
    filled(path, 2);
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      expect(errorOf(() => ResponseCache.open(path, { busyTimeoutMs: 50 })).message).toBe(`response cache ${path} is locked by another process`);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    ResponseCache.open(path, { busyTimeoutMs: 50 }).close();
  });

  it('says a file is locked when a write cannot get in', () => {
    const path = freshPath();
    filled(path, 2);
    const c = ResponseCache.open(path, { busyTimeoutMs: 50 });
    const a = c.forModel(model('a'));
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      // reads go on beside a writer (WAL); our write waits, then fails with the one line
      expect(a.getScores([request(0)])[0]!.logprob).toBe(-0.5);
      expect(errorOf(() => a.putScores([{ request: request(9), result: result(-9) }])).message).toBe(`response cache ${path} is locked by another process`);
    } finally {
      other.exec('ROLLBACK');
      other.close();
      c.close();
    }
  });

  it('cannot open a cache where a folder is in the way', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'x');
    const e = errorOf(() => ResponseCache.open(join(blocker, 'responses.sqlite')));
    expect(e.message).toMatch(/^cannot open or write response cache .*a-file\/responses\.sqlite/);
  });
});

describe('defaultCachePath', () => {
  it('is responses.sqlite in the yardstick cache folder: $YARDSTICK_CACHE, else under $XDG_CACHE_HOME, else ~/.cache', () => {
    expect(defaultCachePath({ YARDSTICK_CACHE: '/x', XDG_CACHE_HOME: '/c' })).toBe(join('/x', 'responses.sqlite'));
    expect(defaultCachePath({ XDG_CACHE_HOME: '/c' })).toBe(join('/c', 'yardstick', 'responses.sqlite'));
    expect(defaultCachePath({})).toBe(join(homedir(), '.cache', 'yardstick', 'responses.sqlite'));
  });
});

