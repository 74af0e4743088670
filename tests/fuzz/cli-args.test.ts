// Fuzz: generated argument lists through the CLI's main() in-process (stdout/stderr captured). Models
// point at paths that do not exist and data is offline, so nothing is opened or computed; every
// argv must end in exit 0 or 1 with one-line errors, never "unexpected error" or "undefined".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { Rng } from './generate.js';

let root: string;
const saved: Record<string, string | undefined> = {};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'yardstick-fuzz-cli-'));
  mkdirSync(join(root, 'empty'));
  mkdirSync(join(root, 'model'));
  writeFileSync(join(root, 'model', 'config.json'), '{}');
  writeFileSync(join(root, 'file.txt'), 'x');
  for (const [k, v] of Object.entries({ HF_HUB_OFFLINE: '1', HF_HOME: join(root, 'hf') })) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});

afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const NUMBERS = ['0', '1', '-1', '1.5', '0.5', 'abc', '', '1e9', 'NaN', 'Infinity', '16', ' 3', '0x10', '99999999999999999999'];

function argv(rng: Rng): string[] {
  const path = (): string => rng.pick([join(root, 'empty'), join(root, 'missing'), join(root, 'file.txt'), join(root, 'model'), '', '/nonexistent/deep/path']);
  const value = (): string => (rng.chance(0.5) ? rng.pick(NUMBERS) : rng.text(8));
  const opt = (name: string, values: () => string): string[] => (rng.chance(0.15) ? [name] : [name, values()]);
  const some = (options: Array<() => string[]>): string[] => options.filter(() => rng.chance(0.5)).flatMap((o) => o());
  let args: string[];
  switch (rng.int(9)) {
    case 0:
    case 1:
    case 2:
      args = [
        'run',
        ...opt('--model', () => rng.pick(['onnx:/nonexistent/m', 'hf:/nonexistent/m', 'banana:/x', 'onnx:', 'onnx', `onnx:${join(root, 'model')}`, `onnx:${join(root, 'empty')}`])),
        ...opt('--tasks', () => rng.pick(['winogrande', 'lambada_openai', 'mmlu_abstract_algebra', 'nope', '', ',', 'winogrande,nope', 'hendrycks_math_algebra', 'cola,mnli', ' , '])),
        ...some([
          () => ['--data-dir', join(root, 'empty')],
          () => opt('--limit', value),
          () => opt('--batch-size', value),
          () => opt('--num-fewshot', value),
          () => opt('--max-length', value),
          () => opt('--bootstrap-iters', value),
          () => opt('--add-bos-token', () => rng.pick(['true', 'false', 'maybe', ''])),
          () => opt('--lm-eval-version', () => rng.pick(['0.4.9.1', '0.4.13', 'banana', '', 'v0.4.2', '1'])),
          () => opt('--python-version', () => rng.pick(['3.11', '3.12', '2.7'])),
          () => opt('--output-path', path),
          () => ['--log-samples'],
          () => ['--skip-missing'],
          () => opt('--model-args', () => rng.pick(['pretrained=/nonexistent', 'max_length=0', 'x', 'a=b,c', '=', 'dtype=float16'])),
          () => opt('--include-path', path),
        ]),
      ];
      break;
    case 3:
      args = ['tasks', ...some([() => opt('--include-path', path)])];
      break;
    case 4:
      args = ['compare', ...Array.from({ length: rng.int(3) }, path), ...some([() => opt('--alpha', value), () => opt('--style', value), () => opt('--bootstrap-iters', value), () => opt('--seed', value), () => opt('--label', value)])];
      break;
    case 5:
      args = ['parity', ...Array.from({ length: rng.int(3) }, path), ...some([() => opt('--tolerance', value), () => opt('--max-docs', value), () => opt('--tasks', value)])];
      break;
    case 6:
      args = ['data', rng.pick(['status', 'import', 'fetch', 'nope', '']), ...some([
        () => [rng.pick(['glue-tsv', 'mmlu-csv', 'math-json', 'banana'])],
        () => [path()],
        () => opt('--tasks', () => rng.pick(['winogrande', 'nope', ''])),
        () => opt('--dataset', () => rng.pick(['a/b@test', 'x', '@', 'a/b:c@'])),
        () => opt('--data-dir', path),
        () => opt('--split', value),
      ])];
      break;
    case 7:
      // never --force: the existing "model" folder must be refused, and nothing is written elsewhere
      args = ['make-model', ...opt('--out', () => join(root, 'model')), ...some([() => opt('--preset', () => rng.pick(['tiny', 'huge', ''])), () => opt('--seed', value)])];
      if (!args.includes('--out')) args.push('--out', join(root, 'model'));
      break;
    default:
      args = rng.pick([['--help'], ['--version'], [], ['nope'], ['run', '--help'], ['demo', '--help'], [rng.text(5)], ['--verbose', 'tasks', '--include-path', join(root, 'missing')]]);
  }
  // a stray token or two anywhere
  if (rng.chance(0.15)) args.splice(rng.int(args.length + 1), 0, rng.pick(['--', '-x', '--unknown', rng.text(4)]));
  return args;
}

describe('fuzz: CLI arguments', () => {
  it('every argv ends in exit 0 or 1 with one-line errors', async () => {
    const rng = new Rng(0xc11);
    const out = { text: '' };
    const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
    const capture = ((chunk: string | Uint8Array): boolean => {
      out.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      return true;
    }) as typeof process.stdout.write;
    const codes = new Map<number, number>();
    let count = 0;
    try {
      for (let i = 0; i < 1000; i++) {
        const args = argv(rng);
        out.text = '';
        process.exitCode = undefined;
        process.stdout.write = capture;
        process.stderr.write = capture;
        let code: number;
        try {
          code = await main(args);
        } finally {
          process.stdout.write = writes.stdout;
          process.stderr.write = writes.stderr;
        }
        const where = `cli case ${i}: ${JSON.stringify(args)} -> ${out.text.slice(0, 400)}`;
        expect(out.text, where).not.toMatch(/unexpected error/);
        // stack traces only when asked for
        if (!args.includes('--verbose')) expect(out.text, where).not.toMatch(/^\s+at /m);
        expect([0, 1], where).toContain(code);
        if (!args.join(' ').includes('undefined')) expect(out.text, where).not.toContain('undefined');
        codes.set(code, (codes.get(code) ?? 0) + 1);
        count++;
      }
    } finally {
      process.exitCode = undefined;
    }
    process.stdout.write(`fuzz CLI arguments: ${count} inputs (exit 0: ${codes.get(0) ?? 0}, exit 1: ${codes.get(1) ?? 0}, 0 crashes)\n`);
    expect(count).toBeGreaterThanOrEqual(1000);
  });
});
