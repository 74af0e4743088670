// Greedy decoding with a KV cache on the with-past ONNX graph: left-padded batch, one new token
// per step, lm-eval's stop rule (a stop string within the last len(stop tokens)+2 tokens, or EOS).
// A finished row leaves the batch, so the rest step without it; the LM head runs on each row's last
// position only (graphs with score_positions).
//
// Where the graph returns each call's keys and values alone (`new.*`, ours since converter version 3),
// the engine keeps the cache itself: each step feeds it as the past (unfilled slots masked) and writes
// one slot per row, so no step copies the cache. The prompts are then computed in groups of similar
// length, each written into the rows' slots that end at the longest prompt, so one long prompt does not
// pad every other row to its length; and the cache grows in steps of CACHE_GROWTH slots, so early steps
// do not attend over slots that only later tokens fill. Other graphs (optimum exports) return the grown
// cache as `present.*`, which is fed back as it is, after one left-padded pass over all prompts.
import * as ort from 'onnxruntime-node';
import type { ModelConfig } from '../model-folder.js';
import type { EngineTokenizer } from '../types.js';
import type { GenerateRequest, GenerateResult } from '../types.js';
import { argmaxRow } from '../logsoftmax.js';
import { cheapestCuts } from '../batching.js';
import { YardstickError } from '../../errors.js';
import { cacheShape, emptyPastFeeds, hasPastInputs, int64, logitsAsFloat32, scorePositionsFeed, takesScorePositions, useCacheBranch } from './past.js';

const PAST = 'past_key_values.';

/** The cache as the graph returns it (present.*), fed back whole each step. */
class GraphCache {
  private past: Record<string, ort.Tensor>;
  readonly fetch: string[];

  constructor(
    private readonly session: ort.InferenceSession,
    config: ModelConfig,
    private mask: number[][],
  ) {
    this.past = emptyPastFeeds(session, config, mask.length);
    this.fetch = session.inputNames.filter((n) => n.startsWith(PAST)).map((n) => n.replace(PAST, 'present.'));
  }

  feeds(): Record<string, ort.Tensor> {
    return { ...this.past, attention_mask: int64(this.mask.flat(), [this.mask.length, this.mask[0]!.length]) };
  }

  update(out: ort.InferenceSession.OnnxValueMapType): void {
    this.past = useCacheBranch(this.session, true);
    for (const name of this.session.inputNames) {
      if (name.startsWith(PAST)) this.past[name] = out[name.replace(PAST, 'present.')] as ort.Tensor;
    }
    this.mask = this.mask.map((row) => [...row, 1]);
  }

  keepRows(rows: number[]): void {
    for (const [name, t] of Object.entries(this.past)) {
      if (!name.startsWith(PAST)) continue;
      this.past[name] = new ort.Tensor(t.type as 'float32' | 'float16', pickRows(t.data as Float32Array | Uint16Array, t.dims[0]!, rows), [rows.length, ...t.dims.slice(1)]);
    }
    this.mask = rows.map((b) => this.mask[b]!);
  }
}

/** Slots the engine-kept cache grows by: attention reads at most this many unfilled slots per row. */
const CACHE_GROWTH = 32;

/**
 * The cache kept by the engine: per layer, [rows, kv, capacity, hd] buffers holding the prompts (ending
 * at slot P-1) and every token fed since; slots not yet written are masked out of attention.
 */
export class OwnCache {
  private keys: Float32Array[] = [];
  private values: Float32Array[] = [];
  /** per row and slot, 1n where the slot holds a real token: the past's part of the attention mask */
  private filled = new BigInt64Array(0);
  private capacity = 0;
  private used = 0;
  readonly fetch: string[];

  constructor(
    private readonly layers: number,
    private readonly heads: number,
    private readonly headDim: number,
    /** the slots the longest generation needs (prompts plus max_gen_toks - 1) */
    private readonly maxCapacity: number,
    private rows: number,
    private readonly promptLength: number,
  ) {
    this.resize(Math.min(maxCapacity, promptLength + CACHE_GROWTH));
    this.fetch = Array.from({ length: layers }, (_, l) => [`new.${l}.key`, `new.${l}.value`]).flat();
  }

  /** Writes a group's prompt pass ([g, kv, n, hd] keys and values, `masks` [g][n]) into slots P-n..P-1 of `rows`. */
  writePrompts(out: ort.InferenceSession.OnnxValueMapType, rows: number[], n: number, masks: number[][]): void {
    this.write(out, rows, n, this.promptLength - n, masks);
    this.used = this.promptLength;
  }

  /** past_key_values.* feeds and the attention mask ([rows, capacity + 1]) for a step adding one token per row */
  feeds(): Record<string, ort.Tensor> {
    const feeds: Record<string, ort.Tensor> = {};
    const C = this.capacity;
    for (let l = 0; l < this.layers; l++) {
      const dims = [this.rows, this.heads, C, this.headDim];
      feeds[`${PAST}${l}.key`] = new ort.Tensor('float32', this.keys[l]!, dims);
      feeds[`${PAST}${l}.value`] = new ort.Tensor('float32', this.values[l]!, dims);
    }
    // the past's filled slots, then the step's own token
    const mask = new BigInt64Array(this.rows * (C + 1)).fill(1n);
    for (let b = 0; b < this.rows; b++) mask.set(this.filled.subarray(b * C, (b + 1) * C), b * (C + 1));
    feeds.attention_mask = new ort.Tensor('int64', mask, [this.rows, C + 1]);
    return feeds;
  }

  /** Takes in a step's keys and values: one token per row, into the next free slot. */
  update(out: ort.InferenceSession.OnnxValueMapType): void {
    if (this.used + 1 > this.maxCapacity) throw new YardstickError('engine', `generation cache overflow (${this.used + 1} > ${this.maxCapacity} slots)`);
    if (this.used + 1 > this.capacity) this.resize(Math.min(this.maxCapacity, this.capacity + CACHE_GROWTH));
    this.write(out, Array.from({ length: this.rows }, (_, b) => b), 1, this.used, null);
    this.used += 1;
  }

  /** keeps only these rows, in this order */
  keepRows(rows: number[]): void {
    this.keys = this.keys.map((a) => pickRows(a, this.rows, rows));
    this.values = this.values.map((a) => pickRows(a, this.rows, rows));
    this.filled = pickRows(this.filled, this.rows, rows);
    this.rows = rows.length;
  }

  /**
   * Row g of a pass's new.* keys and values ([g, kv, n, hd]) into cache row rows[g], slots first..first+n-1,
   * marked filled where masks[g] says so (every slot when masks is null).
   */
  private write(out: ort.InferenceSession.OnnxValueMapType, rows: number[], n: number, first: number, masks: number[][] | null): void {
    const { heads, headDim: hd, capacity } = this;
    for (let l = 0; l < this.layers; l++) {
      for (const [name, cache] of [[`new.${l}.key`, this.keys[l]!], [`new.${l}.value`, this.values[l]!]] as const) {
        const data = (out[name] as ort.Tensor).data as Float32Array;
        rows.forEach((row, g) => {
          for (let h = 0; h < heads; h++) {
            const from = (g * heads + h) * n * hd;
            cache.set(data.subarray(from, from + n * hd), ((row * heads + h) * capacity + first) * hd);
          }
        });
      }
    }
    rows.forEach((row, g) => {
      for (let t = 0; t < n; t++) this.filled[row * capacity + first + t] = masks ? BigInt(masks[g]![t]!) : 1n;
    });
  }

  /** New buffers of `capacity` slots per row and head, holding the slots filled so far. */
  private resize(capacity: number): void {
    const { heads, headDim: hd, used, rows } = this;
    const old = this.capacity;
    const move = (from: Float32Array | undefined): Float32Array => {
      const to = new Float32Array(rows * heads * capacity * hd);
      if (from) for (let bh = 0; bh < rows * heads; bh++) to.set(from.subarray(bh * old * hd, (bh * old + used) * hd), bh * capacity * hd);
      return to;
    };
    this.keys = Array.from({ length: this.layers }, (_, l) => move(this.keys[l]));
    this.values = Array.from({ length: this.layers }, (_, l) => move(this.values[l]));
    const filled = new BigInt64Array(rows * capacity);
    for (let b = 0; b < rows; b++) filled.set(this.filled.subarray(b * old, b * old + used), b * capacity);
    this.filled = filled;
    this.capacity = capacity;
  }
}

/**
 * Groups of prompt indices (longest first), each left-padded to its longest prompt, cut where padding
 * would cost more than another pass (`cheapestCuts`, as scoring batches are).
 */
export function promptGroups(lengths: number[]): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[b]! - lengths[a]! || a - b);
  const starts = cheapestCuts(order.length, (i) => lengths[order[i]!]!, () => order.length);
  return starts.map((start, k) => order.slice(start, starts[k + 1] ?? order.length));
}

/** Left padding: ids, mask and position ids of prompts padded to `n`. */
function leftPadded(prompts: number[][], n: number, pad: number): { ids: number[][]; mask: number[][]; positions: number[][] } {
  const mask = prompts.map((p) => [...new Array<number>(n - p.length).fill(0), ...p.map(() => 1)]);
  return {
    ids: prompts.map((p) => [...new Array<number>(n - p.length).fill(pad), ...p]),
    mask,
    positions: mask.map((row) => {
      let c = 0;
      return row.map((m) => (m === 1 ? c++ : 1));
    }),
  };
}

export async function greedyGenerate(
  session: ort.InferenceSession,
  config: ModelConfig,
  tokenizer: EngineTokenizer,
  batch: GenerateRequest[],
): Promise<GenerateResult[]> {
  if (!hasPastInputs(session)) {
    throw new YardstickError('model', 'this ONNX model has no past_key_values inputs, which generation needs', {
      hint: 'export it with a KV cache (optimum: --task text-generation-with-past), or convert its safetensors with the hf engine',
    });
  }
  const pad = tokenizer.padTokenId;
  const eos = tokenizer.eosTokenId;
  const generated: number[][] = batch.map(() => []);
  // the rows still generating, by request index; a finished row leaves the batch (and its cache)
  let active = batch.flatMap((r, i) => (r.maxNewTokens > 0 ? [i] : []));
  if (active.length === 0) return generated.map((tokens) => ({ tokens }));
  const P = Math.max(...active.map((i) => batch[i]!.input.length));
  const stopTokenCounts = batch.map((r) => r.until.map((s) => tokenizer.encode(s, false).length + 2));
  const promptLength = batch.map((r) => r.input.length);
  const scoredOnly = takesScorePositions(session);
  const hasPositionIds = session.inputNames.includes('position_ids');

  /** One pass of `ids` [rows][n]: the argmax after each row's last position. */
  const run = async (feeds: Record<string, ort.Tensor>, ids: number[][], positions: number[][], fetch: string[]) => {
    const B = ids.length;
    const n = ids[0]!.length;
    Object.assign(feeds, {
      input_ids: int64(ids.flat(), [B, n]),
      // only each row's last position is read: the LM head runs there alone where the graph allows
      ...scorePositionsFeed(session, ids.map((_, b) => b * n + n - 1)),
    });
    if (hasPositionIds) feeds.position_ids = int64(positions.flat(), [B, n]);
    const out = await session.run(feeds, ['logits', ...fetch]);
    const logits = out.logits!;
    const V = logits.dims[logits.dims.length - 1]!;
    const data = logitsAsFloat32(logits);
    return { out, next: ids.map((_, b) => argmaxRow(data, (scoredOnly ? b : b * n + (n - 1)) * V, V)) };
  };

  // the first token of every row, and a cache holding the prompts
  let next: number[];
  let cache: OwnCache | GraphCache;
  if (session.outputNames.includes('new.0.key')) {
    const layers = session.inputNames.filter((name) => name.startsWith(PAST)).length / 2;
    const [heads, headDim] = cacheShape(session.inputMetadata.find((m) => m.name === `${PAST}0.key`), config);
    // the last generated token is never fed back: the prompt plus max_gen_toks - 1 slots
    const maxCapacity = P + Math.max(...active.map((i) => batch[i]!.maxNewTokens)) - 1;
    const own = new OwnCache(layers, heads, headDim, maxCapacity, active.length, P);
    next = new Array<number>(active.length);
    for (const group of promptGroups(active.map((i) => promptLength[i]!))) {
      const prompts = group.map((b) => batch[active[b]!]!.input);
      const n = Math.max(...prompts.map((p) => p.length));
      const { ids, mask, positions } = leftPadded(prompts, n, pad);
      const feeds = { ...emptyPastFeeds(session, config, group.length), attention_mask: int64(mask.flat(), [group.length, n]) };
      const step = await run(feeds, ids, positions, own.fetch);
      own.writePrompts(step.out, group, n, mask);
      group.forEach((b, g) => (next[b] = step.next[g]!));
    }
    cache = own;
  } else {
    const { ids, mask, positions } = leftPadded(active.map((i) => batch[i]!.input), P, pad);
    const graph = new GraphCache(session, config, mask);
    const step = await run(graph.feeds(), ids, positions, graph.fetch);
    graph.update(step.out);
    next = step.next;
    cache = graph;
  }

  for (;;) {
    const finished = new Set<number>();
    active.forEach((i, b) => {
      const tokens = generated[i]!;
      tokens.push(next[b]!);
      const r = batch[i]!;
      if (next[b] === eos || tokens.length >= r.maxNewTokens) finished.add(b);
      else if (r.until.some((stop, s) => stop !== '' && tokenizer.decode(tokens.slice(-stopTokenCounts[i]![s]!), false).includes(stop))) finished.add(b);
    });
    if (finished.size === active.length) break;
    if (finished.size > 0) {
      const keep = active.flatMap((_, b) => (finished.has(b) ? [] : [b]));
      active = keep.map((b) => active[b]!);
      cache.keepRows(keep);
    }
    const ids = active.map((i) => [generated[i]!.at(-1)!]);
    const positions = active.map((i) => [promptLength[i]! + generated[i]!.length - 1]);
    // the engine-kept cache's graph may declare optimum's use_cache_branch too (an export with new.*
    // outputs); GraphCache's feeds already carry it
    const step = await run({ ...cache.feeds(), ...useCacheBranch(session, true) }, ids, positions, cache.fetch);
    cache.update(step.out);
    next = step.next;
  }
  return generated.map((tokens) => ({ tokens }));
}

/** The rows `keep` (in that order) of `data` laid out as `rows` equal rows. */
function pickRows<T extends Float32Array | Uint16Array | BigInt64Array>(data: T, rows: number, keep: number[]): T {
  const rowSize = data.length / rows;
  const out = new (data.constructor as new (length: number) => T)(rowSize * keep.length);
  // set/subarray on the union of typed arrays do not type-check; each T copies from its own kind
  const copy = out.set.bind(out) as (from: T, offset: number) => void;
  keep.forEach((b, k) => copy(data.subarray(b * rowSize, (b + 1) * rowSize) as T, k * rowSize));
  return out;
}
