// The seed job in one command, end to end through the built CLI: two models served by a local fake hub
// (hf:OWNER/NAME), `--tasks seed` on a few documents under --data-dir; each model's results and samples
// are written, the comparison report lands in <output-path>/comparison/, and the commits are recorded.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitId, FakeHub, folderFiles } from '../data/hub/fake-hub.js';
import { runCliAsync } from '../helpers/cli.js';
import { writeHfModel } from '../helpers/hf-model.js';
import { MMLU, writeSeedData } from '../helpers/seed-data.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const root = mkdtempSync(join(tmpdir(), 'yardstick-hub-seed-'));
const hub = new FakeHub();
const C1 = commitId(11);
const C2 = commitId(12);

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npx tsc -p tsconfig.json` before the e2e tests (npm test does)');
  }
  const a = await writeHfModel(join(root, 'a'), { architecture: 'LlamaForCausalLM', seed: 1 });
  const b = await writeHfModel(join(root, 'b'), { architecture: 'LlamaForCausalLM', seed: 2, dtype: 'BF16' });
  await hub.start();
  hub.models.set('test-org/small-a', { refs: { main: C1 }, commits: { [C1]: { files: folderFiles(a) } } });
  hub.models.set('test-org/small-b', { refs: { main: C2 }, commits: { [C2]: { files: folderFiles(b) } } });
  writeSeedData(join(root, 'data'));
});
afterAll(async () => {
  await hub.stop();
  rmSync(root, { recursive: true, force: true });
});

function resultsIn(dir: string): Record<string, unknown> {
  const files = readdirSync(dir).filter((f) => /^results_.*\.json$/.test(f));
  expect(files).toHaveLength(1);
  return JSON.parse(readFileSync(join(dir, files[0]!), 'utf8')) as Record<string, unknown>;
}

describe('yardstick run --model A --model B --tasks seed', () => {
  it('evaluates both hub models in turn and writes the comparison', async () => {
    const out = join(root, 'runs');
    const home = join(root, 'hf-home');
    const r = await runCliAsync(
      ['run', '--model', 'hf:test-org/small-a', '--model', 'hf:test-org/small-b', '--tasks', 'seed', '--limit', '2', '--data-dir', join(root, 'data'), '--output-path', out, '--bootstrap-iters', '100'],
      { cwd: ROOT, env: { HF_HOME: home, HF_HUB_CACHE: undefined, HF_ENDPOINT: hub.endpoint, HF_TOKEN: '', HF_HUB_OFFLINE: '', YARDSTICK_CACHE: join(root, 'converted') } },
    );
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.code, r.stderr).toBe(0);

    const runs = readdirSync(out).filter((d) => d !== 'comparison').sort();
    expect(runs).toHaveLength(2);
    for (const [i, commit] of [C1, C2].entries()) {
      const results = resultsIn(join(out, runs[i]!));
      const config = results.config as Record<string, unknown>;
      expect(config.model_name ?? results.model_name).toBe(['test-org/small-a', 'test-org/small-b'][i]);
      expect(config.model_revision).toBe('main');
      expect(config.model_sha).toBe(commit);
      const tasks = results.results as Record<string, Record<string, unknown>>;
      for (const task of ['lambada_openai', 'winogrande', 'cola', 'mnli', 'wnli', 'hendrycks_math_algebra', 'mmlu_anatomy']) {
        expect(tasks[task], `${runs[i]} ${task}`).toBeDefined();
      }
      expect(Object.keys(tasks).filter((t) => MMLU.stem!.includes(t.replace(/^mmlu_/, '')))).toHaveLength(MMLU.stem!.length);
      // compare pairs documents through the sample logs, so they are written without --log-samples
      expect(readdirSync(join(out, runs[i]!)).filter((f) => f.startsWith('samples_lambada_openai_'))).toHaveLength(1);
    }
    // the files `yardstick compare --output` writes
    const comparison = readdirSync(join(out, 'comparison'));
    for (const f of ['report.html', 'comparison.md']) expect(comparison).toContain(f);
    expect(comparison.some((f) => f.endsWith('.svg'))).toBe(true);
    const md = readFileSync(join(out, 'comparison', 'comparison.md'), 'utf8');
    expect(md).toMatch(/lambada/i);
    expect(md).toMatch(/mmlu_anatomy/);
    expect(md).toMatch(/small-a/);
    expect(md).toMatch(/small-b/);
    expect(r.stderr).toContain(join(out, 'comparison', 'report.html'));
    // each model was downloaded once, into the HF cache layout
    expect(existsSync(join(home, 'hub', 'models--test-org--small-a', 'snapshots', C1, 'model.safetensors'))).toBe(true);
    expect(existsSync(join(home, 'hub', 'models--test-org--small-b', 'snapshots', C2, 'model.safetensors'))).toBe(true);
  }, 300_000);
});
