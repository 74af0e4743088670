// Progress lines as a user sees them, with and without a terminal: every task is named, and within a
// task's phase the done count never goes backwards and ends at the total.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSampleData } from '../../src/demo/sample-docs.js';
import { runCli } from '../helpers/cli.js';
import { tinyModel } from '../helpers/tiny-model.js';

const BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'yardstick.js');
const TASKS = ['lambada_openai', 'winogrande', 'sst2'];
let model: string;
let data: string;

beforeAll(async () => {
  model = await tinyModel();
  data = join(mkdtempSync(join(tmpdir(), 'ys-progress-')), 'data');
  writeSampleData(data);
}, 120_000);

const LINE = /^\[(\d+)\/(\d+)\] (\S+) (building requests|loglikelihood|generate_until): (\d+)\/(\d+) (requests|documents)/;

function checkLines(text: string): void {
  // a TTY rewrites one line with \r; split on both so each update is one entry
  const updates = text.split(/\r|\n/).map((l) => l.replace(/\x1b\[K/g, '').trim()).filter((l) => LINE.test(l));
  expect(updates.length).toBeGreaterThan(0);
  const seen = new Set<string>();
  const last = new Map<string, number>();
  for (const u of updates) {
    const m = LINE.exec(u)!;
    const key = `${m[3]} ${m[4]}`;
    seen.add(m[3]!);
    const done = Number(m[5]);
    expect(done, u).toBeGreaterThanOrEqual(last.get(key) ?? 0);
    expect(done).toBeLessThanOrEqual(Number(m[6]));
    last.set(key, done);
    expect(Number(m[2])).toBe(TASKS.length);
  }
  for (const t of TASKS) expect(seen, `task ${t} named in progress`).toContain(t);
  for (const [key, done] of last) if (key.endsWith('loglikelihood')) expect(done, key).toBeGreaterThan(0);
}

describe('progress', () => {
  it('writes plain lines naming each task when stderr is not a terminal', () => {
    const r = runCli(['run', '--model', `onnx:${model}`, '--tasks', TASKS.join(','), '--data-dir', data, '--limit', '4', '--bootstrap-iters', '0']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('\r');
    checkLines(r.stderr);
  });

  it('updates one live line per phase on a pseudo-terminal', () => {
    const log = join(mkdtempSync(join(tmpdir(), 'ys-pty-')), 'typescript');
    const cmd = [process.execPath, BIN, 'run', '--model', `onnx:${model}`, '--tasks', TASKS.join(','), '--data-dir', data, '--limit', '4', '--bootstrap-iters', '0']
      .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
      .join(' ');
    // util-linux script gives the command a pty; its transcript holds what the terminal showed
    const r = spawnSync('script', ['-qfec', cmd, log], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(0);
    const shown = readFileSync(log, 'utf8');
    expect(shown).toContain('\r');
    checkLines(shown);
  });
});
