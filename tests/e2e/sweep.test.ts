// `yardstick sweep` through the real CLI (bin/yardstick.js -> dist/, so build with `npx tsc -p
// tsconfig.json` first): a tiny generated model over 0, 1 and 5 shots on winogrande and mmlu_anatomy writes
// a run folder per cell, a table whose numbers are the per-document means and standard errors of each
// cell's sample log (computed here), a score-versus-shots chart per task, and report.html; the 5-shot cell
// equals a plain `run --num-fewshot 5` on a cache of its own; a second sweep takes every answer from the
// cache; bad grid values and a cell a task cannot take fail in one line before any compute.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSampleData } from '../../src/demo/sample-docs.js';
import { runCli } from '../helpers/cli.js';
import { tinyModel } from '../helpers/tiny-model.js';

const work = mkdtempSync(join(tmpdir(), 'yardstick-sweep-e2e-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const TASKS = 'winogrande,mmlu_anatomy';
const CELLS = ['fewshot-0', 'fewshot-1', 'fewshot-5'];
let model: string;
let dataDir: string;

beforeAll(async () => {
  model = await tinyModel({ seed: 1 });
  dataDir = join(work, 'data');
  writeSampleData(dataDir);
  // winogrande draws k + 1 few-shot documents (its pool is not a named split): 5 shots need 6 or more
  const train = join(dataDir, 'allenai', 'winogrande', 'winogrande_xl', 'train.jsonl');
  const extra = ['The kite flew higher than the balloon because the _ had a longer string.', 'The tea cooled faster than the soup because the _ was in a thin cup.'];
  for (const [i, sentence] of extra.entries()) appendFileSync(train, `${JSON.stringify({ sentence, option1: i ? 'tea' : 'kite', option2: i ? 'soup' : 'balloon', answer: '1' })}\n`);
});

const sweepArgs = (out: string, cache: string, shots = '0,1,5'): string[] => [
  'sweep', '--model', `onnx:${model}`, '--tasks', TASKS, '--data-dir', dataDir, '--num-fewshot', shots,
  '--output-path', out, '--log-samples', '--cache', cache,
];

/** The one model folder of a run output: its results JSON (timestamps left out) and sample logs by task. */
function runOutput(dir: string): { results: Record<string, any>; samples: Record<string, string> } {
  const [modelDir, ...more] = readdirSync(dir);
  expect(more).toEqual([]);
  const d = join(dir, modelDir!);
  const files = readdirSync(d);
  const resultsFiles = files.filter((f) => /^results_.*\.json$/.test(f));
  expect(resultsFiles).toHaveLength(1);
  const results = JSON.parse(readFileSync(join(d, resultsFiles[0]!), 'utf8')) as Record<string, any>;
  delete results.date;
  delete results.total_evaluation_time_seconds;
  const samples: Record<string, string> = {};
  for (const f of files.filter((n) => n.startsWith('samples_'))) samples[f.replace(/_[^_]+\.jsonl$/, '')] = readFileSync(join(d, f), 'utf8');
  return { results, samples };
}

/** Mean and standard error of the mean (sample standard deviation / √n) of the docs' `acc`, in float64. */
function accOf(samplesJsonl: string): { mean: number; stderr: number; n: number } {
  const acc = samplesJsonl.trim().split('\n').map((l) => Number((JSON.parse(l) as { acc: number }).acc));
  const n = acc.length;
  const mean = acc.reduce((a, b) => a + b, 0) / n;
  const variance = acc.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, stderr: Math.sqrt(variance / n), n };
}

describe('yardstick sweep (end-to-end)', () => {
  it('writes a run folder per cell, the table, a chart per task and report.html; 5-shot equals run --num-fewshot 5', () => {
    const out = join(work, 'sweep');
    const cache = join(work, 'sweep.sqlite');
    const r = runCli(sweepArgs(out, cache));
    expect(r.code, r.stderr).toBe(0);
    for (const name of ['report.html', 'sweep.md', 'sweep.json', 'sweep-winogrande.svg', 'sweep-winogrande.png', 'sweep-mmlu_anatomy.svg', 'sweep-mmlu_anatomy.png']) {
      expect(existsSync(join(out, name)), name).toBe(true);
    }
    expect(readdirSync(out).filter((f) => f.startsWith('fewshot-')).sort()).toEqual(CELLS);

    // the table: each cell's value ± stderr, as the sample logs say
    const cells = CELLS.map((c) => runOutput(join(out, c)));
    const table = readFileSync(join(out, 'sweep.md'), 'utf8');
    expect(r.stdout).toContain(table);
    const lines = table.trim().split('\n');
    expect(lines[0]!.split('|').map((s) => s.trim()).filter(Boolean)).toEqual(['Task', 'Metric', '0-shot', '1-shot', '5-shot']);
    for (const [task, alias] of [['winogrande', 'winogrande'], ['mmlu_anatomy', 'anatomy']] as const) {
      const row = lines.find((l) => l.split('|')[1]!.trim() === alias)!;
      expect(row, alias).toBeDefined();
      const expected = cells.map((c) => {
        const { mean, stderr } = accOf(c.samples[`samples_${task}`]!);
        return `${mean.toFixed(4)} ± ${stderr.toFixed(4)}`;
      });
      expect(row.split('|').map((s) => s.trim()).filter(Boolean)).toEqual([alias, 'acc', ...expected]);
      // each cell ran with its own few-shot count
      cells.forEach((c, i) => expect(c.results['n-shot'][task]).toBe([0, 1, 5][i]));
    }

    // a chart per task: one point per cell at its few-shot count, at the cell's mean accuracy
    for (const task of ['winogrande', 'mmlu_anatomy']) {
      const svg = readFileSync(join(out, `sweep-${task}.svg`), 'utf8');
      const points = [...svg.matchAll(/aria-label="few-shot examples: (\d+); acc: ([-\d.e]+); series: [^"]*" role="graphics-symbol" aria-roledescription="point"/g)];
      expect(points.map((p) => Number(p[1]))).toEqual([0, 1, 5]);
      points.forEach((p, i) => expect(Number(p[2])).toBeCloseTo(accOf(cells[i]!.samples[`samples_${task}`]!).mean, 9));
      expect([...svg.matchAll(/aria-roledescription="rule mark"/g)]).toHaveLength(3);
    }
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<section id="sweep">');
    expect(html).toContain('id="chart-sweep-winogrande"');
    expect(html).not.toMatch(/(src|href)="?https?:/);

    // a plain run, computing everything afresh on a cache of its own, gives the 5-shot cell exactly
    const plain = join(work, 'plain');
    const p = runCli(['run', '--model', `onnx:${model}`, '--tasks', TASKS, '--data-dir', dataDir, '--num-fewshot', '5', '--output-path', plain, '--log-samples']);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stderr).toMatch(/^cache: 0 of \d+ requests/m);
    const run5 = runOutput(plain);
    expect(cells[2]!.results).toEqual(run5.results);
    expect(Object.keys(run5.samples).sort()).toEqual(['samples_mmlu_anatomy', 'samples_winogrande']);
    expect(cells[2]!.samples).toEqual(run5.samples);
    // and the 0-shot cell is not the 5-shot one (the grid did change the prompts)
    expect(cells[0]!.samples.samples_winogrande).not.toEqual(run5.samples.samples_winogrande);

    // the same sweep again: every cell's answers come from the cache
    const again = runCli(sweepArgs(join(work, 'sweep-again'), cache));
    expect(again.code, again.stderr).toBe(0);
    const counts = [...again.stderr.matchAll(/^cache: (\d+) of (\d+) requests/gm)];
    expect(counts).toHaveLength(3);
    for (const [, from, total] of counts) {
      expect(Number(total)).toBeGreaterThan(0);
      expect(from).toBe(total);
    }
    expect(readFileSync(join(work, 'sweep-again', 'sweep.md'), 'utf8')).toBe(table);
  });

  it.each([
    [['--num-fewshot', '0,x'], /^yardstick: --num-fewshot '0,x' has 'x', which is not a whole number/],
    [['--num-fewshot', '0,5,5'], /^yardstick: --num-fewshot '0,5,5' lists 5 twice/],
    [['--num-fewshot', '0', '--chat-template', 'off,sometimes'], /^yardstick: --chat-template 'off,sometimes' has 'sometimes'/],
  ])('refuses %j in one line before any compute', (grid, message) => {
    const out = join(work, `bad-${grid.join('_').replace(/[^a-z0-9_]/gi, '')}`);
    const r = runCli(['sweep', '--model', `onnx:${model}`, '--tasks', TASKS, '--data-dir', dataDir, ...grid, '--output-path', out, '--no-cache']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it('a cell a task cannot take fails before the first cell is computed, naming the cell', () => {
    const small = join(work, 'small-data');
    writeSampleData(small); // five winogrande training documents: too few for 5 shots
    const out = join(work, 'too-many-shots');
    const r = runCli(['sweep', '--model', `onnx:${model}`, '--tasks', TASKS, '--data-dir', small, '--num-fewshot', '0,5', '--output-path', out, '--no-cache']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^yardstick: 5-shot cell: task winogrande: cannot draw 6 few-shot examples from a pool of 5/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it('needs --output-path', () => {
    const r = runCli(['sweep', '--model', `onnx:${model}`, '--tasks', TASKS, '--data-dir', dataDir, '--num-fewshot', '0', '--no-cache']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('yardstick: sweep needs --output-path (each cell is a run folder there, beside the report); add --output-path sweep');
  });
});
