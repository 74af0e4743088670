// yardstick serve's HTTP API on the tiny model, checked against the independent float64 reference
// forward pass: vLLM-shaped echo log-probs, greedy generation with stop, batching of concurrent
// requests, and OpenAI-style refusals (key, JSON, size, model, context length).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxEngine } from '../../src/engines/onnx/engine.js';
import { isLoopback, startServer, type RunningServer } from '../../src/serve/server.js';
import { loadReferenceModel, referenceLogprobs, type ReferenceModel } from '../helpers/reference-llama.js';
import { tinyModel } from '../helpers/tiny-model.js';

let engine: OnnxEngine;
let reference: ReferenceModel;
let server: RunningServer;
let locked: RunningServer;
const KEY = 'sk-test-123';

beforeAll(async () => {
  const dir = await tinyModel();
  engine = await OnnxEngine.load(dir, { threads: 1 });
  reference = loadReferenceModel(dir);
  server = await startServer({ engine, modelName: 'tiny', port: 0, maxBodyBytes: 64 * 1024 });
  locked = await startServer({ engine, modelName: 'tiny', port: 0, apiKey: KEY });
});

afterAll(async () => {
  await server?.close();
  await locked?.close();
  await engine?.close();
});

async function post(path: string, body: unknown, options: { base?: string; headers?: Record<string, string>; raw?: string } = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(`${options.base ?? server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: options.raw ?? JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

const argmax = (row: Float64Array): number => row.reduce((best, x, i) => (x > row[best]! ? i : best), 0);

describe('GET /v1/models', () => {
  it('lists the served model with max_model_len and the engine fingerprint, on 127.0.0.1', async () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const json = await (await fetch(`${server.url}/models`)).json();
    expect(json.object).toBe('list');
    expect(json.data).toHaveLength(1);
    expect(json.data[0]).toMatchObject({ id: 'tiny', object: 'model', max_model_len: engine.maxLength, root: engine.info.name });
    expect(json.data[0].yardstick.fingerprint).toEqual(engine.info.fingerprint);
    expect(isLoopback('127.0.0.1') && isLoopback('::1') && !isLoopback('0.0.0.0') && !isLoopback('10.0.0.2')).toBe(true);
  });
});

describe('POST /v1/completions with echo and logprobs', () => {
  const text = 'the cat sat on the mat and looked at the door';

  it("returns the prompt's log-probs in vLLM's shape, equal to the reference, plus the greedy next token", async () => {
    const ids = engine.tokenizer.encode(text, true);
    const { status, json } = await post('/completions', { model: 'tiny', prompt: ids, echo: true, logprobs: 1, max_tokens: 1, temperature: 0 });
    expect(status).toBe(200);
    expect(json.object).toBe('text_completion');
    const [choice] = json.choices;
    const lp = choice.logprobs;
    const rows = referenceLogprobs(reference, ids);
    expect(lp.tokens).toHaveLength(ids.length + 1);
    expect(lp.token_logprobs[0]).toBeNull();
    expect(lp.top_logprobs[0]).toBeNull();
    for (let i = 1; i < ids.length; i++) {
      expect(Math.abs(lp.token_logprobs[i] - rows[i - 1]![ids[i]!]!)).toBeLessThan(1e-4);
      const top = rows[i - 1]!;
      const best = argmax(top);
      const dict = lp.top_logprobs[i];
      // the token itself plus the top-1, keyed by token text
      expect(dict[engine.tokenizer.decode([ids[i]!], false)]).toBeCloseTo(lp.token_logprobs[i], 12);
      expect(Math.abs(dict[engine.tokenizer.decode([best], false)] - top[best]!)).toBeLessThan(1e-4);
      expect(Object.keys(dict).length).toBe(best === ids[i] ? 1 : 2);
    }
    const next = argmax(rows.at(-1)!);
    expect(lp.tokens.at(-1)).toBe(engine.tokenizer.decode([next], false));
    expect(Math.abs(lp.token_logprobs.at(-1) - rows.at(-1)![next]!)).toBeLessThan(1e-4);
    expect(lp.text_offset[0]).toBe(0);
    expect(lp.text_offset[1]).toBe(lp.tokens[0].length);
    expect(choice.text).toBe(engine.tokenizer.decode(ids, false) + engine.tokenizer.decode([next], true));
    expect(choice.finish_reason).toBe(next === engine.tokenizer.eosTokenId ? 'stop' : 'length');
    expect(json.usage).toEqual({ prompt_tokens: ids.length, completion_tokens: 1, total_tokens: ids.length + 1 });
  });

  it('takes text prompts and prompt lists; max_tokens 0 echoes the prompt only', async () => {
    const ids = engine.tokenizer.encode(text, true);
    const { json } = await post('/completions', { model: 'tiny', prompt: [text, ids.slice(0, 5)], echo: true, logprobs: 0, max_tokens: 0 });
    expect(json.choices.map((c: any) => c.index)).toEqual([0, 1]);
    expect(json.choices[0].text).toBe(text);
    expect(json.choices[0].logprobs.tokens).toHaveLength(ids.length);
    expect(json.choices[1].logprobs.tokens).toHaveLength(5);
    // logprobs 0: each top_logprobs entry holds only the token itself
    expect(Object.keys(json.choices[0].logprobs.top_logprobs[3])).toEqual([engine.tokenizer.decode([ids[3]!], false)]);
    // the same prefix scored in both prompts gives the same numbers
    expect(json.choices[1].logprobs.token_logprobs.slice(1, 5)).toEqual(json.choices[0].logprobs.token_logprobs.slice(1, 5).map((x: number) => expect.closeTo(x, 5)));
    expect(json.usage.completion_tokens).toBe(0);
  });

  it('generates greedily, cut at the first stop string, finish_reason stop', async () => {
    const ids = engine.tokenizer.encode('Problem: What is 1+1?\nAnswer:', true);
    // the reference's greedy continuation, token by token
    const greedy: number[] = [];
    for (let k = 0; k < 6; k++) greedy.push(argmax(referenceLogprobs(reference, [...ids, ...greedy]).at(-1)!));
    const free = await post('/completions', { prompt: ids, max_tokens: 6, temperature: 0 });
    const full = engine.tokenizer.decode(greedy, true);
    expect(free.json.choices[0].text).toBe(full);
    expect(free.json.choices[0].finish_reason).toBe(greedy.includes(engine.tokenizer.eosTokenId!) ? 'stop' : 'length');
    const stop = engine.tokenizer.decode([greedy[3]!], true);
    const cut = await post('/completions', { prompt: ids, max_tokens: 6, stop: [stop, 'never-appears'] });
    expect(cut.json.choices[0].text).toBe(full.slice(0, full.indexOf(stop)));
    expect(cut.json.choices[0].finish_reason).toBe('stop');
    expect(cut.json.choices[0].stop_reason).toBe(stop);
  });

  it('puts concurrent requests into shared engine calls', async () => {
    const before = { ...server.batcher.counts };
    const prompts = ['a b c', 'the door', 'she opened the window', 'they walked', 'he wrote a letter', 'we shared bread'];
    const replies = await Promise.all(prompts.map((p) => post('/completions', { prompt: p, echo: true, logprobs: 1, max_tokens: 0 })));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    const jobs = server.batcher.counts.jobs - before.jobs;
    const calls = server.batcher.counts.engineCalls - before.engineCalls;
    expect(jobs).toBe(prompts.length);
    expect(calls).toBeLessThan(jobs);
  });
});

describe('refusals, OpenAI-style', () => {
  const expectError = (r: { status: number; json: any }, status: number, pattern: RegExp, code?: string): void => {
    expect(r.status).toBe(status);
    expect(Object.keys(r.json)).toEqual(['error']);
    expect(r.json.error.message).toMatch(pattern);
    expect(typeof r.json.error.type).toBe('string');
    if (code) expect(r.json.error.code).toBe(code);
  };

  it('a missing or wrong API key is 401; the right one passes; /health needs none', async () => {
    const body = { prompt: [1, 2, 3], max_tokens: 0, echo: true };
    expectError(await post('/completions', body, { base: locked.url }), 401, /missing API key/, 'invalid_api_key');
    expectError(await post('/completions', body, { base: locked.url, headers: { authorization: 'Bearer sk-wrong' } }), 401, /incorrect API key/, 'invalid_api_key');
    expect((await fetch(`${locked.url}/models`)).status).toBe(401);
    expect((await post('/completions', body, { base: locked.url, headers: { authorization: `Bearer ${KEY}` } })).status).toBe(200);
    expect((await fetch(locked.url.replace(/\/v1$/, '/health'))).status).toBe(200);
  });

  it('bad JSON is 400, an oversize body 413', async () => {
    expectError(await post('/completions', undefined, { raw: '{"prompt": [1, 2' }), 400, /not valid JSON/);
    expectError(await post('/completions', { prompt: 'x'.repeat(70 * 1024) }), 413, /exceeds 65536 bytes/, 'request_too_large');
  });

  it('an unknown model is 404; an oversize prompt, streaming or sampling is 400', async () => {
    expectError(await post('/completions', { model: 'gpt-9', prompt: 'hi' }), 404, /The model `gpt-9` does not exist/, 'model_not_found');
    const long = new Array(engine.maxLength).fill(5);
    expectError(await post('/completions', { prompt: long, max_tokens: 1 }), 400, /maximum context length is 2048 tokens.*2049 tokens/, 'context_length_exceeded');
    expect((await post('/completions', { prompt: long, max_tokens: 0, echo: true })).status).toBe(200);
    expectError(await post('/completions', { prompt: 'hi', stream: true }), 400, /streaming/);
    expectError(await post('/completions', { prompt: 'hi', temperature: 0.8 }), 400, /greedily/);
    expectError(await post('/completions', { prompt: [] }), 400, /prompt must be/);
    expectError(await post('/completions', { prompt: 'hi', logprobs: 50 }), 400, /logprobs must be an integer from 0 to 20/);
  });

  it("a token id outside the vocabulary is 400 and fails only its own request, not the batch it shared", async () => {
    const good = engine.tokenizer.encode('the cat sat', true);
    const [ok, bad] = await Promise.all([
      post('/completions', { prompt: good, echo: true, logprobs: 1, max_tokens: 0 }),
      post('/completions', { prompt: [1, 10_000_000], echo: true, logprobs: 1, max_tokens: 0 }),
    ]);
    expect(ok.status).toBe(200);
    expectError(bad, 400, /token id 10000000, outside the model's vocabulary/, 'engine_refused');
  });

  it('unknown routes are 404 and wrong methods 405', async () => {
    expectError(await post('/chat/completions', { messages: [] }), 404, /no route POST \/v1\/chat\/completions/);
    const get = await fetch(`${server.url}/completions`);
    expect(get.status).toBe(405);
  });
});
