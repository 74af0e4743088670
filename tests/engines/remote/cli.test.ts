// End to end through the CLI: `yardstick serve` replicas of the tiny model, and `yardstick run
// --model openai:...` against one replica, three replicas, and a faulty proxy, each giving the
// direct ONNX run's metrics and per-sample log-probs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResults, readSamples, runFolder, writeJsonl } from '../../helpers/run-output.js';
import { tinyModel } from '../../helpers/tiny-model.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { runCliAsync, startServe, type ServeProcess } from './processes.js';

let work: string;
let model: string;
let data: string;
const replicas: ServeProcess[] = [];
let proxy: FaultProxy | undefined;
let direct: Outputs;

const LAMBADA = [
  'the cat sat on the mat and looked at the door',
  'she opened the window to let the fresh air in',
  'they walked along the river until the sun went down',
  'he wrote a long letter to his old friend',
  'the children played in the park all afternoon',
];
const WINOGRANDE = [
  { sentence: "The trophy doesn't fit into the brown suitcase because the _ is too large.", option1: 'trophy', option2: 'suitcase', answer: '1' },
  { sentence: 'Ann asked Mary what time the library closes, because _ had forgotten.', option1: 'Ann', option2: 'Mary', answer: '1' },
  { sentence: 'Tom lent Jim his bike since _ needed it to get to work.', option1: 'Tom', option2: 'Jim', answer: '2' },
];
const MATH = [
  { problem: 'What is $1+1$?', level: 'Level 1', type: 'Algebra', solution: 'It is $\\boxed{2}$.' },
  { problem: 'Simplify $\\frac{4}{8}$.', level: 'Level 2', type: 'Algebra', solution: 'It is $\\boxed{\\frac{1}{2}}$.' },
];
const TASKS = 'lambada_openai,winogrande,hendrycks_math_algebra';

interface Outputs {
  results: Record<string, any>;
  samples: Record<string, Array<Record<string, any>>>;
}

function outputs(dir: string): Outputs {
  const folder = runFolder(dir);
  return { results: readResults(folder), samples: Object.fromEntries(TASKS.split(',').map((task) => [task, readSamples(folder, task)])) };
}

async function run(name: string, modelArgs: string[]): Promise<Outputs> {
  const out = join(work, name);
  const r = await runCliAsync(['run', ...modelArgs, '--tasks', TASKS, '--data-dir', data, '--output-path', out, '--log-samples']);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.code, r.stderr).toBe(0);
  return outputs(out);
}

/** Same metrics, same generations, per-sample log-probs within 1e-5 nats. */
function expectSameAsDirect(got: Outputs): void {
  expect(got.results.results).toEqual(direct.results.results);
  for (const task of Object.keys(direct.samples)) {
    got.samples[task]!.forEach((s, i) => {
      const want = direct.samples[task]![i]!;
      expect(s.doc_id).toBe(want.doc_id);
      if (task === 'hendrycks_math_algebra') expect(s.filtered_resps).toEqual(want.filtered_resps);
      else {
        // filtered_resps: one [logprob, is_greedy] pair per request of the document
        (s.filtered_resps as string[][]).forEach((pair, k) => {
          expect(Math.abs(Number(pair[0]) - Number(want.filtered_resps[k][0])), `${task} doc ${i}`).toBeLessThan(1e-5);
          expect(pair[1]).toBe(want.filtered_resps[k][1]);
        });
        expect(s.filtered_resps).toHaveLength(want.filtered_resps.length);
      }
    });
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'yardstick-remote-'));
  model = await tinyModel();
  data = join(work, 'data');
  writeJsonl(join(data, 'EleutherAI/lambada_openai/default/test.jsonl'), LAMBADA.map((text) => ({ text })));
  writeJsonl(join(data, 'allenai/winogrande/winogrande_xl/validation.jsonl'), WINOGRANDE);
  writeJsonl(join(data, 'EleutherAI/hendrycks_math/algebra/test.jsonl'), MATH);
  const serving = [0, 1, 2].map(() => startServe(['--model', `onnx:${model}`, '--model-args', 'threads=1', '--served-model-name', 'tiny']));
  replicas.push(...(await Promise.all(serving)));
  direct = await run('direct', ['--model', `onnx:${model}`]);
}, 180_000);

afterAll(async () => {
  await proxy?.close();
  const codes = await Promise.all(replicas.map((r) => r.stop()));
  rmSync(work, { recursive: true, force: true });
  // SIGTERM is a clean shutdown
  expect(codes).toEqual(replicas.map(() => 0));
});

describe('yardstick run --model openai: against yardstick serve', () => {
  it('serve binds 127.0.0.1 by default', () => {
    for (const r of replicas) expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  it('one replica: the direct run\'s metrics and log-probs, and the same weights fingerprint', async () => {
    const got = await run('one', ['--model', `openai:${replicas[0]!.url}`, '--model-args', `tokenizer=${model}`]);
    expectSameAsDirect(got);
    const fp = got.results.yardstick.model_fingerprint;
    expect(fp.engine).toBe('openai');
    expect(fp.weights).toBe(direct.results.yardstick.model_fingerprint.weights);
    expect(got.results.yardstick.engine_stats.http_calls).toBeGreaterThan(0);
  });

  it('three replicas: the same again, spread over all of them', async () => {
    const urls = replicas.map((r) => r.url).join('|');
    const got = await run('three', ['--model', `openai:${urls}`, '--model-args', `tokenizer=${model},batch=2,concurrency=2`]);
    expectSameAsDirect(got);
    const stats = got.results.yardstick.engine_stats;
    for (const i of [0, 1, 2]) expect(stats[`http_calls.replica${i}`]).toBeGreaterThan(0);
  });

  it('through a proxy failing ~20% of requests: the same results, every retry counted', async () => {
    proxy = await startFaultProxy({ upstream: replicas[1]!.url.replace(/\/v1$/, ''), seed: 11, faultRate: 0.2 });
    const got = await run('faulty', ['--model', `openai:${proxy.url}`, '--model-args', `tokenizer=${model},batch=1,retry_delay=0.005`]);
    expectSameAsDirect(got);
    const stats = got.results.yardstick.engine_stats;
    expect(proxy.faults()).toBeGreaterThan(0);
    expect(stats.retries).toBeGreaterThanOrEqual(proxy.faults());
    expect(stats.failures ?? 0).toBe(0);
  });

  it('a server that wants a key: one clear line without it, the run with it', async () => {
    const locked = await startServe(['--model', `onnx:${model}`, '--model-args', 'threads=1', '--served-model-name', 'tiny'], { YARDSTICK_SERVE_API_KEY: 'sk-e2e' });
    replicas.push(locked);
    const args = ['run', '--model', `openai:${locked.url}`, '--model-args', `tokenizer=${model},max_retries=0`, '--tasks', 'lambada_openai', '--data-dir', data];
    const refused = await runCliAsync(args, { OPENAI_API_KEY: '' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^yardstick: .*HTTP 401: missing API key.*; set the key in OPENAI_API_KEY/m);
    expect(refused.stderr).not.toMatch(/^\s+at /m);
    const ok = await runCliAsync(args, { OPENAI_API_KEY: 'sk-e2e' });
    expect(ok.code, ok.stderr).toBe(0);
  });
});
