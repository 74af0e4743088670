// Model shapes `make-model` can write: a tiny one for tests and the exact SmolLM shapes for
// performance work. Every preset is a Llama-architecture causal LM with tied embeddings.
import { YardstickError, closeMatches } from '../errors.js';

export interface LlamaShape {
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  intermediateSize: number;
  /** embedding rows; `undefined` means "exactly the tokenizer's size" */
  vocabSize?: number;
  ropeTheta: number;
  rmsNormEps: number;
  maxPositionEmbeddings: number;
}

export interface ModelPreset extends LlamaShape {
  name: string;
  description: string;
  /** whether the written tokenizer prepends BOS unless the caller says otherwise */
  defaultBos: boolean;
}

export const PRESETS: Readonly<Record<string, ModelPreset>> = {
  tiny: {
    name: 'tiny',
    description: 'hidden 64, 2 layers, 4 heads / 2 KV heads, vocab = tokenizer size (tests)',
    hiddenSize: 64,
    numLayers: 2,
    numHeads: 4,
    numKvHeads: 2,
    intermediateSize: 128,
    ropeTheta: 10000,
    rmsNormEps: 1e-5,
    maxPositionEmbeddings: 2048,
    defaultBos: true,
  },
  'tiny-wide': {
    name: 'tiny-wide',
    description: 'hidden 96, 3 layers, 4 heads / 2 KV heads, vocab = tokenizer size (demo: a second, larger tiny model)',
    hiddenSize: 96,
    numLayers: 3,
    numHeads: 4,
    numKvHeads: 2,
    intermediateSize: 192,
    ropeTheta: 10000,
    rmsNormEps: 1e-5,
    maxPositionEmbeddings: 2048,
    defaultBos: true,
  },
  'smollm-135m': {
    name: 'smollm-135m',
    description: 'SmolLM-135M shapes: hidden 576, 30 layers, 9 / 3 heads, vocab 49152',
    hiddenSize: 576,
    numLayers: 30,
    numHeads: 9,
    numKvHeads: 3,
    intermediateSize: 1536,
    vocabSize: 49152,
    ropeTheta: 10000,
    rmsNormEps: 1e-5,
    maxPositionEmbeddings: 2048,
    defaultBos: false,
  },
  'smollm-360m': {
    name: 'smollm-360m',
    description: 'SmolLM-360M shapes: hidden 960, 32 layers, 15 / 5 heads, vocab 49152',
    hiddenSize: 960,
    numLayers: 32,
    numHeads: 15,
    numKvHeads: 5,
    intermediateSize: 2560,
    vocabSize: 49152,
    ropeTheta: 10000,
    rmsNormEps: 1e-5,
    maxPositionEmbeddings: 2048,
    defaultBos: false,
  },
};

export function presetNames(): string[] {
  return Object.keys(PRESETS);
}

export function getPreset(name: string): ModelPreset {
  const preset = Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
  if (!preset) {
    const close = closeMatches(name, presetNames());
    const suggestion = close.length > 0 ? ` (did you mean ${close.join(', ')}?)` : '';
    throw new YardstickError('usage', `unknown model preset "${name}"${suggestion}`, {
      hint: `choose one of: ${presetNames().join(', ')}`,
    });
  }
  return preset;
}

/** A fully resolved model shape (vocabulary size known). */
export interface LlamaConfig extends Required<LlamaShape> {
  headDim: number;
}

export function resolveConfig(shape: LlamaShape, tokenizerSize: number): LlamaConfig {
  const vocabSize = shape.vocabSize ?? tokenizerSize;
  if (vocabSize < tokenizerSize) {
    throw new YardstickError('internal', `vocab_size ${vocabSize} is smaller than the tokenizer (${tokenizerSize} tokens)`);
  }
  if (shape.hiddenSize % shape.numHeads !== 0 || shape.numHeads % shape.numKvHeads !== 0) {
    throw new YardstickError('internal', 'hidden size must split into heads, and heads into KV groups');
  }
  const headDim = shape.hiddenSize / shape.numHeads;
  if (headDim % 2 !== 0) throw new YardstickError('internal', 'rotary embeddings need an even head_dim');
  return { ...shape, vocabSize, headDim };
}

export function parameterCount(c: LlamaConfig): number {
  const kvDim = c.numKvHeads * c.headDim;
  const perLayer =
    2 * c.hiddenSize + // two RMSNorm weights
    2 * c.hiddenSize * c.hiddenSize + // q and o
    2 * c.hiddenSize * kvDim + // k and v
    3 * c.hiddenSize * c.intermediateSize; // gate, up, down
  return c.vocabSize * c.hiddenSize + c.numLayers * perLayer + c.hiddenSize;
}
