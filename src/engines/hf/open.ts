// Opens a local Hugging Face model folder (a snapshot, or any folder in that layout): safetensors
// are converted once to our ONNX graphs (cached); a folder with only an optimum / transformers.js
// ONNX export runs that export. Either way the ONNX engine does the work.
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { YardstickError } from '../../errors.js';
import { CONVERTER_VERSION } from '../../models/hf/convert.js';
import { hasSafetensors } from '../../models/hf/safetensors-reader.js';
import { sha256Files } from '../fingerprint.js';
import { readModelConfig } from '../model-folder.js';
import { defaultWarning } from '../model-args.js';
import { OnnxEngine } from '../onnx/engine.js';
import type { Engine } from '../types.js';
import { convertedModel } from './conversion-cache.js';

const ORT_VERSION = (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version;

export interface HfFolderOptions {
  /** what results call the model: lm-eval's model_name is the `pretrained` string; default `dir` */
  name?: string;
  /** resolved hub revision and commit, recorded in ModelInfo */
  revision?: string;
  sha?: string;
  /** an ONNX file of the export to run instead of converting safetensors, e.g. model_fp16.onnx */
  onnxFile?: string;
  maxLength?: number;
  threads?: number;
  /** root of the yardstick cache (converted graphs go under converted/); default yardstickCacheDir() */
  cacheDir?: string;
  onProgress?: (message: string) => void;
  onWarning?: (message: string) => void;
}

/** Pickled checkpoints: recognised only to say why they are not read. */
export const PICKLE_FILE = /^(pytorch_model.*\.bin|.*\.(pt|pth|ckpt))$/;
/** Where optimum and transformers.js put a decoder export, in the order we look. */
export const EXPORT_CANDIDATES = ['onnx/model.onnx', 'model.onnx', 'onnx/decoder_model_merged.onnx', 'decoder_model_merged.onnx'];

export async function openHfFolder(dir: string, options: HfFolderOptions = {}): Promise<Engine> {
  const config = readModelConfig(dir);
  const files = readdirSync(dir);
  if (options.onnxFile) return openExport(dir, exportFile(dir, options.onnxFile), options);
  if (hasSafetensors(dir)) return openConverted(dir, config, options);
  const exported = EXPORT_CANDIDATES.map((f) => join(dir, f)).find((f) => existsSync(f));
  if (exported) return openExport(dir, exported, options);
  const pickles = files.filter((f) => PICKLE_FILE.test(f));
  if (pickles.length > 0) throw pickleRefusal(dir, pickles);
  throw new YardstickError('model', `${dir} has no model.safetensors, model.safetensors.index.json or onnx/model.onnx`, {
    hint: 'pass a Hugging Face model folder with safetensors weights or an ONNX export',
  });
}

/** The one-line refusal for a folder or repo whose weights are only pickled checkpoints. */
export function pickleRefusal(where: string, pickles: string[]): YardstickError {
  return new YardstickError('model', `${where} has only ${pickles.join(', ')}: yardstick reads safetensors, ONNX or GGUF weights, never pickle files, because loading a pickle can run arbitrary code`, {
    hint: 'use the repo\'s model.safetensors (many repos have one on a "refs/pr" revision), or convert once with transformers: from_pretrained(dir).save_pretrained(out, safe_serialization=True)',
  });
}

async function openConverted(dir: string, config: Record<string, unknown>, options: HfFolderOptions): Promise<Engine> {
  const converted = await convertedModel(dir, config, { cacheDir: options.cacheDir, onProgress: options.onProgress });
  return OnnxEngine.open(
    {
      dir,
      scoreGraph: converted.scoreGraph,
      generateGraph: converted.pastGraph,
      name: options.name ?? dir,
      engine: 'hf',
      engineVersion: `onnxruntime-node ${ORT_VERSION}; ${CONVERTER_VERSION}`,
      weights: converted.weightsHash,
      numParameters: converted.numParameters,
      dtype: 'float32',
      revision: options.revision,
      sha: options.sha,
      settings: { source: 'safetensors', architecture: converted.decoder.architecture },
    },
    { maxLength: options.maxLength, threads: options.threads },
  );
}

function exportFile(dir: string, file: string): string {
  const candidates = [join(dir, 'onnx', file), join(dir, file)];
  const found = candidates.find((f) => existsSync(f));
  if (!found) {
    const available = existsSync(join(dir, 'onnx')) ? readdirSync(join(dir, 'onnx')).filter((f) => f.endsWith('.onnx')) : [];
    throw new YardstickError('model', `onnx_file=${file}: no such file in ${join(dir, 'onnx')} or ${dir}`, {
      hint: available.length > 0 ? `available: ${available.join(', ')}` : 'the folder has no onnx/ export',
    });
  }
  return found;
}

async function openExport(dir: string, graph: string, options: HfFolderOptions): Promise<Engine> {
  // the graph and its external data (model.onnx_data, model.onnx_data_1, ...) are the weights
  const name = basename(graph);
  const weightFiles = readdirSync(dirname(graph))
    .filter((f) => f === name || f.startsWith(`${name}_data`) || f.startsWith(`${name}.data`))
    .map((f) => join(dirname(graph), f));
  const engine = await OnnxEngine.open(
    {
      dir,
      scoreGraph: graph,
      generateGraph: graph,
      name: options.name ?? dir,
      engine: 'hf',
      weights: await sha256Files(weightFiles),
      // transformers.js names its variants (model_fp16.onnx, model_q4.onnx, ...); quantised ones
      // still return float32 logits, so the name tells; otherwise the logits' type does
      dtype: /q4|q8|int8|uint8|quantized|bnb4/i.test(name) ? 'quantised' : /fp16|f16/i.test(name) ? 'float16' : undefined,
      revision: options.revision,
      sha: options.sha,
      settings: { source: 'onnx', onnx_file: name },
    },
    { maxLength: options.maxLength, threads: options.threads },
  );
  if (engine.info.dtype !== 'float32') {
    (options.onWarning ?? defaultWarning)(
      `${graph} computes in ${engine.info.dtype}; its numbers will not match lm-eval's float32 run (use the fp32 model.onnx or the safetensors for parity)`,
    );
  }
  return engine;
}

