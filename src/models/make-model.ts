// `makeModel`: writes a random-weight Llama-architecture model as a Hugging Face folder
// (config, tokenizer, safetensors) plus ONNX graphs sharing one external weight file.
import { mkdir, open, writeFile, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { YardstickError } from '../errors.js';
import { trainByteLevelBpe } from './bpe-trainer.js';
import { buildConfigJson } from './config-json.js';
import { TRAINING_CORPUS } from './corpus.js';
import { buildLlamaModel } from './onnx/llama-graph.js';
import { DataType, encodeModel, type TensorSpecProto } from './onnx/onnx-proto.js';
import { getPreset, parameterCount, resolveConfig, type LlamaConfig } from './presets.js';
import { toFloat32 } from './hf/safetensors-reader.js';
import { encodeStored, safetensorsLayout, type StoredDtype } from './safetensors.js';
import { SPECIAL_TOKENS, buildTokenizerConfig, buildTokenizerJson } from './tokenizer-files.js';
import { ggufFileName, writeLlamaGguf, type GgufVariant } from './gguf/llama-gguf.js';
import { elementCount, generateTensor, littleEndianBytes, tensorSpecs } from './weights.js';
import { writeAll } from './file-io.js';

/** Tokenizer size (specials + bytes + merges); the tiny model's vocabulary is exactly this. */
export const TOKENIZER_SIZE = 512;
export const ONNX_DATA_FILE = 'model.onnx_data';
const TORCH_DTYPE: Record<StoredDtype, string> = { F32: 'float32', BF16: 'bfloat16', F16: 'float16' };

export interface MakeModelOptions {
  preset: string;
  seed: number;
  outDir: string;
  /** prepend BOS when encoding with special tokens; default: the preset's choice */
  bos?: boolean;
  /** how model.safetensors stores the weights (default F32); the ONNX data holds the stored values upcast */
  dtype?: StoredDtype;
  /** GGUF files for llama.cpp (model.gguf for f32, model-f16.gguf, model-q8_0.gguf); default ['f32'] */
  gguf?: readonly GgufVariant[];
  /** write the older graphs: [B, T, vocab] logits, no score_positions input, present.* from the with-past graph (benchmarks, compatibility tests) */
  allLogits?: boolean;
}

export interface WrittenFile {
  /** relative to the model folder, '/'-separated */
  path: string;
  bytes: number;
}

export interface MakeModelResult {
  dir: string;
  config: LlamaConfig;
  /** config.json as written */
  configJson: Record<string, unknown>;
  bos: boolean;
  parameters: number;
  files: WrittenFile[];
}

export async function makeModel(options: MakeModelOptions): Promise<MakeModelResult> {
  const preset = getPreset(options.preset);
  const { seed } = options;
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new YardstickError('usage', `invalid seed ${String(seed)}`, { hint: 'use a non-negative integer, e.g. --seed 1' });
  }
  const bos = options.bos ?? preset.defaultBos;
  const dir = resolve(options.outDir);

  const bpe = trainByteLevelBpe(TRAINING_CORPUS, TOKENIZER_SIZE - SPECIAL_TOKENS.length);
  const config = resolveConfig(preset, SPECIAL_TOKENS.length + bpe.tokens.length);
  const dtype = options.dtype ?? 'F32';
  const configJson = { ...buildConfigJson(config), torch_dtype: TORCH_DTYPE[dtype] };

  await withFolderErrors(dir, () => mkdir(join(dir, 'onnx'), { recursive: true }));
  const files: WrittenFile[] = [];
  const writeText = async (path: string, value: unknown): Promise<void> => {
    const text = `${JSON.stringify(value, null, 2)}\n`;
    await withFolderErrors(dir, () => writeFile(join(dir, path), text));
    files.push({ path, bytes: Buffer.byteLength(text) });
  };
  await writeText('config.json', configJson);
  await writeText('tokenizer.json', buildTokenizerJson(bpe, { bos }));
  await writeText('tokenizer_config.json', buildTokenizerConfig({ bos, modelMaxLength: config.maxPositionEmbeddings }));

  const weights = await withFolderErrors(dir, () => writeWeights(dir, config, seed, dtype));
  files.push(...weights.files);

  for (const [path, withPast] of [
    ['onnx/model.onnx', false],
    ['onnx/model_with_past.onnx', true],
  ] as const) {
    const bytes = encodeModel(buildLlamaModel(config, weights.onnxInitializers, { withPast, allLogits: options.allLogits }));
    await withFolderErrors(dir, () => writeFile(join(dir, path), bytes));
    files.push({ path, bytes: bytes.length });
  }
  for (const variant of new Set<GgufVariant>(options.gguf ?? ['f32'])) {
    const path = ggufFileName(variant);
    const name = `yardstick ${preset.name} seed ${seed}`;
    const bytes = await withFolderErrors(dir, () => writeLlamaGguf(join(dir, path), { config, bpe, bos, seed, variant, name, stored: dtype }));
    files.push({ path, bytes });
  }
  return { dir, config, configJson, bos, parameters: parameterCount(config), files };
}

/**
 * Generates each tensor once and streams it to model.safetensors and onnx/model.onnx_data, so
 * at most one tensor is in memory. Returns the ONNX initializers pointing into the data file.
 */
async function writeWeights(
  dir: string,
  config: LlamaConfig,
  seed: number,
  dtype: StoredDtype,
): Promise<{ files: WrittenFile[]; onnxInitializers: TensorSpecProto[] }> {
  const specs = tensorSpecs(config);
  const layout = safetensorsLayout(specs, { format: 'pt' }, dtype);
  const onnxInitializers: TensorSpecProto[] = [];
  let safetensors: FileHandle | undefined;
  let onnxData: FileHandle | undefined;
  let dataLength = 0;
  try {
    safetensors = await open(join(dir, 'model.safetensors'), 'w');
    onnxData = await open(join(dir, 'onnx', ONNX_DATA_FILE), 'w');
    await writeAll(safetensors, layout.header);
    for (const spec of specs) {
      const values = generateTensor(spec, seed);
      let bytes = littleEndianBytes(values);
      if (dtype !== 'F32') {
        const stored = encodeStored(values, dtype);
        await writeAll(safetensors, stored);
        bytes = littleEndianBytes(toFloat32(stored, dtype));
      } else await writeAll(safetensors, bytes);
      // Page-align big tensors so onnxruntime can map them instead of copying.
      const alignment = bytes.length >= 65536 ? 4096 : 64;
      const padding = (alignment - (dataLength % alignment)) % alignment;
      if (padding > 0) await writeAll(onnxData, new Uint8Array(padding));
      dataLength += padding;
      onnxInitializers.push({
        name: spec.name,
        dims: spec.shape,
        dataType: DataType.FLOAT,
        external: { location: ONNX_DATA_FILE, offset: dataLength, length: elementCount(spec.shape) * 4 },
      });
      await writeAll(onnxData, bytes);
      dataLength += bytes.length;
    }
  } finally {
    await safetensors?.close();
    await onnxData?.close();
  }
  return {
    files: [
      { path: 'model.safetensors', bytes: layout.totalBytes },
      { path: `onnx/${ONNX_DATA_FILE}`, bytes: dataLength },
    ],
    onnxInitializers,
  };
}


async function withFolderErrors<T>(dir: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined) throw e;
    throw new YardstickError('usage', `cannot write the model folder ${dir} (${(e as Error).message})`, {
      hint: 'choose an --out folder you can write to, with enough free space',
      cause: e,
    });
  }
}
