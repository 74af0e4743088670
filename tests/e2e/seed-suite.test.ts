// The seed suite through the real CLI (bin/yardstick.js -> dist/, so build with `npx tsc -p
// tsconfig.json` first; `npm test` does): every seed task on a tiny generated model with a few
// documents in the HF schema under --data-dir, checking that the results JSON has every task and
// group with its metric and stderr keys; and that a task whose data lacks a split or a field fails
// with one line while the other tasks' results are still written.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tinyModel } from '../helpers/tiny-model.js';
import { MATH_CONFIGS, MMLU, sentence, writeSeedData, writeSplit } from '../helpers/seed-data.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

type Row = Record<string, unknown>;

const tempDirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

interface SeedRun {
  code: number;
  stdout: string;
  stderr: string;
  results?: Row;
}

/** Runs the CLI offline (no Hub, an empty HF cache) and reads the one results file it wrote. */
function runSeed(args: string[], outputPath: string): SeedRun {
  const home = tempDir('yardstick-hf-');
  const r = runCli([...args, '--output-path', outputPath], {
    cwd: ROOT,
    env: { HF_HUB_OFFLINE: '1', HF_HOME: home, HF_HUB_CACHE: join(home, 'hub') },
  });
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/^results_.*\.json$/.test(f)) files.push(p);
    }
  };
  walk(outputPath);
  expect(files.length).toBeLessThanOrEqual(1);
  return { ...r, results: files[0] ? (JSON.parse(readFileSync(files[0], 'utf8')) as Row) : undefined };
}

let modelDir: string;
let dataDir: string;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npx tsc -p tsconfig.json` before the e2e tests (npm test does)');
  }
  modelDir = await tinyModel();
  dataDir = tempDir('yardstick-seed-data-');
  writeSeedData(dataDir);
});

const SEED_TASKS = 'lambada_openai,winogrande,cola,mnli,mnli_mismatch,mrpc,qnli,qqp,rte,sst2,wnli,hendrycks_math,mmlu';

describe('yardstick run on the seed suite', () => {
  it('writes every task and group with its metric and stderr keys', () => {
    const out = tempDir('yardstick-seed-out-');
    const r = runSeed(
      ['run', '--model', `onnx:${modelDir}`, '--tasks', SEED_TASKS, '--limit', '3', '--data-dir', dataDir, '--bootstrap-iters', '1000'],
      out,
    );
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.code, r.stderr).toBe(0);
    const results = r.results!.results as Record<string, Row>;
    const expectKeys = (name: string, metrics: string[], n: number): void => {
      const entry = results[name];
      expect(entry, `results.${name}`).toBeDefined();
      for (const m of metrics) {
        expect(typeof entry![`${m},none`], `${name} ${m},none`).toBe('number');
        expect(entry, `${name} ${m}_stderr,none`).toHaveProperty([`${m}_stderr,none`]);
      }
      expect(entry!.sample_len, `${name} sample_len`).toBe(n);
    };

    expectKeys('lambada_openai', ['perplexity', 'acc'], 3);
    expect(results.lambada_openai!['perplexity,none']).toBeGreaterThan(1);
    expectKeys('winogrande', ['acc'], 3);
    expectKeys('cola', ['mcc'], 3);
    expect(results.cola).not.toHaveProperty(['acc,none']);
    for (const t of ['mnli', 'mnli_mismatch', 'qnli', 'rte', 'sst2', 'wnli']) expectKeys(t, ['acc'], 3);
    for (const t of ['mrpc', 'qqp']) expectKeys(t, ['acc', 'f1'], 3);
    // bootstrap stderr (1000 iterations) for the non-mean aggregations is a number
    for (const [t, m] of [['cola', 'mcc'], ['mrpc', 'f1'], ['qqp', 'f1'], ['lambada_openai', 'perplexity']] as const) {
      expect(typeof results[t]![`${m}_stderr,none`], `${t} ${m}_stderr`).toBe('number');
    }
    for (const t of Object.keys(MATH_CONFIGS)) expectKeys(t, ['exact_match'], 2);
    for (const s of Object.values(MMLU).flat()) expectKeys(`mmlu_${s}`, ['acc'], 3);

    // groups
    expectKeys('hendrycks_math', ['exact_match'], 14);
    for (const [cat, subjects] of Object.entries(MMLU)) expectKeys(`mmlu_${cat}`, ['acc'], subjects.length * 3);
    expectKeys('mmlu', ['acc'], 171);
    // each group's value is the size-weighted mean over all its leaves (semantics §10)
    const weighted = (leaves: string[], metric: string): number =>
      leaves.reduce((a, t) => a + (results[t]![metric] as number) * (results[t]!.sample_len as number), 0) /
      leaves.reduce((a, t) => a + (results[t]!.sample_len as number), 0);
    const mmluLeaves = Object.values(MMLU).flat().map((s) => `mmlu_${s}`);
    expect(results.mmlu!['acc,none']).toBeCloseTo(weighted(mmluLeaves, 'acc,none'), 12);
    for (const [cat, subjects] of Object.entries(MMLU)) {
      expect(results[`mmlu_${cat}`]!['acc,none']).toBeCloseTo(weighted(subjects.map((s) => `mmlu_${s}`), 'acc,none'), 12);
    }
    expect(results.hendrycks_math!['exact_match,none']).toBeCloseTo(weighted(Object.keys(MATH_CONFIGS), 'exact_match,none'), 12);
    const subtasks = r.results!.group_subtasks as Record<string, string[]>;
    expect(subtasks.mmlu!.slice().sort()).toEqual(['mmlu_humanities', 'mmlu_other', 'mmlu_social_sciences', 'mmlu_stem']);
    for (const [cat, subjects] of Object.entries(MMLU)) expect(subtasks[`mmlu_${cat}`]).toEqual(subjects.map((s) => `mmlu_${s}`));
    expect(subtasks.hendrycks_math).toEqual(Object.keys(MATH_CONFIGS));

    const groups = r.results!.groups as Record<string, Row>;
    expect(Object.keys(groups).sort()).toEqual(['hendrycks_math', 'mmlu', 'mmlu_humanities', 'mmlu_other', 'mmlu_social_sciences', 'mmlu_stem']);
    // 13 tasks asked for; 57 + 7 leaves plus 11 single tasks and 6 groups in results
    expect(Object.keys(results)).toHaveLength(57 + 7 + 11 + 6);
    // the printed table names every group
    for (const g of ['mmlu', 'hendrycks_math']) expect(r.stdout).toContain(`|${g}`);
  });

  it('refuses tasks whose data lacks a split or a field before any compute, one line each; --skip-missing runs the others', () => {
    const broken = tempDir('yardstick-seed-broken-');
    // rte: no validation split at all; sst2: documents without the label column; cola intact
    const row = (i: number): Row => ({ sentence: sentence(i), label: i % 2, idx: i });
    writeSplit(broken, 'nyu-mll/glue', 'cola', 'validation', [0, 1, 2].map(row));
    writeSplit(broken, 'nyu-mll/glue', 'rte', 'train', [0, 1].map((i) => ({ sentence1: 'a', sentence2: 'b', label: i, idx: i })));
    writeSplit(broken, 'nyu-mll/glue', 'sst2', 'validation', [0, 1, 2].map((i) => ({ sentence: sentence(i), idx: i })));
    const out = tempDir('yardstick-seed-out-');
    const r = runSeed(['run', '--model', `onnx:${modelDir}`, '--tasks', 'cola,rte,sst2', '--data-dir', broken, '--bootstrap-iters', '1000'], out);

    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('yardstick: '));
    const rte = lines.filter((l) => l.includes('task rte'));
    const sst2 = lines.filter((l) => l.includes('task sst2'));
    expect(rte).toHaveLength(1);
    expect(rte[0]).toMatch(/split validation/);
    expect(sst2).toHaveLength(1);
    expect(sst2[0]).toMatch(/^yardstick: task sst2 \(split validation, doc 0\): field 'label' used by doc_to_target is missing/);

    expect(lines.at(-1)).toMatch(/2 problem\(s\) found before any compute; nothing was run/);
    expect(r.results).toBeUndefined();

    const skipping = runSeed(['run', '--model', `onnx:${modelDir}`, '--tasks', 'cola,rte,sst2', '--data-dir', broken, '--bootstrap-iters', '1000', '--skip-missing'], tempDir('yardstick-seed-out-'));
    expect(skipping.code, skipping.stderr).toBe(0);
    expect(skipping.stderr).toMatch(/2 task\(s\) skipped by --skip-missing: rte, sst2/);
    const results = skipping.results!.results as Record<string, Row>;
    expect(Object.keys(results)).toEqual(['cola']);
    expect(typeof results.cola!['mcc,none']).toBe('number');
  });

  it('gives the same log-probs, generations and metrics with and without prefix sharing and under any batch size or token budget', () => {
    // MMLU 5-shot (every document of a subject shares its few-shot block), and zero-shot tasks
    const invocations = [
      ['--tasks', 'mmlu_astronomy,mmlu_virology', '--num-fewshot', '5'],
      ['--tasks', 'lambada_openai,winogrande,mmlu_anatomy'],
      // greedy generation: batched, rows leaving the batch as they stop
      ['--tasks', 'hendrycks_math_algebra,hendrycks_math_prealgebra'],
    ];
    const settings = [
      ['--no-prefix-sharing', '--batch-size', '1'],
      ['--batch-size', '8'],
      ['--batch-size', '8', '--max-batch-tokens', '64'],
    ];
    const runs = settings.map((extra) => {
      const out = tempDir('yardstick-seed-prefix-');
      const results: Record<string, Row> = {};
      let yardstick: Row = {};
      for (const tasks of invocations) {
        const r = runSeed(['run', '--model', `onnx:${modelDir}`, ...tasks, '--data-dir', dataDir, '--log-samples', '--bootstrap-iters', '0', ...extra], join(out, tasks[1]!));
        expect(r.code, r.stderr).toBe(0);
        Object.assign(results, r.results!.results);
        yardstick = r.results!.yardstick as Row;
      }
      const samples = new Map<string, number[]>();
      const generations = new Map<string, string[]>();
      const walk = (d: string): void => {
        for (const f of readdirSync(d)) {
          const p = join(d, f);
          if (statSync(p).isDirectory()) walk(p);
          else if (f.startsWith('samples_')) {
            const task = f.replace(/^samples_(.*)_\d{4}-.*$/, '$1');
            const rows = readFileSync(p, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row);
            if (task.startsWith('hendrycks_math')) generations.set(task, rows.map((row) => JSON.stringify(row.resps)));
            else samples.set(task, rows.flatMap((row) => (row.filtered_resps as string[][]).map((x) => Number(x[0]))));
          }
        }
      };
      walk(out);
      return { results, yardstick, samples, generations };
    });
    expect(runs[0]!.yardstick.prefix_sharing).toBe(false);
    expect(runs[2]!.yardstick.max_batch_tokens).toBe(64);
    const [base, ...others] = runs;
    expect([...base!.samples.keys()].sort()).toEqual(['lambada_openai', 'mmlu_anatomy', 'mmlu_astronomy', 'mmlu_virology', 'winogrande']);
    for (const other of others) {
      for (const [task, lls] of base!.samples) {
        const got = other.samples.get(task)!;
        expect(got.length).toBe(lls.length);
        lls.forEach((ll, i) => expect(Math.abs(got[i]! - ll), `${task} #${i}`).toBeLessThan(1e-5));
      }
      for (const task of ['mmlu_astronomy', 'mmlu_virology', 'mmlu_anatomy', 'winogrande']) expect(other.results[task]!['acc,none']).toBe(base!.results[task]!['acc,none']);
      expect([...other.generations.keys()].sort()).toEqual(['hendrycks_math_algebra', 'hendrycks_math_prealgebra']);
      for (const [task, texts] of base!.generations) {
        expect(other.generations.get(task), task).toEqual(texts);
        expect(other.results[task]!['exact_match,none']).toBe(base!.results[task]!['exact_match,none']);
      }
      expect(other.results.lambada_openai!['acc,none']).toBe(base!.results.lambada_openai!['acc,none']);
    }
  });
});
