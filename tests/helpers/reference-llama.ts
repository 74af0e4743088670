// An independent float64 forward pass of a Llama-family model folder (config.json + safetensors,
// one file or shards), written from the architecture descriptions alone (Llama with optional
// biases and llama3/linear rotary scaling, Mistral's sliding window, Qwen2's q/k/v biases, Qwen3's
// per-head q/k RMSNorm): the yardstick for every engine's log-probabilities. Shares no code with src/.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ReferenceLayer {
  inputNorm: Float64Array;
  wq: Float64Array; // [heads*hd, hidden]
  wk: Float64Array; // [kvHeads*hd, hidden]
  wv: Float64Array;
  wo: Float64Array; // [hidden, heads*hd]
  postNorm: Float64Array;
  wGate: Float64Array; // [inter, hidden]
  wUp: Float64Array;
  wDown: Float64Array; // [hidden, inter]
  /** biases (zeros when the architecture has none) */
  bq: Float64Array;
  bk: Float64Array;
  bv: Float64Array;
  bo: Float64Array;
  bGate: Float64Array;
  bUp: Float64Array;
  bDown: Float64Array;
  /** Qwen3: RMSNorm weights over each head's query / key, else undefined */
  qNorm?: Float64Array;
  kNorm?: Float64Array;
  /** keys more than this many positions back are invisible, or null */
  slidingWindow: number | null;
}

export interface ReferenceModel {
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  inter: number;
  vocab: number;
  eps: number;
  /** rotary inverse frequencies (headDim / 2) */
  invFreq: number[];
  embed: Float64Array; // [vocab, hidden]
  layers: ReferenceLayer[];
  finalNorm: Float64Array;
  lmHead: Float64Array; // [vocab, hidden]; the embedding when tied
}

/** Reads every tensor of a safetensors file as float64 (F32, F16 and BF16 supported). */
function readSafetensors(path: string): Map<string, { shape: number[]; data: Float64Array }> {
  const buf = readFileSync(path);
  const headerLen = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + headerLen).toString('utf8')) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const base = 8 + headerLen;
  const out = new Map<string, { shape: number[]; data: Float64Array }>();
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [begin, end] = info.data_offsets;
    const bytes = buf.subarray(base + begin, base + end);
    const count = info.shape.reduce((a, b) => a * b, 1);
    const data = new Float64Array(count);
    const tmp = Buffer.alloc(4);
    for (let i = 0; i < count; i++) {
      if (info.dtype === 'F32') data[i] = bytes.readFloatLE(i * 4);
      else if (info.dtype === 'BF16') {
        tmp.writeUInt16LE(bytes.readUInt16LE(i * 2), 2);
        data[i] = tmp.readFloatLE(0);
      } else if (info.dtype === 'F16') data[i] = halfToNumber(bytes.readUInt16LE(i * 2));
      else throw new Error(`reference: unsupported dtype ${info.dtype} for ${name}`);
    }
    out.set(name, { shape: info.shape, data });
  }
  return out;
}

function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** model.safetensors, or every shard model.safetensors.index.json names. */
export function readWeights(dir: string): Map<string, { shape: number[]; data: Float64Array }> {
  const index = join(dir, 'model.safetensors.index.json');
  if (!existsSync(index)) return readSafetensors(join(dir, 'model.safetensors'));
  const shards = new Set(Object.values((JSON.parse(readFileSync(index, 'utf8')) as { weight_map: Record<string, string> }).weight_map));
  const all = new Map<string, { shape: number[]; data: Float64Array }>();
  for (const shard of shards) for (const [k, v] of readSafetensors(join(dir, shard))) all.set(k, v);
  return all;
}

/**
 * Rotary inverse frequencies: theta^(-2j/hd) (base values in float32, as transformers forms them),
 * then the scaling: "linear" divides every frequency by the factor; "llama3" divides the
 * low frequencies (wavelength above original_max / low_freq_factor) by the factor, keeps the high
 * ones (wavelength below original_max / high_freq_factor) and blends in between linearly in
 * original_max / wavelength.
 */
function inverseFrequencies(cfg: Record<string, any>, headDim: number): number[] {
  const scaling = cfg.rope_parameters ?? cfg.rope_scaling ?? {};
  const theta: number = scaling.rope_theta ?? cfg.rope_theta ?? 10000;
  const type: string = scaling.rope_type ?? scaling.type ?? 'default';
  const base = Array.from({ length: headDim / 2 }, (_, j) => Math.fround(1 / Math.fround(Math.pow(theta, Math.fround((2 * j) / headDim)))));
  if (type === 'default') return base;
  if (type === 'linear') return base.map((f) => f / scaling.factor);
  if (type !== 'llama3') throw new Error(`reference: rope type ${type}`);
  const { factor, low_freq_factor: low, high_freq_factor: high } = scaling;
  const original: number = scaling.original_max_position_embeddings ?? cfg.max_position_embeddings;
  return base.map((f) => {
    const wavelength = (2 * Math.PI) / f;
    if (wavelength < original / high) return f;
    if (wavelength > original / low) return f / factor;
    const smooth = (original / wavelength - low) / (high - low);
    return (1 - smooth) * (f / factor) + smooth * f;
  });
}

/** The sliding window of layer i, as Mistral (all layers) and Qwen2/3 (use_sliding_window) define it. */
function slidingWindowOf(cfg: Record<string, any>, architecture: string, layer: number): number | null {
  if (architecture === 'MistralForCausalLM') return cfg.sliding_window === undefined ? 4096 : cfg.sliding_window;
  if (architecture.startsWith('Qwen') && cfg.use_sliding_window === true) {
    const sliding = Array.isArray(cfg.layer_types) ? cfg.layer_types[layer] === 'sliding_attention' : layer >= (cfg.max_window_layers ?? 28);
    return sliding ? cfg.sliding_window : null;
  }
  return null;
}

export function loadReferenceModel(dir: string): ReferenceModel {
  const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, any>;
  const tensors = readWeights(dir);
  const architecture: string = cfg.architectures?.[0] ?? 'LlamaForCausalLM';
  const get = (name: string, shape: number[]): Float64Array => {
    const t = tensors.get(name);
    if (!t) throw new Error(`reference: missing tensor ${name}`);
    if (t.shape.join(',') !== shape.join(',')) {
      throw new Error(`reference: ${name} has shape [${t.shape}], expected [${shape}]`);
    }
    return t.data;
  };
  const hidden = cfg.hidden_size as number;
  const heads = cfg.num_attention_heads as number;
  const kvHeads = (cfg.num_key_value_heads as number | undefined) ?? heads;
  const headDim = (cfg.head_dim as number | undefined) ?? (architecture === 'Qwen3ForCausalLM' ? 128 : hidden / heads);
  const inter = cfg.intermediate_size as number;
  const vocab = cfg.vocab_size as number;
  const qkvBias = architecture === 'Qwen2ForCausalLM' || cfg.attention_bias === true;
  const oBias = architecture !== 'Qwen2ForCausalLM' && cfg.attention_bias === true;
  const mlpBias = cfg.mlp_bias === true;
  const bias = (name: string, size: number, present: boolean): Float64Array => (present ? get(name, [size]) : new Float64Array(size));
  const layers: ReferenceLayer[] = [];
  for (let i = 0; i < (cfg.num_hidden_layers as number); i++) {
    const p = `model.layers.${i}`;
    const qkNorm = architecture === 'Qwen3ForCausalLM';
    layers.push({
      bq: bias(`${p}.self_attn.q_proj.bias`, heads * headDim, qkvBias),
      bk: bias(`${p}.self_attn.k_proj.bias`, kvHeads * headDim, qkvBias),
      bv: bias(`${p}.self_attn.v_proj.bias`, kvHeads * headDim, qkvBias),
      bo: bias(`${p}.self_attn.o_proj.bias`, hidden, oBias),
      bGate: bias(`${p}.mlp.gate_proj.bias`, inter, mlpBias),
      bUp: bias(`${p}.mlp.up_proj.bias`, inter, mlpBias),
      bDown: bias(`${p}.mlp.down_proj.bias`, hidden, mlpBias),
      qNorm: qkNorm ? get(`${p}.self_attn.q_norm.weight`, [headDim]) : undefined,
      kNorm: qkNorm ? get(`${p}.self_attn.k_norm.weight`, [headDim]) : undefined,
      slidingWindow: slidingWindowOf(cfg, architecture, i),
      inputNorm: get(`${p}.input_layernorm.weight`, [hidden]),
      wq: get(`${p}.self_attn.q_proj.weight`, [heads * headDim, hidden]),
      wk: get(`${p}.self_attn.k_proj.weight`, [kvHeads * headDim, hidden]),
      wv: get(`${p}.self_attn.v_proj.weight`, [kvHeads * headDim, hidden]),
      wo: get(`${p}.self_attn.o_proj.weight`, [hidden, heads * headDim]),
      postNorm: get(`${p}.post_attention_layernorm.weight`, [hidden]),
      wGate: get(`${p}.mlp.gate_proj.weight`, [inter, hidden]),
      wUp: get(`${p}.mlp.up_proj.weight`, [inter, hidden]),
      wDown: get(`${p}.mlp.down_proj.weight`, [hidden, inter]),
    });
  }
  const embed = get('model.embed_tokens.weight', [vocab, hidden]);
  const tied = cfg.tie_word_embeddings === true;
  return {
    hidden,
    heads,
    kvHeads,
    headDim,
    inter,
    vocab,
    eps: (cfg.rms_norm_eps as number | undefined) ?? 1e-6,
    invFreq: inverseFrequencies(cfg, headDim),
    embed,
    layers,
    finalNorm: get('model.norm.weight', [hidden]),
    lmHead: tied ? embed : get('lm_head.weight', [vocab, hidden]),
  };
}

/** y = W·x (+ b) for W [rows, cols] stored row-major. */
function matVec(w: Float64Array, x: Float64Array, rows: number, cols: number, b?: Float64Array): Float64Array {
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = b ? b[r]! : 0;
    const off = r * cols;
    for (let c = 0; c < cols; c++) s += w[off + c]! * x[c]!;
    y[r] = s;
  }
  return y;
}

function rmsNorm(x: Float64Array, weight: Float64Array, eps: number): Float64Array {
  let ss = 0;
  for (const v of x) ss += v * v;
  const inv = 1 / Math.sqrt(ss / x.length + eps);
  return x.map((v, i) => v * inv * weight[i]!);
}

/**
 * Hugging Face rotary convention: pairs (j, j + hd/2) rotate by angle p·theta^(-2j/hd). The model's
 * definition (transformers' LlamaRotaryEmbedding) forms inv_freq and the angle in float32, so the
 * reference does too; everything after the angle is float64.
 */
function applyRope(vec: Float64Array, offset: number, headDim: number, position: number, invFreq: number[]): void {
  const half = headDim / 2;
  for (let j = 0; j < half; j++) {
    const angle = Math.fround(Math.fround(position) * Math.fround(invFreq[j]!));
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    const a = vec[offset + j]!;
    const b = vec[offset + j + half]!;
    vec[offset + j] = a * c - b * s;
    vec[offset + j + half] = b * c + a * s;
  }
}

/**
 * Log-softmax over the vocabulary at every position of one unpadded sequence (positions 0..n-1):
 * row t is log p(next token | tokenIds[0..t]).
 */
export function referenceLogprobs(model: ReferenceModel, tokenIds: number[]): Float64Array[] {
  const { hidden, heads, kvHeads, headDim, inter, vocab, eps, invFreq } = model;
  const n = tokenIds.length;
  const group = heads / kvHeads;
  let xs: Float64Array[] = tokenIds.map((id) => {
    if (!Number.isInteger(id) || id < 0 || id >= vocab) throw new Error(`reference: token id ${id} out of range`);
    return model.embed.slice(id * hidden, (id + 1) * hidden);
  });

  for (const layer of model.layers) {
    const qs: Float64Array[] = [];
    const ks: Float64Array[] = [];
    const vs: Float64Array[] = [];
    for (let t = 0; t < n; t++) {
      const xn = rmsNorm(xs[t]!, layer.inputNorm, eps);
      const q = matVec(layer.wq, xn, heads * headDim, hidden, layer.bq);
      const k = matVec(layer.wk, xn, kvHeads * headDim, hidden, layer.bk);
      if (layer.qNorm) for (let h = 0; h < heads; h++) q.set(rmsNorm(q.subarray(h * headDim, (h + 1) * headDim), layer.qNorm, eps), h * headDim);
      if (layer.kNorm) for (let h = 0; h < kvHeads; h++) k.set(rmsNorm(k.subarray(h * headDim, (h + 1) * headDim), layer.kNorm, eps), h * headDim);
      for (let h = 0; h < heads; h++) applyRope(q, h * headDim, headDim, t, invFreq);
      for (let h = 0; h < kvHeads; h++) applyRope(k, h * headDim, headDim, t, invFreq);
      qs.push(q);
      ks.push(k);
      vs.push(matVec(layer.wv, xn, kvHeads * headDim, hidden, layer.bv));
    }
    const next: Float64Array[] = [];
    for (let t = 0; t < n; t++) {
      const attn = new Float64Array(heads * headDim);
      for (let h = 0; h < heads; h++) {
        const g = Math.floor(h / group);
        // keys s with t - s >= window are outside a sliding window (scores stay -Infinity -> weight 0)
        const first = layer.slidingWindow === null ? 0 : Math.max(0, t - layer.slidingWindow + 1);
        const scores = new Float64Array(t + 1).fill(-Infinity);
        let max = -Infinity;
        for (let s = first; s <= t; s++) {
          let dot = 0;
          for (let d = 0; d < headDim; d++) dot += qs[t]![h * headDim + d]! * ks[s]![g * headDim + d]!;
          scores[s] = dot / Math.sqrt(headDim);
          max = Math.max(max, scores[s]!);
        }
        let total = 0;
        for (let s = first; s <= t; s++) {
          scores[s] = Math.exp(scores[s]! - max);
          total += scores[s]!;
        }
        for (let s = first; s <= t; s++) {
          const p = scores[s]! / total;
          for (let d = 0; d < headDim; d++) attn[h * headDim + d]! += p * vs[s]![g * headDim + d]!;
        }
      }
      const attnOut = matVec(layer.wo, attn, hidden, heads * headDim, layer.bo);
      const afterAttn = xs[t]!.map((v, i) => v + attnOut[i]!);
      const yn = rmsNorm(afterAttn, layer.postNorm, eps);
      const gate = matVec(layer.wGate, yn, inter, hidden, layer.bGate);
      const up = matVec(layer.wUp, yn, inter, hidden, layer.bUp);
      const act = gate.map((gv, i) => (gv / (1 + Math.exp(-gv))) * up[i]!);
      const down = matVec(layer.wDown, act, hidden, inter, layer.bDown);
      next.push(afterAttn.map((v, i) => v + down[i]!));
    }
    xs = next;
  }

  return xs.map((x) => {
    const logits = matVec(model.lmHead, rmsNorm(x, model.finalNorm, eps), vocab, hidden);
    let max = -Infinity;
    for (const v of logits) max = Math.max(max, v);
    let total = 0;
    for (const v of logits) total += Math.exp(v - max);
    const logZ = max + Math.log(total);
    return logits.map((v) => v - logZ);
  });
}

/**
 * The reference log-prob of each token of `continuation`, scored at the end of `input` as the
 * engines score it (its last token predicted from the last position of `input`).
 */
export function referenceContinuationLogprobs(model: ReferenceModel, input: number[], continuation: number[]): number[] {
  const rows = referenceLogprobs(model, input);
  return continuation.map((token, k) => rows[input.length - continuation.length + k]![token]!);
}

/** The sum of referenceContinuationLogprobs: a request's log-likelihood. */
export function referenceContinuationLogprob(model: ReferenceModel, input: number[], continuation: number[]): number {
  return referenceContinuationLogprobs(model, input, continuation).reduce((a, b) => a + b, 0);
}
