// The hf engine on Hugging Face folders of every converted architecture (bf16, f16, f32, sharded),
// against the independent float64 reference forward: every position of every text within 1e-4 nats.
import { mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openHfFolder } from '../../../src/engines/hf/open.js';
import { scoreAll } from '../../../src/engines/scheduler.js';
import type { Engine, ScoreRequest } from '../../../src/engines/types.js';
import { writeHfModel, type HfModelOptions } from '../../helpers/hf-model.js';
import { loadGpt2Reference } from '../../helpers/reference-gpt2.js';
import { loadReferenceModel, referenceLogprobs } from '../../helpers/reference-llama.js';

const root = mkdtempSync(join(tmpdir(), 'yardstick-hf-'));
const cacheDir = join(root, 'cache');
afterAll(() => rm(root, { recursive: true, force: true }));

const TEXTS = [
  'The quick brown fox jumps over the lazy dog, and then it runs far away into the quiet forest.',
  'A',
  'Numbers like 1234 and 56.78 tokenize into several pieces, which is fine.',
  'When the river rose in spring, the people of the valley moved their houses up the hill and waited for the water to go down again.',
  'Short one.',
];

/** The float64 reference forward for the folder's architecture: row t = log p(next | ids[0..t]). */
function referenceFor(dir: string): (ids: number[]) => Float64Array[] {
  if (readFileSync(join(dir, 'config.json'), 'utf8').includes('GPT2LMHeadModel')) {
    const gpt2 = loadGpt2Reference(dir);
    return (ids) => gpt2.logprobs(ids);
  }
  const model = loadReferenceModel(dir);
  return (ids) => referenceLogprobs(model, ids);
}

/** Every position of every text scored by the engine and by the reference; returns the largest |Δ|. */
async function worstDifference(engine: Engine, dir: string): Promise<{ worst: number; positions: number }> {
  const reference = referenceFor(dir);
  const requests: ScoreRequest[] = TEXTS.map((t) => {
    // every token scored, the first after <|endoftext|> (id 0)
    const ids = engine.tokenizer.encode(t, false);
    return { input: [0, ...ids].slice(0, -1), continuation: ids };
  });
  const results = await scoreAll(engine, requests, 4);
  let worst = 0;
  let positions = 0;
  results.forEach((r, i) => {
    const req = requests[i]!;
    const rows = reference(req.input);
    req.continuation.forEach((token, k) => {
      worst = Math.max(worst, Math.abs(rows[k]![token]! - r.tokenLogprobs[k]!));
      positions++;
    });
  });
  return { worst, positions };
}

/** Greedy continuation by the reference, one full forward per step. */
function referenceGreedy(dir: string, prompt: number[], steps: number): number[] {
  const reference = referenceFor(dir);
  const tokens = [...prompt];
  for (let i = 0; i < steps; i++) {
    const last = reference(tokens).at(-1)!;
    tokens.push(last.indexOf(Math.max(...last)));
  }
  return tokens.slice(prompt.length);
}

const VARIANTS: Array<[string, HfModelOptions]> = [
  ['Llama, tied, bf16 in 3 shards', { architecture: 'LlamaForCausalLM', dtype: 'BF16', shards: 3 }],
  [
    'Llama 3 rotary scaling, untied head, attention and MLP biases, bf16',
    {
      architecture: 'LlamaForCausalLM',
      dtype: 'BF16',
      config: {
        tie_word_embeddings: false,
        attention_bias: true,
        mlp_bias: true,
        rope_theta: 10000,
        // small original context so that scaling changes most frequencies of a 16-wide head
        rope_scaling: { rope_type: 'llama3', factor: 4, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 64 },
      },
    },
  ],
  ['Mistral, sliding window 8, linear rotary scaling, f16', { architecture: 'MistralForCausalLM', dtype: 'F16', config: { sliding_window: 8, rope_scaling: { type: 'linear', factor: 2 } } }],
  ['Qwen2, q/k/v biases, untied, bf16', { architecture: 'Qwen2ForCausalLM', dtype: 'BF16', config: { tie_word_embeddings: false, rope_theta: 1000000 } }],
  ['Qwen3, q/k norm, head_dim 32 (not hidden/heads), tied, f32 in 2 shards', { architecture: 'Qwen3ForCausalLM', dtype: 'F32', shards: 2, config: { head_dim: 32 } }],
  ['GPT-2, learned positions, LayerNorm, gelu_new, Conv1D weights, bf16', { architecture: 'GPT2LMHeadModel', dtype: 'BF16' }],
];

describe('hf engine on converted safetensors', () => {
  for (const [name, options] of VARIANTS) {
    it(`${name}: every position within 1e-4 nats of the float64 reference`, async () => {
      const dir = await writeHfModel(join(root, name.replace(/\W+/g, '-')), options);
      const engine = await openHfFolder(dir, { cacheDir });
      try {
        const { worst, positions } = await worstDifference(engine, dir);
        expect(positions).toBeGreaterThan(60);
        expect(worst).toBeLessThan(1e-4);
        // generation runs the with-past graph: a left-padded batch of two prompts, 12 steps each
        // (past the Mistral variant's window of 8)
        const prompts = [TEXTS[0]!, TEXTS[4]!].map((t) => engine.tokenizer.encode(t, false));
        const generated = await engine.generateBatch(prompts.map((input) => ({ input, maxNewTokens: 12, until: [] })));
        generated.forEach((g, i) => expect(g.tokens).toEqual(referenceGreedy(dir, prompts[i]!, 12)));
      } finally {
        await engine.close();
      }
    });
  }

  it('the scaled and windowed settings matter: without them the reference disagrees', async () => {
    // guards against a test that passes because the feature is a no-op on these inputs
    /** The engine on `name` (a variant) against the reference of the same folder with `setting` null. */
    const withoutSetting = async (name: string, options: HfModelOptions, setting: string): Promise<number> => {
      const dir = await writeHfModel(join(root, name), options);
      const without = await writeHfModel(join(root, `${name}-without`), { ...options, config: { ...options.config, [setting]: null } });
      const engine = await openHfFolder(dir, { cacheDir });
      try {
        return (await worstDifference(engine, without)).worst;
      } finally {
        await engine.close();
      }
    };
    expect(await withoutSetting('scaled', VARIANTS[1]![1], 'rope_scaling')).toBeGreaterThan(1e-3);
    expect(await withoutSetting('windowed', VARIANTS[2]![1], 'sliding_window')).toBeGreaterThan(1e-3);
  });
});
