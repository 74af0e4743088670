// What users see when an HF folder is not what the hf engine reads: one line naming the file,
// through the engine registry as `--model hf:DIR` would open it. Also the model arguments.
import { mkdtempSync, readFileSync, truncateSync, statSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../../src/engines/registry.js';
import type { Engine, OpenOptions } from '../../../src/engines/types.js';
import { YardstickError } from '../../../src/errors.js';
import { writeHfModel, type HfModelOptions } from '../../helpers/hf-model.js';

const root = mkdtempSync(join(tmpdir(), 'yardstick-hferr-'));
const cacheRoot = join(root, 'cache');
afterAll(() => rm(root, { recursive: true, force: true }));

let counter = 0;
async function folder(options: Partial<HfModelOptions> = {}): Promise<string> {
  return writeHfModel(join(root, `m${counter++}`), { architecture: 'LlamaForCausalLM', dtype: 'BF16', ...options });
}

function editConfig(dir: string, edit: (c: Record<string, unknown>) => void): void {
  const path = join(dir, 'config.json');
  const config = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  edit(config);
  writeFileSync(path, JSON.stringify(config));
}

async function open(args: Record<string, string>, options: OpenOptions = {}): Promise<Engine> {
  const previous = process.env.YARDSTICK_CACHE;
  process.env.YARDSTICK_CACHE = cacheRoot;
  try {
    return await openEngine({ engine: 'hf', args }, options);
  } finally {
    if (previous === undefined) delete process.env.YARDSTICK_CACHE;
    else process.env.YARDSTICK_CACHE = previous;
  }
}

async function failure(args: Record<string, string>): Promise<YardstickError> {
  try {
    const engine = await open(args);
    await engine.close();
  } catch (e) {
    expect(e).toBeInstanceOf(YardstickError);
    expect((e as YardstickError).oneLine()).not.toContain('\n');
    return e as YardstickError;
  }
  throw new Error('expected the folder to be refused');
}

describe('hf engine: bad model folders', () => {
  it('a truncated model.safetensors', async () => {
    const dir = await folder();
    const file = join(dir, 'model.safetensors');
    truncateSync(file, statSync(file).size - 100);
    const e = await failure({ pretrained: dir });
    expect(e.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: truncated: tensor .* ends at data byte`));
  });

  it('a tensor whose shape does not fit config.json', async () => {
    const dir = await folder();
    editConfig(dir, (c) => (c.intermediate_size = 96));
    const e = await failure({ pretrained: dir });
    expect(e.message).toBe(`${join(dir, 'model.safetensors')}: tensor model.layers.0.mlp.gate_proj.weight has shape [128, 64] but ${join(dir, 'config.json')} implies [96, 64]`);
  });

  it('a config without a field the architecture needs', async () => {
    const dir = await folder();
    editConfig(dir, (c) => delete c.num_hidden_layers);
    const e = await failure({ pretrained: dir });
    expect(e.message).toBe(`${join(dir, 'config.json')} has no "num_hidden_layers", which LlamaForCausalLM needs`);
  });

  it('an untied config whose weights have no lm_head.weight', async () => {
    const dir = await folder();
    editConfig(dir, (c) => (c.tie_word_embeddings = false));
    const e = await failure({ pretrained: dir });
    expect(e.message).toContain('has no tensor lm_head.weight');
    expect(e.hint).toContain('tie_word_embeddings');
  });

  it('an architecture yardstick does not convert: named, with the supported list and the alternatives', async () => {
    const dir = await folder();
    editConfig(dir, (c) => {
      c.architectures = ['FalconForCausalLM'];
      c.model_type = 'falcon';
    });
    const e = await failure({ pretrained: dir });
    expect(e.message).toBe(
      `${join(dir, 'config.json')}: architecture FalconForCausalLM is not one yardstick converts (it converts LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM, Qwen3ForCausalLM, GPT2LMHeadModel)`,
    );
    expect(e.hint).toMatch(/ONNX export.*GGUF.*server/);
  });

  it('a rotary scaling type that is not supported', async () => {
    const dir = await folder();
    editConfig(dir, (c) => (c.rope_scaling = { rope_type: 'yarn', factor: 4 }));
    const e = await failure({ pretrained: dir });
    expect(e.message).toBe(`${join(dir, 'config.json')}: rope_scaling type "yarn" is not supported (yardstick converts default, linear, llama3)`);
  });

  it('a folder with only pytorch_model.bin: says why pickle files are not read', async () => {
    const dir = await folder();
    for (const f of readdirSync(dir)) if (f.endsWith('.safetensors')) rmSync(join(dir, f));
    writeFileSync(join(dir, 'pytorch_model.bin'), 'not really a pickle');
    const e = await failure({ pretrained: dir });
    expect(e.message).toBe(`${dir} has only pytorch_model.bin: yardstick reads safetensors, ONNX or GGUF weights, never pickle files, because loading a pickle can run arbitrary code`);
  });

  it('pretrained that is not a folder', async () => {
    const e = await failure({ pretrained: join(root, 'nowhere') });
    expect(e.message).toBe(`pretrained=${join(root, 'nowhere')} is not a local folder or a Hub repo id`);
  });
});

describe('hf engine: model arguments', () => {
  it('names the model as lm-eval does (the pretrained string), records the weights hash and counts parameters once when tied', async () => {
    const dir = await folder();
    const engine = await open({ pretrained: dir, dtype: 'float32', revision: 'main', device: 'cuda:0', batch_size: '8' });
    try {
      expect(engine.info.name).toBe(dir);
      expect(engine.info.engine).toBe('hf');
      expect(engine.info.revision).toBe('main');
      expect(engine.info.fingerprint.weights).toMatch(/^[0-9a-f]{64}$/);
      // hidden 64, 2 layers, 4/2 heads (hd 16), intermediate 128, vocab 512, tied
      const perLayer = 2 * 64 + 64 * 64 * 2 + 64 * 32 * 2 + 3 * 64 * 128;
      expect(engine.info.numParameters).toBe(512 * 64 + 2 * perLayer + 64);
      expect(engine.maxLength).toBe(2048);
    } finally {
      await engine.close();
    }
  });

  it('bfloat16 and trust_remote_code are accepted with a warning; a dtype that is not one is refused', async () => {
    const dir = await folder();
    const warnings: string[] = [];
    const engine = await open({ pretrained: dir, dtype: 'bfloat16', trust_remote_code: 'True', max_length: '64' }, { onWarning: (m) => warnings.push(m) });
    expect(engine.maxLength).toBe(64);
    await engine.close();
    expect(warnings).toEqual([
      "dtype=bfloat16: yardstick computes in float32 (weights are upcast), so numbers will differ slightly from lm-eval's bfloat16 run",
      'trust_remote_code is ignored: yardstick never runs code from a model repo',
    ]);
    const e = await failure({ pretrained: dir, dtype: 'int4' });
    expect(e.message).toBe('--model-args dtype=int4 is not a dtype');
  });

  it('rejects arguments lm-eval does not have', async () => {
    const dir = await folder();
    const e = await failure({ pretrained: dir, colour: 'blue' });
    expect(e.message).toBe("the hf engine has no model argument 'colour'");
  });
});
