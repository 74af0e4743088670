// `yardstick make-model`: writes a random-weight Llama model folder (see docs/model-layout.md).
import { YardstickError } from '../../errors.js';
import { makeModel } from '../../models/make-model.js';
import { presetNames } from '../../models/presets.js';
import { GGUF_VARIANTS, type GgufVariant } from '../../models/gguf/llama-gguf.js';
import type { RegisterCommand } from './index.js';

export const registerMakeModel: RegisterCommand = (program) => {
  program
    .command('make-model')
    .description('write a random-weight Llama-architecture model (HF folder + ONNX) for tests and benchmarks')
    .option('--preset <name>', `model shape: ${presetNames().join(', ')}`, 'tiny')
    .option('--seed <n>', 'random seed for the weights', '1')
    .requiredOption('--out <dir>', 'folder to write the model into')
    .option('--bos', 'tokenizer prepends BOS when adding special tokens (default for tiny)')
    .option('--no-bos', 'tokenizer adds no special tokens (default for the smollm presets)')
    .option('--gguf <variants>', `GGUF files for llama.cpp, comma-separated: ${GGUF_VARIANTS.join(', ')}, or none`, 'f32')
    .action(async (opts: { preset: string; seed: string; out: string; bos?: boolean; gguf: string }) => {
      if (!/^\d+$/.test(opts.seed)) {
        throw new YardstickError('usage', `invalid --seed "${opts.seed}"`, { hint: 'use a non-negative integer' });
      }
      const gguf = parseGgufVariants(opts.gguf);
      const result = await makeModel({ preset: opts.preset, seed: Number(opts.seed), outDir: opts.out, bos: opts.bos, gguf });
      const c = result.config;
      const lines = [
        `wrote ${opts.preset} (seed ${opts.seed}) to ${result.dir}`,
        `  ${(result.parameters / 1e6).toFixed(2)}M parameters: hidden ${c.hiddenSize}, ${c.numLayers} layers, ` +
          `${c.numHeads} heads / ${c.numKvHeads} KV heads, vocab ${c.vocabSize}; BOS ${result.bos ? 'prepended' : 'not added'}`,
        ...result.files.map((f) => `  ${f.path.padEnd(28)} ${formatBytes(f.bytes)}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
};

function parseGgufVariants(text: string): GgufVariant[] {
  if (text.trim() === 'none') return [];
  return text.split(',').map((v) => {
    const variant = v.trim();
    if (!(GGUF_VARIANTS as readonly string[]).includes(variant)) {
      throw new YardstickError('usage', `--gguf: unknown variant "${variant}"`, { hint: `use a comma-separated list of ${GGUF_VARIANTS.join(', ')}, or none` });
    }
    return variant as GgufVariant;
  });
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}
