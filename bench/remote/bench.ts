// Remote scoring throughput: the same LAMBADA requests scored by the ONNX engine directly and by
// the openai engine against a `yardstick serve` child process, at several client concurrencies.
// Prints one JSON line per configuration (requests/s, input tokens/s, max |Δ logprob| vs direct).
// Run through bench/remote/run.sh; by hand:
//   node dist/bench/bench/remote/bench.js --model DIR --data FILE --docs N --threads T --concurrency 1,8,32
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { OnnxEngine } from '../../src/engines/onnx/engine.js';
import { openEngine } from '../../src/engines/registry.js';
import { scoreAll } from '../../src/engines/scheduler.js';
import type { Engine, ScoreRequest, ScoreResult } from '../../src/engines/types.js';
import { encodePair, toScoreRequest } from '../../src/requests/tokenize.js';

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`missing ${name}`);
  return v;
}

const modelDir = arg('--model');
const docs = Number(arg('--docs', '64'));
const threads = Number(arg('--threads', '2'));
const concurrencies = arg('--concurrency', '1,8,32').split(',').map(Number);
const batches = arg('--batch', '1,16').split(',').map(Number);
const BIN = resolve(import.meta.dirname, '..', '..', '..', '..', 'bin', 'yardstick.js');

// LAMBADA as lm-eval asks it: the text up to the last word, then " word"
const texts = readFileSync(arg('--data'), 'utf8').trim().split('\n').slice(0, docs).map((l) => (JSON.parse(l) as { text: string }).text);
const direct = await OnnxEngine.load(modelDir, { threads });
const requests: ScoreRequest[] = texts.map((t) => {
  const at = t.lastIndexOf(' ');
  return toScoreRequest(encodePair(direct.tokenizer, t.slice(0, at), t.slice(at), { bos: 'tokenizer', maxLength: direct.maxLength }), direct.maxLength, 'lambada');
});
const tokens = requests.reduce((a, r) => a + r.input.length, 0);

async function timed(engine: Engine, batchSize: number): Promise<{ seconds: number; results: ScoreResult[] }> {
  await scoreAll(engine, requests.slice(0, 2), 1); // warm-up: first-call set-up stays out of the timing
  const t0 = performance.now();
  const results = await scoreAll(engine, requests, batchSize);
  return { seconds: (performance.now() - t0) / 1000, results };
}

function report(row: Record<string, unknown>, seconds: number, results: ScoreResult[], reference?: ScoreResult[]): void {
  const maxDiff = reference ? Math.max(...results.map((r, i) => Math.abs(r.logprob - reference[i]!.logprob))) : 0;
  const line = { ...row, requests: requests.length, inputTokens: tokens, seconds: +seconds.toFixed(3), requestsPerSecond: +(requests.length / seconds).toFixed(1), tokensPerSecond: Math.round(tokens / seconds), maxAbsDiff: maxDiff };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

let reference: ScoreResult[] | undefined;
for (const batchSize of [1, 32]) {
  const { seconds, results } = await timed(direct, batchSize);
  reference ??= results;
  report({ side: 'direct onnx', batchSize }, seconds, results, reference);
}
await direct.close();

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
try {
  for (const batch of batches) {
    for (const concurrency of concurrencies) {
      const engine = await openEngine({ engine: 'openai', args: { pretrained: url, tokenizer: modelDir, concurrency: String(concurrency), batch: String(batch) } });
      const { seconds, results } = await timed(engine, 1);
      const stats = engine.stats!();
      await engine.close();
      report({ side: 'openai -> serve', concurrency, promptsPerCall: batch, httpCalls: stats.http_calls }, seconds, results, reference);
    }
  }
} finally {
  serve.kill('SIGTERM');
}
