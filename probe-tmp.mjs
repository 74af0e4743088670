import { openGgufFile } from './dist/engines/llamacpp/factory.js';
import { readGgufHeader } from './dist/engines/llamacpp/gguf-file.js';
import { OnnxEngine } from './dist/engines/onnx/engine.js';
import { selfCheckTokens } from './dist/engines/llamacpp/self-check.js';
import { readFileSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
const dir = '/tmp/gg/tiny';
const onnx = await OnnxEngine.load(dir);
const toks = selfCheckTokens(onnx.tokenizer);
const ref = (await onnx.scoreBatch([{ input: toks.slice(0, -1), continuations: [toks.slice(1)] }]))[0][0].tokenLogprobs;
function swapped(f, a, b) {
  const h = readGgufHeader(`${dir}/${f}`); const buf = readFileSync(`${dir}/${f}`);
  const ta = h.tensors.find(t => t.name === a), tb = h.tensors.find(t => t.name === b);
  const A = Buffer.from(buf.subarray(h.dataOffset + ta.offset, h.dataOffset + ta.offset + ta.bytes));
  buf.copy(buf, h.dataOffset + ta.offset, h.dataOffset + tb.offset, h.dataOffset + tb.offset + tb.bytes); A.copy(buf, h.dataOffset + tb.offset);
  const out = `/tmp/gg/swap-${a}-${b}-${f}`; writeFileSync(out, buf); return out;
}
for (const f of ['model.gguf', 'model-f16.gguf', 'model-q8_0.gguf']) for (const [a, b] of [['blk.0.ffn_gate.weight','blk.0.ffn_up.weight'], ['blk.1.attn_q.weight','blk.1.attn_output.weight'], ['blk.0.attn_norm.weight','blk.0.ffn_norm.weight'], ['blk.1.ffn_gate.weight','blk.1.ffn_up.weight']]) {
  const p = swapped(f, a, b);
  const e = await openGgufFile(p, { selfCheckDir: '/tmp/gg/sc2', referenceCheck: false });
  const got = (await e.scoreBatch([{ input: toks.slice(0, -1), continuations: [toks.slice(1)] }]))[0][0].tokenLogprobs;
  let max = 0, sum=0; got.forEach((g, i) => { max = Math.max(max, Math.abs(g - ref[i])); sum += Math.abs(g-ref[i]); });
  console.log(f, a, b, 'max', max.toFixed(3), 'mean', (sum/got.length).toFixed(3));
  await e.close();
}
await onnx.close();
