// An independent float64 forward pass of a Llama-architecture model folder (config.json +
// model.safetensors), written from the architecture description alone: the yardstick for
// every engine's log-probabilities. Shares no code with src/.
import { readFileSync } from 'node:fs';
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
}

export interface ReferenceModel {
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  inter: number;
  vocab: number;
  eps: number;
  theta: number;
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

export function loadReferenceModel(dir: string): ReferenceModel {
  const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, number | boolean>;
  const tensors = readSafetensors(join(dir, 'model.safetensors'));
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
  const headDim = (cfg.head_dim as number | undefined) ?? hidden / heads;
  const inter = cfg.intermediate_size as number;
  const vocab = cfg.vocab_size as number;
  const layers: ReferenceLayer[] = [];
  for (let i = 0; i < (cfg.num_hidden_layers as number); i++) {
    const p = `model.layers.${i}`;
    layers.push({
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
  const tied = cfg.tie_word_embeddings !== false || !tensors.has('lm_head.weight');
  return {
    hidden,
    heads,
    kvHeads,
    headDim,
    inter,
    vocab,
    eps: cfg.rms_norm_eps as number,
    theta: (cfg.rope_theta as number | undefined) ?? 10000,
    embed,
    layers,
    finalNorm: get('model.norm.weight', [hidden]),
    lmHead: tied ? embed : get('lm_head.weight', [vocab, hidden]),
  };
}

/** y = W·x for W [rows, cols] stored row-major. */
function matVec(w: Float64Array, x: Float64Array, rows: number, cols: number): Float64Array {
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
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
function applyRope(vec: Float64Array, offset: number, headDim: number, position: number, theta: number): void {
  const half = headDim / 2;
  for (let j = 0; j < half; j++) {
    const invFreq = Math.fround(1 / Math.fround(Math.pow(theta, Math.fround((2 * j) / headDim))));
    const angle = Math.fround(Math.fround(position) * invFreq);
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
  const { hidden, heads, kvHeads, headDim, inter, vocab, eps, theta } = model;
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
      const q = matVec(layer.wq, xn, heads * headDim, hidden);
      const k = matVec(layer.wk, xn, kvHeads * headDim, hidden);
      for (let h = 0; h < heads; h++) applyRope(q, h * headDim, headDim, t, theta);
      for (let h = 0; h < kvHeads; h++) applyRope(k, h * headDim, headDim, t, theta);
      qs.push(q);
      ks.push(k);
      vs.push(matVec(layer.wv, xn, kvHeads * headDim, hidden));
    }
    const next: Float64Array[] = [];
    for (let t = 0; t < n; t++) {
      const attn = new Float64Array(heads * headDim);
      for (let h = 0; h < heads; h++) {
        const g = Math.floor(h / group);
        const scores = new Float64Array(t + 1);
        let max = -Infinity;
        for (let s = 0; s <= t; s++) {
          let dot = 0;
          for (let d = 0; d < headDim; d++) dot += qs[t]![h * headDim + d]! * ks[s]![g * headDim + d]!;
          scores[s] = dot / Math.sqrt(headDim);
          max = Math.max(max, scores[s]!);
        }
        let total = 0;
        for (let s = 0; s <= t; s++) {
          scores[s] = Math.exp(scores[s]! - max);
          total += scores[s]!;
        }
        for (let s = 0; s <= t; s++) {
          const p = scores[s]! / total;
          for (let d = 0; d < headDim; d++) attn[h * headDim + d]! += p * vs[s]![g * headDim + d]!;
        }
      }
      const attnOut = matVec(layer.wo, attn, hidden, heads * headDim);
      const afterAttn = xs[t]!.map((v, i) => v + attnOut[i]!);
      const yn = rmsNorm(afterAttn, layer.postNorm, eps);
      const gate = matVec(layer.wGate, yn, inter, hidden);
      const up = matVec(layer.wUp, yn, inter, hidden);
      const act = gate.map((gv, i) => (gv / (1 + Math.exp(-gv))) * up[i]!);
      const down = matVec(layer.wDown, act, hidden, inter);
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
