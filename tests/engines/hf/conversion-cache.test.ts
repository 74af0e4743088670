// The conversion cache: where it lives, one entry per (weights, config, converter), reuse without
// rewriting, no temporary folders left behind, and debris replaced.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertedModel, yardstickCacheDir } from '../../../src/engines/hf/conversion-cache.js';
import { writeHfModel } from '../../helpers/hf-model.js';

const root = mkdtempSync(join(tmpdir(), 'yardstick-cache-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const config = (dir: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;

describe('yardstickCacheDir', () => {
  it('YARDSTICK_CACHE, else XDG_CACHE_HOME/yardstick, else ~/.cache/yardstick', () => {
    expect(yardstickCacheDir({ YARDSTICK_CACHE: '/a', XDG_CACHE_HOME: '/b' })).toBe('/a');
    expect(yardstickCacheDir({ XDG_CACHE_HOME: '/b' })).toBe('/b/yardstick');
    expect(yardstickCacheDir({})).toBe(join(homedir(), '.cache', 'yardstick'));
  });
});

describe('convertedModel', () => {
  it('converts once, then reuses the entry without touching it', async () => {
    const dir = await writeHfModel(join(root, 'a'), { architecture: 'LlamaForCausalLM', dtype: 'BF16' });
    const cacheDir = join(root, 'cache1');
    const first = await convertedModel(dir, config(dir), { cacheDir });
    expect(first.cached).toBe(false);
    expect(first.dir.startsWith(join(cacheDir, 'converted'))).toBe(true);
    const written = statSync(join(first.dir, 'onnx', 'model.onnx_data')).mtimeMs;
    const second = await convertedModel(dir, config(dir), { cacheDir });
    expect(second.cached).toBe(true);
    expect(second.dir).toBe(first.dir);
    expect(statSync(join(second.dir, 'onnx', 'model.onnx_data')).mtimeMs).toBe(written);
    // bf16 weights become float32: twice the stored bytes, plus alignment
    const stored = statSync(join(dir, 'model.safetensors')).size;
    expect(statSync(join(first.dir, 'onnx', 'model.onnx_data')).size).toBeGreaterThan(1.9 * stored);
    // one entry, no temporary folder left behind
    expect(readdirSync(join(cacheDir, 'converted'))).toEqual([first.dir.split('/').at(-1)]);
  });

  it('different weights or a different config make a different entry', async () => {
    const cacheDir = join(root, 'cache2');
    const a = await writeHfModel(join(root, 'b1'), { architecture: 'LlamaForCausalLM', dtype: 'BF16', seed: 1 });
    const b = await writeHfModel(join(root, 'b2'), { architecture: 'LlamaForCausalLM', dtype: 'BF16', seed: 2 });
    const c = await writeHfModel(join(root, 'b3'), { architecture: 'LlamaForCausalLM', dtype: 'BF16', seed: 1, config: { rope_theta: 500000 } });
    const entries = await Promise.all([a, b, c].map(async (d) => (await convertedModel(d, config(d), { cacheDir })).dir));
    expect(new Set(entries).size).toBe(3);
    expect((await convertedModel(a, config(a), { cacheDir })).weightsHash).not.toBe((await convertedModel(b, config(b), { cacheDir })).weightsHash);
  });

  it('replaces an entry that has no manifest (left by hand or by an older yardstick)', async () => {
    const dir = await writeHfModel(join(root, 'c'), { architecture: 'LlamaForCausalLM', dtype: 'BF16' });
    const cacheDir = join(root, 'cache3');
    const first = await convertedModel(dir, config(dir), { cacheDir });
    rmSync(join(first.dir, 'manifest.json'));
    writeFileSync(join(first.dir, 'onnx', 'model.onnx'), 'broken');
    const again = await convertedModel(dir, config(dir), { cacheDir });
    expect(again.cached).toBe(false);
    expect(existsSync(join(again.dir, 'manifest.json'))).toBe(true);
    expect(statSync(join(again.dir, 'onnx', 'model.onnx')).size).toBeGreaterThan(1000);
  });
});
