// JSON over HTTP for the remote engine: keep-alive connections, a deadline per call, and retries
// with exponential backoff and jitter on 429/5xx/connection failures, each retry counted by reason.
import http from 'node:http';
import https from 'node:https';
import { YardstickError } from '../../errors.js';
import type { EngineStats } from '../types.js';

export interface RetryPolicy {
  /** retries after the first attempt */
  maxRetries: number;
  /** the first backoff; it doubles per retry up to maxDelayMs, and a random half of it is jitter */
  baseDelayMs: number;
  maxDelayMs: number;
  /** one HTTP call, connect to last byte */
  timeoutMs: number;
}

/** A failed call: `retryable` failures are tried again, the others end the run with `message`. */
export class HttpFailure extends Error {
  constructor(
    message: string,
    /** short counter name: status_503, ECONNRESET, timeout, bad_json, ... */
    readonly reason: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** Counters behind Engine.stats(). */
export class Counters {
  private readonly counts = new Map<string, number>();
  add(name: string, n = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + n);
  }
  snapshot(): EngineStats {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}

const IDLE_SOCKET_MS = 2000;
const RETRYABLE_STATUS = new Set([408, 409, 425, 429]);
// Retry-After beyond this is treated as this: a run should not sleep for hours on one header
const MAX_RETRY_AFTER_MS = 120_000;

/** Retry-After: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  const seconds = Number(v);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(v) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS);
}

/** The delay before retry number `retry` (0-based): exponential, capped, half of it random. */
export function backoffMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return ceiling / 2 + random() * (ceiling / 2);
}

export class JsonClient {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(
    private readonly headers: Record<string, string>,
    maxSockets: number,
  ) {
    // idle sockets are closed after 2 s, before servers close them (uvicorn and Node close idle
    // keep-alive connections after 5 s): reusing a socket the server is closing fails the call
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets, timeout: IDLE_SOCKET_MS });
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets, timeout: IDLE_SOCKET_MS });
  }

  /** One call; network errors and timeouts become retryable HttpFailures. */
  send(method: 'GET' | 'POST', url: string, body: unknown, timeoutMs: number): Promise<HttpReply> {
    const target = new URL(url);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = { ...this.headers, accept: 'application/json' };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    const lib = target.protocol === 'https:' ? https : http;
    const agent = target.protocol === 'https:' ? this.httpsAgent : this.httpAgent;
    return new Promise<HttpReply>((resolve, reject) => {
      let settled = false;
      const finish = (error: HttpFailure | undefined, reply?: HttpReply): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(reply!);
      };
      const req = lib.request(target, { method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => finish(networkFailure(e, url)));
        // a reply cut off mid-body ends in 'close' without being complete
        res.on('close', () => {
          if (!res.complete) finish(new HttpFailure(`${url}: the connection closed mid-reply`, 'truncated_reply', true));
          else finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      const timer = setTimeout(() => {
        finish(new HttpFailure(`${url}: no complete reply within ${timeoutMs / 1000} s`, 'timeout', true));
        req.destroy();
      }, timeoutMs);
      req.on('error', (e) => finish(networkFailure(e, url)));
      req.end(payload);
    });
  }

  /** A call whose 2xx reply must be JSON; 429/5xx and unreadable replies are retryable failures. */
  async json(method: 'GET' | 'POST', url: string, body: unknown, timeoutMs: number): Promise<unknown> {
    const reply = await this.send(method, url, body, timeoutMs);
    if (reply.status >= 200 && reply.status < 300) {
      try {
        return JSON.parse(reply.text) as unknown;
      } catch {
        // a proxy or a dying server can hand back a torn or HTML body with a 200
        throw new HttpFailure(`${url}: the reply is not JSON (${reply.text.slice(0, 80).replace(/\s+/g, ' ')})`, 'bad_json', true);
      }
    }
    const message = `${url}: HTTP ${reply.status}${serverMessage(reply.text)}`;
    const retryable = reply.status >= 500 || RETRYABLE_STATUS.has(reply.status);
    throw new HttpFailure(message, `status_${reply.status}`, retryable, parseRetryAfter(reply.headers['retry-after']));
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/** The `error.message` of an OpenAI-style error body, if there is one. */
function serverMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown };
    const m = typeof body.error === 'object' ? body.error?.message : body.error ?? body.message ?? body.detail;
    if (typeof m === 'string' && m !== '') return `: ${m.split('\n')[0]}`;
  } catch {
    // not JSON: show its start
  }
  const start = text.trim().slice(0, 120).replace(/\s+/g, ' ');
  return start ? `: ${start}` : '';
}

function networkFailure(e: unknown, url: string): HttpFailure {
  const err = e as NodeJS.ErrnoException;
  const reason = err.code ?? (err.message === 'socket hang up' ? 'socket_hang_up' : 'network');
  return new HttpFailure(`${url}: ${err.message}`, reason, true);
}

/** Runs `attempt` until it succeeds, retrying retryable failures with backoff. `attempt` gets the
 *  previous failure, so it can move to another replica. Retries are counted in `counters`. */
export async function withRetries<T>(
  policy: RetryPolicy,
  counters: Counters,
  attempt: (previous: HttpFailure | undefined) => Promise<T>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  let previous: HttpFailure | undefined;
  for (let retry = 0; ; retry++) {
    try {
      return await attempt(previous);
    } catch (e) {
      if (!(e instanceof HttpFailure)) throw e;
      if (!e.retryable) {
        counters.add('failures');
        throw new YardstickError('network', e.message, { hint: hintFor(e.reason) });
      }
      if (retry >= policy.maxRetries) {
        counters.add('failures');
        throw new YardstickError('network', `${e.message} (gave up after ${policy.maxRetries} retries)`, {
          hint: 'check the server is up and not overloaded; raise max_retries= or timeout=, or lower concurrency=',
        });
      }
      counters.add('retries');
      counters.add(`retries.${e.reason}`);
      await sleep(e.retryAfterMs ?? backoffMs(policy, retry));
      previous = e;
    }
  }
}

function hintFor(reason: string): string {
  if (reason === 'status_401' || reason === 'status_403') return 'set the key in OPENAI_API_KEY (or the variable named by api_key_env=)';
  if (reason === 'status_404') return 'check the base URL (it should end in /v1) and model= (see GET /v1/models)';
  return 'the server refused the request; see its message above';
}
