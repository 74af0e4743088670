// Reads a Hugging Face model folder's config.json and derives lm-eval's max_length (spec §5.3).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { YardstickError } from '../errors.js';

export type ModelConfig = Record<string, unknown>;

export function readModelConfig(dir: string): ModelConfig {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new YardstickError('model', `model folder not found: ${dir}`, {
      hint: 'pass a Hugging Face model folder (e.g. one written by `yardstick make-model --out DIR`)',
    });
  }
  const file = join(dir, 'config.json');
  if (!existsSync(file)) {
    throw new YardstickError('model', `no config.json in model folder ${dir}`, { hint: 'the folder must be a Hugging Face model folder' });
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ModelConfig;
  } catch (e) {
    throw new YardstickError('model', `cannot parse ${file}: ${(e as Error).message}`, { hint: 're-create or re-download the model folder' });
  }
}

/** lm-eval: explicit max_length, else n_positions / max_position_embeddings / n_ctx, else the
 *  tokenizer's model_max_length, else 2048. HEAD reads text_config instead when present. */
export function maxLengthFor(config: ModelConfig, tokenizerMaxLength: number | undefined, explicit?: number): number {
  if (explicit && explicit > 0) return explicit;
  const source = (config.text_config as ModelConfig | undefined) ?? config;
  for (const key of ['n_positions', 'max_position_embeddings', 'n_ctx']) {
    const v = source[key];
    if (typeof v === 'number') return v;
  }
  return tokenizerMaxLength ?? 2048;
}
