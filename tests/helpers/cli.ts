// Runs the built CLI (dist/, via bin/yardstick.js) as a user would, capturing its output. Unless the
// caller sets YARDSTICK_CACHE, each call gets a response cache file of its own, so tests never read or
// write the user's cache nor each other's answers.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'yardstick.js');

let cacheDir: string | undefined;
let calls = 0;
function freshCachePath(): string {
  if (!cacheDir) {
    const dir = mkdtempSync(join(tmpdir(), 'yardstick-cli-cache-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    cacheDir = dir;
  }
  return join(cacheDir, `responses-${calls++}.sqlite`);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, YARDSTICK_CACHE: freshCachePath(), ...options.env },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
