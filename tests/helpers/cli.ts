// Runs the built CLI (dist/, via bin/yardstick.js) as a user would, capturing its output. Unless the
// caller sets YARDSTICK_CACHE, each call gets a response cache file of its own (deleted afterwards), so
// tests never read or write the user's cache nor each other's answers.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'yardstick.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** the CLI process's id (names what it may leave behind, e.g. /tmp/mat-debug-<pid>.log) */
  pid: number;
}

export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): CliResult {
  const ownCache = !(options.env && 'YARDSTICK_CACHE' in options.env);
  const cacheDir = ownCache ? mkdtempSync(join(tmpdir(), 'yardstick-cli-cache-')) : undefined;
  try {
    const r = spawnSync(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...(cacheDir ? { YARDSTICK_CACHE: join(cacheDir, 'responses.sqlite') } : {}), ...options.env },
      encoding: 'utf8',
      timeout: 300_000,
    });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, pid: r.pid };
  } finally {
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  }
}
