// The response cache file: SQLite in WAL mode holding every model answer, filed by model fingerprint
// (and the yardstick version that computed it) and request key, so an interrupted or repeated run
// recomputes only what is missing. Opening checks the schema; every SQLite failure becomes one line.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { YardstickError } from '../../errors.js';
import { fingerprintDigest } from '../fingerprint.js';
import type { ModelInfo } from '../types.js';
import { ELSEWHERE, cacheError } from './errors.js';
import { ModelCache, type CacheStatements } from './model-cache.js';
import { YARDSTICK_VERSION } from '../../version.js';

/** Bumped when the file layout changes; a file with a larger number is refused, never misread. */
export const SCHEMA_VERSION = 1;

/** Rows are also filed under the code version that computed them, since a fix to how an engine
 *  turns logits into numbers changes results without changing any model file. */
export { YARDSTICK_VERSION } from '../../version.js';


const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE models (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  yardstick TEXT NOT NULL,
  name TEXT NOT NULL,
  engine TEXT NOT NULL,
  detail TEXT NOT NULL,
  UNIQUE (fingerprint, yardstick)
);
CREATE TABLE responses (
  model INTEGER NOT NULL,
  key BLOB NOT NULL,
  kind INTEGER NOT NULL,
  is_greedy INTEGER,
  numbers BLOB NOT NULL,
  text TEXT,
  written_at INTEGER NOT NULL,
  PRIMARY KEY (model, key)
) WITHOUT ROWID;
`;

export interface OpenCacheOptions {
  /** for `cache stats`: never create or change the file */
  readonly?: boolean;
  /** how long to wait for another process's write to finish before calling the file locked */
  busyTimeoutMs?: number;
}

export interface CachedModel {
  /** fingerprintDigest of the model (results JSON's model_fingerprint.digest) */
  fingerprint: string;
  yardstick: string;
  /** the model name of the latest run that used these rows */
  name: string;
  engine: string;
  scores: number;
  generations: number;
  /** ms since the epoch of the newest row, if any */
  lastWrite?: number;
}

export interface CacheStats {
  path: string;
  /** the database file plus its write-ahead log */
  fileBytes: number;
  models: CachedModel[];
}

export class ResponseCache {
  private constructor(
    /** the path as the user gave it, for messages */
    readonly path: string,
    private readonly db: Database.Database,
    /** an empty file opened read-only: it has no tables yet */
    private readonly empty: boolean,
  ) {}

  static open(path: string, options: OpenCacheOptions = {}): ResponseCache {
    const file = resolve(path);
    const readonly = options.readonly ?? false;
    if (readonly && !existsSync(file)) {
      throw new YardstickError('cache', `no response cache at ${path}`, { hint: 'nothing has been cached there yet (`yardstick run` writes it)' });
    }
    let db: Database.Database | undefined;
    try {
      if (!readonly) mkdirSync(dirname(file), { recursive: true });
      db = new Database(file, { readonly, fileMustExist: readonly, timeout: options.busyTimeoutMs ?? 10_000 });
      if (!readonly) {
        // WAL: readers never wait for the writer, and a commit is one append (no fsync with NORMAL), so
        // writing every batch as it returns is cheap and a killed process loses nothing it committed.
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
      }
      const empty = !checkSchema(db, path, readonly);
      // take and release the write lock once, so a locked or read-only file fails now, before the model loads
      if (!readonly) db.transaction(() => undefined).immediate();
      return new ResponseCache(path, db, empty);
    } catch (e) {
      db?.close();
      throw cacheError(e, path);
    }
  }

  /** The rows of one model (as run by this yardstick version); registers the model on first use. */
  forModel(info: ModelInfo): ModelCache {
    const digest = fingerprintDigest(info.fingerprint);
    const register = this.db.transaction((): number => {
      const row = this.db.prepare('SELECT id FROM models WHERE fingerprint = ? AND yardstick = ?').get(digest, YARDSTICK_VERSION) as { id: number } | undefined;
      if (row) {
        this.db.prepare('UPDATE models SET name = ? WHERE id = ?').run(info.name, row.id);
        return row.id;
      }
      const detail = JSON.stringify(info.fingerprint);
      return Number(
        this.db
          .prepare('INSERT INTO models (fingerprint, yardstick, name, engine, detail) VALUES (?, ?, ?, ?, ?)')
          .run(digest, YARDSTICK_VERSION, info.name, info.engine, detail).lastInsertRowid,
      );
    });
    try {
      const statements: CacheStatements = {
        get: this.db.prepare('SELECT kind, is_greedy, numbers, text FROM responses WHERE model = ? AND key = ?'),
        put: this.db.prepare('INSERT OR REPLACE INTO responses (model, key, kind, is_greedy, numbers, text, written_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      };
      return new ModelCache(this.path, this.db, statements, register.immediate());
    } catch (e) {
      throw cacheError(e, this.path);
    }
  }

  stats(): CacheStats {
    try {
      const rows = this.empty
        ? []
        : (this.db
            .prepare(
          `SELECT m.fingerprint, m.yardstick, m.name, m.engine,
                  count(r.key) AS rows, coalesce(sum(r.kind = 0), 0) AS scores, max(r.written_at) AS lastWrite
           FROM models m LEFT JOIN responses r ON r.model = m.id
           GROUP BY m.id ORDER BY lastWrite DESC, m.id`,
        )
            .all() as Array<{ fingerprint: string; yardstick: string; name: string; engine: string; rows: number; scores: number; lastWrite: number | null }>);
      const file = resolve(this.path);
      const size = (p: string): number => (existsSync(p) ? statSync(p).size : 0);
      return {
        path: this.path,
        fileBytes: size(file) + size(`${file}-wal`),
        models: rows.map((r) => ({
          fingerprint: r.fingerprint,
          yardstick: r.yardstick,
          name: r.name,
          engine: r.engine,
          scores: r.scores,
          generations: r.rows - r.scores,
          ...(r.lastWrite === null ? {} : { lastWrite: r.lastWrite }),
        })),
      };
    } catch (e) {
      throw cacheError(e, this.path);
    }
  }

  /** Deletes every row, or those of the model whose fingerprint digest starts with `fingerprint`
   *  (at least 6 characters, as `cache stats` prints 12), and shrinks the file. */
  clear(fingerprint?: string): { models: number; rows: number } {
    try {
      let ids: number[];
      if (fingerprint === undefined) {
        ids = (this.db.prepare('SELECT id FROM models').all() as Array<{ id: number }>).map((r) => r.id);
      } else {
        const prefix = fingerprint.toLowerCase();
        if (!/^[0-9a-f]{6,64}$/.test(prefix)) {
          throw new YardstickError('usage', `--model-fingerprint '${fingerprint}' is not a fingerprint digest`, {
            hint: 'give at least 6 hex characters of a digest that `yardstick cache stats` lists',
          });
        }
        const found = this.db.prepare("SELECT id, fingerprint FROM models WHERE substr(fingerprint, 1, ?) = ?").all(prefix.length, prefix) as Array<{ id: number; fingerprint: string }>;
        const digests = new Set(found.map((r) => r.fingerprint));
        if (digests.size === 0) {
          throw new YardstickError('usage', `response cache ${this.path} has no model with fingerprint ${fingerprint}`, { hint: 'see `yardstick cache stats`' });
        }
        if (digests.size > 1) {
          throw new YardstickError('usage', `fingerprint ${fingerprint} matches ${digests.size} models in ${this.path}`, { hint: 'give more characters of the digest' });
        }
        ids = found.map((r) => r.id);
      }
      const removed = this.db.transaction(() => {
        let rows = 0;
        for (const id of ids) {
          rows += this.db.prepare('DELETE FROM responses WHERE model = ?').run(id).changes;
          this.db.prepare('DELETE FROM models WHERE id = ?').run(id);
        }
        return rows;
      }).immediate();
      // give the space back: fold the log into the file, then rebuild it without the free pages
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      this.db.exec('VACUUM');
      return { models: ids.length, rows: removed };
    } catch (e) {
      throw cacheError(e, this.path);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Creates the tables in an empty file; refuses a file of a newer schema or of another program.
 *  Returns whether the file has the tables (only an empty file opened read-only has not). */
function checkSchema(db: Database.Database, path: string, readonly: boolean): boolean {
  const tables = (): Set<string> => new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((r) => r.name));
  if (tables().size === 0 && !readonly) {
    // re-checked inside the write transaction: another process may have created them meanwhile
    db.transaction(() => {
      if (tables().size > 0) return;
      db.exec(SCHEMA);
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?), (?, ?)').run('schema_version', String(SCHEMA_VERSION), 'created_by', `yardstick ${YARDSTICK_VERSION}`);
    }).immediate();
  }
  const have = tables();
  if (have.size === 0) return false;
  if (!have.has('meta') || !have.has('models') || !have.has('responses')) {
    throw new YardstickError('cache', `${path} is an SQLite file but not a yardstick response cache`, { hint: ELSEWHERE });
  }
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
  const version = row ? Number(row.value) : NaN;
  if (!Number.isInteger(version) || version < 1) {
    throw new YardstickError('cache', `response cache ${path} has no valid schema version (${row?.value ?? 'none'})`, {
      hint: `delete it to start an empty cache, ${ELSEWHERE}`,
    });
  }
  if (version > SCHEMA_VERSION) {
    throw new YardstickError('cache', `response cache ${path} was written by a newer yardstick (schema ${version}; this one reads ${SCHEMA_VERSION})`, {
      hint: `upgrade yardstick, ${ELSEWHERE}`,
    });
  }
  return true;
}
