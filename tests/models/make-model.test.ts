// The model folder make-model writes, checked against shared/spec/model-formats.md; determinism;
// errors a user can cause.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { YardstickError } from '../../src/errors.js';
import { makeModel } from '../../src/models/make-model.js';

let root: string;
let dir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'yardstick-make-'));
  dir = join(root, 'seed1');
  await makeModel({ preset: 'tiny', seed: 1, outDir: dir });
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function listFiles(base: string): Promise<string[]> {
  const entries = await readdir(base, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(base, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

async function hashes(base: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await listFiles(base)) {
    out[f] = createHash('sha256').update(await readFile(join(base, f))).digest('hex');
  }
  return out;
}

function safetensorsHeader(buf: Buffer): { length: number; header: Record<string, any> } {
  const length = Number(buf.readBigUInt64LE(0));
  return { length, header: JSON.parse(buf.subarray(8, 8 + length).toString('utf8')) };
}

describe('the model folder', () => {
  it('has exactly the documented files', async () => {
    expect(await listFiles(dir)).toEqual([
      'config.json',
      'model.gguf',
      'model.safetensors',
      'onnx/model.onnx',
      'onnx/model.onnx_data',
      'onnx/model_with_past.onnx',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
  });

  it('writes config.json with the keys transformers needs', async () => {
    const cfg = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    expect(cfg).toMatchObject({
      architectures: ['LlamaForCausalLM'],
      model_type: 'llama',
      hidden_size: 64,
      intermediate_size: 128,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      num_hidden_layers: 2,
      vocab_size: 512,
      rms_norm_eps: 1e-5,
      rope_theta: 10000,
      max_position_embeddings: 2048,
      tie_word_embeddings: true,
      bos_token_id: 0,
      eos_token_id: 0,
      hidden_act: 'silu',
      torch_dtype: 'float32',
    });
  });

  it('writes model.safetensors with Hugging Face names, F32, contiguous offsets, no lm_head', async () => {
    const buf = await readFile(join(dir, 'model.safetensors'));
    const { length, header } = safetensorsHeader(buf);
    expect(length % 8).toBe(0);
    expect(header.__metadata__).toEqual({ format: 'pt' });
    const expected: Record<string, number[]> = { 'model.embed_tokens.weight': [512, 64], 'model.norm.weight': [64] };
    for (const i of [0, 1]) {
      const p = `model.layers.${i}`;
      Object.assign(expected, {
        [`${p}.input_layernorm.weight`]: [64],
        [`${p}.self_attn.q_proj.weight`]: [64, 64],
        [`${p}.self_attn.k_proj.weight`]: [32, 64],
        [`${p}.self_attn.v_proj.weight`]: [32, 64],
        [`${p}.self_attn.o_proj.weight`]: [64, 64],
        [`${p}.post_attention_layernorm.weight`]: [64],
        [`${p}.mlp.gate_proj.weight`]: [128, 64],
        [`${p}.mlp.up_proj.weight`]: [128, 64],
        [`${p}.mlp.down_proj.weight`]: [64, 128],
      });
    }
    const names = Object.keys(header).filter((k) => k !== '__metadata__');
    expect(names.sort()).toEqual(Object.keys(expected).sort());
    expect(names).not.toContain('lm_head.weight');
    const ranges: Array<[number, number]> = [];
    for (const name of names) {
      expect(header[name].dtype).toBe('F32');
      expect(header[name].shape).toEqual(expected[name]);
      const [b, e] = header[name].data_offsets as [number, number];
      expect(e - b).toBe(expected[name]!.reduce((x, y) => x * y, 1) * 4);
      ranges.push([b, e]);
    }
    ranges.sort((x, y) => x[0] - y[0]);
    expect(ranges[0]![0]).toBe(0);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBe(ranges[i - 1]![1]);
    expect(8 + length + ranges[ranges.length - 1]![1]).toBe(buf.length);
  });

  it('initialises RMSNorm weights near one and the rest near zero', async () => {
    const buf = await readFile(join(dir, 'model.safetensors'));
    const { length, header } = safetensorsHeader(buf);
    const values = (name: string): Float32Array => {
      const [b, e] = header[name].data_offsets as [number, number];
      return new Float32Array(buf.buffer.slice(buf.byteOffset + 8 + length + b, buf.byteOffset + 8 + length + e));
    };
    const mean = (a: Float32Array): number => a.reduce((s, v) => s + v, 0) / a.length;
    expect(Math.abs(mean(values('model.norm.weight')) - 1)).toBeLessThan(0.1);
    expect(Math.abs(mean(values('model.embed_tokens.weight')))).toBeLessThan(0.02);
  });
});

describe('determinism', () => {
  it('writes byte-identical files for the same preset and seed', async () => {
    const again = join(root, 'seed1-again');
    await makeModel({ preset: 'tiny', seed: 1, outDir: again });
    expect(await hashes(again)).toEqual(await hashes(dir));
  });

  it('writes different weights, and the same tokenizer, for another seed', async () => {
    const other = join(root, 'seed2');
    await makeModel({ preset: 'tiny', seed: 2, outDir: other });
    const [a, b] = [await hashes(dir), await hashes(other)];
    expect(b['model.safetensors']).not.toBe(a['model.safetensors']);
    expect(b['onnx/model.onnx_data']).not.toBe(a['onnx/model.onnx_data']);
    expect(b['tokenizer.json']).toBe(a['tokenizer.json']);
    // the same tensors at the same offsets: only the values differ
    const [x, y] = [await readFile(join(dir, 'model.safetensors')), await readFile(join(other, 'model.safetensors'))];
    expect(safetensorsHeader(x).header).toEqual(safetensorsHeader(y).header);
  });
});

describe('errors', () => {
  it('names the presets when the preset is unknown', async () => {
    const err = await makeModel({ preset: 'tinny', seed: 1, outDir: join(root, 'x') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(YardstickError);
    expect((err as YardstickError).message).toContain('tinny');
    expect((err as YardstickError).oneLine()).toContain('smollm-135m');
    expect((err as YardstickError).message).toContain('did you mean tiny');
  });

  it('reports an out folder that cannot be created', async () => {
    const file = join(root, 'a-file');
    await writeFile(file, 'not a folder');
    const err = await makeModel({ preset: 'tiny', seed: 1, outDir: join(file, 'model') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(YardstickError);
    expect((err as YardstickError).message).toContain(join(file, 'model'));
    expect((await stat(file)).isFile()).toBe(true);
  });

  it('rejects a seed that is not a non-negative integer', async () => {
    for (const seed of [-1, 1.5, Number.NaN]) {
      await expect(makeModel({ preset: 'tiny', seed, outDir: join(root, 'y') })).rejects.toBeInstanceOf(YardstickError);
    }
  });
});
