// What the remote engine learns from its servers before scoring: the base URLs, the served model
// (GET /v1/models: id, root, max_model_len, and yardstick serve's own fingerprint), the server
// version (GET /version), and whether the local tokenizer encodes as the server does (POST /tokenize).
import { YardstickError } from '../../errors.js';
import type { EngineTokenizer, ModelFingerprint } from '../types.js';
import { HttpFailure, withRetries, type Counters, type JsonClient, type RetryPolicy } from './http.js';

/** `URL1|URL2` (or commas, as `--model openai:URL1,URL2` keeps them) to normalised base URLs. */
export function parseBaseUrls(text: string): string[] {
  const parts = text.split(/[|,\s]+/).filter(Boolean);
  if (parts.length === 0) throw new YardstickError('usage', 'the openai engine needs a base URL', { hint: 'use --model openai:http://HOST:PORT/v1' });
  return [...new Set(parts.map(normaliseBaseUrl))];
}

/** http://host:8000, http://host:8000/v1 and http://host:8000/v1/completions all mean http://host:8000/v1. */
export function normaliseBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new YardstickError('usage', `'${text}' is not a URL`, { hint: 'use --model openai:http://HOST:PORT/v1' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new YardstickError('usage', `'${text}' is not an http(s) URL`, { hint: 'use --model openai:http://HOST:PORT/v1' });
  }
  let path = url.pathname.replace(/\/+$/, '').replace(/\/(chat\/)?completions$/, '');
  if (path === '') path = '/v1';
  return `${url.origin}${path}`;
}

/** The server root (where vLLM answers /version and /tokenize): the base without a trailing /v1. */
export function serverRoot(baseUrl: string): string {
  return baseUrl.replace(/\/v1$/, '');
}

export interface ServedModel {
  id: string;
  root?: string;
  maxModelLen?: number;
  /** yardstick serve reports its engine's fingerprint, so runs through it keep the weights hash */
  fingerprint?: ModelFingerprint;
}

export interface ServerInfo {
  model: ServedModel;
  version?: string;
  /** undefined: the server has no /tokenize */
  tokenizerMatches?: boolean;
}

interface Context {
  client: JsonClient;
  policy: RetryPolicy;
  counters: Counters;
}

async function getJson(ctx: Context, url: string, method: 'GET' | 'POST' = 'GET', body?: unknown): Promise<unknown> {
  return withRetries(ctx.policy, ctx.counters, () => ctx.client.json(method, url, body, ctx.policy.timeoutMs));
}

/** A call to an endpoint a server may lack: transient failures are retried, a refusal means "absent". */
async function optionalJson(ctx: Context, url: string, method: 'GET' | 'POST' = 'GET', body?: unknown): Promise<unknown> {
  return withRetries(ctx.policy, ctx.counters, async () => {
    try {
      return await ctx.client.json(method, url, body, ctx.policy.timeoutMs);
    } catch (e) {
      if (e instanceof HttpFailure && !e.retryable) return undefined;
      throw e;
    }
  });
}

function servedModels(reply: unknown, baseUrl: string): ServedModel[] {
  const data = (reply as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new YardstickError('engine', `${baseUrl}/models: the reply has no data list`, { hint: 'is this an OpenAI-compatible server?' });
  return data
    .filter((m): m is Record<string, unknown> => !!m && typeof m === 'object' && typeof (m as { id?: unknown }).id === 'string')
    .map((m) => {
      const y = m.yardstick as { fingerprint?: ModelFingerprint } | undefined;
      return {
        id: m.id as string,
        root: typeof m.root === 'string' ? m.root : undefined,
        maxModelLen: typeof m.max_model_len === 'number' ? m.max_model_len : undefined,
        fingerprint: y?.fingerprint && typeof y.fingerprint.weights === 'string' ? y.fingerprint : undefined,
      };
    });
}

// Spaces, digits, punctuation, accents and a newline: where tokenizers of one family differ.
const PROBE = 'The quick brown fox, 1234 times: naïve café — “done”.\n  Two  spaces.';

/** Asks one server about `model` (or its only model when none is named). */
export async function discover(ctx: Context, baseUrl: string, model: string | undefined, tokenizer: EngineTokenizer): Promise<ServerInfo> {
  const models = servedModels(await getJson(ctx, `${baseUrl}/models`), baseUrl);
  let served: ServedModel | undefined;
  if (model === undefined) {
    if (models.length !== 1) {
      throw new YardstickError('usage', `${baseUrl} serves ${models.length} models (${models.map((m) => m.id).join(', ')}); say which`, { hint: 'add --model-args model=NAME' });
    }
    served = models[0];
  } else {
    served = models.find((m) => m.id === model);
    if (!served) {
      throw new YardstickError('usage', `${baseUrl} does not serve model '${model}' (it serves: ${models.map((m) => m.id).join(', ') || 'nothing'})`, {
        hint: 'set model= to one of the served names',
      });
    }
  }
  const root = serverRoot(baseUrl);
  const version = (await optionalJson(ctx, `${root}/version`)) as { version?: unknown } | undefined;
  const tokenized = (await optionalJson(ctx, `${root}/tokenize`, 'POST', { model: served!.id, prompt: PROBE })) as { tokens?: unknown } | undefined;
  let tokenizerMatches: boolean | undefined;
  if (Array.isArray(tokenized?.tokens)) tokenizerMatches = tokenized.tokens.join(',') === tokenizer.encode(PROBE, true).join(',');
  return { model: served!, version: typeof version?.version === 'string' ? version.version : undefined, tokenizerMatches };
}
