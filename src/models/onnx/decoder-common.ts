// What every decoder graph shares: the graph inputs and outputs (with or without a KV cache), the
// causal / padding / sliding-window mask, attention over [B, kv, rep, T, hd] queries, and the LM head
// on only the scored positions.
import type { GraphBuilder } from './graph-builder.js';
import { DataType, type ModelSpec, type ValueInfoSpec } from './onnx-proto.js';

export const OPSET_VERSION = 17;
const IR_VERSION = 8;
/** Large but finite: a fully masked row (left padding) softmaxes to uniform instead of NaN. */
const MASKED_SCORE = -1e9;

/** The scoring graph's input: flat indices b*T + t of the positions whose logits are wanted. */
export const SCORE_POSITIONS = 'score_positions';

export interface DecoderGraphOptions {
  withPast: boolean;
  /**
   * `logits` for every position ([B, T, vocab]) instead of only the `score_positions` rows
   * ([rows, vocab]), and a with-past graph returning present.*, as graphs before converter version 3
   * did. Default: neither graph materialises
   * [B, T, vocab]; generation asks for each row's last position, a prefix for none of its own.
   */
  allLogits?: boolean;
}

/** onnxruntime's contrib operators (GroupQueryAttention) */
export const MS_DOMAIN = 'com.microsoft';

export function scoresAllPositions(options: DecoderGraphOptions): boolean {
  return options.allLogits ?? false;
}

/**
 * The final norm and LM head, applied to `hidden` ([B*T, H]) at every position or, for a
 * scoring graph, only at `score_positions`: the norm is per row, so gathering first changes nothing
 * but the work (a fifth of a pass at a 49152-token vocabulary).
 */
export function lmHead(
  g: GraphBuilder,
  frame: AttentionFrame,
  a: { hidden: string; vocabSize: number; allPositions: boolean; norm: (x: string) => string; head: (x: string) => string },
): void {
  if (a.allPositions) {
    const logitsShape = g.op('Concat', [frame.idsShape, g.int64([a.vocabSize])], { axis: 0 });
    g.opNamed('logits', 'Reshape', [a.head(a.norm(a.hidden)), logitsShape]);
  } else {
    g.opNamed('logits', 'Identity', [a.head(a.norm(g.op('Gather', [a.hidden, SCORE_POSITIONS], { axis: 0 })))]);
  }
}

export function pastKeyName(layer: number): string {
  return `past_key_values.${layer}.key`;
}
export function pastValueName(layer: number): string {
  return `past_key_values.${layer}.value`;
}
export function presentKeyName(layer: number): string {
  return `present.${layer}.key`;
}
export function presentValueName(layer: number): string {
  return `present.${layer}.value`;
}
/** the with-past graph's keys and values of this call's tokens alone (callers keeping their own cache) */
export function newKeyName(layer: number): string {
  return `new.${layer}.key`;
}
export function newValueName(layer: number): string {
  return `new.${layer}.value`;
}

export interface AttentionFrame {
  /** Shape(input_ids): [B, T] */
  idsShape: string;
  /** the mask for full attention, or for a sliding window of this many positions */
  allowedFor(window: number | null): string;
  maskedScore: string;
  /** GroupQueryAttention's per-row last key index (int32 [B], S - 1 for every row) and S (int32
   *  scalar), made on first use */
  readonly seqlensK: string;
  readonly totalLength: string;
}

/** Dynamic sizes from input_ids (B, T) and attention_mask (S = past + new), and the masks. */
export function attentionFrame(g: GraphBuilder): AttentionFrame {
  const idsShape = g.op('Shape', ['input_ids']);
  const T = g.op('Gather', [idsShape, g.int64([1], [])], { axis: 0 });
  const S = g.op('Gather', [g.op('Shape', ['attention_mask']), g.int64([1], [])], { axis: 0 });
  const pastLength = g.op('Sub', [S, T]);
  // allowed[b, 0, 0, i, j]: query i (absolute position past + i) may see key j.
  const zero = g.int64([0], []);
  const one = g.int64([1], []);
  const queryIndex = g.op('Add', [g.op('Range', [zero, T, one]), pastLength]);
  const keyIndex = g.op('Range', [zero, S, one]);
  const keyRow = g.op('Unsqueeze', [keyIndex, g.int64([0])]);
  const future = g.op('Greater', [keyRow, g.op('Unsqueeze', [queryIndex, g.int64([1])])]);
  const keyPresent = g.op('Unsqueeze', [g.op('Cast', ['attention_mask'], { to: DataType.BOOL }), g.int64([1, 2, 3])]);
  const allowed = g.op('And', [g.op('Not', [future]), keyPresent]);
  // Sliding window (transformers' overlay): key j is visible from query i only when j > i - window.
  const windowed = new Map<number, string>();
  let lengths: { seqlensK: string; totalLength: string } | undefined;
  const gqaLengths = (): { seqlensK: string; totalLength: string } => {
    if (!lengths) {
      const B = g.op('Gather', [idsShape, g.int64([0])], { axis: 0 }); // [1]
      lengths = {
        seqlensK: g.op('Cast', [g.op('Expand', [g.op('Sub', [S, one]), B])], { to: DataType.INT32 }),
        totalLength: g.op('Cast', [S], { to: DataType.INT32 }),
      };
    }
    return lengths;
  };
  return {
    idsShape,
    maskedScore: g.float([MASKED_SCORE], []),
    get seqlensK() {
      return gqaLengths().seqlensK;
    },
    get totalLength() {
      return gqaLengths().totalLength;
    },
    allowedFor(window) {
      if (window === null) return allowed;
      let mask = windowed.get(window);
      if (!mask) {
        const recent = g.op('Greater', [keyRow, g.op('Unsqueeze', [g.op('Sub', [queryIndex, g.int64([window], [])]), g.int64([1])])]);
        mask = g.op('And', [allowed, g.op('Unsqueeze', [recent, g.int64([0, 1, 2])])]);
        windowed.set(window, mask);
      }
      return mask;
    },
  };
}

/**
 * Attention of one layer. `q` is [B, kv, rep, T, hd] (grouped-query heads without copying K/V),
 * `k` and `v` are [B, kv, T, hd]; with a cache they are appended to past_key_values.<layer>.* and
 * returned as present.<layer>.*. Returns the heads merged back to [B*T, kv*rep*hd].
 */
export function attend(
  g: GraphBuilder,
  frame: AttentionFrame,
  a: { layer: number; q: string; k: string; v: string; scale: number; window: number | null; width: number; withPast: boolean; newKeyValues?: boolean },
): string {
  const query = g.op('Mul', [a.q, g.float([a.scale], [])]);
  const scoresWith = (keys: string): string =>
    g.op('MatMul', [query, g.op('Transpose', [g.op('Unsqueeze', [keys, g.int64([2])])], { perm: [0, 1, 2, 4, 3] })]); // [B, kv, rep, T, keys]
  const weigh = (probs: string, values: string): string => g.op('MatMul', [probs, g.op('Unsqueeze', [values, g.int64([2])])]); // [B, kv, rep, T, hd]
  const masked = (scores: string): string => g.op('Softmax', [g.op('Where', [frame.allowedFor(a.window), scores, frame.maskedScore])], { axis: -1 });
  let context: string;
  if (a.withPast) {
    // Either present.* (past and new together, as optimum exports return them) or, with newKeyValues,
    // new.* (this call's keys and values alone) for a caller that keeps the cache itself. Attention reads
    // the past and the new keys separately, so with new.* no step copies the cache (onnxruntime runs
    // every node of a graph, fetched or not, so a present.* Concat would copy it even when unused).
    if (a.newKeyValues) {
      g.opNamed(newKeyName(a.layer), 'Identity', [a.k]);
      g.opNamed(newValueName(a.layer), 'Identity', [a.v]);
    } else {
      g.opNamed(presentKeyName(a.layer), 'Concat', [pastKeyName(a.layer), a.k], { axis: 2 });
      g.opNamed(presentValueName(a.layer), 'Concat', [pastValueName(a.layer), a.v], { axis: 2 });
    }
    const probs = masked(g.op('Concat', [scoresWith(pastKeyName(a.layer)), scoresWith(a.k)], { axis: -1 })); // [B, kv, rep, T, S]
    const pastLength = g.op('Shape', [pastKeyName(a.layer)], { start: 2, end: 3 });
    const axes = g.int64([-1]);
    const fromPast = g.op('Slice', [probs, g.int64([0]), pastLength, axes]);
    const fromNew = g.op('Slice', [probs, pastLength, g.int64([2 ** 62]), axes]);
    context = g.op('Add', [weigh(fromPast, pastValueName(a.layer)), weigh(fromNew, a.v)]);
  } else {
    context = weigh(masked(scoresWith(a.k)), a.v);
  }
  return g.op('Reshape', [g.op('Transpose', [context], { perm: [0, 3, 1, 2, 4] }), g.int64([-1, a.width])]);
}

/**
 * Attention of one layer of a scoring graph (no cache) through onnxruntime's GroupQueryAttention.
 * `q` is [B, T, heads*hd] and `k`, `v` are [B, T, kvHeads*hd] (rotary applied). Every row is declared
 * full length (seqlens_k = T - 1): padding, causality and any sliding window come from the additive
 * bias [B, 1, T, T], the same mask the spelled-out attention uses, so left and right padding both
 * hold. The operator refuses several rows that each add several tokens to a cache (what prefix sharing
 * does), so with-past graphs spell attention out (`attend`). Returns [B*T, heads*hd].
 */
export function attendFused(
  g: GraphBuilder,
  frame: AttentionFrame,
  a: { q: string; k: string; v: string; heads: number; kvHeads: number; window: number | null; width: number },
): string {
  const allowed = g.op('Squeeze', [frame.allowedFor(a.window), g.int64([1])]); // [B, 1, T, S]
  const bias = g.op('Where', [allowed, g.float([0], []), frame.maskedScore]);
  const inputs = [a.q, a.k, a.v, '', '', frame.seqlensK, frame.totalLength, '', '', '', bias];
  const [out] = g.ops('GroupQueryAttention', inputs, 3, { num_heads: a.heads, kv_num_heads: a.kvHeads }, MS_DOMAIN);
  return g.op('Reshape', [out!, g.int64([-1, a.width])]);
}

/** The model around the graph's nodes: inputs, `logits`, and the cache inputs/outputs when withPast. */
export function decoderModelSpec(
  g: GraphBuilder,
  c: { name: string; numLayers: number; kvHeads: number; headDim: number; vocabSize: number; newKeyValues?: boolean } & DecoderGraphOptions,
): ModelSpec {
  const contrib = g.nodes.some((n) => n.domain === MS_DOMAIN);
  const allPositions = scoresAllPositions(c);
  const totalLength = c.withPast ? 'total_sequence_length' : 'sequence_length';
  const inputs: ValueInfoSpec[] = [
    { name: 'input_ids', elemType: DataType.INT64, dims: ['batch_size', 'sequence_length'] },
    { name: 'attention_mask', elemType: DataType.INT64, dims: ['batch_size', totalLength] },
    { name: 'position_ids', elemType: DataType.INT64, dims: ['batch_size', 'sequence_length'] },
  ];
  if (!allPositions) inputs.push({ name: SCORE_POSITIONS, elemType: DataType.INT64, dims: ['scored_rows'] });
  const logitsDims = allPositions ? ['batch_size', 'sequence_length', c.vocabSize] : ['scored_rows', c.vocabSize];
  const outputs: ValueInfoSpec[] = [{ name: 'logits', elemType: DataType.FLOAT, dims: logitsDims }];
  if (c.withPast) {
    for (let layer = 0; layer < c.numLayers; layer++) {
      const past: Array<number | string> = ['batch_size', c.kvHeads, 'past_sequence_length', c.headDim];
      const present: Array<number | string> = ['batch_size', c.kvHeads, 'total_sequence_length', c.headDim];
      const added: Array<number | string> = ['batch_size', c.kvHeads, 'sequence_length', c.headDim];
      inputs.push({ name: pastKeyName(layer), elemType: DataType.FLOAT, dims: past });
      inputs.push({ name: pastValueName(layer), elemType: DataType.FLOAT, dims: past });
      outputs.push({ name: c.newKeyValues ? newKeyName(layer) : presentKeyName(layer), elemType: DataType.FLOAT, dims: c.newKeyValues ? added : present });
      outputs.push({ name: c.newKeyValues ? newValueName(layer) : presentValueName(layer), elemType: DataType.FLOAT, dims: c.newKeyValues ? added : present });
    }
  }
  return {
    irVersion: IR_VERSION,
    opsetVersion: OPSET_VERSION,
    ...(contrib ? { extraOpsets: [{ domain: MS_DOMAIN, version: 1 }] } : {}),
    producerName: 'yardstick make-model',
    graph: { name: c.withPast ? `${c.name}_with_past` : c.name, nodes: g.nodes, initializers: g.initializers, inputs, outputs },
  };
}
