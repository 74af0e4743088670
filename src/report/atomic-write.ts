// Writes an output file so that it either exists complete or not at all: a temp file beside it,
// then a rename. A full disk or an unwritable folder is one clear line, and leaves no fragment.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { YardstickError } from '../errors.js';

export function writeFileAtomic(path: string, content: string | Buffer): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temp, content);
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw writeError(path, e);
  }
}

/** One line for a failed write: what, where, what to do. */
export function writeError(path: string, e: unknown): YardstickError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new YardstickError('usage', `no space left on the device writing ${path}`, { hint: 'free some space or choose another --output-path', cause: e });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new YardstickError('usage', `cannot write ${path}: permission denied`, { hint: 'choose a writable --output-path', cause: e });
  }
  const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
  return new YardstickError('usage', `cannot write ${path}: ${message}`, { hint: 'choose a writable --output-path', cause: e });
}

/** A report folder's writer: creates the folder, writes each file atomically and lists what it wrote. */
export function reportFolder(outDir: string): { write: (name: string, content: string | Buffer) => void; files: string[] } {
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  return {
    files,
    write(name, content) {
      const path = join(outDir, name);
      writeFileAtomic(path, content);
      files.push(path);
    },
  };
}
