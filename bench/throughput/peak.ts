// The machine's yardsticks for the throughput bench: the fp32 GEMM peak (the fastest square MatMul
// of 2048, 1024 or 512 in onnxruntime) and the model's forward-only tokens/s on one fixed batch (LM head on one row each),
// with its share of that peak in useful FLOPs (2 × non-embedding parameters × tokens). One JSON line.
//   node dist/bench/bench/throughput/peak.js --model DIR [--threads 2] [--repeat 5] [--side peak]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { arg } from '../common/args.js';
import { matMulModel, openCpuSession } from '../common/onnx.js';
import { fastestSeconds, loadAverage } from '../common/timing.js';
import { nonEmbeddingParameters } from './model_flops.js';

const modelDir = arg('--model');
const threads = Number(arg('--threads', '2'));
const repeat = Number(arg('--repeat', '5'));
/** the line's side: 'peak' for the bench's model; another preset's forward-only line for the projection */
const side = arg('--side', 'peak');

async function best(run: () => Promise<unknown>): Promise<number> {
  await run(); // warm-up
  return fastestSeconds(repeat, run);
}

// 1. fp32 GEMM peak: the fastest of square MatMuls of 2048, 1024 and 512. 2048² alone (48 MiB of
// operands, more than the L3 cache) measured 132-137 GFLOP/s in runs where the model itself reached
// 115-128 % of that, neighbours sharing the cache; a smaller square keeps its operands in cache.
let gemmGflops = 0;
const gemmSizes: Record<string, number> = {};
for (const N of [2048, 1024, 512]) {
  const gemm = await openCpuSession(
    matMulModel({ graph: 'gemm', input: { name: 'x', dims: [N, N] }, weight: { name: 'w', rows: N, cols: N }, output: { name: 'y', dims: [N, N] } }),
    threads,
  );
  const x = new ort.Tensor('float32', new Float32Array(N * N).map((_, i) => Math.cos(i)), [N, N]);
  const gflops = (2 * N ** 3) / (await best(() => gemm.run({ x }))) / 1e9;
  await gemm.release();
  gemmSizes[String(N)] = gflops;
  gemmGflops = Math.max(gemmGflops, gflops);
}

// 2. forward only: 8 rows x 256 tokens, logits at each row's last position
const config = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as Record<string, number>;
const B = 8;
const T = 256;
const model = await openCpuSession(join(modelDir, 'onnx', 'model.onnx'), threads);
const int64 = (f: (i: number) => number, dims: number[]): ort.Tensor =>
  new ort.Tensor('int64', BigInt64Array.from({ length: dims.reduce((a, d) => a * d, 1) }, (_, i) => BigInt(f(i))), dims);
const feeds: Record<string, ort.Tensor> = {
  input_ids: int64((i) => (i * 7919) % 400, [B, T]),
  attention_mask: int64(() => 1, [B, T]),
  position_ids: int64((i) => i % T, [B, T]),
};
if (model.inputNames.includes('score_positions')) feeds.score_positions = int64((b) => b * T + T - 1, [B]);
const forwardSeconds = await best(() => model.run(feeds));
await model.release();
const nonEmbedding = nonEmbeddingParameters(config);
const forwardTokensPerSecond = (B * T) / forwardSeconds;
process.stdout.write(
  JSON.stringify({
    side,
    threads,
    gemmGflops,
    gemmGflopsBySize: gemmSizes,
    forwardBatch: `${B}x${T}`,
    forwardTokensPerSecond,
    nonEmbeddingParameters: nonEmbedding,
    forwardShareOfPeak: (2 * nonEmbedding * forwardTokensPerSecond) / (gemmGflops * 1e9),
    loadAverage: loadAverage(),
  }) + '\n',
);
