// The GPT-2 forward pass as an ONNX graph (opset 17), with or without a KV cache: learned position
// embeddings, LayerNorm, fused q/k/v (Conv1D weights stored [in, out]), gelu_new, tied head.
import { attend, attentionFrame, decoderModelSpec, lmHead, scoresAllPositions, type DecoderGraphOptions } from './decoder-common.js';
import { GraphBuilder } from './graph-builder.js';
import type { ModelSpec, TensorSpecProto } from './onnx-proto.js';

export type Gpt2Activation = 'gelu_new' | 'gelu_pytorch_tanh' | 'gelu' | 'relu';

export interface Gpt2GraphConfig {
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  innerSize: number;
  vocabSize: number;
  maxPositions: number;
  layerNormEps: number;
  activation: Gpt2Activation;
  scaleAttnWeights: boolean;
  scaleAttnByInverseLayerIdx: boolean;
  tiedEmbeddings: boolean;
}

/** `weights` are initializers named as transformers saves GPT2LMHeadModel (transformer.h.0.attn...). */
export function buildGpt2Model(c: Gpt2GraphConfig, weights: TensorSpecProto[], options: DecoderGraphOptions): ModelSpec {
  const { withPast } = options;
  const g = new GraphBuilder();
  for (const t of weights) g.addInitializer(t);
  const H = c.hiddenSize;
  const heads = c.numHeads;
  const hd = H / heads;

  g.scope = '/transformer';
  const frame = attentionFrame(g);
  // multi-head attention in the grouped layout with one query head per K/V head
  const queryShape = g.op('Concat', [frame.idsShape, g.int64([heads, 1, hd])], { axis: 0 }); // [B, T, heads, 1, hd]
  const kvShape = g.op('Concat', [frame.idsShape, g.int64([heads, hd])], { axis: 0 }); // [B, T, heads, hd]

  const eps = g.float([c.layerNormEps], []);
  const layerNorm = (x: string, prefix: string): string => {
    const centred = g.op('Sub', [x, g.op('ReduceMean', [x], { axes: [-1], keepdims: 1 })]);
    const variance = g.op('ReduceMean', [g.op('Mul', [centred, centred])], { axes: [-1], keepdims: 1 });
    const normed = g.op('Div', [centred, g.op('Sqrt', [g.op('Add', [variance, eps])])]);
    return g.op('Add', [g.op('Mul', [normed, `${prefix}.weight`]), `${prefix}.bias`]);
  };
  // Conv1D: y = x·W + b with W [in, out]
  const conv1d = (x: string, prefix: string): string => g.op('Gemm', [x, `${prefix}.weight`, `${prefix}.bias`]);
  const activate = (x: string): string => {
    if (c.activation === 'relu') return g.op('Relu', [x]);
    const half = g.op('Mul', [x, g.float([0.5], [])]);
    if (c.activation === 'gelu') return g.op('Mul', [half, g.op('Add', [g.op('Erf', [g.op('Mul', [x, g.float([Math.SQRT1_2], [])])]), g.float([1], [])])]);
    // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
    const cube = g.op('Mul', [g.op('Mul', [x, x]), x]);
    const inner = g.op('Mul', [g.op('Add', [x, g.op('Mul', [cube, g.float([0.044715], [])])]), g.float([Math.sqrt(2 / Math.PI)], [])]);
    return g.op('Mul', [half, g.op('Add', [g.op('Tanh', [inner]), g.float([1], [])])]);
  };

  const wte = 'transformer.wte.weight';
  const tokens = g.op('Gather', [wte, 'input_ids'], { axis: 0 });
  const positions = g.op('Gather', ['transformer.wpe.weight', 'position_ids'], { axis: 0 });
  let hidden = g.op('Reshape', [g.op('Add', [tokens, positions]), g.int64([-1, H])]);

  for (let layer = 0; layer < c.numLayers; layer++) {
    const p = `transformer.h.${layer}`;
    g.scope = `/transformer/h.${layer}/attn`;
    const [q, k, v] = g.ops('Split', [conv1d(layerNorm(hidden, `${p}.ln_1`), `${p}.attn.c_attn`), g.int64([H, H, H])], 3, { axis: 1 }) as [string, string, string];
    let scale = c.scaleAttnWeights ? hd ** -0.5 : 1;
    if (c.scaleAttnByInverseLayerIdx) scale /= layer + 1;
    const merged = attend(g, frame, {
      layer,
      q: g.op('Transpose', [g.op('Reshape', [q, queryShape])], { perm: [0, 2, 3, 1, 4] }),
      k: g.op('Transpose', [g.op('Reshape', [k, kvShape])], { perm: [0, 2, 1, 3] }),
      v: g.op('Transpose', [g.op('Reshape', [v, kvShape])], { perm: [0, 2, 1, 3] }),
      scale,
      window: null,
      width: H,
      withPast,
      newKeyValues: withPast,
    });
    hidden = g.op('Add', [hidden, conv1d(merged, `${p}.attn.c_proj`)]);
    g.scope = `/transformer/h.${layer}/mlp`;
    const inner = activate(conv1d(layerNorm(hidden, `${p}.ln_2`), `${p}.mlp.c_fc`));
    hidden = g.op('Add', [hidden, conv1d(inner, `${p}.mlp.c_proj`)]);
  }
  g.scope = '/transformer';
  const head = c.tiedEmbeddings ? wte : 'lm_head.weight';
  lmHead(g, frame, {
    hidden,
    vocabSize: c.vocabSize,
    allPositions: scoresAllPositions(options),
    norm: (x) => layerNorm(x, 'transformer.ln_f'),
    head: (x) => g.op('Gemm', [x, head], { transB: 1 }),
  });
  return decoderModelSpec(g, { name: 'gpt2', numLayers: c.numLayers, kvHeads: heads, headDim: hd, vocabSize: c.vocabSize, newKeyValues: withPast, ...options });
}
