// The remote engine's HTTP layer against a scripted local server: which failures are retried,
// how long it waits (backoff with jitter, Retry-After), and how retries are counted.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffMs, Counters, JsonClient, parseRetryAfter, withRetries, type RetryPolicy } from '../../../src/engines/remote/http.js';
import { YardstickError } from '../../../src/errors.js';

type Behaviour = (req: http.IncomingMessage, res: http.ServerResponse) => void;

let server: http.Server;
let url: string;
let script: Behaviour[] = [];
let seen = 0;
const client = new JsonClient({}, 4);

const ok: Behaviour = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
const status =
  (code: number, headers: Record<string, string> = {}): Behaviour =>
  (_req, res) =>
    res.writeHead(code, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ error: { message: `failure ${code}`, type: 'x' } }));

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    const behaviour = script[seen++] ?? ok;
    behaviour(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/completions`;
});

afterAll(async () => {
  client.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const policy: RetryPolicy = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000, timeoutMs: 2000 };

async function call(behaviours: Behaviour[], p: RetryPolicy = policy): Promise<{ result?: unknown; error?: unknown; waits: number[]; stats: Record<string, number> }> {
  script = behaviours;
  seen = 0;
  const counters = new Counters();
  const waits: number[] = [];
  try {
    const result = await withRetries(p, counters, () => client.json('POST', url, { x: 1 }, p.timeoutMs), async (ms) => void waits.push(ms));
    return { result, waits, stats: counters.snapshot() };
  } catch (error) {
    return { error, waits, stats: counters.snapshot() };
  }
}

describe('backoff', () => {
  it('doubles from the base up to the cap, with the upper half random', () => {
    const p = { ...policy, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffMs(p, 0, () => 0)).toBe(50);
    expect(backoffMs(p, 0, () => 1)).toBe(100);
    expect(backoffMs(p, 3, () => 0.5)).toBe(600); // ceiling 800: 400 + 0.5 * 400
    expect(backoffMs(p, 10, () => 1)).toBe(1000);
  });

  it('reads Retry-After as seconds or an HTTP date, capped at two minutes', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('99999')).toBe(120_000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('withRetries over HTTP', () => {
  it('retries 429 (waiting what Retry-After says) and 5xx (backing off), counting each by reason', async () => {
    const r = await call([status(429, { 'retry-after': '3' }), status(503), status(500)]);
    expect(r.result).toEqual({ ok: true });
    expect(r.waits[0]).toBe(3000);
    expect(r.waits[1]).toBeGreaterThanOrEqual(100); // second retry: ceiling 200, at least half
    expect(r.waits[1]).toBeLessThanOrEqual(200);
    expect(r.waits[2]).toBeGreaterThanOrEqual(200);
    expect(r.waits[2]).toBeLessThanOrEqual(400);
    expect(r.stats).toEqual({ retries: 3, 'retries.status_429': 1, 'retries.status_500': 1, 'retries.status_503': 1 });
  });

  it('retries dropped connections, resets, torn replies, non-JSON bodies and timeouts', async () => {
    const drop: Behaviour = (req) => req.socket.destroy();
    const reset: Behaviour = (req) => req.socket.resetAndDestroy();
    const torn: Behaviour = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"choices": [');
      setTimeout(() => req.socket.destroy(), 10);
    };
    const html: Behaviour = (_req, res) => res.writeHead(200).end('<html>bad gateway</html>');
    const stall: Behaviour = () => undefined;
    const r = await call([drop, reset, torn, html, stall], { ...policy, maxRetries: 5, timeoutMs: 300 });
    expect(r.result).toEqual({ ok: true });
    expect(r.stats.retries).toBe(5);
    expect(r.stats['retries.timeout']).toBe(1);
    expect(r.stats['retries.bad_json']).toBe(1);
    // a drop, a reset and a torn reply surface as resets, hang-ups or torn replies depending on timing
    const connection = Object.entries(r.stats)
      .filter(([k]) => /^retries\.(ECONNRESET|socket_hang_up|truncated_reply)$/.test(k))
      .reduce((a, [, n]) => a + n, 0);
    expect(connection).toBe(3);
  });

  it('a 400 is not retried: one line with the server message', async () => {
    const r = await call([status(400)]);
    expect(r.error).toBeInstanceOf(YardstickError);
    expect((r.error as YardstickError).message).toBe(`${url}: HTTP 400: failure 400`);
    expect(r.stats).toEqual({ failures: 1 });
  });

  it('a 401 says where the key goes', async () => {
    const r = await call([status(401)]);
    expect((r.error as YardstickError).oneLine()).toMatch(/HTTP 401: failure 401; set the key in OPENAI_API_KEY/);
  });

  it('gives up after max_retries, saying so', async () => {
    const r = await call([status(502), status(502), status(502), status(502), status(502)]);
    expect((r.error as YardstickError).message).toBe(`${url}: HTTP 502: failure 502 (gave up after 3 retries)`);
    expect(r.stats).toEqual({ retries: 3, 'retries.status_502': 3, failures: 1 });
  });
});
