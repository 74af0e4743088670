// --apply-chat-template end to end on the tiny model with a chat template written into a copy of its
// tokenizer_config.json: the samples' prompts, the results JSON's chat fields, and the one-line errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyModel } from '../helpers/tiny-model.js';
import { runCli } from '../helpers/cli.js';

const TEMPLATE = "{% for m in messages %}{{ '<|' + m['role'] + '|>' + m['content'] + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}";
const DOCS = [
  { sentence: 'Ann asked Mary the time because _ had forgotten.', option1: 'Ann', option2: 'Mary', answer: '1' },
  { sentence: 'Tom lent Jim his bike since _ needed it.', option1: 'Tom', option2: 'Jim', answer: '2' },
];

let work: string;
let data: string;
let plain: string;
let chatModel: string;
let badModel: string;

function withTemplate(dir: string, template: string): void {
  const file = join(dir, 'tokenizer_config.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), chat_template: template }));
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'yardstick-chat-'));
  plain = await tinyModel();
  chatModel = join(work, 'chat-model');
  badModel = join(work, 'bad-model');
  cpSync(plain, chatModel, { recursive: true });
  cpSync(plain, badModel, { recursive: true });
  withTemplate(chatModel, TEMPLATE);
  withTemplate(badModel, "{{ raise_exception('roles must alternate') }}");
  data = join(work, 'data');
  mkdirSync(join(data, 'allenai/winogrande/winogrande_xl'), { recursive: true });
  writeFileSync(join(data, 'allenai/winogrande/winogrande_xl/validation.jsonl'), DOCS.map((d) => JSON.stringify(d)).join('\n') + '\n');
});

function run(model: string, out: string, extra: string[]) {
  return runCli(['run', '--model', `onnx:${model}`, '--tasks', 'winogrande', '--data-dir', data, '--output-path', join(work, out), '--log-samples', ...extra]);
}

function outputs(out: string): { results: Record<string, unknown>; samples: Array<Record<string, unknown>> } {
  const sub = join(work, out, readdirSync(join(work, out))[0]!);
  const files = readdirSync(sub);
  const results = JSON.parse(readFileSync(join(sub, files.find((f) => f.startsWith('results_'))!), 'utf8'));
  const samples = readFileSync(join(sub, files.find((f) => f.startsWith('samples_winogrande'))!), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  return { results, samples };
}

describe('yardstick run --apply-chat-template', () => {
  it("renders the model's template around each context, drops the target delimiter, records lm-eval's fields", () => {
    const r = run(chatModel, 'chat', ['--apply_chat_template', '--system_instruction', 'Fill the blank.']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const { results, samples } = outputs('chat');
    const args = samples[0]!.arguments as Record<string, { arg_0: string; arg_1: string }>;
    expect(args.gen_args_0!.arg_0).toBe('<|system|>Fill the blank.\n<|user|>Ann asked Mary the time because Ann\n<|assistant|>');
    expect(args.gen_args_1!.arg_0).toBe('<|system|>Fill the blank.\n<|user|>Ann asked Mary the time because Mary\n<|assistant|>');
    expect(args.gen_args_0!.arg_1).toBe('had forgotten.');
    const sha = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
    expect(results.chat_template).toBe(TEMPLATE);
    expect(results.chat_template_sha).toBe(sha(TEMPLATE));
    expect(results.fewshot_as_multiturn).toBe(true);
    expect(results.system_instruction).toBe('Fill the blank.');
    expect(results.system_instruction_sha).toBe(sha('Fill the blank.'));
  });

  it('a plain run records the chat fields as null, as lm-eval 0.4.13 does', () => {
    expect(run(plain, 'plain', []).code).toBe(0);
    const { results } = outputs('plain');
    expect([results.chat_template, results.chat_template_sha, results.fewshot_as_multiturn, results.system_instruction]).toEqual([null, null, null, null]);
  });

  it('a model without a chat template, a failing template, and multiturn without a template are one line each', () => {
    const none = run(plain, 'none', ['--apply-chat-template']);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/model .* has no chat template/);
    expect(none.stderr).not.toMatch(/\n\s+at /);
    const bad = run(badModel, 'bad', ['--apply-chat-template']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/model .*bad-model: chat template \(tokenizer_config.json, sha256 [0-9a-f]{8}\) failed to render: roles must alternate/);
    const multi = run(chatModel, 'multi', ['--fewshot-as-multiturn']);
    expect(multi.code).not.toBe(0);
    expect(multi.stderr).toMatch(/--fewshot-as-multiturn needs --apply-chat-template/);
  });

  it('a second model without a template fails before the first model runs', () => {
    const out = join(work, 'two-models');
    const r = runCli(['run', '--model', `onnx:${chatModel}`, '--model', `onnx:${plain}`, '--tasks', 'winogrande', '--data-dir', data, '--output-path', out, '--apply-chat-template']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^yardstick: model .* has no chat template/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it("a sweep's chat cells check every model's template before the first cell, and each cell prompts as its own run would", () => {
    const out = join(work, 'sweep-none');
    const none = runCli(['sweep', '--model', `onnx:${plain}`, '--tasks', 'winogrande', '--data-dir', data, '--num-fewshot', '0', '--chat-template', 'off,on', '--output-path', out, '--no-cache']);
    expect(none.code).toBe(1);
    expect(none.stderr.trim()).toMatch(/^yardstick: the chat cells: model .* has no chat template/);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);

    const both = join(work, 'sweep-chat');
    const r = runCli(['sweep', '--model', `onnx:${chatModel}`, '--tasks', 'winogrande', '--data-dir', data, '--num-fewshot', '0', '--chat-template', 'off,on', '--output-path', both, '--no-cache', '--log-samples']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    // each cell as its own run would make it: the chat cell's prompts through the template, the other's plain
    const prompt = (cell: string): string => {
      const sub = join(both, cell, readdirSync(join(both, cell))[0]!);
      const file = readdirSync(sub).find((f) => f.startsWith('samples_winogrande'))!;
      return (JSON.parse(readFileSync(join(sub, file), 'utf8').split('\n')[0]!).arguments as Record<string, { arg_0: string }>).gen_args_0!.arg_0;
    };
    expect(prompt('fewshot-0-chat')).toBe('<|user|>Ann asked Mary the time because Ann\n<|assistant|>');
    expect(prompt('fewshot-0')).toBe('Ann asked Mary the time because Ann');
  });
});
