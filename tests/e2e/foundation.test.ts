// The foundation end to end through the CLI on a generated tiny model: results JSON schema,
// samples, batch invariance, and one-line errors for bad input.
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyModel } from '../helpers/tiny-model.js';
import { runCli } from '../helpers/cli.js';
import { readResults, readSamples, runFolder, writeJsonl } from '../helpers/run-output.js';

let work: string;
let model: string;
let data: string;

const LAMBADA = [
  'the cat sat on the mat and looked at the door',
  'she opened the window to let the fresh air in',
  'they walked along the river until the sun went down',
  'he wrote a long letter to his old friend',
  'the children played in the park all afternoon',
  'we shared the bread and the cheese with our neighbours',
];
const WINOGRANDE = [
  { sentence: "The trophy doesn't fit into the brown suitcase because the _ is too large.", option1: 'trophy', option2: 'suitcase', answer: '1' },
  { sentence: 'Ann asked Mary what time the library closes, because _ had forgotten.', option1: 'Ann', option2: 'Mary', answer: '1' },
  { sentence: 'The cup fell off the table because _ was standing on the edge.', option1: 'the cup', option2: 'the table', answer: '1' },
  { sentence: 'Tom lent Jim his bike since _ needed it to get to work.', option1: 'Tom', option2: 'Jim', answer: '2' },
  { sentence: 'The rain soaked the paper because the _ was left outside.', option1: 'paper', option2: 'rain', answer: '1' },
];

function resultsFile(out: string): { results: Record<string, unknown>; dir: string } {
  const dir = runFolder(out);
  return { results: readResults(dir), dir };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'yardstick-e2e-'));
  model = await tinyModel();
  data = join(work, 'data');
  writeJsonl(join(data, 'EleutherAI/lambada_openai/default/test.jsonl'), LAMBADA.map((text) => ({ text })));
  writeJsonl(join(data, 'allenai/winogrande/winogrande_xl/validation.jsonl'), WINOGRANDE);
});

function run(out: string, extra: string[] = []) {
  return runCli(['run', '--model', `onnx:${model}`, '--tasks', 'lambada_openai,winogrande', '--data-dir', data, '--output-path', join(work, out), '--log-samples', ...extra]);
}

describe('yardstick run', () => {
  it("writes lm-eval's results JSON, samples and table", () => {
    const r = run('out');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\|lambada_openai\|\s+1\|none\s+\|\s+0\|acc\s+\|↑/);
    const { results, dir } = resultsFile(join(work, 'out'));
    for (const key of ['results', 'group_subtasks', 'configs', 'versions', 'n-shot', 'higher_is_better', 'n-samples', 'config', 'task_hashes', 'model_name']) {
      expect(results, key).toHaveProperty([key]);
    }
    const res = results.results as Record<string, Record<string, unknown>>;
    expect(Object.keys(res.lambada_openai!)).toEqual(['name', 'alias', 'sample_len', 'perplexity,none', 'perplexity_stderr,none', 'acc,none', 'acc_stderr,none']);
    expect(Object.keys(res.winogrande!)).toEqual(['name', 'alias', 'sample_len', 'acc,none', 'acc_stderr,none']);
    expect(results['n-samples']).toEqual({ lambada_openai: { original: 6, effective: 6 }, winogrande: { original: 5, effective: 5 } });
    expect(results.higher_is_better).toEqual({ lambada_openai: { perplexity: false, acc: true }, winogrande: { acc: true } });
    expect((results.config as Record<string, unknown>).bootstrap_iters).toBe(100000);

    // metrics recomputed by hand from the logged samples
    const lambada = readSamples(dir, 'lambada_openai');
    expect(lambada).toHaveLength(6);
    const lls = lambada.map((s) => Number((s.filtered_resps as string[][])[0]![0]));
    const accs = lambada.map((s) => s.acc as number);
    const expectedPpl = Math.exp(-lls.reduce((a, b) => a + b, 0) / lls.length);
    expect(Math.abs((res.lambada_openai!['perplexity,none'] as number) - expectedPpl) / expectedPpl).toBeLessThan(1e-12);
    expect(res.lambada_openai!['acc,none']).toBe(accs.reduce((a, b) => a + b, 0) / accs.length);
    expect(lambada[0]!.arguments).toEqual({ gen_args_0: { arg_0: 'the cat sat on the mat and looked at the', arg_1: ' door' } });
    const wino = readSamples(dir, 'winogrande');
    wino.forEach((s, i) => {
      const [a, b] = (s.filtered_resps as string[][]).map((p) => Number(p[0]));
      const pred = b! > a! ? 1 : 0;
      expect(s.acc).toBe(pred === Number(WINOGRANDE[i]!.answer) - 1 ? 1 : 0);
    });
  });

  it('gives the same log-probs and metrics with --batch-size 1 and 16', () => {
    expect(run('bs1', ['--batch-size', '1']).code).toBe(0);
    expect(run('bs16', ['--batch-size', '16']).code).toBe(0);
    const one = resultsFile(join(work, 'bs1'));
    const sixteen = resultsFile(join(work, 'bs16'));
    expect(sixteen.results.results).toEqual(one.results.results);
    for (const task of ['lambada_openai', 'winogrande']) {
      const a = readSamples(one.dir, task);
      const b = readSamples(sixteen.dir, task);
      a.forEach((s, i) => {
        const la = (s.filtered_resps as string[][]).map((p) => Number(p[0]));
        const lb = (b[i]!.filtered_resps as string[][]).map((p) => Number(p[0]));
        la.forEach((x, k) => expect(Math.abs(x - lb[k]!)).toBeLessThan(1e-5));
      });
    }
  });

  it('records the BOS policy and changes scores when BOS is turned off', () => {
    expect(run('nobos', ['--add-bos-token', 'false']).code).toBe(0);
    const off = resultsFile(join(work, 'nobos')).results;
    const on = resultsFile(join(work, 'out')).results;
    expect((off.yardstick as Record<string, unknown>).bos_policy).toBe('never');
    expect((on.yardstick as Record<string, unknown>).bos_policy).toBe('tokenizer');
    expect(off.results).not.toEqual(on.results);
  });
});

describe('bad input gets one clear line and a non-zero exit', () => {
  const expectOneLine = (r: ReturnType<typeof runCli>, pattern: RegExp): void => {
    expect(r.code).not.toBe(0);
    const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('yardstick:'));
    expect(lines.length).toBeGreaterThan(0);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  };

  it('unknown task, with close names', () => {
    expectOneLine(runCli(['run', '--model', `onnx:${model}`, '--tasks', 'winogrand', '--data-dir', data]), /unknown task 'winogrand'; did you mean winogrande/);
  });

  it('missing model folder', () => {
    expectOneLine(runCli(['run', '--model', `onnx:${join(work, 'nope')}`, '--tasks', 'winogrande', '--data-dir', data]), /model folder not found: .*nope/);
  });

  it('corrupt ONNX file', () => {
    const broken = join(work, 'broken-model');
    cpSync(model, broken, { recursive: true });
    writeFileSync(join(broken, 'onnx', 'model.onnx'), Buffer.from([0x08, 0xff, 0xff, 0x01, 0x02]));
    expectOneLine(runCli(['run', '--model', `onnx:${broken}`, '--tasks', 'winogrande', '--data-dir', data]), /cannot load ONNX model .*model\.onnx.*corrupt/);
  });

  it('data file missing', () => {
    const empty = join(work, 'empty-data');
    mkdirSync(empty, { recursive: true });
    expectOneLine(
      runCli(['run', '--model', `onnx:${model}`, '--tasks', 'winogrande', '--data-dir', empty], { env: { HF_HUB_OFFLINE: '1', HF_HOME: join(work, 'hf') } }),
      /allenai\/winogrande/,
    );
  });

  it('a document missing a field the template uses names task, doc and field', () => {
    const bad = join(work, 'bad-data');
    writeJsonl(join(bad, 'EleutherAI/lambada_openai/default/test.jsonl'), [{ text: 'a b c' }, { passage: 'x y z' }]);
    const r = runCli(['run', '--model', `onnx:${model}`, '--tasks', 'lambada_openai', '--data-dir', bad]);
    expectOneLine(r, /task lambada_openai \(split test, doc 1\): field 'text' used by doc_to_text is missing/);
    rmSync(bad, { recursive: true });
  });
});
