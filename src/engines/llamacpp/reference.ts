// An independent implementation of a GGUF's weights, for the first-load self-check: when the GGUF
// sits in a Hugging Face model folder with an ONNX export (what `make-model` writes), the ONNX engine
// scores the same tokens from the original float32 weights with a different runtime, graph and
// rotary layout. A wrong conversion (swapped or mis-permuted tensors) shows up as a disagreement.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OnnxEngine } from '../onnx/engine.js';
import type { IndependentReference, ReferenceTolerance } from './self-check.js';
import { GgmlType } from './gguf-format.js';

/**
 * Per-position |Δ| (nats) accepted against the float32 ONNX export, by the storage type of most of
 * the GGUF's weights. Measured on make-model's models (docs/gguf.md): f32 agrees within ~1.5e-5, f16
 * within ~1e-2, q8_0 moves single positions by up to ~0.5 but 0.06 (tiny) to 0.13 (smollm-135m) on
 * average, while swapping two same-shaped tensors moved the mean by 0.45-1.5 and single positions
 * by 1.3-4 nats.
 */
export function referenceTolerance(dominantType: number, kvType: string): ReferenceTolerance | undefined {
  if (kvType !== 'F32') return undefined;
  if (dominantType === GgmlType.F32) return { maxAbs: 1e-3 };
  if (dominantType === GgmlType.F16) return { maxAbs: 0.1 };
  if (dominantType === GgmlType.Q8_0) return { meanAbs: 0.3 };
  return undefined;
}

/** The ONNX export beside `ggufPath`, when there is one and the storage type has a known tolerance. */
export function siblingOnnxReference(ggufPath: string, tolerance: ReferenceTolerance | undefined, threads: number): (() => Promise<IndependentReference | undefined>) | undefined {
  const dir = dirname(ggufPath);
  if (tolerance === undefined || !existsSync(join(dir, 'config.json')) || !existsSync(join(dir, 'onnx', 'model.onnx'))) return undefined;
  return async () => {
    const engine = await OnnxEngine.load(dir, { threads });
    return {
      what: `the ONNX export in ${dir}`,
      tolerance,
      async score(tokens) {
        const results = await engine.scoreBatch([{ input: tokens.slice(0, -1), continuations: [tokens.slice(1)] }]);
        return results[0]![0]!.tokenLogprobs;
      },
      close: () => engine.close(),
    };
  };
}
