// Runs the built CLI (dist/, via bin/yardstick.js) as a user would, capturing its output.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'yardstick.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** the CLI process's id (names what it may leave behind, e.g. /tmp/mat-debug-<pid>.log) */
  pid: number;
}

export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, pid: r.pid };
}
