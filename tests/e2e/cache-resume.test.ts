// Resume through the real CLI (bin/yardstick.js -> dist/, so build first; `npm test` does): the seed
// suite on a tiny model with the bundled sample documents is killed with SIGKILL at three points (during
// generation, then part-way through what is left, twice); each rerun takes what the cache holds, recomputes none
// of it (rows keep their write time; the printed count is asserted), and the last one's results JSON
// and samples equal an uninterrupted run's apart from timestamps. The same after SIGINT and SIGTERM
// (exit 130 and 143, the current batch finished and kept). Plus `cache stats|clear`, --no-cache,
// and a damaged cache file failing in one line before the model loads.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSampleData } from '../../src/demo/sample-docs.js';
import { SEED_TASKS } from '../../src/demo/seed-suite.js';
import { runCli } from '../helpers/cli.js';
import { tinyModel } from '../helpers/tiny-model.js';

const BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'yardstick.js');
const work = mkdtempSync(join(tmpdir(), 'yardstick-cache-e2e-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let model: string;
let dataDir: string;
beforeAll(async () => {
  model = await tinyModel({ seed: 1 });
  dataDir = join(work, 'data');
  writeSampleData(dataDir);
});

const runArgs = (cache: string, out: string): string[] => [
  'run', '--model', `onnx:${model}`, '--tasks', SEED_TASKS.join(','), '--data-dir', dataDir,
  '--output-path', out, '--log-samples', '--cache', cache,
];

const CACHE_LINE = /^cache: (\d+) of (\d+) requests from (.+)$/m;

/** Rows of the cache file by request key: kind and write time. */
function rows(path: string): Map<string, { kind: number; writtenAt: number }> {
  const db = new Database(path, { readonly: true });
  try {
    const all = db.prepare('SELECT hex(key) AS key, kind, written_at AS writtenAt FROM responses').all() as Array<{ key: string; kind: number; writtenAt: number }>;
    return new Map(all.map((r) => [r.key, { kind: r.kind, writtenAt: r.writtenAt }]));
  } finally {
    db.close();
  }
}

function countRows(path: string, kind: number): number {
  if (!existsSync(path)) return 0;
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      // kind -1: rows of any kind
      return (db.prepare('SELECT count(*) AS n FROM responses WHERE kind = ? OR ? = -1').get(kind, kind) as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // the file exists but its tables are not there yet
  }
}

/** Starts a run and sends it `signal` (default SIGKILL) once the cache holds `atLeast` rows of `kind`;
 *  resolves when it has exited. */
function runAndKill(args: string[], cache: string, kind: number, atLeast: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const poll = setInterval(() => {
      if (countRows(cache, kind) >= atLeast) {
        clearInterval(poll);
        child.kill(signal);
      }
    }, 10);
    child.on('error', fail);
    child.on('exit', (code, exitSignal) => {
      clearInterval(poll);
      done({ code, signal: exitSignal, stderr });
    });
  });
}

/** The results JSON and samples of a run's output folder, timestamps left out. */
function outputs(out: string): { results: Record<string, unknown>; samples: Record<string, string> } {
  const [modelDir] = readdirSync(out);
  const dir = join(out, modelDir!);
  const files = readdirSync(dir);
  const resultsFile = files.filter((f) => f.startsWith('results_'));
  expect(resultsFile).toHaveLength(1);
  const results = JSON.parse(readFileSync(join(dir, resultsFile[0]!), 'utf8')) as Record<string, unknown>;
  delete results.date;
  delete results.total_evaluation_time_seconds;
  const samples: Record<string, string> = {};
  for (const f of files.filter((name) => name.startsWith('samples_'))) samples[f.replace(/_[^_]+\.jsonl$/, '')] = readFileSync(join(dir, f), 'utf8');
  return { results, samples };
}

describe('resuming from the response cache (end-to-end)', () => {
  it('recomputes nothing the cache holds after kill -9 at three points, and ends with the uninterrupted results', async () => {
    // the uninterrupted run, on a cache of its own
    const freshCache = join(work, 'fresh.sqlite');
    const fresh = runCli(runArgs(freshCache, join(work, 'out-fresh')));
    expect(fresh.code, fresh.stderr).toBe(0);
    const [, fromFresh, total] = CACHE_LINE.exec(fresh.stderr)!;
    expect(fromFresh).toBe('0');
    const totalRequests = Number(total);
    const scoreRows = countRows(freshCache, 0);
    const generateRows = countRows(freshCache, 1);
    // every request of the suite is distinct, so requests computed = rows added (checked below)
    expect(scoreRows + generateRows).toBe(totalRequests);
    expect(generateRows).toBeGreaterThan(5);

    const cache = join(work, 'resumed.sqlite');
    // kill points, whatever order the tasks run in: in the middle of generation, then twice part-way
    // through what the previous runs left to do (so each run makes progress and none finishes)
    let before = new Map<string, { kind: number; writtenAt: number }>();
    const points = [
      () => ({ kind: 1, atLeast: 5 }),
      () => ({ kind: -1, atLeast: before.size + Math.ceil(0.3 * (totalRequests - before.size)) }),
      () => ({ kind: -1, atLeast: before.size + Math.ceil(0.5 * (totalRequests - before.size)) }),
    ];
    for (const [i, pointAt] of points.entries()) {
      const point = pointAt();
      const killed = await runAndKill(runArgs(cache, join(work, `out-killed-${i}`)), cache, point.kind, point.atLeast);
      expect(killed.signal, `run ${i} ended before it could be killed:\n${killed.stderr}`).toBe('SIGKILL');
      const after = rows(cache);
      expect(after.size).toBeGreaterThan(before.size);
      expect(after.size).toBeLessThan(totalRequests);
      // a row the cache already had was not computed again (it would carry a new write time)
      for (const [key, row] of before) expect(after.get(key)).toEqual(row);
      before = after;
    }

    const last = runCli(runArgs(cache, join(work, 'out-resumed')));
    expect(last.code, last.stderr).toBe(0);
    const [, fromCache, resumedTotal, path] = CACHE_LINE.exec(last.stderr)!;
    expect(Number(resumedTotal)).toBe(totalRequests);
    expect(Number(fromCache)).toBe(before.size);
    expect(path).toBe(cache);
    const after = rows(cache);
    for (const [key, row] of before) expect(after.get(key)).toEqual(row);
    expect(after.size).toBe(totalRequests);

    const a = outputs(join(work, 'out-fresh'));
    const b = outputs(join(work, 'out-resumed'));
    expect(Object.keys(b.samples).sort()).toEqual(Object.keys(a.samples).sort());
    expect(Object.keys(a.samples).length).toBeGreaterThan(10);
    for (const task of Object.keys(a.samples)) expect(b.samples[task], task).toBe(a.samples[task]);
    expect(b.results).toEqual(a.results);

    // a fully cached rerun computes nothing
    const again = runCli(runArgs(cache, join(work, 'out-again')));
    expect(CACHE_LINE.exec(again.stderr)!.slice(1, 3)).toEqual([String(totalRequests), String(totalRequests)]);

    // cache stats lists the model's rows; clear by fingerprint empties it
    const stats = runCli(['cache', 'stats', '--cache', cache]);
    expect(stats.code, stats.stderr).toBe(0);
    const line = stats.stdout.split('\n').find((l) => l.includes(model))!;
    const [fingerprint, scores, generations] = line.split(/\s+/);
    expect([Number(scores), Number(generations)]).toEqual([scoreRows, generateRows]);
    const digest = (a.results.yardstick as { model_fingerprint: { digest: string } }).model_fingerprint.digest;
    expect(digest.startsWith(fingerprint!)).toBe(true);
    const clear = runCli(['cache', 'clear', '--cache', cache, '--model-fingerprint', fingerprint!]);
    expect(clear.code, clear.stderr).toBe(0);
    expect(clear.stderr).toContain(`cleared ${totalRequests} cached answer(s)`);
    expect(runCli(['cache', 'stats', '--cache', cache]).stdout).toMatch(/0 model\(s\)/);
  }, 600_000);

  it('SIGINT and SIGTERM finish the batch, keep its answers, and a rerun recomputes none of them and ends with the uninterrupted results', async () => {
    const freshCache = join(work, 'fresh-signals.sqlite');
    const fresh = runCli(runArgs(freshCache, join(work, 'out-fresh-signals')));
    expect(fresh.code, fresh.stderr).toBe(0);
    const totalRequests = Number(CACHE_LINE.exec(fresh.stderr)![2]);

    const cache = join(work, 'signals.sqlite');
    let before = new Map<string, { kind: number; writtenAt: number }>();
    for (const [i, [signal, share, code]] of ([['SIGINT', 0.3, 130], ['SIGTERM', 0.5, 143]] as const).entries()) {
      const atLeast = before.size + Math.ceil(share * (totalRequests - before.size));
      const stopped = await runAndKill(runArgs(cache, join(work, `out-signal-${i}`)), cache, -1, atLeast, signal);
      expect(stopped.code, `run ${i} (${signal}):\n${stopped.stderr}`).toBe(code);
      expect(stopped.stderr).toMatch(/to resume, rerun the same command \(requests already answered come from the response cache\)/);
      const after = rows(cache);
      expect(after.size).toBeGreaterThanOrEqual(atLeast);
      expect(after.size).toBeLessThan(totalRequests);
      for (const [key, row] of before) expect(after.get(key)).toEqual(row);
      before = after;
    }

    const last = runCli(runArgs(cache, join(work, 'out-signals-resumed')));
    expect(last.code, last.stderr).toBe(0);
    const [, fromCache, resumedTotal] = CACHE_LINE.exec(last.stderr)!;
    expect([Number(fromCache), Number(resumedTotal)]).toEqual([before.size, totalRequests]);
    const after = rows(cache);
    for (const [key, row] of before) expect(after.get(key)).toEqual(row);

    const a = outputs(join(work, 'out-fresh-signals'));
    const b = outputs(join(work, 'out-signals-resumed'));
    expect(Object.keys(b.samples).sort()).toEqual(Object.keys(a.samples).sort());
    for (const task of Object.keys(a.samples)) expect(b.samples[task], task).toBe(a.samples[task]);
    expect(b.results).toEqual(a.results);
  }, 600_000);

  it('--no-cache neither reads nor writes a cache file', () => {
    const cache = join(work, 'unused', 'responses.sqlite');
    const r = runCli(['run', '--model', `onnx:${model}`, '--tasks', 'winogrande', '--data-dir', dataDir, '--no-cache'], { env: { YARDSTICK_CACHE: join(work, 'unused') } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(CACHE_LINE);
    expect(existsSync(cache)).toBe(false);
  });

  it('the default cache is responses.sqlite in $YARDSTICK_CACHE', () => {
    const cache = join(work, 'env', 'responses.sqlite');
    const r = runCli(['run', '--model', `onnx:${model}`, '--tasks', 'winogrande', '--data-dir', dataDir], { env: { YARDSTICK_CACHE: join(work, 'env') } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`cache: 0 of `);
    expect(r.stderr).toContain(` requests from ${cache}\n`);
    expect(existsSync(cache)).toBe(true);
  });

  it('a damaged cache file fails the run in one line, naming the file, before the model loads', () => {
    const cache = join(work, 'damaged.sqlite');
    writeFileSync(cache, 'this is not an SQLite database, just some text that is long enough to look like a header');
    const r = runCli(['run', '--model', `onnx:${join(work, 'no-such-model')}`, '--tasks', 'winogrande', '--data-dir', dataDir, '--cache', cache]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `yardstick: response cache ${cache} is damaged (file is not a database); delete it (with its -wal and -shm files) to start an empty cache, or pass --cache with another file, or --no-cache\n`,
    );
  });
});
