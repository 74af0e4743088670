// Fused-attention candidates against the attention of today's scoring graph, on the smollm-135m
// shape (9 query heads, 3 KV heads, head size 64), for right-padded scoring batches:
//   graph      today's subgraph (src/models/onnx/decoder-common.ts `attend`): queries as
//              [B, kv, rep, T, hd] broadcast against K/V, MatMul, Where(mask), Softmax, MatMul
//   gqa        com.microsoft GroupQueryAttention (num_heads 9, kv_num_heads 3, seqlens_k from the mask)
//   gqa-bias   the same with every row's seqlens_k = T - 1 and the mask as an additive attention_bias
//   mha        com.microsoft MultiHeadAttention (K/V expanded to 9 heads, causal + key padding bias)
// Each candidate gets the same random post-rotary Q/K/V; the table gives its best-of-N time and the
// largest |difference| from `graph` over the real (unpadded) positions. One run, one machine.
//   node dist/bench/bench/throughput/attention.js [--threads 2] [--repeat 5] [--shapes 8x256,1x512,32x128]
import * as ort from 'onnxruntime-node';
import { arg } from '../common/args.js';
import { openCpuSession } from '../common/onnx.js';
import { fastestSeconds, loadAverage } from '../common/timing.js';
import { GraphBuilder } from '../../src/models/onnx/graph-builder.js';
import { attend, attentionFrame, OPSET_VERSION } from '../../src/models/onnx/decoder-common.js';
import { DataType, encodeModel, type ValueInfoSpec } from '../../src/models/onnx/onnx-proto.js';

const threads = Number(arg('--threads', '2'));
const repeat = Number(arg('--repeat', '5'));
const leftPadding = process.argv.includes('--left-padding');
const shapes = arg('--shapes', '8x256,1x512,32x128').split(',').map((s) => s.split('x').map(Number) as [number, number]);

const N = 9;
const KV = 3;
const HD = 64;
const REP = N / KV;
const SCALE = 1 / Math.sqrt(HD);

const inputs: ValueInfoSpec[] = [
  { name: 'q', elemType: DataType.FLOAT, dims: ['B', 'T', N * HD] },
  { name: 'k', elemType: DataType.FLOAT, dims: ['B', 'T', KV * HD] },
  { name: 'v', elemType: DataType.FLOAT, dims: ['B', 'T', KV * HD] },
  { name: 'input_ids', elemType: DataType.INT64, dims: ['B', 'T'] },
  { name: 'attention_mask', elemType: DataType.INT64, dims: ['B', 'T'] },
];

function model(g: GraphBuilder, name: string, out: string): Uint8Array {
  return encodeModel({
    irVersion: 8,
    opsetVersion: OPSET_VERSION,
    extraOpsets: [{ domain: 'com.microsoft', version: 1 }],
    producerName: 'yardstick bench',
    graph: { name, nodes: g.nodes, initializers: g.initializers, inputs, outputs: [{ name: out, elemType: DataType.FLOAT, dims: ['rows', N * HD] }] },
  });
}

/** today's attention, exactly as the scoring graph builds it */
function todayGraph(): Uint8Array {
  const g = new GraphBuilder();
  const frame = attentionFrame(g);
  const qShape = g.op('Concat', [frame.idsShape, g.int64([KV, REP, HD])], { axis: 0 });
  const kvShape = g.op('Concat', [frame.idsShape, g.int64([KV, HD])], { axis: 0 });
  const q = g.op('Transpose', [g.op('Reshape', ['q', qShape])], { perm: [0, 2, 3, 1, 4] });
  const k = g.op('Transpose', [g.op('Reshape', ['k', kvShape])], { perm: [0, 2, 1, 3] });
  const v = g.op('Transpose', [g.op('Reshape', ['v', kvShape])], { perm: [0, 2, 1, 3] });
  const merged = attend(g, frame, { layer: 0, q, k, v, scale: SCALE, window: null, width: N * HD, withPast: false });
  g.opNamed('out', 'Identity', [merged]);
  return model(g, 'today', 'out');
}

/** seqlens_k (last real index per row, int32) and total_sequence_length (int32 scalar) from the mask */
function gqaGraph(): Uint8Array {
  const g = new GraphBuilder();
  const lengths = g.op('ReduceSum', ['attention_mask', g.int64([1])], { keepdims: 0 });
  const seqlens = g.op('Cast', [g.op('Sub', [lengths, g.int64([1], [])])], { to: DataType.INT32 });
  const total = g.op('Cast', [g.op('Gather', [g.op('Shape', ['attention_mask']), g.int64([1], [])], { axis: 0 })], { to: DataType.INT32 });
  const [o] = g.ops('GroupQueryAttention', ['q', 'k', 'v', '', '', seqlens, total], 3, { num_heads: N, kv_num_heads: KV }, 'com.microsoft');
  g.opNamed('out', 'Reshape', [o!, g.int64([-1, N * HD])]);
  return model(g, 'gqa', 'out');
}

/** GroupQueryAttention with the padding and causal mask as an additive attention_bias [B, 1, T, S] (exact for left padding too) */
function gqaBiasGraph(): Uint8Array {
  const g = new GraphBuilder();
  const frame = attentionFrame(g);
  const T = g.op('Gather', [g.op('Shape', ['attention_mask']), g.int64([1], [])], { axis: 0 });
  const B = g.op('Gather', [g.op('Shape', ['attention_mask']), g.int64([0], [])], { axis: 0 });
  const seqlens = g.op('Cast', [g.op('Expand', [g.op('Sub', [T, g.int64([1], [])]), g.op('Unsqueeze', [B, g.int64([0])])])], { to: DataType.INT32 });
  const total = g.op('Cast', [T], { to: DataType.INT32 });
  const allowed = g.op('Squeeze', [frame.allowedFor(null), g.int64([1])]);
  const bias = g.op('Where', [allowed, g.float([0], []), frame.maskedScore]);
  const inputs = ['q', 'k', 'v', '', '', seqlens, total, '', '', '', bias];
  const [o] = g.ops('GroupQueryAttention', inputs, 3, { num_heads: N, kv_num_heads: KV }, 'com.microsoft');
  g.opNamed('out', 'Reshape', [o!, g.int64([-1, N * HD])]);
  return model(g, 'gqa-bias', 'out');
}

/** MultiHeadAttention has no grouped heads: K/V are expanded to 9 heads; causal and padding as one additive bias */
function mhaGraph(): Uint8Array {
  const g = new GraphBuilder();
  const frame = attentionFrame(g);
  const expand = (x: string): string => {
    const shape5 = g.op('Concat', [frame.idsShape, g.int64([KV, 1, HD])], { axis: 0 });
    const target = g.op('Concat', [frame.idsShape, g.int64([KV, REP, HD])], { axis: 0 });
    const full = g.op('Concat', [frame.idsShape, g.int64([N * HD])], { axis: 0 });
    return g.op('Reshape', [g.op('Expand', [g.op('Reshape', [x, shape5]), target]), full]);
  };
  // allowed: [B, 1, 1, T, S] -> additive bias [B, 1, T, S]
  const allowed = g.op('Squeeze', [frame.allowedFor(null), g.int64([1])]);
  const bias = g.op('Where', [allowed, g.float([0], []), frame.maskedScore]);
  const o = g.op('MultiHeadAttention', ['q', expand('k'), expand('v'), '', '', bias], { num_heads: N }, 'com.microsoft');
  g.opNamed('out', 'Reshape', [o, g.int64([-1, N * HD])]);
  return model(g, 'mha', 'out');
}

function random(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 4;
  });
}

const candidates: Array<[string, Uint8Array]> = [
  ['graph', todayGraph()],
  ['gqa', gqaGraph()],
  ['gqa-bias', gqaBiasGraph()],
  ['mha', mhaGraph()],
];
const sessions = new Map<string, ort.InferenceSession | string>();
for (const [name, bytes] of candidates) {
  try {
    sessions.set(name, await openCpuSession(bytes, threads));
  } catch (e) {
    sessions.set(name, String((e as Error).message).split('\n')[0]!);
  }
}

console.log(`attention only, smollm-135m heads (${N} query, ${KV} KV, size ${HD}), right-padded rows, ${threads} threads, best of ${repeat}; load ${loadAverage()}`);
console.log('shape      candidate   seconds   vs graph   max |diff|');
for (const [B, T] of shapes) {
  const lengths = Array.from({ length: B }, (_, b) => (b === 0 ? T : Math.max(1, T - ((b * 37) % Math.ceil(T / 2)))));
  const real = (b: number, t: number): boolean => (leftPadding ? t >= T - lengths[b]! : t < lengths[b]!);
  const mask = BigInt64Array.from({ length: B * T }, (_, i) => (real(Math.floor(i / T), i % T) ? 1n : 0n));
  const feeds = {
    q: new ort.Tensor('float32', random(B * T * N * HD, 1), [B, T, N * HD]),
    k: new ort.Tensor('float32', random(B * T * KV * HD, 2), [B, T, KV * HD]),
    v: new ort.Tensor('float32', random(B * T * KV * HD, 3), [B, T, KV * HD]),
    input_ids: new ort.Tensor('int64', new BigInt64Array(B * T), [B, T]),
    attention_mask: new ort.Tensor('int64', mask, [B, T]),
  };
  let base: { seconds: number; out: Float32Array } | undefined;
  for (const [name] of candidates) {
    const session = sessions.get(name)!;
    const label = `${B}x${T}`.padEnd(10);
    if (typeof session === 'string') {
      console.log(`${label} ${name.padEnd(10)}  not loadable: ${session}`);
      continue;
    }
    // the session's own inputs only (gqa reads no input_ids)
    const own = Object.fromEntries(Object.entries(feeds).filter(([k]) => session.inputNames.includes(k)));
    let out: Float32Array;
    try {
      out = (await session.run(own)).out!.data as Float32Array;
    } catch (e) {
      console.log(`${label} ${name.padEnd(10)}  failed: ${String((e as Error).message).split('\n')[0]}`);
      continue;
    }
    const seconds = await fastestSeconds(repeat, () => session.run(own));
    let diff = 0;
    if (base) {
      for (let b = 0; b < B; b++) {
        for (let t = 0; t < T; t++) {
          if (!real(b, t)) continue;
          const row = (b * T + t) * N * HD;
          for (let j = 0; j < N * HD; j++) diff = Math.max(diff, Math.abs(out[row + j]! - base.out[row + j]!));
        }
      }
    } else base = { seconds, out };
    console.log(`${label} ${name.padEnd(10)} ${seconds.toFixed(4).padStart(8)}   ${(base.seconds / seconds).toFixed(2).padStart(6)}x   ${name === 'graph' ? '-' : diff.toExponential(2)}`);
  }
}
for (const s of sessions.values()) if (typeof s !== 'string') await s.release();
