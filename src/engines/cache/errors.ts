// SQLite failures on the response cache file, as the one line a user can act on.
import { YardstickError, isYardstickError } from '../../errors.js';

export const ELSEWHERE = 'or pass --cache with another file, or --no-cache';

/** One clear line for anything SQLite reports about the file. */
export function cacheError(e: unknown, path: string): YardstickError {
  if (isYardstickError(e)) return e;
  const code = String((e as { code?: unknown }).code ?? '');
  const message = e instanceof Error ? e.message : String(e);
  if (!code.startsWith('SQLITE_') && /bindings file|NODE_MODULE_VERSION|better_sqlite3\.node/.test(message)) {
    return new YardstickError('cache', `the response cache cannot load SQLite (better-sqlite3's native module is missing or was built for another Node)`, {
      hint: 'run `npm run build`, which compiles it, or pass --no-cache',
      cause: e,
    });
  }
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) {
    return new YardstickError('cache', `response cache ${path} is locked by another process`, { hint: `wait for that run to finish, ${ELSEWHERE}`, cause: e });
  }
  if (/^SQLITE_(NOTADB|CORRUPT)/.test(code)) {
    return new YardstickError('cache', `response cache ${path} is damaged (${message})`, {
      hint: `delete it (with its -wal and -shm files) to start an empty cache, ${ELSEWHERE}`,
      cause: e,
    });
  }
  if (/^SQLITE_FULL/.test(code) || code === 'ENOSPC') {
    return new YardstickError('cache', `the disk holding response cache ${path} is full`, { hint: `free some space, ${ELSEWHERE}`, cause: e });
  }
  if (/^SQLITE_(CANTOPEN|READONLY|PERM|AUTH|IOERR)/.test(code) || /^E(ACCES|PERM|ROFS|NOTDIR|EXIST|ISDIR)$/.test(code)) {
    return new YardstickError('cache', `cannot open or write response cache ${path} (${message})`, { hint: `check its folder is writable, ${ELSEWHERE}`, cause: e });
  }
  return new YardstickError('cache', `response cache ${path}: ${message}`, { hint: ELSEWHERE, cause: e });
}
