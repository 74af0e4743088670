// The openai engine against yardstick serve on the tiny model: the same log-probs as the direct
// ONNX engine (one server and three replicas), the same generations, the served fingerprint, and
// one clear line for servers that cannot do what scoring needs.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxEngine } from '../../../src/engines/onnx/engine.js';
import { openEngine } from '../../../src/engines/registry.js';
import { generateAll, scoreAll } from '../../../src/engines/scheduler.js';
import type { Engine, GenerateRequest, ScoreRequest } from '../../../src/engines/types.js';
import { YardstickError } from '../../../src/errors.js';
import { startServer, type RunningServer } from '../../../src/serve/server.js';
import { tinyModel } from '../../helpers/tiny-model.js';

let dir: string;
let direct: OnnxEngine;
const servers: RunningServer[] = [];
const opened: Engine[] = [];

beforeAll(async () => {
  dir = await tinyModel();
  direct = await OnnxEngine.load(dir, { threads: 1 });
  for (let i = 0; i < 3; i++) servers.push(await startServer({ engine: direct, modelName: 'tiny', port: 0 }));
});

afterAll(async () => {
  for (const e of opened) await e.close();
  for (const s of servers) await s.close();
  await direct?.close();
});

async function remote(urls: string, args: Record<string, string> = {}): Promise<Engine> {
  const engine = await openEngine({ engine: 'openai', args: { pretrained: urls, tokenizer: dir, retry_delay: '0.01', ...args } });
  opened.push(engine);
  return engine;
}

const TEXTS = [
  'The quick brown fox jumps over the lazy dog.',
  'In the beginning there was a small model that could barely count.',
  'Numbers like 1234 and 56.78 tokenize into several pieces, which is fine.',
  'She said, "hello there" and walked away into the evening light.',
  'Short one.',
  'When the river rose in spring, the people of the valley moved their houses up the hill.',
  'Every benchmark number should come with its standard error.',
  'Tokens, tokens, tokens.',
];

/** Requests as evaluate() builds them: varied splits, plus four one-token answers on one context. */
function requests(tok: Engine['tokenizer']): ScoreRequest[] {
  const out: ScoreRequest[] = TEXTS.map((t, i) => {
    const ids = tok.encode(t, true);
    const split = Math.max(1, Math.floor(ids.length * (0.3 + 0.07 * i)));
    return { input: ids.slice(0, -1), continuation: ids.slice(split) };
  });
  const ctx = tok.encode('Question: which letter? Answer:', true);
  for (const letter of [' A', ' B', ' C', ' D']) out.push({ input: ctx, continuation: tok.encode(letter, false).slice(-1) });
  return out;
}

function expectSameScores(a: Awaited<ReturnType<typeof scoreAll>>, b: Awaited<ReturnType<typeof scoreAll>>): void {
  expect(a).toHaveLength(b.length);
  a.forEach((x, i) => {
    expect(Math.abs(x.logprob - b[i]!.logprob), `request ${i}`).toBeLessThan(1e-5);
    expect(x.isGreedy, `request ${i}`).toBe(b[i]!.isGreedy);
    x.tokenLogprobs.forEach((t, k) => expect(Math.abs(t - b[i]!.tokenLogprobs[k]!)).toBeLessThan(1e-5));
  });
}

describe('openai engine against yardstick serve', () => {
  it('scores every request within 1e-5 nats of the direct engine, greedy flags equal', async () => {
    const engine = await remote(servers[0]!.url);
    const reqs = requests(direct.tokenizer);
    expectSameScores(await scoreAll(engine, reqs, 1), await scoreAll(direct, reqs, 4));
    // four answers on one context and eight texts: far fewer HTTP calls than prompts
    const stats = engine.stats!();
    expect(stats.scored).toBe(reqs.length);
    expect(stats.http_calls).toBeLessThan(reqs.length);
    expect(stats.retries ?? 0).toBe(0);
  });

  it('with three replicas: the same numbers, every replica used', async () => {
    const engine = await remote(servers.map((s) => s.url).join('|'), { batch: '2', concurrency: '1' });
    expect(engine.concurrency).toBe(3 * 1 * 2);
    const reqs = [...requests(direct.tokenizer), ...requests(direct.tokenizer).map((r) => ({ ...r, input: r.input.slice(1) }))];
    expectSameScores(await scoreAll(engine, reqs, 1), await scoreAll(direct, reqs, 4));
    const stats = engine.stats!();
    for (const i of [0, 1, 2]) expect(stats[`http_calls.replica${i}`], `replica ${i}`).toBeGreaterThan(0);
  });

  it('generates the same text as the direct engine, cut at the stop strings', async () => {
    const engine = await remote(servers[0]!.url);
    const tok = direct.tokenizer;
    const eos = tok.decode([tok.eosTokenId!], false);
    const reqs: GenerateRequest[] = ['Problem: What is 1+1?\nAnswer:', 'Once upon a time', 'The capital of France is'].map((t, i) => ({
      input: tok.encode(t, true),
      maxNewTokens: 8 + i,
      until: ['\n\n', eos],
    }));
    const remoteOut = await generateAll(engine, reqs, 1);
    const directOut = await generateAll(direct, reqs, 1);
    remoteOut.forEach((r, i) => {
      let expected = tok.decode(directOut[i]!.tokens, true);
      for (const stop of reqs[i]!.until) expected = expected.split(stop)[0]!;
      expect(r.text).toBe(expected);
    });
  });

  it("records the served engine's fingerprint and leaves room for scoring in max_length", async () => {
    const engine = await remote(servers[0]!.url);
    expect(engine.info.name).toBe('tiny');
    expect(engine.info.dtype).toBe('float32');
    expect(engine.maxLength).toBe(direct.maxLength - 2);
    const fp = engine.info.fingerprint;
    expect(fp.engine).toBe('openai');
    expect(fp.weights).toBe(direct.info.fingerprint.weights);
    expect(fp.tokenizer).toBe(direct.tokenizer.sha256);
    expect(fp.settings).toMatchObject({ model: 'tiny', max_length: direct.maxLength - 2, max_model_len: direct.maxLength });
    expect(fp.engineVersion).toMatch(/server yardstick .*onnxruntime-node/);
    // replicas do not change the fingerprint (the response cache must survive adding one)
    const three = await remote(servers.map((s) => s.url).join('|'));
    expect(three.info.fingerprint).toEqual(fp);
    const longer = await remote(servers[0]!.url, { score_max_tokens: '0' });
    expect(longer.maxLength).toBe(direct.maxLength - 1);
  });

  it('refuses a tokenizer that encodes differently from the server, and unknown model names', async () => {
    const other = await tinyModel({ bos: false });
    await expect(openEngine({ engine: 'openai', args: { pretrained: servers[0]!.url, tokenizer: other } })).rejects.toThrow(/encodes text differently/);
    await expect(remote(servers[0]!.url, { model: 'llama' })).rejects.toThrow(/does not serve model 'llama' \(it serves: tiny\)/);
    await expect(remote(servers[0]!.url, { max_length: '4096' })).rejects.toThrow(/max_length 4096 does not fit the server's max_model_len 2048/);
    await expect(openEngine({ engine: 'openai', args: { pretrained: servers[0]!.url } })).rejects.toThrow(/needs the served model's tokenizer/);
  });

  it('sends the API key from OPENAI_API_KEY or api_key_env, and says so when it is refused', async () => {
    const locked = await startServer({ engine: direct, modelName: 'tiny', port: 0, apiKey: 'sk-local' });
    servers.push(locked);
    const saved = { a: process.env.OPENAI_API_KEY, b: process.env.MY_KEY };
    try {
      delete process.env.OPENAI_API_KEY;
      const err = await remote(locked.url, { max_retries: '0' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(YardstickError);
      expect((err as YardstickError).oneLine()).toMatch(/HTTP 401: missing API key.*; set the key in OPENAI_API_KEY/);
      process.env.OPENAI_API_KEY = 'sk-local';
      expect((await remote(locked.url)).info.name).toBe('tiny');
      delete process.env.OPENAI_API_KEY;
      process.env.MY_KEY = 'sk-local';
      expect((await remote(locked.url, { api_key_env: 'MY_KEY' })).info.name).toBe('tiny');
      delete process.env.MY_KEY;
      await expect(remote(locked.url, { api_key_env: 'MY_KEY' })).rejects.toThrow(/api_key_env=MY_KEY but MY_KEY is not set/);
    } finally {
      if (saved.a === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved.a;
      if (saved.b === undefined) delete process.env.MY_KEY;
      else process.env.MY_KEY = saved.b;
    }
  });
});

describe('a server without prompt log-probs', () => {
  let fake: http.Server;
  let url: string;
  beforeAll(async () => {
    const reply = readFileSync(join(import.meta.dirname, 'fixtures', 'no-prompt-logprobs.json'), 'utf8');
    fake = http.createServer((req, res) => {
      req.resume();
      const body = req.url === '/v1/models' ? JSON.stringify({ object: 'list', data: [{ id: 'model.gguf', object: 'model' }] }) : req.url === '/v1/completions' ? reply : undefined;
      if (body) res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      else res.writeHead(404).end('Not Found');
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    fake.closeAllConnections();
    await new Promise((r) => fake.close(r));
  });

  it('fails scoring with one clear line and no retries', async () => {
    const engine = await remote(url);
    // a 7-token prompt, as the fixture's usage says
    const err = await engine.scoreBatch([{ input: [1, 2, 3, 4, 5, 6], continuations: [[7]] }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(YardstickError);
    const line = (err as YardstickError).oneLine();
    expect(line).toMatch(new RegExp(`^server http://127.0.0.1:\\d+/v1 returned no prompt log-probabilities \\(token_logprobs has 1 entries for a 7-token prompt\\); the server must support echo=true`));
    expect(line).not.toContain('\n');
    expect(engine.stats!().retries ?? 0).toBe(0);
    // the fingerprint names the served model, as nothing better is known
    expect(engine.info.fingerprint.weights).toBe('served:model.gguf');
    expect(engine.maxLength).toBe(2048);
  });
});
