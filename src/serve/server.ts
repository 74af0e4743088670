// yardstick serve's HTTP server (node:http): the OpenAI-compatible subset the openai engine needs
// (GET /v1/models, POST /v1/completions) plus vLLM's /version, /tokenize and /health, in front of
// any local engine. Loopback only unless told; optional bearer key; bounded request bodies.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Engine } from '../engines/types.js';
import { isYardstickError } from '../errors.js';
import { ApiError, badRequest } from './api-error.js';
import { EngineBatcher } from './batcher.js';
import { completeOne, parseCompletionRequest, type CompletionLimits } from './completions.js';
import { YARDSTICK_VERSION as VERSION } from '../version.js';


export interface ServeOptions {
  engine: Engine;
  /** what /v1/models calls the model and requests must name */
  modelName: string;
  /** default 127.0.0.1 */
  host?: string;
  /** default 8000; 0 picks a free port */
  port?: number;
  /** when set, every route but /health needs `Authorization: Bearer <apiKey>` */
  apiKey?: string;
  /** request bodies beyond this get 413 (default 16 MiB) */
  maxBodyBytes?: number;
  /** largest `logprobs` a request may ask for (vLLM's --max-logprobs, default 20) */
  maxLogprobs?: number;
  /** engine inputs per engine call (default 32) */
  maxBatch?: number;
  /** how long a request waits for others to share its engine call (default 2 ms) */
  batchWindowMs?: number;
  /** called with a line for each request that fails on the server's side */
  onError?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  batcher: EngineBatcher;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
export const isLoopback = (host: string): boolean => LOOPBACK.has(host) || host.startsWith('127.');

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: http.ServerResponse, e: ApiError): void {
  if (e.status === 413) res.setHeader('connection', 'close');
  send(res, e.status, e.body());
}

/** The body as JSON, refusing more than `limit` bytes without reading them all. */
function readJson(req: http.IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    const tooBig = (): ApiError => new ApiError(413, `the request body exceeds ${limit} bytes`, 'request_too_large');
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(tooBig());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      if (refused) return;
      size += c.length;
      if (size > limit) {
        refused = true;
        reject(tooBig());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (refused) return;
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(JSON.parse(text));
      } catch (e) {
        reject(badRequest(`the request body is not valid JSON: ${(e as Error).message}`));
      }
    });
    req.on('error', (e) => reject(badRequest(`could not read the request body: ${e.message}`)));
  });
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const { engine, modelName } = options;
  const host = options.host ?? '127.0.0.1';
  const maxBodyBytes = options.maxBodyBytes ?? 16 << 20;
  const batcher = new EngineBatcher(engine, { windowMs: options.batchWindowMs ?? 2, maxBatch: options.maxBatch ?? 32 });
  const limits: CompletionLimits = { modelName, maxModelLen: engine.maxLength, maxLogprobs: options.maxLogprobs ?? 20, maxPrompts: 1024 };
  const keyDigest = options.apiKey ? digest(options.apiKey) : undefined;
  const created = Math.floor(Date.now() / 1000);

  const authorise = (req: http.IncomingMessage): void => {
    if (!keyDigest) return;
    const header = req.headers.authorization;
    if (!header) throw new ApiError(401, 'missing API key: send the header Authorization: Bearer <key>', 'invalid_api_key');
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m || !timingSafeEqual(digest(m[1]!.trim()), keyDigest)) throw new ApiError(401, 'incorrect API key provided', 'invalid_api_key');
  };

  const models = (): unknown => ({
    object: 'list',
    data: [
      {
        id: modelName,
        object: 'model',
        created,
        owned_by: 'yardstick',
        root: engine.info.name,
        parent: null,
        max_model_len: engine.maxLength,
        // lets the openai engine record the real weights hash instead of a name
        yardstick: { fingerprint: engine.info.fingerprint },
      },
    ],
  });

  const completions = async (body: unknown): Promise<unknown> => {
    const req = parseCompletionRequest(body, engine.tokenizer, limits);
    const answers = await Promise.all(req.prompts.map((p, i) => completeOne(batcher, engine.tokenizer, req, p, i)));
    const promptTokens = req.prompts.reduce((a, p) => a + p.ids.length, 0);
    const completionTokens = answers.reduce((a, x) => a + x.completionTokens, 0);
    return {
      id: `cmpl-${randomBytes(12).toString('hex')}`,
      object: 'text_completion',
      created: Math.floor(Date.now() / 1000),
      model: modelName,
      choices: answers.map((a) => a.choice),
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    };
  };

  const tokenize = (body: unknown): unknown => {
    const b = (body ?? {}) as { prompt?: unknown; add_special_tokens?: unknown; model?: unknown };
    if (b.model !== undefined && b.model !== modelName) throw new ApiError(404, `The model \`${String(b.model)}\` does not exist.`, 'model_not_found', 'model');
    if (typeof b.prompt !== 'string') throw badRequest('prompt must be a string', 'prompt');
    const tokens = engine.tokenizer.encode(b.prompt, b.add_special_tokens !== false);
    return { count: tokens.length, max_model_len: engine.maxLength, tokens };
  };

  const routes: Record<string, Record<string, (body: unknown) => unknown>> = {
    '/v1/models': { GET: models },
    '/version': { GET: () => ({ version: `yardstick ${VERSION} (${engine.info.fingerprint.engine} ${engine.info.fingerprint.engineVersion})` }) },
    '/v1/completions': { POST: completions },
    '/tokenize': { POST: tokenize },
  };

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    void (async () => {
      try {
        if (path === '/health' && req.method === 'GET') {
          res.writeHead(200).end();
          return;
        }
        authorise(req);
        const route = routes[path];
        if (!route) throw new ApiError(404, `no route ${req.method} ${path} (served: ${Object.keys(routes).join(', ')})`, 'not_found');
        const handler = route[req.method ?? ''];
        if (!handler) throw new ApiError(405, `${path} takes ${Object.keys(route).join(', ')}, not ${req.method}`, 'method_not_allowed');
        const body = req.method === 'POST' ? await readJson(req, maxBodyBytes) : undefined;
        send(res, 200, await handler(body));
      } catch (e) {
        if (e instanceof ApiError) {
          // drain an unread body so the connection stays usable (a 413 closes it instead)
          if (!req.readableEnded && e.status !== 413) req.resume();
          sendError(res, e);
          return;
        }
        if (isYardstickError(e)) {
          // the engine refused this request (e.g. a token id outside its vocabulary): the client's to fix
          sendError(res, new ApiError(400, e.oneLine(), 'engine_refused'));
          return;
        }
        const message = e instanceof Error ? e.message.split('\n')[0]! : String(e);
        options.onError?.(`${req.method} ${path}: ${message}`);
        sendError(res, new ApiError(500, `the engine failed: ${message}`, 'engine_error'));
      }
    })();
  });

  // clients may hold idle connections a while between batches; closing them early races their reuse
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8000, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/v1`,
    host: address.address,
    port: address.port,
    batcher,
    close: () =>
      new Promise<void>((resolve) => {
        batcher.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
