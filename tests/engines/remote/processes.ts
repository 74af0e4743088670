// Child processes for the remote-engine end-to-end tests: `yardstick serve` replicas (waited for
// until they print their URL, stopped with SIGTERM) and `yardstick run` without blocking the test's
// event loop (a proxy in this process must keep answering).
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { withOwnResponseCache, type CliResult } from '../../helpers/cli.js';

const BIN = resolve(import.meta.dirname, '..', '..', '..', 'bin', 'yardstick.js');

export interface ServeProcess {
  url: string;
  process: ChildProcess;
  /** SIGTERM, then the exit code (SIGKILL after 10 s) */
  stop(): Promise<number | null>;
}

export function startServe(args: string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const stop = async (): Promise<number | null> => {
    if (child.exitCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`yardstick serve did not start within 60 s: ${err}`));
    }, 60_000);
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /serving .* at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise({ url: m[1]!, process: child, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`yardstick serve exited with ${code}: ${err}`));
    });
  });
}

export function runCliAsync(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    const own = withOwnResponseCache(args, env);
    const child = spawn(process.execPath, [BIN, ...own.args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      own.cleanup();
      resolvePromise({ code: code ?? -1, stdout, stderr, pid: child.pid ?? -1 });
    });
  });
}
