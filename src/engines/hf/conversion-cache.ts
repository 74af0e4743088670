// Converted graphs live once per (weights, config, converter version) under the yardstick cache:
// $YARDSTICK_CACHE/converted/<key>/, else $XDG_CACHE_HOME/yardstick/..., else ~/.cache/yardstick/...
// An entry is built in a temporary folder and renamed into place, so a crash never leaves half of one.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { YardstickError } from '../../errors.js';
import { readHfDecoder, type HfDecoder } from '../../models/hf/architectures.js';
import { CONVERTER_VERSION, PAST_GRAPH, SCORE_GRAPH, convertToOnnx, matchTensors } from '../../models/hf/convert.js';
import { openSafetensorsWeights } from '../../models/hf/safetensors-reader.js';
import { sha256Files } from '../fingerprint.js';
import { yardstickCacheDir } from '../cache/location.js';
import type { ModelConfig } from '../model-folder.js';

export { yardstickCacheDir };

export interface ConvertedModel {
  /** the cache entry: onnx/model.onnx and onnx/model_with_past.onnx with their data */
  dir: string;
  scoreGraph: string;
  pastGraph: string;
  decoder: HfDecoder;
  /** content hash of the safetensors files (the fingerprint's weights) */
  weightsHash: string;
  numParameters: number;
  /** false when this call did the conversion */
  cached: boolean;
}

interface Manifest {
  converter: string;
  architecture: string;
  weights: string;
  numParameters: number;
}

const MANIFEST = 'manifest.json';

/**
 * The converted graphs of an HF folder with safetensors weights, converting on first use. Validates
 * the config and the tensors' shapes before hashing or writing anything.
 */
export async function convertedModel(
  dir: string,
  config: ModelConfig,
  options: { cacheDir?: string; onProgress?: (message: string) => void } = {},
): Promise<ConvertedModel> {
  const configPath = join(dir, 'config.json');
  const decoder = readHfDecoder(config, configPath);
  const weights = openSafetensorsWeights(dir);
  const tensors = matchTensors(decoder, weights, configPath);
  const weightsHash = await sha256Files(weights.files);
  const key = createHash('sha256').update(JSON.stringify([CONVERTER_VERSION, decoder.architecture, decoder.graph, weightsHash])).digest('hex').slice(0, 40);
  const root = join(options.cacheDir ?? yardstickCacheDir(), 'converted');
  const entry = join(root, key);
  const result = (numParameters: number, cached: boolean): ConvertedModel => ({
    dir: entry,
    scoreGraph: join(entry, SCORE_GRAPH),
    pastGraph: join(entry, PAST_GRAPH),
    decoder,
    weightsHash,
    numParameters,
    cached,
  });

  const existing = readManifest(entry);
  if (existing) return result(existing.numParameters, true);

  const temp = join(root, `.tmp-${key}-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(temp, { recursive: true });
    let lastReport = 0;
    const converted = await convertToOnnx(decoder, tensors, temp, (done, total) => {
      if (done === total || Date.now() - lastReport > 1000) {
        lastReport = Date.now();
        options.onProgress?.(`converting ${dir} to ONNX: ${done}/${total} tensors`);
      }
    });
    const manifest: Manifest = { converter: CONVERTER_VERSION, architecture: decoder.architecture, weights: weightsHash, numParameters: converted.numParameters };
    await writeFile(join(temp, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    // an entry without a valid manifest is debris (an older converter, a hand-edited folder); a
    // complete entry always has one, since it appears only by the rename below
    if (existsSync(entry)) await rm(entry, { recursive: true, force: true });
    try {
      await rename(temp, entry);
    } catch (e) {
      // another process finished the same conversion first: its entry is as good as ours
      if (!readManifest(entry)) throw e;
    }
    return result(converted.numParameters, false);
  } catch (e) {
    if (e instanceof YardstickError) throw e;
    throw new YardstickError('model', `cannot write the converted model under ${root} (${(e as Error).message})`, {
      hint: 'set YARDSTICK_CACHE to a writable folder with room for the fp32 weights',
      cause: e,
    });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

function readManifest(entry: string): Manifest | undefined {
  const path = join(entry, MANIFEST);
  if (!existsSync(path) || !existsSync(join(entry, SCORE_GRAPH)) || !existsSync(join(entry, PAST_GRAPH))) return undefined;
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
    return m.converter === CONVERTER_VERSION ? m : undefined;
  } catch {
    return undefined;
  }
}
