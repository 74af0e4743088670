// Where an ONNX scoring batch spends its time with a 49152-token vocabulary: the whole forward pass
// (what OnnxEngine.scoreBatch runs), the LM head alone (hidden states -> [batch, seq, vocab] float32
// logits, computed and handed to JavaScript), the LM head on only the rows scoring needs, and the
// float64 log-softmax of those rows (scoreRow). Inputs are real LAMBADA texts, one batch.
//   node dist/bench/bench/throughput/logits_cost.js --model DIR --data-dir D [--batch-size 16] [--threads T] [--repeat 3]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { scoreRow } from '../../src/engines/logsoftmax.js';
import { HfTokenizer } from '../../src/engines/hf-tokenizer.js';
import { arg } from '../common/args.js';
import { matMulModel, openCpuSession } from '../common/onnx.js';
import { fastestSeconds } from '../common/timing.js';

const modelDir = arg('--model');
const dataDir = arg('--data-dir');
const B = Number(arg('--batch-size', '16'));
const threads = Number(arg('--threads', '2'));
const repeat = Number(arg('--repeat', '3'));
const config = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as Record<string, number>;
const H = config.hidden_size!;
const V = config.vocab_size!;

// one batch of real documents, right-padded as the engine pads; each scores its last word's tokens
const tok = HfTokenizer.fromFolder(modelDir);
const texts = readFileSync(join(dataDir, 'EleutherAI/lambada_openai/default/test.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .slice(0, B)
  .map((l) => (JSON.parse(l) as { text: string }).text);
const rows = texts.map((t) => {
  const cut = t.lastIndexOf(' ');
  const ctx = tok.encode(t.slice(0, cut), false);
  const whole = tok.encode(t, false);
  return { input: whole.slice(0, -1), continuation: whole.slice(ctx.length) };
});
const T = Math.max(...rows.map((r) => r.input.length));
const scoredRows = rows.reduce((a, r) => a + r.continuation.length, 0);

async function best(label: string, f: () => Promise<unknown>): Promise<number> {
  const min = await fastestSeconds(repeat, f);
  console.log(`${label.padEnd(58)} ${min.toFixed(3)} s`);
  return min;
}

// 1. the whole model, as OnnxEngine.scoreBatch feeds it
const model = await openCpuSession(join(modelDir, 'onnx', 'model.onnx'), threads);
const ids = new BigInt64Array(B * T);
const mask = new BigInt64Array(B * T);
const positions = new BigInt64Array(B * T);
rows.forEach((r, b) => {
  r.input.forEach((t, i) => {
    ids[b * T + i] = BigInt(t);
    mask[b * T + i] = 1n;
  });
  for (let i = 0; i < T; i++) positions[b * T + i] = BigInt(i);
});
const feeds: Record<string, ort.Tensor> = {
  input_ids: new ort.Tensor('int64', ids, [B, T]),
  attention_mask: new ort.Tensor('int64', mask, [B, T]),
  position_ids: new ort.Tensor('int64', positions, [B, T]),
};
// today's scoring graph computes logits only where asked: ask for every position, as graphs before score_positions did
if (model.inputNames.includes('score_positions')) {
  feeds.score_positions = new ort.Tensor('int64', BigInt64Array.from({ length: B * T }, (_, i) => BigInt(i)), [B * T]);
}
console.log(`batch ${B} x ${T} tokens (${rows.reduce((a, r) => a + r.input.length, 0)} real), vocab ${V}, hidden ${H}, ${threads} threads, best of ${repeat}`);
console.log(`logits tensor: ${((B * T * V * 4) / 2 ** 20).toFixed(0)} MiB float32; rows scoring reads: ${scoredRows}`);
let logits: Float32Array | undefined;
const whole = await best('forward pass, whole model (session.run)', async () => {
  logits = (await model.run(feeds)).logits!.data as Float32Array;
});

// 2. the LM head alone: [B, T, H] x [H, V] -> [B, T, V], then only the scored rows
const headGraph = matMulModel({
  graph: 'lm_head',
  input: { name: 'hidden', dims: ['batch', 'seq', H] },
  weight: { name: 'head', rows: H, cols: V },
  output: { name: 'logits', dims: ['batch', 'seq', V] },
});
const head = await openCpuSession(headGraph, threads);
const hidden = (n: number): ort.Tensor => new ort.Tensor('float32', new Float32Array(n * H).map((_, i) => Math.cos(i)), [1, n, H]);
const allRows = hidden(B * T);
const neededRows = hidden(scoredRows);
const headAll = await best(`LM head, all ${B * T} positions -> JS Float32Array`, () => head.run({ hidden: allRows }));
const headNeeded = await best(`LM head, only the ${scoredRows} scored positions`, () => head.run({ hidden: neededRows }));

// 3. float64 log-softmax of the scored rows, as scoreBatch does it
const softmax = await best(`scoreRow (float64 log-softmax) on the ${scoredRows} scored rows`, async () => {
  rows.forEach((r, b) => {
    const L = r.input.length;
    r.continuation.forEach((target, t) => scoreRow(logits!, (b * T + L - r.continuation.length + t) * V, V, target));
  });
});

console.log(`LM head share of the forward pass: ${((100 * headAll) / whole).toFixed(1)}% ` +
  `(only the scored rows: ${((100 * headNeeded) / whole).toFixed(2)}%); log-softmax: ${((100 * softmax) / whole).toFixed(2)}%`);
await model.release();
await head.release();
