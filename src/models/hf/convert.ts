// Safetensors (any of F32/F16/BF16, one file or shards) -> our ONNX scoring and with-past graphs,
// sharing one float32 external-data file. Streams one tensor at a time, so peak memory is about
// the largest tensor, never a second copy of the model.
import { mkdir, open, writeFile, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { YardstickError } from '../../errors.js';
import { buildDecoderModel } from '../onnx/llama-graph.js';
import { buildGpt2Model } from '../onnx/gpt2-graph.js';
import { DataType, encodeModel, type ModelSpec, type TensorSpecProto } from '../onnx/onnx-proto.js';
import type { HfDecoder } from './architectures.js';
import { readTensorFloat32, type SafetensorsWeights, type TensorInfo } from './safetensors-reader.js';
import { writeAll } from '../file-io.js';

/** Bump whenever the graphs or the data layout change: it is part of the conversion cache key.
 *  2: the scoring graph takes score_positions and returns [rows, vocab] logits.
 *  3: so does the with-past graph (prefix sharing and generation). */
export const CONVERTER_VERSION = 'hf-convert-3';
export const ONNX_DATA_FILE = 'model.onnx_data';
export const SCORE_GRAPH = 'onnx/model.onnx';
export const PAST_GRAPH = 'onnx/model_with_past.onnx';

/**
 * Checks that every tensor the config implies is present with the implied shape. `configPath`
 * names config.json in the messages, so the user sees which of the two files disagrees.
 */
export function matchTensors(decoder: HfDecoder, weights: SafetensorsWeights, configPath: string): MatchedTensor[] {
  const fileNames = weights.files.map((f) => basename(f)).join(', ');
  return decoder.tensors.map(({ name, shape, aliases }) => {
    const t = [name, ...(aliases ?? [])].map((n) => weights.tensors.get(n)).find((x) => x !== undefined);
    if (!t) {
      const hint =
        name === 'lm_head.weight'
          ? 'config.json says tie_word_embeddings is false but there is no lm_head.weight; set "tie_word_embeddings": true if the head is the embedding'
          : 're-download the model; the weight files do not match config.json';
      throw new YardstickError('model', `${fileNames} has no tensor ${name}, which ${decoder.architecture} with ${basename(configPath)} needs`, { hint });
    }
    if (t.shape.join(',') !== shape.join(',')) {
      throw new YardstickError('model', `${t.file}: tensor ${name} has shape [${t.shape.join(', ')}] but ${configPath} implies [${shape.join(', ')}]`, {
        hint: 'the weights and config.json disagree; re-download the model or fix config.json',
      });
    }
    return { name, info: t };
  });
}

/** A tensor of the checkpoint under the name the graph gives it. */
export interface MatchedTensor {
  name: string;
  info: TensorInfo;
}

export function buildGraph(decoder: HfDecoder, initializers: TensorSpecProto[], withPast: boolean): ModelSpec {
  return decoder.family === 'gpt2'
    ? buildGpt2Model(decoder.graph, initializers, { withPast })
    : buildDecoderModel(decoder.graph, initializers, { withPast });
}

export interface ConversionResult {
  /** parameters as transformers counts them (a tied head counted once) */
  numParameters: number;
  dataBytes: number;
  /** the graphs' initializers, pointing into onnx/model.onnx_data */
  initializers: TensorSpecProto[];
}

/** Writes onnx/model.onnx, onnx/model_with_past.onnx and onnx/model.onnx_data under `outDir`. */
export async function convertToOnnx(
  decoder: HfDecoder,
  tensors: MatchedTensor[],
  outDir: string,
  onTensor?: (done: number, total: number) => void,
): Promise<ConversionResult> {
  await mkdir(join(outDir, 'onnx'), { recursive: true });
  const initializers: TensorSpecProto[] = [];
  let data: FileHandle | undefined;
  let length = 0;
  let numParameters = 0;
  try {
    data = await open(join(outDir, 'onnx', ONNX_DATA_FILE), 'w');
    for (const [i, { name, info: t }] of tensors.entries()) {
      const values = await readTensorFloat32(t);
      const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
      // page-align big tensors so onnxruntime can map them instead of copying
      const alignment = bytes.length >= 65536 ? 4096 : 64;
      const padding = (alignment - (length % alignment)) % alignment;
      if (padding > 0) await writeAll(data, new Uint8Array(padding));
      length += padding;
      initializers.push({ name, dims: t.shape, dataType: DataType.FLOAT, external: { location: ONNX_DATA_FILE, offset: length, length: bytes.length } });
      await writeAll(data, bytes);
      length += bytes.length;
      numParameters += values.length;
      onTensor?.(i + 1, tensors.length);
    }
  } finally {
    await data?.close();
  }
  for (const [path, withPast] of [
    [SCORE_GRAPH, false],
    [PAST_GRAPH, true],
  ] as const) {
    await writeFile(join(outDir, path), encodeModel(buildGraph(decoder, initializers, withPast)));
  }
  return { numParameters, dataBytes: length, initializers };
}
