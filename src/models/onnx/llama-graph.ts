// The Llama-family decoder forward pass as an ONNX graph (opset 17), with or without a KV cache:
// Llama, Mistral (sliding window), Qwen2 (q/k/v biases), Qwen3 (per-head q/k RMSNorm). Weights are
// graph initializers under their Hugging Face names and layouts ([out, in], applied with Gemm
// transB=1), so both graphs can point at the same external data.
import { ropeInvFreq } from '../hf/rope.js';
import type { LlamaConfig } from '../presets.js';
import { GraphBuilder } from './graph-builder.js';
import { attend, attendFused, attentionFrame, decoderModelSpec, lmHead, scoresAllPositions, type DecoderGraphOptions } from './decoder-common.js';
import { DataType, type ModelSpec, type TensorSpecProto } from './onnx-proto.js';

export { OPSET_VERSION } from './decoder-common.js';

/** Everything about a decoder's shape and arithmetic that the graph depends on. */
export interface DecoderGraphConfig {
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  intermediateSize: number;
  vocabSize: number;
  rmsNormEps: number;
  /** rotary inverse frequencies (float32 values), headDim / 2 of them */
  invFreq: number[];
  qkvBias: boolean;
  oBias: boolean;
  mlpBias: boolean;
  /** Qwen3: RMSNorm over each head's query and key before the rotation */
  qkNorm: boolean;
  /** logits from the embedding (no lm_head.weight) */
  tiedEmbeddings: boolean;
  /** per layer: keys further back than this many positions are masked, or null */
  slidingWindows: Array<number | null>;
}

/** The graph settings of a make-model preset: plain Llama, tied, default rotary. */
export function llamaGraphConfig(c: LlamaConfig): DecoderGraphConfig {
  const hd = c.headDim;
  return {
    hiddenSize: c.hiddenSize,
    numLayers: c.numLayers,
    numHeads: c.numHeads,
    numKvHeads: c.numKvHeads,
    headDim: hd,
    intermediateSize: c.intermediateSize,
    vocabSize: c.vocabSize,
    rmsNormEps: c.rmsNormEps,
    invFreq: ropeInvFreq({ ropeType: 'default', theta: c.ropeTheta }, hd),
    qkvBias: false,
    oBias: false,
    mlpBias: false,
    qkNorm: false,
    tiedEmbeddings: true,
    slidingWindows: new Array<null>(c.numLayers).fill(null),
  };
}

/** `weights` are the initializers (normally external-data references) named as in model.safetensors. */
export function buildLlamaModel(c: LlamaConfig, weights: TensorSpecProto[], options: DecoderGraphOptions): ModelSpec {
  return buildDecoderModel(llamaGraphConfig(c), weights, options);
}

export function buildDecoderModel(c: DecoderGraphConfig, weights: TensorSpecProto[], options: DecoderGraphOptions): ModelSpec {
  const { withPast } = options;
  // the scoring graph attends through onnxruntime's fused GroupQueryAttention, the with-past graph
  // spells attention out (attendFused says why)
  const fused = !withPast;
  const newKeyValues = withPast && c.slidingWindows.every((w) => w === null) && !options.allLogits;
  const g = new GraphBuilder();
  for (const t of weights) g.addInitializer(t);

  const H = c.hiddenSize;
  const hd = c.headDim;
  const qDim = c.numHeads * hd;
  const kv = c.numKvHeads;
  const rep = c.numHeads / c.numKvHeads;

  g.scope = '/model';
  const frame = attentionFrame(g);
  const queryShape = g.op('Concat', [frame.idsShape, g.int64([kv, rep, hd])], { axis: 0 }); // [B, T, kv, rep, hd]
  const kvShape = g.op('Concat', [frame.idsShape, g.int64([kv, hd])], { axis: 0 }); // [B, T, kv, hd]

  // Rotary tables from position_ids: angle[b, t] = [p·inv_freq, p·inv_freq], with inv_freq and the
  // angle in float32 exactly as transformers' rotary embedding computes them, so scores match the
  // HF model (and lm-eval) also at long positions; cos/sin of that float32 angle in float64.
  const invFreq = g.float(c.invFreq);
  const positions = g.op('Unsqueeze', [g.op('Cast', ['position_ids'], { to: DataType.FLOAT }), g.int64([2])]);
  const freqs = g.op('Mul', [positions, invFreq]);
  const angles = g.op('Cast', [g.op('Concat', [freqs, freqs], { axis: -1 })], { to: DataType.DOUBLE }); // [B, T, hd]
  const cos = g.op('Cast', [g.op('Cos', [angles])], { to: DataType.FLOAT });
  const sin = g.op('Cast', [g.op('Sin', [angles])], { to: DataType.FLOAT });
  // rotary tables shaped for each layout, made once on first use: the spelled-out attention rotates
  // queries [B, kv, rep, T, hd] and keys [B, kv, T, hd]; the fused one rotates in the projections' own
  // layout, queries [B, T, kv, rep, hd] and keys [B, T, kv, hd]
  const tables = new Map<string, [string, string]>();
  const rotaryTables = (axes: number[]): [string, string] => {
    const key = axes.join(',');
    let t = tables.get(key);
    if (!t) {
      t = [g.op('Unsqueeze', [cos, g.int64(axes)]), g.op('Unsqueeze', [sin, g.int64(axes)])];
      tables.set(key, t);
    }
    return t;
  };
  const bshShapes = new Map<number, string>();
  const bshShape = (width: number): string => {
    if (!bshShapes.has(width)) bshShapes.set(width, g.op('Concat', [frame.idsShape, g.int64([width])], { axis: 0 })); // [B, T, width]
    return bshShapes.get(width)!;
  };
  const rope = (x: string, [cosT, sinT]: [string, string]): string => {
    const axes = g.int64([-1]);
    const first = g.op('Slice', [x, g.int64([0]), g.int64([hd / 2]), axes]);
    const second = g.op('Slice', [x, g.int64([hd / 2]), g.int64([hd]), axes]);
    const rotated = g.op('Concat', [g.op('Neg', [second]), first], { axis: -1 });
    return g.op('Add', [g.op('Mul', [x, cosT]), g.op('Mul', [rotated, sinT])]);
  };

  const eps = g.float([c.rmsNormEps], []);
  const rmsNorm = (x: string, weight: string): string => {
    const meanSquare = g.op('ReduceMean', [g.op('Mul', [x, x])], { axes: [-1], keepdims: 1 });
    const inverse = g.op('Reciprocal', [g.op('Sqrt', [g.op('Add', [meanSquare, eps])])]);
    return g.op('Mul', [g.op('Mul', [x, inverse]), weight]);
  };
  const linear = (x: string, weight: string, bias?: string): string => g.op('Gemm', bias ? [x, weight, bias] : [x, weight], { transB: 1 });
  const projection = (name: string, x: string, bias: boolean): string => linear(x, `${name}.weight`, bias ? `${name}.bias` : undefined);

  // The residual stream is kept as [B*T, H] so every projection is one Gemm.
  const embed = 'model.embed_tokens.weight';
  let hidden = g.op('Reshape', [g.op('Gather', [embed, 'input_ids'], { axis: 0 }), g.int64([-1, H])]);

  for (let layer = 0; layer < c.numLayers; layer++) {
    const p = `model.layers.${layer}`;
    g.scope = `/model/layers.${layer}/self_attn`;
    const x = rmsNorm(hidden, `${p}.input_layernorm.weight`);
    // GQA without copies: queries [B, kv, rep, T, hd] broadcast against K/V [B, kv, 1, S, hd].
    let qHeads = g.op('Reshape', [projection(`${p}.self_attn.q_proj`, x, c.qkvBias), queryShape]);
    let kHeads = g.op('Reshape', [projection(`${p}.self_attn.k_proj`, x, c.qkvBias), kvShape]);
    if (c.qkNorm) {
      qHeads = rmsNorm(qHeads, `${p}.self_attn.q_norm.weight`);
      kHeads = rmsNorm(kHeads, `${p}.self_attn.k_norm.weight`);
    }
    const vProjected = projection(`${p}.self_attn.v_proj`, x, c.qkvBias);
    const window = c.slidingWindows[layer] ?? null;
    let merged: string;
    if (fused) {
      merged = attendFused(g, frame, {
        q: g.op('Reshape', [rope(qHeads, rotaryTables([2, 3])), bshShape(qDim)]),
        k: g.op('Reshape', [rope(kHeads, rotaryTables([2])), bshShape(kv * hd)]),
        v: g.op('Reshape', [vProjected, bshShape(kv * hd)]),
        heads: c.numHeads,
        kvHeads: kv,
        window,
        width: qDim,
      });
    } else {
      const q = g.op('Transpose', [qHeads], { perm: [0, 2, 3, 1, 4] });
      const k = g.op('Transpose', [kHeads], { perm: [0, 2, 1, 3] });
      const v = g.op('Transpose', [g.op('Reshape', [vProjected, kvShape])], { perm: [0, 2, 1, 3] });
      merged = attend(g, frame, {
        layer,
        q: rope(q, rotaryTables([1, 2])),
        k: rope(k, rotaryTables([1])),
        v,
        scale: 1 / Math.sqrt(hd),
        window,
        width: qDim,
        withPast,
        newKeyValues,
      });
    }
    hidden = g.op('Add', [hidden, projection(`${p}.self_attn.o_proj`, merged, c.oBias)]);

    g.scope = `/model/layers.${layer}/mlp`;
    const y = rmsNorm(hidden, `${p}.post_attention_layernorm.weight`);
    const gate = projection(`${p}.mlp.gate_proj`, y, c.mlpBias);
    const activated = g.op('Mul', [g.op('Mul', [gate, g.op('Sigmoid', [gate])]), projection(`${p}.mlp.up_proj`, y, c.mlpBias)]);
    hidden = g.op('Add', [hidden, projection(`${p}.mlp.down_proj`, activated, c.mlpBias)]);
  }

  g.scope = '/model';
  const head = c.tiedEmbeddings ? embed : 'lm_head.weight'; // tied: logits = h·Eᵀ
  lmHead(g, frame, {
    hidden,
    vocabSize: c.vocabSize,
    allPositions: scoresAllPositions(options),
    norm: (x) => rmsNorm(x, 'model.norm.weight'),
    head: (x) => linear(x, head),
  });

  return decoderModelSpec(g, { name: 'llama', numLayers: c.numLayers, kvHeads: kv, headDim: hd, vocabSize: c.vocabSize, newKeyValues, ...options });
}
