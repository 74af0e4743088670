// End-to-end, SLOW (about 2-3 minutes on 2 cores): builds dist/ and runs `node bin/yardstick.js demo --out TMP`,
// the README's main command, then checks the files a user is told to open. One test on purpose.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '..', '..');
let out: string;

beforeAll(() => {
  const tsc = spawnSync(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {
    cwd: repo,
    encoding: 'utf8',
  });
  expect(tsc.status, `tsc failed:\n${tsc.stdout}${tsc.stderr}`).toBe(0);
  out = mkdtempSync(join(tmpdir(), 'yardstick-demo-'));
}, 300_000);
afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

/** The one results_<date>.json under a run's --output_path, and the folder holding it. */
function resultsIn(runDir: string): { dir: string; file: string } {
  const found: Array<{ dir: string; file: string }> = [];
  for (const sub of readdirSync(runDir, { withFileTypes: true })) {
    if (!sub.isDirectory()) continue;
    const dir = join(runDir, sub.name);
    for (const f of readdirSync(dir)) if (/^results_.+\.json$/.test(f)) found.push({ dir, file: join(dir, f) });
  }
  expect(found, `results files under ${runDir}`).toHaveLength(1);
  return found[0]!;
}

describe('yardstick demo (end-to-end, slow)', () => {
  it('evaluates two tiny models on the seed suite offline and writes results, comparison.md and report.html', () => {
    const run = spawnSync(process.execPath, [join(repo, 'bin', 'yardstick.js'), 'demo', '--out', out], {
      cwd: repo,
      encoding: 'utf8',
      // no network may be needed: point the Hub at an address that refuses connections
      env: { ...process.env, HF_ENDPOINT: 'http://127.0.0.1:9', HF_HUB_OFFLINE: '1', HF_DATASETS_OFFLINE: '1' },
      timeout: 600_000,
    });
    expect(run.status, `demo failed:\n${run.stderr}`).toBe(0);

    const lambadaDocs = readFileSync(join(out, 'data', 'EleutherAI', 'lambada_openai', 'default', 'test.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean).length;
    for (const label of ['tiny-64', 'tiny-96']) {
      const { dir, file } = resultsIn(join(out, 'runs', label));
      const results = JSON.parse(readFileSync(file, 'utf8'));
      for (const name of ['lambada_openai', 'winogrande', 'cola', 'mnli', 'mnli_mismatch', 'mrpc', 'qnli', 'qqp', 'rte', 'sst2', 'wnli', 'hendrycks_math', 'mmlu']) {
        expect(results.results[name], `${label}: results.${name}`).toBeDefined();
      }
      expect(results['n-samples'].lambada_openai.effective).toBe(lambadaDocs);
      const samples = readdirSync(dir).filter((f) => f.startsWith('samples_'));
      // one log per leaf task: 11 single tasks + 7 MATH subsets + 57 MMLU subjects
      expect(samples.length, `${label} sample logs`).toBe(2 + 9 + 7 + 57);
    }

    const comparison = readFileSync(join(out, 'report', 'comparison.md'), 'utf8');
    expect(comparison).toContain('tiny-64');
    expect(comparison).toContain('tiny-96');
    const html = readFileSync(join(out, 'report', 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(existsSync(join(out, 'models', 'tiny-96', 'onnx', 'model.onnx'))).toBe(true);
    expect(run.stdout).toContain(join('report', 'report.html'));
    expect(run.stdout).toContain(join('report', 'comparison.md'));
  }, 600_000);
});
