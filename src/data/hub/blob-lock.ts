// One download of a blob at a time. Two yardstick processes (or two opens in one process) fetching the
// same model would otherwise append to the same resumable `.incomplete` file and fail its checksum.
// The lock is a file created exclusively next to the blob, holding its owner's host and pid; the owner
// touches it while bytes arrive. A waiter takes over a lock whose process has ended on this host, or
// one nobody has touched for STALE_MS (a process on another machine sharing the cache).
import { closeSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

const STALE_MS = 60_000;
const POLL_MS = 100;
const HEARTBEAT_MS = 5_000;

export interface BlobLock {
  /** marks the lock as alive (throttled: cheap to call for every chunk) */
  touch(): void;
  release(): void;
}

/** Who holds a lock: the lock file's "host pid token". */
export interface LockHolder {
  host: string;
  pid: number;
}

/** Takes `${blob}.lock`, waiting while another live download holds it. */
export async function lockBlob(blob: string, onWait?: (holder: LockHolder) => void): Promise<BlobLock> {
  const file = `${blob}.lock`;
  const owner = `${hostname()} ${process.pid} ${Math.random().toString(36).slice(2)}`;
  let told = false;
  for (;;) {
    const fd = tryCreate(file);
    if (fd !== undefined) {
      writeSync(fd, owner);
      closeSync(fd);
      let last = Date.now();
      return {
        touch: () => {
          const now = Date.now();
          if (now - last < HEARTBEAT_MS) return;
          last = now;
          try {
            utimesSync(file, now / 1000, now / 1000);
          } catch {
            // taken over as stale; the checksum still guards the blob
          }
        },
        release: () => {
          if (readHolder(file) === owner) rmSync(file, { force: true });
        },
      };
    }
    const text = readHolder(file);
    // empty: its owner has created it and not written it yet (or died in between: stale by age alone)
    const holder = text ? parseHolder(text) : undefined;
    if (text !== undefined && isStale(file, holder)) {
      rmSync(file, { force: true });
      continue;
    }
    if (!told && holder) {
      told = true;
      onWait?.(holder);
    }
    await sleep(POLL_MS);
  }
}

function tryCreate(file: string): number | undefined {
  try {
    return openSync(file, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw e;
  }
}

function readHolder(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function parseHolder(text: string): LockHolder {
  const [host = '', pid] = text.split(' ');
  return { host, pid: Number(pid) };
}

function isStale(file: string, holder: LockHolder | undefined): boolean {
  if (holder?.host === hostname() && !processRuns(holder.pid)) return true;
  try {
    return Date.now() - statSync(file).mtimeMs > STALE_MS;
  } catch {
    return false;
  }
}

function processRuns(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
