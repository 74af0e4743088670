// Remote scoring throughput: the same LAMBADA requests scored by the ONNX engine directly and by
// the openai engine against a `yardstick serve` child process, at several client concurrencies.
// Prints one JSON line per configuration: the median of --rounds rounds (requests/s, input tokens/s),
// HTTP calls and retries, and the largest |Δ logprob| against the direct engine.
// Run through bench/remote/run.sh; by hand:
//   node dist/bench/bench/remote/bench.js --model DIR --data FILE --docs N --threads T --concurrency 1,8,32 --batch 1,16 --rounds 3
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { OnnxEngine } from '../../src/engines/onnx/engine.js';
import { openEngine } from '../../src/engines/registry.js';
import { scoreAll } from '../../src/engines/scheduler.js';
import type { Engine, ScoreRequest, ScoreResult } from '../../src/engines/types.js';
import { encodePair, toScoreRequest } from '../../src/requests/tokenize.js';
import { arg } from '../common/args.js';

const modelDir = arg('--model');
const docs = Number(arg('--docs', '64'));
const threads = Number(arg('--threads', '2'));
const concurrencies = arg('--concurrency', '1,8,32').split(',').map(Number);
const batches = arg('--batch', '1,16').split(',').map(Number);
const rounds = Number(arg('--rounds', '3'));
const BIN = resolve(import.meta.dirname, '..', '..', '..', '..', 'bin', 'yardstick.js');

// LAMBADA as lm-eval asks it: the text up to the last word, then " word"
const texts = readFileSync(arg('--data'), 'utf8').trim().split('\n').slice(0, docs).map((l) => (JSON.parse(l) as { text: string }).text);
const direct = await OnnxEngine.load(modelDir, { threads });
const requests: ScoreRequest[] = texts.map((t) => {
  const at = t.lastIndexOf(' ');
  return toScoreRequest(encodePair(direct.tokenizer, t.slice(0, at), t.slice(at), { bos: 'tokenizer', maxLength: direct.maxLength }), direct.maxLength, 'lambada');
});
const tokens = requests.reduce((a, r) => a + r.input.length, 0);

interface Config {
  label: Record<string, unknown>;
  engine: () => Promise<Engine>;
  batchSize: number;
  keep: boolean;
}

// the server: its own process, as it would run on another machine
const serve = spawn(process.execPath, [BIN, 'serve', '--model', `onnx:${modelDir}`, '--model-args', `threads=${threads}`, '--served-model-name', 'bench', '--port', '0'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((ok, fail) => {
  let out = '';
  serve.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
    const m = /at (http:\/\/\S+)/.exec(out);
    if (m) ok(m[1]!);
  });
  serve.once('exit', (code) => fail(new Error(`serve exited with ${code}`)));
});

const configs: Config[] = [
  ...[1, 32].map((batchSize) => ({ label: { side: 'direct onnx', batchSize }, engine: async () => direct, batchSize, keep: true })),
  ...batches.flatMap((batch) =>
    concurrencies.map((concurrency) => ({
      label: { side: 'openai -> serve', concurrency, promptsPerCall: batch },
      engine: () => openEngine({ engine: 'openai', args: { pretrained: url, tokenizer: modelDir, concurrency: String(concurrency), batch: String(batch) } }),
      batchSize: 1,
      keep: false,
    })),
  ),
];

// rounds run every configuration in turn, so load from other processes on a shared machine falls
// on all of them alike; each configuration reports its median round
const seconds: number[][] = configs.map(() => []);
const calls: number[] = configs.map(() => 0);
const retries: number[] = configs.map(() => 0);
let reference: ScoreResult[] | undefined;
const maxDiff: number[] = configs.map(() => 0);
try {
  await scoreAll(direct, requests.slice(0, 2), 1); // warm-up: first-call set-up stays out of the timing
  for (let round = 0; round < rounds; round++) {
    for (const [i, config] of configs.entries()) {
      const engine = await config.engine();
      await scoreAll(engine, requests.slice(0, 2), 1);
      const t0 = performance.now();
      const results = await scoreAll(engine, requests, config.batchSize);
      seconds[i]!.push((performance.now() - t0) / 1000);
      reference ??= results;
      maxDiff[i] = Math.max(maxDiff[i]!, ...results.map((r, k) => Math.abs(r.logprob - reference![k]!.logprob)));
      const stats = engine.stats?.() ?? {};
      calls[i]! += stats.http_calls ?? 0;
      retries[i]! += stats.retries ?? 0;
      if (!config.keep) await engine.close();
    }
  }
} finally {
  serve.kill('SIGTERM');
  await direct.close();
}
configs.forEach((config, i) => {
  const sorted = [...seconds[i]!].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const line = {
    ...config.label,
    requests: requests.length,
    inputTokens: tokens,
    rounds,
    medianSeconds: +median.toFixed(3),
    requestsPerSecond: +(requests.length / median).toFixed(2),
    tokensPerSecond: Math.round(tokens / median),
    ...(config.keep ? {} : { httpCallsPerRound: calls[i]! / rounds, retries: retries[i] }),
    maxAbsDiff: maxDiff[i],
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
});
