// Greedy decoding with a KV cache on the with-past ONNX graph: left-padded batch, one new token
// per step, lm-eval's stop rule (a stop string within the last len(stop tokens)+2 tokens, or EOS).
// A finished row leaves the batch, so the rest step without it; the LM head runs on each row's last
// position only (graphs with score_positions).
//
// Where the graph returns each call's keys and values alone (`new.*`, ours since converter version 3),
// the engine keeps the cache itself, in buffers sized for the whole generation: each step feeds them as
// the past (unfilled slots masked) and writes one slot per row, so no step copies the cache. Other graphs
// (optimum exports) return the grown cache as `present.*`, which is fed back as it is.
import * as ort from 'onnxruntime-node';
import type { ModelConfig } from '../model-folder.js';
import type { EngineTokenizer } from '../types.js';
import type { GenerateRequest, GenerateResult } from '../types.js';
import { argmaxRow } from '../logsoftmax.js';
import { YardstickError } from '../../errors.js';
import { cacheShape, emptyPastFeeds, hasPastInputs, int64, logitsAsFloat32, scorePositionsFeed, takesScorePositions, useCacheBranch } from './past.js';

const PAST = 'past_key_values.';

/** The KV cache of the rows still generating, and the attention mask over it. */
interface DecodeCache {
  /** past_key_values.* feeds and the attention mask ([rows, past + new]) for a step adding `added` tokens */
  feeds(added: number): Record<string, ort.Tensor>;
  /** the outputs to fetch besides logits */
  readonly fetch: string[];
  /** takes in a step's outputs (its `added` tokens are real in every row) */
  update(out: ort.InferenceSession.OnnxValueMapType, added: number): void;
  /** keeps only these rows, in this order */
  keepRows(rows: number[]): void;
}

/** The cache as the graph returns it (present.*), fed back whole each step. */
class GraphCache implements DecodeCache {
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

/**
 * The cache kept by the engine: per layer, [rows, kv, capacity, hd] buffers holding the prompt and every
 * token fed so far; slots not yet written are masked out of attention.
 */
class OwnCache implements DecodeCache {
  private keys: Float32Array[];
  private values: Float32Array[];
  /** per row and slot, 1n where the slot holds a real token: the past's part of the attention mask */
  private filled: BigInt64Array;
  private used = 0;
  /** the mask of the tokens the next step adds: the prompt's padding on the first, else none (all real) */
  private pending: number[][];
  readonly fetch: string[];

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly layers: number,
    private readonly heads: number,
    private readonly headDim: number,
    private readonly capacity: number,
    private rows: number,
    promptMask: number[][],
  ) {
    const size = rows * heads * capacity * headDim;
    this.keys = Array.from({ length: layers }, () => new Float32Array(size));
    this.values = Array.from({ length: layers }, () => new Float32Array(size));
    this.filled = new BigInt64Array(rows * capacity);
    this.pending = promptMask;
    this.fetch = Array.from({ length: layers }, (_, l) => [`new.${l}.key`, `new.${l}.value`]).flat();
  }

  feeds(added: number): Record<string, ort.Tensor> {
    const feeds: Record<string, ort.Tensor> = {};
    const C = this.used === 0 ? 0 : this.capacity;
    for (let l = 0; l < this.layers; l++) {
      const dims = [this.rows, this.heads, C, this.headDim];
      feeds[`${PAST}${l}.key`] = new ort.Tensor('float32', C === 0 ? new Float32Array(0) : this.keys[l]!, dims);
      feeds[`${PAST}${l}.value`] = new ort.Tensor('float32', C === 0 ? new Float32Array(0) : this.values[l]!, dims);
    }
    const mask = new BigInt64Array(this.rows * (C + added));
    for (let b = 0; b < this.rows; b++) {
      if (C > 0) mask.set(this.filled.subarray(b * C, (b + 1) * C), b * (C + added));
      for (let t = 0; t < added; t++) mask[b * (C + added) + C + t] = BigInt(this.pending[b]?.[t] ?? 1);
    }
    feeds.attention_mask = new ort.Tensor('int64', mask, [this.rows, C + added]);
    // a graph that declares optimum's use_cache_branch gets it: false while the past is empty
    return { ...feeds, ...useCacheBranch(this.session, C > 0) };
  }

  update(out: ort.InferenceSession.OnnxValueMapType, added: number): void {
    if (this.used + added > this.capacity) throw new YardstickError('engine', `generation cache overflow (${this.used + added} > ${this.capacity} slots)`);
    const { heads, headDim: hd, capacity } = this;
    for (let l = 0; l < this.layers; l++) {
      for (const [name, cache] of [[`new.${l}.key`, this.keys[l]!], [`new.${l}.value`, this.values[l]!]] as const) {
        const data = (out[name] as ort.Tensor).data as Float32Array;
        // [rows, kv, added, hd] into slots used..used+added of [rows, kv, capacity, hd]
        for (let bh = 0; bh < this.rows * heads; bh++) {
          cache.set(data.subarray(bh * added * hd, (bh + 1) * added * hd), (bh * capacity + this.used) * hd);
        }
      }
    }
    for (let b = 0; b < this.rows; b++) {
      for (let t = 0; t < added; t++) this.filled[b * capacity + this.used + t] = BigInt(this.pending[b]?.[t] ?? 1);
    }
    this.used += added;
    this.pending = [];
  }

  keepRows(rows: number[]): void {
    this.keys = this.keys.map((a) => pickRows(a, this.rows, rows));
    this.values = this.values.map((a) => pickRows(a, this.rows, rows));
    this.filled = pickRows(this.filled, this.rows, rows);
    this.rows = rows.length;
  }
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

  // left padding: each prompt ends at column P-1
  const promptMask: number[][] = active.map((i) => {
    const r = batch[i]!;
    return [...new Array<number>(P - r.input.length).fill(0), ...r.input.map(() => 1)];
  });
  let stepIds: number[][] = active.map((i) => {
    const r = batch[i]!;
    return [...new Array<number>(P - r.input.length).fill(pad), ...r.input];
  });
  let stepPositions: number[][] = promptMask.map((row) => {
    let c = 0;
    return row.map((m) => (m === 1 ? c++ : 1));
  });
  const promptLength = batch.map((r) => r.input.length);

  const ownCache = session.outputNames.includes('new.0.key');
  // the last generated token is never fed back: the prompt plus max_gen_toks - 1 slots
  const capacity = P + Math.max(...active.map((i) => batch[i]!.maxNewTokens)) - 1;
  const cache: DecodeCache = ownCache
    ? new OwnCache(session, session.inputNames.filter((name) => name.startsWith(PAST)).length / 2, ...cacheShape(session.inputMetadata.find((m) => m.name === `${PAST}0.key`), config), capacity, active.length, promptMask)
    : new GraphCache(session, config, promptMask);
  const scoredOnly = takesScorePositions(session);

  while (active.length > 0) {
    const B = active.length;
    const n = stepIds[0]!.length;
    const feeds: Record<string, ort.Tensor> = {
      ...cache.feeds(n),
      input_ids: int64(stepIds.flat(), [B, n]),
      // only each row's last position is read: the LM head runs there alone where the graph allows
      ...scorePositionsFeed(session, active.map((_, b) => b * n + n - 1)),
    };
    if (session.inputNames.includes('position_ids')) feeds.position_ids = int64(stepPositions.flat(), [B, n]);
    const out = await session.run(feeds, ['logits', ...cache.fetch]);
    const logits = out.logits!;
    const V = logits.dims[logits.dims.length - 1]!;
    const data = logitsAsFloat32(logits);
    const finished = new Set<number>();
    active.forEach((i, b) => {
      const token = argmaxRow(data, (scoredOnly ? b : b * n + (n - 1)) * V, V);
      const tokens = generated[i]!;
      tokens.push(token);
      const r = batch[i]!;
      if (token === eos || tokens.length >= r.maxNewTokens) finished.add(b);
      else if (r.until.some((stop, s) => stop !== '' && tokenizer.decode(tokens.slice(-stopTokenCounts[i]![s]!), false).includes(stop))) finished.add(b);
    });
    if (finished.size === active.length) break;
    cache.update(out, n);
    if (finished.size > 0) {
      const keep = active.flatMap((_, b) => (finished.has(b) ? [] : [b]));
      active = keep.map((b) => active[b]!);
      cache.keepRows(keep);
    }
    stepIds = active.map((i) => [generated[i]!.at(-1)!]);
    stepPositions = active.map((i) => [promptLength[i]! + generated[i]!.length - 1]);
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
