// Runs the built CLI (dist/, via bin/yardstick.js) as a user would, capturing its output. A `run` that
// names no cache gets a response cache file of its own (deleted afterwards), so no test reads another's
// answers: tests that count engine calls stay meaningful. (A caller that sets YARDSTICK_CACHE is
// testing the default location and gets none.)
import { spawn, spawnSync } from 'node:child_process';
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

/** `args` with `--cache <fresh file>` added to a `run` that names none, and how to remove that file. */
export function withOwnResponseCache(args: string[], env: Record<string, string | undefined> = {}): { args: string[]; cleanup: () => void } {
  const names = args[0] === 'run' && !args.some((a) => a === '--cache' || a.startsWith('--cache=') || a === '--no-cache');
  if (!names || 'YARDSTICK_CACHE' in env) return { args, cleanup: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'yardstick-cli-cache-'));
  return { args: [...args, '--cache', join(dir, 'responses.sqlite')], cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): CliResult {
  const own = withOwnResponseCache(args, options.env);
  try {
    const r = spawnSync(process.execPath, [BIN, ...own.args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      encoding: 'utf8',
      timeout: 300_000,
    });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, pid: r.pid };
  } finally {
    own.cleanup();
  }
}

/** runCli without blocking the event loop, for tests whose own servers (a fake hub) must answer the CLI. */
export function runCliAsync(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const own = withOwnResponseCache(args, options.env);
    const child = spawn(process.execPath, [BIN, ...own.args], { cwd: options.cwd, env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill(), 300_000);
    child.on('error', (e) => {
      own.cleanup();
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      own.cleanup();
      resolvePromise({ code: code ?? -1, stdout, stderr, pid: child.pid ?? -1 });
    });
  });
}
