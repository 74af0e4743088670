// An independent float64 forward pass of a GPT2LMHeadModel folder, written from the architecture
// description: learned positions, pre-LayerNorm blocks, fused q/k/v Conv1D (y = x·W + b with W
// stored [in, out]), gelu_new, tied head. Shares no code with src/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWeights } from './reference-llama.js';

export interface Gpt2Reference {
  logprobs(tokenIds: number[]): Float64Array[];
}

export function loadGpt2Reference(dir: string): Gpt2Reference {
  const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, any>;
  const tensors = readWeights(dir);
  const get = (name: string): Float64Array => {
    const t = tensors.get(`transformer.${name}`) ?? tensors.get(name);
    if (!t) throw new Error(`reference: missing tensor ${name}`);
    return t.data;
  };
  const H: number = cfg.n_embd;
  const heads: number = cfg.n_head;
  const hd = H / heads;
  const inner: number = cfg.n_inner ?? 4 * H;
  const V: number = cfg.vocab_size;
  const eps: number = cfg.layer_norm_epsilon ?? 1e-5;
  const wte = get('wte.weight');
  const wpe = get('wpe.weight');
  const head = cfg.tie_word_embeddings === false ? tensors.get('lm_head.weight')!.data : wte;

  const layerNorm = (x: Float64Array, w: Float64Array, b: Float64Array): Float64Array => {
    const mean = x.reduce((a, v) => a + v, 0) / x.length;
    const variance = x.reduce((a, v) => a + (v - mean) ** 2, 0) / x.length;
    const inv = 1 / Math.sqrt(variance + eps);
    return x.map((v, i) => (v - mean) * inv * w[i]! + b[i]!);
  };
  // x [in] · W [in, out] + b
  const conv1d = (x: Float64Array, w: Float64Array, b: Float64Array, out: number): Float64Array => {
    const y = Float64Array.from(b);
    for (let i = 0; i < x.length; i++) {
      const xi = x[i]!;
      for (let o = 0; o < out; o++) y[o]! += xi * w[i * out + o]!;
    }
    return y;
  };
  const geluNew = (v: number): number => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));

  return {
    logprobs(tokenIds) {
      let xs = tokenIds.map((id, t) => Float64Array.from({ length: H }, (_, i) => wte[id * H + i]! + wpe[t * H + i]!));
      for (let l = 0; l < cfg.n_layer; l++) {
        const p = `h.${l}`;
        const qkv = xs.map((x) => conv1d(layerNorm(x, get(`${p}.ln_1.weight`), get(`${p}.ln_1.bias`)), get(`${p}.attn.c_attn.weight`), get(`${p}.attn.c_attn.bias`), 3 * H));
        xs = xs.map((x, t) => {
          const attn = new Float64Array(H);
          for (let h = 0; h < heads; h++) {
            const scores = Array.from({ length: t + 1 }, (_, s) => {
              let dot = 0;
              for (let d = 0; d < hd; d++) dot += qkv[t]![h * hd + d]! * qkv[s]![H + h * hd + d]!;
              return dot / Math.sqrt(hd);
            });
            const max = Math.max(...scores);
            const weights = scores.map((s) => Math.exp(s - max));
            const total = weights.reduce((a, b) => a + b, 0);
            weights.forEach((w, s) => {
              for (let d = 0; d < hd; d++) attn[h * hd + d]! += (w / total) * qkv[s]![2 * H + h * hd + d]!;
            });
          }
          const afterAttn = x.map((v, i) => v + conv1d(attn, get(`${p}.attn.c_proj.weight`), get(`${p}.attn.c_proj.bias`), H)[i]!);
          const hidden = conv1d(layerNorm(afterAttn, get(`${p}.ln_2.weight`), get(`${p}.ln_2.bias`)), get(`${p}.mlp.c_fc.weight`), get(`${p}.mlp.c_fc.bias`), inner).map(geluNew);
          const mlp = conv1d(hidden, get(`${p}.mlp.c_proj.weight`), get(`${p}.mlp.c_proj.bias`), H);
          return afterAttn.map((v, i) => v + mlp[i]!);
        });
      }
      return xs.map((x) => {
        const final = layerNorm(x, get('ln_f.weight'), get('ln_f.bias'));
        const logits = Float64Array.from({ length: V }, (_, v) => {
          let s = 0;
          for (let i = 0; i < H; i++) s += final[i]! * head[v * H + i]!;
          return s;
        });
        const max = Math.max(...logits);
        const logZ = max + Math.log(logits.reduce((a, v) => a + Math.exp(v - max), 0));
        return logits.map((v) => v - logZ);
      });
    },
  };
}
