// make-model's GGUF files read back with the header reader: llama.cpp's names and metadata, the
// embedded tokenizer, and tensor data equal to model.safetensors (q/k rows in llama.cpp's
// interleaved rotary order; f16 and q8_0 within their rounding of the same values).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readGgufHeader, type GgufHeader } from '../../../src/engines/llamacpp/gguf-file.js';
import { GgmlType } from '../../../src/engines/llamacpp/gguf-format.js';
import { ggufTensorName, permuteRotaryRows } from '../../../src/models/gguf/llama-gguf.js';
import { fromQ8_0Bytes } from '../../../src/models/gguf/quantize.js';
import { halfToFloat } from '../../../src/models/half.js';
import { tinyGgufModel } from '../../helpers/gguf-model.js';

let dir: string;
let f32: GgufHeader;

beforeAll(async () => {
  dir = await tinyGgufModel();
  f32 = readGgufHeader(join(dir, 'model.gguf'));
});

function safetensor(name: string): { shape: number[]; data: Float32Array } {
  const buf = readFileSync(join(dir, 'model.safetensors'));
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8')) as Record<string, { shape: number[]; data_offsets: [number, number] }>;
  const t = header[name]!;
  const bytes = buf.subarray(8 + n + t.data_offsets[0], 8 + n + t.data_offsets[1]);
  return { shape: t.shape, data: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)) };
}

function ggufBytes(file: string, h: GgufHeader, name: string): Buffer {
  const t = h.tensors.find((x) => x.name === name)!;
  return readFileSync(join(dir, file)).subarray(h.dataOffset + t.offset, h.dataOffset + t.offset + t.bytes);
}

function asFloat32(b: Buffer): Float32Array {
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
}

describe('permuteRotaryRows', () => {
  it("moves HF's rotary pairs (j, j+hd/2) next to each other, per head", () => {
    // 2 heads of head_dim 4, one column: rows 0..7
    const rows = Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
    expect([...permuteRotaryRows(rows, 2, 1)]).toEqual([0, 2, 1, 3, 4, 6, 5, 7]);
    // whole rows move: 1 head, head_dim 2, rows of length 3
    expect([...permuteRotaryRows(Float32Array.from([1, 2, 3, 4, 5, 6]), 1, 3)]).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('model.gguf (f32)', () => {
  it("carries llama.cpp's architecture metadata", () => {
    const m = f32.metadata;
    expect(m.get('general.architecture')).toBe('llama');
    expect(m.get('general.file_type')).toBe(0);
    expect(m.get('llama.embedding_length')).toBe(64);
    expect(m.get('llama.block_count')).toBe(2);
    expect(m.get('llama.feed_forward_length')).toBe(128);
    expect(m.get('llama.attention.head_count')).toBe(4);
    expect(m.get('llama.attention.head_count_kv')).toBe(2);
    expect(m.get('llama.rope.dimension_count')).toBe(16);
    expect(m.get('llama.rope.freq_base')).toBe(10000);
    expect(m.get('llama.attention.layer_norm_rms_epsilon')).toBeCloseTo(1e-5, 10);
    expect(m.get('llama.context_length')).toBe(2048);
  });

  it('embeds the tokenizer of tokenizer.json', () => {
    const tj = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number>; merges: string[] } };
    const tokens = f32.metadata.get('tokenizer.ggml.tokens') as string[];
    expect(tokens.length).toBe(Object.keys(tj.model.vocab).length);
    for (const [token, id] of Object.entries(tj.model.vocab)) expect(tokens[id]).toBe(token);
    expect(f32.metadata.get('tokenizer.ggml.merges')).toEqual(tj.model.merges);
    expect(f32.metadata.get('tokenizer.ggml.model')).toBe('gpt2');
    expect((f32.metadata.get('tokenizer.ggml.token_type') as number[]).slice(0, 4)).toEqual([3, 3, 3, 1]);
    expect(f32.metadata.get('tokenizer.ggml.bos_token_id')).toBe(0);
    expect(f32.metadata.get('tokenizer.ggml.add_bos_token')).toBe(true);
  });

  it('holds every weight of model.safetensors under its llama.cpp name, q and k rows permuted', () => {
    const names = f32.tensors.map((t) => t.name);
    expect(names).toHaveLength(1 + 2 * 9 + 1);
    expect(names).not.toContain('output.weight'); // tied embeddings
    for (const t of f32.tensors) expect(t.type).toBe(GgmlType.F32);
    const hfNames = ['model.embed_tokens.weight', 'model.norm.weight'];
    for (let i = 0; i < 2; i++) {
      for (const p of ['input_layernorm', 'self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj', 'post_attention_layernorm', 'mlp.gate_proj', 'mlp.up_proj', 'mlp.down_proj']) {
        hfNames.push(`model.layers.${i}.${p}.weight`);
      }
    }
    for (const hf of hfNames) {
      const src = safetensor(hf);
      const name = ggufTensorName(hf);
      const info = f32.tensors.find((t) => t.name === name)!;
      expect(info.dims, name).toEqual([...src.shape].reverse());
      const got = asFloat32(ggufBytes('model.gguf', f32, name));
      const heads = hf.includes('q_proj') ? 4 : hf.includes('k_proj') ? 2 : 0;
      if (heads === 0) {
        expect(got, name).toEqual(src.data);
        continue;
      }
      // llama.cpp row 2j+s of a head is HF row s*hd/2+j of that head
      const hd = 16;
      const cols = src.shape[1]!;
      for (let h = 0; h < heads; h++) {
        for (let j = 0; j < hd / 2; j++) {
          for (let s = 0; s < 2; s++) {
            const llamaRow = h * hd + 2 * j + s;
            const hfRow = h * hd + s * (hd / 2) + j;
            expect(got.subarray(llamaRow * cols, (llamaRow + 1) * cols)).toEqual(src.data.subarray(hfRow * cols, (hfRow + 1) * cols));
          }
        }
      }
    }
  });
});

describe('f16 and q8_0 variants', () => {
  it('store 2-D weights as f16 / q8_0 and norms as f32, within rounding of the f32 values', () => {
    const f16 = readGgufHeader(join(dir, 'model-f16.gguf'));
    const q8 = readGgufHeader(join(dir, 'model-q8_0.gguf'));
    expect(f16.metadata.get('general.file_type')).toBe(1);
    expect(q8.metadata.get('general.file_type')).toBe(7);
    for (const t of f32.tensors) {
      const exact = asFloat32(ggufBytes('model.gguf', f32, t.name));
      const half = f16.tensors.find((x) => x.name === t.name)!;
      const q = q8.tensors.find((x) => x.name === t.name)!;
      if (t.dims.length === 1) {
        expect(half.type).toBe(GgmlType.F32);
        expect(q.type).toBe(GgmlType.F32);
        continue;
      }
      expect(half.type).toBe(GgmlType.F16);
      expect(q.type).toBe(GgmlType.Q8_0);
      const hb = ggufBytes('model-f16.gguf', f16, t.name);
      for (let i = 0; i < exact.length; i += 97) {
        expect(Math.abs(halfToFloat(hb.readUInt16LE(i * 2)) - exact[i]!)).toBeLessThanOrEqual(Math.abs(exact[i]!) * 2 ** -11 + 2 ** -25);
      }
      const deq = fromQ8_0Bytes(ggufBytes('model-q8_0.gguf', q8, t.name));
      for (let b = 0; b < exact.length / 32; b++) {
        let amax = 0;
        for (let j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(exact[b * 32 + j]!));
        for (let j = 0; j < 32; j++) expect(Math.abs(deq[b * 32 + j]! - exact[b * 32 + j]!)).toBeLessThanOrEqual((amax / 127) * (0.5 + 127 * 2 ** -11)); // half a step, plus the f16 rounding of the scale times 127
      }
    }
  });
});
