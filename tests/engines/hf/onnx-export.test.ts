// A folder with only an optimum / transformers.js export (onnx/model.onnx taking past_key_values.*
// and use_cache_branch, weights in onnx/model.onnx_data): scored with an empty past, generated with
// the past, checked against the float64 reference.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHfFolder } from '../../../src/engines/hf/open.js';
import { sha256Files } from '../../../src/engines/fingerprint.js';
import { readHfDecoder } from '../../../src/models/hf/architectures.js';
import { buildGraph, convertToOnnx, matchTensors } from '../../../src/models/hf/convert.js';
import { openSafetensorsWeights } from '../../../src/models/hf/safetensors-reader.js';
import { DataType, encodeModel } from '../../../src/models/onnx/onnx-proto.js';
import { writeHfModel } from '../../helpers/hf-model.js';
import { loadReferenceModel, referenceLogprobs } from '../../helpers/reference-llama.js';

const root = mkdtempSync(join(tmpdir(), 'yardstick-export-'));
let source: string;
let exported: string;
afterAll(() => rm(root, { recursive: true, force: true }));

beforeAll(async () => {
  // the weights of a Qwen2 folder, written out as an export: one with-past graph as onnx/model.onnx
  // that also declares optimum's use_cache_branch input, no safetensors beside it
  source = await writeHfModel(join(root, 'source'), { architecture: 'Qwen2ForCausalLM', dtype: 'BF16', config: { tie_word_embeddings: false } });
  exported = join(root, 'export');
  mkdirSync(join(exported, 'onnx'), { recursive: true });
  for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(source, f), join(exported, f));
  const decoder = readHfDecoder(JSON.parse(readFileSync(join(source, 'config.json'), 'utf8')), 'config.json');
  const converted = await convertToOnnx(decoder, matchTensors(decoder, openSafetensorsWeights(source), 'config.json'), join(root, 'converted'));
  copyFileSync(join(root, 'converted', 'onnx', 'model.onnx_data'), join(exported, 'onnx', 'model.onnx_data'));
  const spec = buildGraph(decoder, converted.initializers, true);
  spec.graph.inputs.push({ name: 'use_cache_branch', elemType: DataType.BOOL, dims: [1] });
  writeFileSync(join(exported, 'onnx', 'model.onnx'), encodeModel(spec));
});

describe('hf engine on an optimum-layout ONNX export', () => {
  it('scores every position within 1e-4 nats of the reference, with an empty past', async () => {
    const engine = await openHfFolder(exported, { name: 'someone/model' });
    try {
      expect(readdirSync(exported).some((f) => f.endsWith('.safetensors'))).toBe(false);
      expect(engine.info.name).toBe('someone/model');
      expect(engine.info.fingerprint.settings.source).toBe('onnx');
      expect(engine.info.fingerprint.weights).toBe(await sha256Files([join(exported, 'onnx', 'model.onnx'), join(exported, 'onnx', 'model.onnx_data')]));
      const reference = loadReferenceModel(source);
      const ids = engine.tokenizer.encode('When the river rose in spring, the people of the valley moved their houses up the hill.', false);
      const short = engine.tokenizer.encode('Short one.', false);
      const [long, small] = await engine.scoreBatch([
        { input: ids.slice(0, -1), continuations: [ids.slice(1)] },
        { input: short.slice(0, -1), continuations: [short.slice(1)] },
      ]);
      for (const [result, tokens] of [
        [long![0]!, ids],
        [small![0]!, short],
      ] as const) {
        const rows = referenceLogprobs(reference, tokens.slice(0, -1));
        tokens.slice(1).forEach((t, k) => expect(Math.abs(rows[k]![t]! - result.tokenLogprobs[k]!)).toBeLessThan(1e-4));
      }
    } finally {
      await engine.close();
    }
  });

  it('generates with the past exactly as the converted safetensors do', async () => {
    const fromExport = await openHfFolder(exported);
    const fromSafetensors = await openHfFolder(source, { cacheDir: join(root, 'cache') });
    try {
      const prompts = ['The quick brown fox', 'In the beginning there was a small model'].map((t) => fromExport.tokenizer.encode(t, false));
      const requests = prompts.map((input) => ({ input, maxNewTokens: 10, until: [] }));
      expect(await fromExport.generateBatch(requests)).toEqual(await fromSafetensors.generateBatch(requests));
    } finally {
      await fromExport.close();
      await fromSafetensors.close();
    }
  });

  it('onnx_file chooses another file of the export, with a warning when it is not fp32', async () => {
    copyFileSync(join(exported, 'onnx', 'model.onnx'), join(exported, 'onnx', 'model_fp16.onnx'));
    const warnings: string[] = [];
    const engine = await openHfFolder(exported, { onnxFile: 'model_fp16.onnx', onWarning: (m) => warnings.push(m) });
    await engine.close();
    expect(engine.info.dtype).toBe('float16');
    expect(engine.info.fingerprint.settings.onnx_file).toBe('model_fp16.onnx');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("model_fp16.onnx computes in float16; its numbers will not match lm-eval's float32 run");
    await expect(openHfFolder(exported, { onnxFile: 'model_q9.onnx' })).rejects.toThrow(/onnx_file=model_q9.onnx: no such file/);
  });
});
