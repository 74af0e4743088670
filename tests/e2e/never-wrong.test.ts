// Issue 12's cases through the real CLI on a tiny generated model: every input that used to give
// wrong numbers with exit 0 now ends in one clear line and a non-zero exit before any compute; an
// interrupted or failed run leaves its finished work, never an empty or partial results_*.json.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { tinyModel } from '../helpers/tiny-model.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { writeJsonl } from '../helpers/run-output.js';

let work: string;
let model: string;
let data: string;

const WINOGRANDE = [
  { sentence: "The trophy doesn't fit into the brown suitcase because the _ is too large.", option1: 'trophy', option2: 'suitcase', answer: '1' },
  { sentence: 'Tom lent Jim his bike since _ needed it to get to work.', option1: 'Tom', option2: 'Jim', answer: '2' },
  { sentence: 'The rain soaked the paper because the _ was left outside.', option1: 'paper', option2: 'rain', answer: '1' },
];
const LAMBADA = ['the cat sat on the mat', 'she opened the window to let the air in', 'they walked along the river'];

/** A data folder with lambada and winogrande, winogrande's docs replaced by `wino`. */
function dataWith(name: string, wino: unknown[]): string {
  const dir = join(work, name);
  writeJsonl(join(dir, 'EleutherAI/lambada_openai/default/test.jsonl'), LAMBADA.map((text) => ({ text })));
  writeJsonl(join(dir, 'allenai/winogrande/winogrande_xl/validation.jsonl'), wino);
  return dir;
}

const OFFLINE = (): Record<string, string> => ({ HF_HUB_OFFLINE: '1', HF_HOME: join(work, 'hf') });

function run(args: string[]): CliResult {
  return runCli(['run', '--model', `onnx:${model}`, ...args], { env: OFFLINE() });
}

/** Fails before compute: non-zero exit, every line a `yardstick:` line, no stack, no results. */
function expectRefused(r: CliResult, ...patterns: RegExp[]): void {
  expect(r.code, r.stderr).not.toBe(0);
  expect(r.stdout).toBe('');
  for (const line of r.stderr.trim().split('\n')) expect(line).toMatch(/^yardstick: /);
  for (const p of patterns) expect(r.stderr).toMatch(p);
  expect(r.stderr).not.toMatch(/undefined|^\s+at /m);
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'yardstick-never-wrong-'));
  model = await tinyModel();
  data = dataWith('data', WINOGRANDE);
});

describe('silently wrong before: now refused before any compute', () => {
  it('a winogrande document without option2 is named, not rendered as "undefined"', () => {
    const { option2: _drop, ...noOption2 } = WINOGRANDE[1]!;
    const bad = dataWith('no-option2', [WINOGRANDE[0], noOption2, WINOGRANDE[2]]);
    expectRefused(run(['--tasks', 'winogrande', '--data-dir', bad]), /task winogrande \(split validation, doc 1\): winogrande document lacks a string 'option2' field/);
  });

  it('a winogrande answer out of range (7)', () => {
    const bad = dataWith('answer-7', [WINOGRANDE[0], { ...WINOGRANDE[1], answer: '7' }]);
    expectRefused(run(['--tasks', 'winogrande', '--data-dir', bad]), /doc 1\): winogrande answer must be "1" or "2", got "7"/);
  });

  it('a multiple_choice gold index outside the choices', () => {
    const dir = join(work, 'gold-yaml');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'pick.yaml'), 'task: pick_one\ndataset_path: local/pick\ntest_split: test\noutput_type: multiple_choice\ndoc_to_text: q\ndoc_to_choice: ["a", "b"]\ndoc_to_target: g\nmetric_list:\n  - metric: acc\n');
    const d = join(work, 'gold-data');
    writeJsonl(join(d, 'local/pick/default/test.jsonl'), [{ q: 'x', g: 1 }, { q: 'y', g: 5 }]);
    expectRefused(run(['--tasks', 'pick_one', '--include-path', dir, '--data-dir', d]), /task pick_one \(split test, doc 1\): gold answer 5 is outside the 2 choices/);
  });

  it('--lm-eval-version banana', () => {
    expectRefused(run(['--tasks', 'winogrande', '--data-dir', data, '--lm-eval-version', 'banana']), /--lm-eval-version/);
  });

  it('a user YAML named like a built-in task is a clash, not a silent replacement', () => {
    const dir = join(work, 'clash');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'mine.yaml'), 'task: winogrande\ndataset_path: local/mine\ntest_split: test\noutput_type: loglikelihood\ndoc_to_text: q\ndoc_to_target: a\n');
    expectRefused(run(['--tasks', 'winogrande', '--include-path', dir, '--data-dir', data]), /mine\.yaml defines task 'winogrande', which is also a built-in task/);
  });

  it('an unknown metric names the YAML, the metric and the known ones', () => {
    const dir = join(work, 'metric-yaml');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'odd.yaml'), 'task: odd_metric\ninclude: ' + resolve('src/tasks/builtin/lambada/lambada_openai.yaml') + '\nmetric_list:\n  - metric: accuracy_typo\n');
    expectRefused(run(['--tasks', 'odd_metric', '--include-path', dir, '--data-dir', data]), /task odd_metric \(.*odd\.yaml\): unknown metric 'accuracy_typo'.*known metrics: perplexity, acc/);
  });

  it('an empty data file does not make the task vanish', () => {
    const empty = dataWith('empty-wino', []);
    expectRefused(run(['--tasks', 'lambada_openai,winogrande', '--data-dir', empty]), /task winogrande: split validation of allenai\/winogrande has no documents/);
  });

  it("--tasks '' and --max-length 0", () => {
    expectRefused(run(['--tasks', '', '--data-dir', data]), /--tasks names no task/);
    expectRefused(run(['--tasks', 'winogrande', '--data-dir', data, '--max-length', '0']), /--max-length/);
  });

  it("a config.json whose vocab_size disagrees with the model's logits", () => {
    const broken = join(work, 'vocab-model');
    cpSync(model, broken, { recursive: true });
    const config = JSON.parse(readFileSync(join(broken, 'config.json'), 'utf8')) as Record<string, number>;
    writeFileSync(join(broken, 'config.json'), JSON.stringify({ ...config, vocab_size: config.vocab_size! + 7 }));
    const r = runCli(['run', '--model', `onnx:${broken}`, '--tasks', 'winogrande', '--data-dir', data], { env: OFFLINE() });
    expectRefused(r, new RegExp(`says vocab_size ${config.vocab_size! + 7} but .*model\\.onnx outputs ${config.vocab_size} logits`));
  });

  it('make-model --out over an existing model refuses unless --force', () => {
    const out = join(work, 'made');
    expect(runCli(['make-model', '--out', out]).code).toBe(0);
    const before = readFileSync(join(out, 'model.safetensors'));
    expectRefused(runCli(['make-model', '--out', out, '--seed', '9']), /--out .*made already holds a model; pass --force/);
    expect(readFileSync(join(out, 'model.safetensors')).equals(before)).toBe(true);
    expect(runCli(['make-model', '--out', out, '--seed', '9', '--force']).code).toBe(0);
    expect(readFileSync(join(out, 'model.safetensors')).equals(before)).toBe(false);
  });

  it('an --output-path that cannot be written is reported before compute', () => {
    const file = join(work, 'a-file');
    writeFileSync(file, 'x');
    expectRefused(run(['--tasks', 'winogrande', '--data-dir', data, '--output-path', join(file, 'out')]), /a-file is a file, not a folder/);
  });

  it('every problem is reported together, one line each, and a missing dataset fails before other tasks run', () => {
    const bad = dataWith('together', [{ ...WINOGRANDE[0], answer: '7' }]);
    const r = run(['--tasks', 'lambada_openai,winogrande,mnli', '--data-dir', bad, '--output-path', join(work, 'together-out')]);
    expectRefused(r, /winogrande answer must be/, /task mnli: .*nyu-mll\/glue/, /2 problem\(s\) found before any compute; nothing was run \(--skip-missing runs the tasks that are ready\)/);
    expect(files(join(work, 'together-out'))).toEqual([]);
  });

  it('--skip-missing runs what is ready and says what was skipped', () => {
    const out = join(work, 'skip-out');
    const r = run(['--tasks', 'winogrande,mnli', '--data-dir', data, '--output-path', out, '--skip-missing']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/yardstick: skipped mnli: task mnli: /);
    expect(r.stderr).toMatch(/1 task\(s\) skipped by --skip-missing: mnli/);
    expect(r.stdout).toMatch(/winogrande/);
    expect(r.stdout).not.toMatch(/mnli/);
  });
});

describe('a failed run leaves no results file compare would pick up', () => {
  it('a failed rerun into the same folder leaves the earlier results newest, and compare reads them', () => {
    const out = join(work, 'rerun');
    expect(run(['--tasks', 'winogrande', '--data-dir', data, '--output-path', out]).code).toBe(0);
    const before = files(out).filter((f) => /results_.*\.json$/.test(f));
    const bad = dataWith('rerun-bad', [{ ...WINOGRANDE[0], option1: null }]);
    expect(run(['--tasks', 'winogrande', '--data-dir', bad, '--output-path', out]).code).not.toBe(0);
    expect(files(out).filter((f) => /results_.*\.json$/.test(f))).toEqual(before);
  });

  it('compare given a folder whose newest results file is empty says so in one line', () => {
    const out = join(work, 'rerun');
    const sub = join(out, readdirSync(out)[0]!);
    writeFileSync(join(sub, 'results_2999-01-01T00-00-00.000000.json'), '');
    const r = runCli(['compare', out, out]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/results_2999-01-01T00-00-00\.000000\.json is empty/);
    writeFileSync(join(sub, 'results_2999-01-01T00-00-00.000000.json'), '{"results": {}}');
    expect(runCli(['compare', out, out]).stderr).toMatch(/holds no task results/);
  });
});

describe('SIGINT and SIGTERM', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s finishes the batch, keeps finished tasks, writes no results_*.json, says how to resume, exits %i', async (signal, exitCode) => {
    // winogrande is long enough (4,000 docs at batch 1) that the signal lands while it runs
    const many = Array.from({ length: 4000 }, (_, i) => WINOGRANDE[i % WINOGRANDE.length]);
    const d = dataWith(`${signal}-data`, many);
    const out = join(work, `${signal}-out`);
    const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'yardstick.js');
    const child = spawn(process.execPath, [bin, 'run', '--model', `onnx:${model}`, '--tasks', 'lambada_openai,winogrande', '--data-dir', d, '--output-path', out, '--log-samples'], {
      env: { ...process.env, ...OFFLINE() },
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdout.resume();
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const deadline = Date.now() + 90_000;
    while (!files(out).some((f) => /samples_lambada_openai_.*\.jsonl$/.test(f))) {
      if (Date.now() > deadline) throw new Error(`no lambada samples appeared; stderr: ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill(signal);
    expect(await exited).toBe(exitCode);
    const written = files(out);
    expect(written.filter((f) => /(^|\/)results_.*\.json$/.test(f))).toEqual([]);
    expect(written.some((f) => /samples_lambada_openai_.*\.jsonl$/.test(f))).toBe(true);
    expect(written.some((f) => /samples_winogrande_/.test(f))).toBe(false);
    const lambada = written.find((f) => /samples_lambada_openai_/.test(f))!;
    expect(readFileSync(join(out, lambada), 'utf8').trim().split('\n')).toHaveLength(LAMBADA.length);
    const partial = written.find((f) => /partial_results_.*\.json$/.test(f))!;
    expect(Object.keys((JSON.parse(readFileSync(join(out, partial), 'utf8')) as { results: object }).results)).toEqual(['lambada_openai']);
    expect(stderr).toMatch(new RegExp(`yardstick: interrupted by ${signal} after the current batch; 1 finished task\\(s\\) \\(lambada_openai\\) were written to .*; to resume, rerun the same command`));
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
