import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.warn, progressLogs: false });
const model = await llama.loadModel({ modelPath: '/tmp/gg/tiny/model.gguf', gpuLayers: 0 });
for (const [cs, ns, th] of [[2048,4,2],[2048,4,1],[2048,4,2],[2048,4,1],[256,1,2]]) {
const ctx = await model.createContext({ contextSize: cs, sequences: ns, flashAttention: false, experimentalKvCacheKeyType: 'F32', experimentalKvCacheValueType: 'F32', threads: th });
const seq = ctx.getSequence();
const toks = Array.from(model.tokenize('The quick brown fox jumps over the lazy dog and', true));
let cur = [...toks];
await seq.controlledEvaluate(cur.slice(0, -1));
let t0 = Date.now();
for (let i = 0; i < 10; i++) {
  const out = await seq.controlledEvaluate([[cur.at(-1), { generateNext: { token: true } }]]);
  cur.push(out[0].next.token);
}
console.log(cs, ns, th, '10 steps ms', Date.now() - t0);
await ctx.dispose();
}
