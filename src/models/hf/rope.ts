// Rotary inverse frequencies exactly as transformers' float32 code computes them (default, linear
// and llama3 scaling): every intermediate is rounded to float32 in torch's order of operations, so
// the graph's angles, and hence the log-probs at long positions, equal the HF model's.
import { YardstickError } from '../../errors.js';

const f = Math.fround;

export interface RopeParameters {
  ropeType: 'default' | 'linear' | 'llama3';
  theta: number;
  factor?: number;
  lowFreqFactor?: number;
  highFreqFactor?: number;
  originalMaxPositionEmbeddings?: number;
}

export const SUPPORTED_ROPE_TYPES = ['default', 'linear', 'llama3'] as const;

/** inv_freq = 1 / base^(arange(0, dim, 2).float() / dim), with `x / tensor` as torch does it
 *  (reciprocal, then multiply). torch's vectorised float32 pow is within one ulp of the correctly
 *  rounded one used here and differs for a few (theta, dim) pairs; one ulp of inv_freq moves an
 *  angle at position 32768 by under 1e-6 radians. */
function defaultInvFreq(theta: number, dim: number): number[] {
  return Array.from({ length: dim / 2 }, (_, i) => f(1 / f(Math.pow(theta, f(f(2 * i) / dim)))));
}

/** Float32 inverse frequencies, length headDim / 2. */
export function ropeInvFreq(p: RopeParameters, headDim: number): number[] {
  const invFreq = defaultInvFreq(p.theta, headDim);
  if (p.ropeType === 'default') return invFreq;
  const factor = f(p.factor!);
  if (p.ropeType === 'linear') return invFreq.map((v) => f(v / factor));
  // _compute_llama3_parameters, op by op. Python scalars meet float32 tensors, so each is rounded to
  // float32 first; `scalar / tensor` is reciprocal-then-multiply in torch.
  const oldContext = p.originalMaxPositionEmbeddings!;
  const low = p.lowFreqFactor!;
  const high = p.highFreqFactor!;
  const lowFreqWavelen = f(oldContext / low);
  const highFreqWavelen = f(oldContext / high);
  const twoPi = f(2 * Math.PI);
  return invFreq.map((inv) => {
    const wavelen = f(f(1 / inv) * twoPi);
    const llama = wavelen > lowFreqWavelen ? f(inv / factor) : inv;
    const smooth = f(f(f(f(1 / wavelen) * f(oldContext)) - f(low)) / f(high - low));
    const smoothed = f(f(f(f(1 - smooth) * llama) / factor) + f(smooth * llama));
    const medium = !(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen);
    return medium ? smoothed : llama;
  });
}

type Json = Record<string, unknown>;

/**
 * The rotary settings of a config.json: `rope_parameters` (transformers 5) or `rope_scaling`
 * (earlier), whose own `rope_theta` wins over the top-level one. `where` names the file for errors.
 */
export function readRopeParameters(config: Json, where: string, defaultTheta = 10000): RopeParameters {
  const block = (config.rope_parameters ?? config.rope_scaling ?? null) as Json | null;
  const theta = Number(block?.rope_theta ?? config.rope_theta ?? defaultTheta);
  const ropeType = String(block?.rope_type ?? block?.type ?? 'default');
  const partial = block?.partial_rotary_factor ?? config.partial_rotary_factor;
  if (partial !== undefined && partial !== null && Number(partial) !== 1) {
    throw new YardstickError('model', `${where}: partial_rotary_factor ${String(partial)} is not supported`, {
      hint: 'yardstick rotates the whole head; use an ONNX export of this model instead',
    });
  }
  if (!Number.isFinite(theta) || theta <= 0) {
    throw new YardstickError('model', `${where}: rope_theta ${String(block?.rope_theta ?? config.rope_theta)} is not a positive number`, { hint: 'fix config.json' });
  }
  const need = (key: string): number => {
    const v = block?.[key] ?? (key === 'original_max_position_embeddings' ? config.max_position_embeddings : undefined);
    if (typeof v !== 'number') {
      throw new YardstickError('model', `${where}: rope_scaling type ${ropeType} needs ${key}`, { hint: `add "${key}" to the rope_scaling block of config.json` });
    }
    return v;
  };
  switch (ropeType) {
    case 'default':
      return { ropeType, theta };
    case 'linear':
      return { ropeType, theta, factor: need('factor') };
    case 'llama3':
      return {
        ropeType,
        theta,
        factor: need('factor'),
        lowFreqFactor: need('low_freq_factor'),
        highFreqFactor: need('high_freq_factor'),
        originalMaxPositionEmbeddings: need('original_max_position_embeddings'),
      };
    default:
      throw new YardstickError('model', `${where}: rope_scaling type "${ropeType}" is not supported (yardstick converts ${SUPPORTED_ROPE_TYPES.join(', ')})`, {
        hint: 'use an ONNX export of this model (onnx/model.onnx), or a server engine',
      });
  }
}
