// The written ONNX graphs, run with onnxruntime-node, against the independent float64 reference:
// plain, right- and left-padded batches, logits at chosen positions only, and the KV-cache graph fed
// in two chunks.
import { mkdtemp, rm, stat, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { Tokenizer } from '@huggingface/tokenizers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeModel } from '../../../src/models/make-model.js';
import { loadReferenceModel, referenceLogprobs, type ReferenceModel } from '../../helpers/reference-llama.js';

const TOLERANCE = 1e-4; // nats
const PAD = 0;

const TEXT =
  'On a cold morning in early spring, the fisherman pushed his small boat into the grey water and rowed ' +
  'towards the island. He had made the same journey every week for thirty years, carrying letters, bread ' +
  'and news to the three families who still lived there. "You are late today," said the woman who waited ' +
  'on the pier. He smiled, tied the rope to the post, and handed her a parcel wrapped in brown paper. ' +
  'Inside were 2 books, 12 candles and a map of the coast drawn in 1887. Nobody knew why her grandfather ' +
  'had asked for it, but she thanked him, and they talked for an hour about the weather, the price of ' +
  'fish and the new school that was being built on the mainland. Then the wind began to rise.';

let dir: string;
let model: ReferenceModel;
let tokens: number[];
let scoring: ort.InferenceSession;
let withPast: ort.InferenceSession;
let numLayers: number;
let kvHeads: number;
let headDim: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yardstick-onnx-'));
  const made = await makeModel({ preset: 'tiny', seed: 3, outDir: dir });
  numLayers = made.config.numLayers;
  kvHeads = made.config.numKvHeads;
  headDim = made.config.headDim;
  const tok = new Tokenizer(
    JSON.parse(await readFile(join(dir, 'tokenizer.json'), 'utf8')),
    JSON.parse(await readFile(join(dir, 'tokenizer_config.json'), 'utf8')),
  );
  tokens = tok.encode(TEXT, { add_special_tokens: true }).ids;
  model = loadReferenceModel(dir);
  scoring = await ort.InferenceSession.create(join(dir, 'onnx', 'model.onnx'));
  withPast = await ort.InferenceSession.create(join(dir, 'onnx', 'model_with_past.onnx'));
});

afterAll(async () => {
  await scoring?.release();
  await withPast?.release();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function int64(rows: number[][]): ort.Tensor {
  const flat = rows.flat();
  return new ort.Tensor('int64', BigInt64Array.from(flat, (v) => BigInt(v)), [rows.length, rows[0]!.length]);
}

/** log-softmax in float64 of logits[b, t, :] */
function logSoftmaxRow(logits: ort.Tensor, b: number, t: number): Float64Array {
  const [, T, V] = logits.dims as [number, number, number];
  const data = logits.data as Float32Array;
  const row = Float64Array.from(data.subarray((b * T + t) * V, (b * T + t + 1) * V));
  let max = -Infinity;
  for (const v of row) max = Math.max(max, v);
  let total = 0;
  for (const v of row) total += Math.exp(v - max);
  const logZ = max + Math.log(total);
  return row.map((v) => v - logZ);
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** The scoring graph with logits at every position, viewed as [B, T, vocab]. */
const plain = {
  async run(feeds: Record<string, ort.Tensor>): Promise<{ logits: ort.Tensor }> {
    const [B, T] = feeds.input_ids!.dims as [number, number];
    const all = BigInt64Array.from({ length: B * T }, (_, i) => BigInt(i));
    const out = await scoring.run({ ...feeds, score_positions: new ort.Tensor('int64', all, [B * T]) });
    const logits = out.logits as ort.Tensor;
    expect(logits.dims).toEqual([B * T, logits.dims[1]]);
    return { logits: new ort.Tensor('float32', logits.data as Float32Array, [B, T, logits.dims[1]!]) };
  },
};

/** The with-past graph asked for logits at every new position, viewed as [B, T, vocab], with its new.* outputs. */
const pastAll = {
  async run(feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.OnnxValueMapType> {
    const [B, T] = feeds.input_ids!.dims as [number, number];
    const all = BigInt64Array.from({ length: B * T }, (_, i) => BigInt(i));
    const out = await withPast.run({ ...feeds, score_positions: new ort.Tensor('int64', all, [B * T]) });
    const logits = out.logits as ort.Tensor;
    expect(logits.dims).toEqual([B * T, logits.dims[1]]);
    return { ...out, logits: new ort.Tensor('float32', logits.data as Float32Array, [B, T, logits.dims[1]!]) };
  },
};

function allFinite(t: ort.Tensor): boolean {
  return (t.data as Float32Array).every((v) => Number.isFinite(v));
}

function emptyPast(batch: number): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (let i = 0; i < numLayers; i++) {
    for (const kind of ['key', 'value']) {
      feeds[`past_key_values.${i}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [batch, kvHeads, 0, headDim]);
    }
  }
  return feeds;
}

/** The cache after a call on an empty past: its new.* keys and values. */
function presentAsPast(out: ort.InferenceSession.OnnxValueMapType): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (let i = 0; i < numLayers; i++) {
    feeds[`past_key_values.${i}.key`] = out[`new.${i}.key`] as ort.Tensor;
    feeds[`past_key_values.${i}.value`] = out[`new.${i}.value`] as ort.Tensor;
  }
  return feeds;
}

describe('onnx/model.onnx', () => {
  it('declares the documented inputs and outputs', () => {
    expect([...scoring.inputNames]).toEqual(['input_ids', 'attention_mask', 'position_ids', 'score_positions']);
    expect([...scoring.outputNames]).toEqual(['logits']);
    const pastInputs = [];
    const newOutputs = [];
    for (let i = 0; i < numLayers; i++) {
      pastInputs.push(`past_key_values.${i}.key`, `past_key_values.${i}.value`);
      newOutputs.push(`new.${i}.key`, `new.${i}.value`);
    }
    expect([...withPast.inputNames]).toEqual(['input_ids', 'attention_mask', 'position_ids', 'score_positions', ...pastInputs]);
    // no sliding window: the with-past graph returns each call's keys and values alone (new.*), not present.*
    expect([...withPast.outputNames]).toEqual(['logits', ...newOutputs]);
  });

  it('keeps the weights once, in the shared external data file', async () => {
    const data = (await stat(join(dir, 'onnx', 'model.onnx_data'))).size;
    for (const file of ['model.onnx', 'model_with_past.onnx']) {
      const bytes = await readFile(join(dir, 'onnx', file));
      expect(bytes.length).toBeLessThan(data / 4);
      expect(bytes.includes(Buffer.from('model.onnx_data'))).toBe(true);
    }
  });

  it('matches the float64 reference on one long sequence', async () => {
    expect(tokens.length).toBeGreaterThanOrEqual(200);
    const n = tokens.length;
    const out = await plain.run({
      input_ids: int64([tokens]),
      attention_mask: int64([tokens.map(() => 1)]),
      position_ids: int64([tokens.map((_, i) => i)]),
    });
    const expected = referenceLogprobs(model, tokens);
    let worst = 0;
    for (let t = 0; t < n; t++) worst = Math.max(worst, maxAbsDiff(logSoftmaxRow(out.logits as ort.Tensor, 0, t), expected[t]!));
    expect(worst).toBeLessThan(TOLERANCE);
  });

  it('stays within tolerance up to max_position_embeddings (2048 positions)', async () => {
    const long = Array.from({ length: 2048 }, (_, i) => tokens[i % tokens.length]!);
    const out = await plain.run({
      input_ids: int64([long]),
      attention_mask: int64([long.map(() => 1)]),
      position_ids: int64([long.map((_, i) => i)]),
    });
    const expected = referenceLogprobs(model, long);
    let worst = 0;
    for (let t = 0; t < long.length; t += 7) {
      worst = Math.max(worst, maxAbsDiff(logSoftmaxRow(out.logits as ort.Tensor, 0, t), expected[t]!));
    }
    expect(worst).toBeLessThan(TOLERANCE);
  });

  const sequences = (): number[][] => [tokens.slice(0, 48), tokens.slice(60, 90), tokens.slice(100, 111)];

  it('computes logits only at score_positions: [rows, vocab], equal to those rows of the full pass', async () => {
    const seqs = sequences();
    const T = Math.max(...seqs.map((s) => s.length));
    const feeds = {
      input_ids: int64(seqs.map((s) => [...s, ...Array<number>(T - s.length).fill(PAD)])),
      attention_mask: int64(seqs.map((s) => Array.from({ length: T }, (_, i) => (i < s.length ? 1 : 0)))),
      position_ids: int64(seqs.map(() => Array.from({ length: T }, (_, i) => i))),
    };
    const full = (await plain.run(feeds)).logits;
    // the last 3 positions of row 0, the last position of row 1, positions 2 and 7 of row 2 (out of order)
    const wanted: Array<[number, number]> = [[0, 45], [0, 46], [0, 47], [1, 29], [2, 7], [2, 2]];
    const out = await scoring.run({ ...feeds, score_positions: new ort.Tensor('int64', BigInt64Array.from(wanted, ([b, t]) => BigInt(b * T + t)), [wanted.length]) });
    const rows = out.logits as ort.Tensor;
    const V = full.dims[2]!;
    expect(rows.dims).toEqual([wanted.length, V]);
    wanted.forEach(([b, t], r) => {
      const view = new ort.Tensor('float32', rows.data as Float32Array, [wanted.length, 1, V]);
      const expected = referenceLogprobs(model, seqs[b]!)[t]!;
      expect(maxAbsDiff(logSoftmaxRow(view, r, 0), logSoftmaxRow(full, b, t))).toBeLessThan(1e-6);
      expect(maxAbsDiff(logSoftmaxRow(view, r, 0), expected)).toBeLessThan(TOLERANCE);
    });
  });

  it('matches the reference in a right-padded batch', async () => {
    const seqs = sequences();
    const T = Math.max(...seqs.map((s) => s.length));
    const ids = seqs.map((s) => [...s, ...Array<number>(T - s.length).fill(PAD)]);
    const mask = seqs.map((s) => Array.from({ length: T }, (_, i) => (i < s.length ? 1 : 0)));
    const positions = seqs.map(() => Array.from({ length: T }, (_, i) => i));
    const out = await plain.run({ input_ids: int64(ids), attention_mask: int64(mask), position_ids: int64(positions) });
    const logits = out.logits as ort.Tensor;
    expect(allFinite(logits)).toBe(true);
    let checked = 0;
    seqs.forEach((s, b) => {
      const expected = referenceLogprobs(model, s);
      for (let t = 0; t < s.length; t++) {
        expect(maxAbsDiff(logSoftmaxRow(logits, b, t), expected[t]!)).toBeLessThan(TOLERANCE);
        checked++;
      }
    });
    expect(checked).toBe(48 + 30 + 11);
  });

  it('matches the reference in a left-padded batch (position_ids = cumsum(mask) - 1)', async () => {
    const seqs = sequences();
    const T = Math.max(...seqs.map((s) => s.length));
    const ids = seqs.map((s) => [...Array<number>(T - s.length).fill(PAD), ...s]);
    const mask = seqs.map((s) => Array.from({ length: T }, (_, i) => (i >= T - s.length ? 1 : 0)));
    const positions = mask.map((m) => {
      let sum = 0;
      return m.map((v) => (sum += v) - 1);
    });
    const out = await plain.run({ input_ids: int64(ids), attention_mask: int64(mask), position_ids: int64(positions) });
    const logits = out.logits as ort.Tensor;
    // fully masked rows (the padding queries) must stay finite: the mask is finite, not -inf
    expect(allFinite(logits)).toBe(true);
    seqs.forEach((s, b) => {
      const expected = referenceLogprobs(model, s);
      const offset = T - s.length;
      for (let t = 0; t < s.length; t++) {
        expect(maxAbsDiff(logSoftmaxRow(logits, b, offset + t), expected[t]!)).toBeLessThan(TOLERANCE);
      }
    });
  });
});

describe('onnx/model_with_past.onnx', () => {
  it('gives the reference log-probs when fed a prefix, then the rest with the cache', async () => {
    const seq = tokens.slice(0, 130);
    const split = 77;
    const first = await pastAll.run({
      input_ids: int64([seq.slice(0, split)]),
      attention_mask: int64([seq.slice(0, split).map(() => 1)]),
      position_ids: int64([seq.slice(0, split).map((_, i) => i)]),
      ...emptyPast(1),
    });
    expect((first[`new.0.key`] as ort.Tensor).dims).toEqual([1, kvHeads, split, headDim]);
    const second = await pastAll.run({
      input_ids: int64([seq.slice(split)]),
      attention_mask: int64([seq.map(() => 1)]),
      position_ids: int64([seq.slice(split).map((_, i) => split + i)]),
      ...presentAsPast(first),
    });
    expect((second[`new.${numLayers - 1}.value`] as ort.Tensor).dims).toEqual([1, kvHeads, seq.length - split, headDim]);
    const expected = referenceLogprobs(model, seq);
    for (let t = 0; t < split; t++) {
      expect(maxAbsDiff(logSoftmaxRow(first.logits as ort.Tensor, 0, t), expected[t]!)).toBeLessThan(TOLERANCE);
    }
    for (let t = split; t < seq.length; t++) {
      expect(maxAbsDiff(logSoftmaxRow(second.logits as ort.Tensor, 0, t - split), expected[t]!)).toBeLessThan(TOLERANCE);
    }
  });

  it('agrees with the plain graph when the cache is empty (same weights)', async () => {
    const seq = tokens.slice(0, 40);
    const feeds = {
      input_ids: int64([seq]),
      attention_mask: int64([seq.map(() => 1)]),
      position_ids: int64([seq.map((_, i) => i)]),
    };
    const a = (await plain.run(feeds)).logits as ort.Tensor;
    const b = (await pastAll.run({ ...feeds, ...emptyPast(1) })).logits as ort.Tensor;
    const x = a.data as Float32Array;
    const y = b.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
    expect(worst).toBeLessThan(1e-5);
  });

  it('continues a left-padded batch from its cache', async () => {
    const seqs = [tokens.slice(0, 50), tokens.slice(120, 141)];
    const prefixLengths = [30, 9];
    const P = Math.max(...prefixLengths);
    const prefixes = seqs.map((s, b) => s.slice(0, prefixLengths[b]));
    const ids = prefixes.map((p) => [...Array<number>(P - p.length).fill(PAD), ...p]);
    const mask = prefixes.map((p) => Array.from({ length: P }, (_, i) => (i >= P - p.length ? 1 : 0)));
    const cumsum = (m: number[]): number[] => {
      let sum = 0;
      return m.map((v) => (sum += v) - 1);
    };
    const first = await pastAll.run({
      input_ids: int64(ids),
      attention_mask: int64(mask),
      position_ids: int64(mask.map(cumsum)),
      ...emptyPast(2),
    });
    // continuations, right-padded to a common length, attending to the cached prefix
    const rests = seqs.map((s, b) => s.slice(prefixLengths[b]));
    const R = Math.max(...rests.map((r) => r.length));
    const restIds = rests.map((r) => [...r, ...Array<number>(R - r.length).fill(PAD)]);
    const fullMask = mask.map((m, b) => [...m, ...Array.from({ length: R }, (_, i) => (i < rests[b]!.length ? 1 : 0))]);
    const restPositions = prefixLengths.map((p) => Array.from({ length: R }, (_, i) => p + i));
    const second = await pastAll.run({
      input_ids: int64(restIds),
      attention_mask: int64(fullMask),
      position_ids: int64(restPositions),
      ...presentAsPast(first),
    });
    expect(allFinite(first.logits as ort.Tensor)).toBe(true);
    expect(allFinite(second.logits as ort.Tensor)).toBe(true);
    seqs.forEach((s, b) => {
      const expected = referenceLogprobs(model, s);
      const p = prefixLengths[b]!;
      for (let t = 0; t < p; t++) {
        expect(maxAbsDiff(logSoftmaxRow(first.logits as ort.Tensor, b, P - p + t), expected[t]!)).toBeLessThan(TOLERANCE);
      }
      for (let t = p; t < s.length; t++) {
        expect(maxAbsDiff(logSoftmaxRow(second.logits as ort.Tensor, b, t - p), expected[t]!)).toBeLessThan(TOLERANCE);
      }
    });
  });
});
