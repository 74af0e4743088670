// Builds (once per test file) the tiny generated model folders the tests use.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OnnxEngine } from '../../src/engines/onnx/engine.js';
import { makeModel } from '../../src/models/make-model.js';
import { loadReferenceModel, type ReferenceModel } from './reference-llama.js';

const cache = new Map<string, Promise<string>>();

/** A tiny model folder; `bos` chooses whether its tokenizer prepends BOS by default, `allLogits`
 *  writes the older scoring graph ([B, T, vocab] logits, no score_positions input). */
export function tinyModel(options: { seed?: number; bos?: boolean; allLogits?: boolean } = {}): Promise<string> {
  const seed = options.seed ?? 1;
  const bos = options.bos ?? true;
  const allLogits = options.allLogits ?? false;
  const key = `${seed}:${bos}:${allLogits}`;
  let p = cache.get(key);
  if (!p) {
    const dir = join(mkdtempSync(join(tmpdir(), 'yardstick-model-')), `tiny-s${seed}-${bos ? 'bos' : 'nobos'}${allLogits ? '-all' : ''}`);
    p = makeModel({ preset: 'tiny', seed, outDir: dir, bos, allLogits }).then(() => dir);
    cache.set(key, p);
  }
  return p;
}

/** The default tiny model opened by the ONNX engine, with its float64 reference (tests/helpers). */
export async function openTinyOnnx(): Promise<{ dir: string; engine: OnnxEngine; reference: ReferenceModel }> {
  const dir = await tinyModel();
  const engine = await OnnxEngine.load(dir);
  return { dir, engine, reference: loadReferenceModel(dir) };
}
