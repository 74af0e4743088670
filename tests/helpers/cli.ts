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
}

export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const cacheDir = options.env?.YARDSTICK_CACHE === undefined ? mkdtempSync(join(tmpdir(), 'yardstick-cli-cache-')) : undefined;
  try {
    const r = spawnSync(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...(cacheDir ? { YARDSTICK_CACHE: join(cacheDir, 'responses.sqlite') } : {}), ...options.env },
      encoding: 'utf8',
      timeout: 300_000,
    });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  } finally {
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  }
}
