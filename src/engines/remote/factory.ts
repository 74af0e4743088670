// The `openai` engine's entry in the engine registry: `--model openai:BASE_URL[|BASE_URL...]` and
// its model arguments (lm-eval's local-completions spellings where they exist).
import { YardstickError } from '../../errors.js';
import type { EngineFactory } from '../types.js';
import { parseBaseUrls } from './discovery.js';
import { RemoteEngine } from './engine.js';
import { isTokenizerFolder, loadTokenizer } from './tokenizer.js';

function positive(name: string, v: string | undefined, fallback: number, allowZero = false): number {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
    throw new YardstickError('usage', `--model-args ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got '${v}'`);
  }
  return n;
}

function integer(name: string, v: string | undefined, fallback: number, allowZero = false): number {
  const n = positive(name, v, fallback, allowZero);
  if (!Number.isInteger(n)) throw new YardstickError('usage', `--model-args ${name} must be a whole number, got '${v}'`);
  return n;
}

export const remoteEngineFactory: EngineFactory = {
  name: 'openai',
  description: 'an OpenAI-compatible /v1/completions server with prompt log-probs (vLLM, yardstick serve); several base URLs are replicas',
  usage: 'openai:BASE_URL',
  args: [
    { name: 'pretrained', help: 'base URL(s), e.g. http://HOST:8000/v1; replicas separated by |' },
    { name: 'base_url', help: 'the same as pretrained (lm-eval spelling)' },
    { name: 'model', help: 'the served model name (default: the server\'s only model)' },
    { name: 'tokenizer', help: "the served model's tokenizer: a local folder with tokenizer.json" },
    { name: 'max_length', help: "lm-eval's max_length (default: the server's max_model_len minus what scoring adds)" },
    { name: 'concurrency', help: 'HTTP calls in flight per server (default 8)' },
    { name: 'num_concurrent', help: 'the same as concurrency (lm-eval spelling)' },
    { name: 'batch', help: 'prompts per HTTP call (default 16; 1 for servers without prompt lists)' },
    { name: 'timeout', help: 'seconds one HTTP call may take (default 300)' },
    { name: 'max_retries', help: 'retries of a failed call on 429/5xx/connection errors (default 6)' },
    { name: 'retry_delay', help: 'first backoff in seconds, doubling per retry up to 60 (default 0.5)' },
    { name: 'api_key_env', help: 'environment variable holding the API key (default OPENAI_API_KEY)' },
    { name: 'score_max_tokens', help: 'max_tokens of scoring calls: 1 (default, as lm-eval) or 0 (vLLM: one token more context)' },
  ],
  async open(spec, options) {
    const a = spec.args;
    const urls = a.pretrained ?? a.base_url;
    if (!urls) throw new YardstickError('usage', 'the openai engine needs a base URL', { hint: 'use --model openai:http://HOST:PORT/v1' });
    const tokenizerRef = a.tokenizer ?? (a.model && isTokenizerFolder(a.model) ? a.model : undefined);
    if (!tokenizerRef) {
      throw new YardstickError('usage', 'the openai engine needs the served model\'s tokenizer (requests are built and sent as token ids)', {
        hint: 'add --model-args tokenizer=DIR (a folder with tokenizer.json)',
      });
    }
    const keyVar = a.api_key_env ?? 'OPENAI_API_KEY';
    const apiKey = process.env[keyVar];
    if (a.api_key_env && !apiKey) {
      throw new YardstickError('usage', `api_key_env=${keyVar} but ${keyVar} is not set`, { hint: `export ${keyVar}=... before the run` });
    }
    const scoreMaxTokens = integer('score_max_tokens', a.score_max_tokens, 1, true);
    if (scoreMaxTokens > 1) throw new YardstickError('usage', `--model-args score_max_tokens must be 0 or 1, got '${a.score_max_tokens}'`);
    const tokenizer = await loadTokenizer(tokenizerRef, options);
    return RemoteEngine.open(
      {
        baseUrls: parseBaseUrls(urls),
        model: a.model,
        apiKey: apiKey || undefined,
        concurrency: integer('concurrency', a.concurrency ?? a.num_concurrent, 8),
        batch: integer('batch', a.batch, 16),
        scoreMaxTokens: scoreMaxTokens as 0 | 1,
        maxLength: options.maxLength ?? (a.max_length === undefined ? undefined : integer('max_length', a.max_length, 0)),
        retry: {
          maxRetries: integer('max_retries', a.max_retries, 6, true),
          baseDelayMs: positive('retry_delay', a.retry_delay, 0.5, true) * 1000,
          maxDelayMs: 60_000,
          timeoutMs: positive('timeout', a.timeout, 300) * 1000,
        },
      },
      tokenizer,
    );
  },
};
