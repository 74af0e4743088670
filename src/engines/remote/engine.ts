// The `openai` engine: scores and generates through OpenAI-compatible /v1/completions servers
// (vLLM, yardstick serve), packing prompts into few calls, spread over replicas, with retries.
// Tokenisation stays local (the served model's tokenizer folder), so requests are built exactly
// as for local engines and sent as token ids.
import { YardstickError } from '../../errors.js';
import type { Engine, EngineStats, EngineTokenizer, GenerateRequest, GenerateResult, ModelInfo, ScoreInput, ScoreResult } from '../types.js';
import { choicesInOrder, generatePayload, scoreFromChoice, scorePayload, textFromChoice, type CompletionChoice, type GenerateParams } from './completions.js';
import { CallPacker, ReplicaPool, type Replica } from './dispatch.js';
import { discover, type ServerInfo } from './discovery.js';
import { Counters, JsonClient, withRetries, type HttpFailure, type RetryPolicy } from './http.js';
import { YARDSTICK_VERSION as VERSION } from '../../version.js';
import { checkScoreBatch, closedError } from '../request-checks.js';


export interface RemoteSettings {
  baseUrls: string[];
  /** the served model name; undefined takes the server's only model */
  model?: string;
  apiKey?: string;
  /** HTTP calls in flight per server */
  concurrency: number;
  /** prompts per HTTP call */
  batch: number;
  /** max_tokens of a scoring call: 0 (vLLM) or 1 (lm-eval's choice, every echo-capable server) */
  scoreMaxTokens: 0 | 1;
  /** lm-eval's max_length; undefined derives it from the server's max_model_len */
  maxLength?: number;
  retry: RetryPolicy;
}

type Work = { kind: 'score'; prompt: number[] } | { kind: 'generate'; prompt: number[]; params: GenerateParams };


export class RemoteEngine implements Engine {
  readonly concurrency: number;
  private closed = false;
  /** how errors name the servers */
  private readonly where: string;
  private readonly packer: CallPacker<Work, CompletionChoice>;

  private constructor(
    readonly info: ModelInfo,
    readonly tokenizer: EngineTokenizer,
    readonly maxLength: number,
    private readonly settings: RemoteSettings & { model: string },
    private readonly client: JsonClient,
    private readonly pool: ReplicaPool,
    private readonly counters: Counters,
  ) {
    this.where = `server ${settings.baseUrls.join(' | ')}`;
    const calls = settings.concurrency * settings.baseUrls.length;
    // the scheduler may hand over this many batches at once; the packer turns them into `calls` calls
    this.concurrency = calls * settings.batch;
    this.packer = new CallPacker<Work, CompletionChoice>(calls, settings.batch, (_group, items) => this.call(items));
  }

  static async open(settings: RemoteSettings, tokenizer: EngineTokenizer): Promise<RemoteEngine> {
    const headers: Record<string, string> = { 'user-agent': `yardstick/${VERSION}` };
    if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
    const client = new JsonClient(headers, settings.concurrency);
    const counters = new Counters();
    try {
      const ctx = { client, policy: settings.retry, counters };
      const infos: ServerInfo[] = [];
      for (const url of settings.baseUrls) infos.push(await discover(ctx, url, settings.model, tokenizer));
      const first = infos[0]!;
      infos.forEach((info, i) => {
        const same = info.model.id === first.model.id && info.model.root === first.model.root && info.model.fingerprint?.weights === first.model.fingerprint?.weights;
        if (!same) {
          throw new YardstickError('usage', `${settings.baseUrls[i]} serves ${describe(info)} but ${settings.baseUrls[0]} serves ${describe(first)}`, {
            hint: 'every base URL must be a replica of the same model',
          });
        }
        if (info.tokenizerMatches === false) {
          throw new YardstickError('usage', `the local tokenizer encodes text differently from ${settings.baseUrls[i]}'s`, {
            hint: "pass tokenizer= the served model's own folder",
          });
        }
      });
      const maxLength = resolveMaxLength(settings, first);
      const model = first.model;
      const served = model.fingerprint;
      const info: ModelInfo = {
        name: model.id,
        engine: 'openai',
        dtype: served?.dtype ?? 'server',
        fingerprint: {
          engine: 'openai',
          engineVersion: `yardstick-openai ${VERSION}; server ${first.version ?? 'unknown'}`,
          // a server cannot hash its weights for us: its name for them is what we have, unless it is
          // yardstick serve, which reports its engine's own fingerprint
          weights: served ? served.weights : `served:${model.id}${model.root && model.root !== model.id ? `@${model.root}` : ''}`,
          tokenizer: tokenizer.sha256,
          dtype: served?.dtype ?? 'server',
          // the base URLs are left out on purpose: replicas give equal numbers, and a rerun with more
          // or fewer of them must keep hitting the response cache
          settings: {
            model: model.id,
            max_length: maxLength,
            max_model_len: model.maxModelLen ?? null,
            served_engine: served ? `${served.engine} ${served.engineVersion}` : null,
            served_settings: served ? JSON.stringify(served.settings) : null,
          },
        },
      };
      return new RemoteEngine(info, tokenizer, maxLength, { ...settings, model: model.id }, client, new ReplicaPool(settings.baseUrls), counters);
    } catch (e) {
      client.close();
      throw e;
    }
  }

  async scoreBatch(batch: ScoreInput[]): Promise<ScoreResult[][]> {
    if (this.closed) throw closedError('openai');
    // the vocabulary size is the server's to check; shapes and signs are checked here
    checkScoreBatch(batch, Number.MAX_SAFE_INTEGER, 'openai');
    // the prompt is the input plus the continuation's last token; equal prompts are sent once
    const sent = new Map<string, Promise<CompletionChoice>>();
    const answers = batch.map((r) =>
      r.continuations.map((continuation) => {
        const prompt = [...r.input, continuation.at(-1)!];
        const key = prompt.join(',');
        let answer = sent.get(key);
        if (!answer) {
          answer = this.packer.submit('score', { kind: 'score', prompt });
          sent.set(key, answer);
        }
        return answer.then((a) => {
          this.counters.add('scored');
          return scoreFromChoice(a, prompt.length, continuation.length, this.where);
        });
      }),
    );
    return Promise.all(answers.map((row) => Promise.all(row)));
  }

  /** Greedy (or sampled) completions of the token-id contexts. Chat models asked through a chat
   *  template would go to /v1/chat/completions instead; that path is not built yet. */
  async generateBatch(batch: GenerateRequest[]): Promise<GenerateResult[]> {
    if (this.closed) throw closedError('openai');
    for (const r of batch) if (r.input.length === 0) throw new YardstickError('engine', 'openai: a generation request has an empty context');
    return Promise.all(
      batch.map(async (r) => {
        const params: GenerateParams = { maxTokens: r.maxNewTokens, stop: r.until, sampling: r.sampling };
        const answer = await this.packer.submit(`generate:${JSON.stringify(params)}`, { kind: 'generate', prompt: r.input, params });
        this.counters.add('generated');
        return { tokens: [], text: textFromChoice(answer, this.where) };
      }),
    );
  }

  /** One HTTP call for items of one group, retried (on another replica when there is one). */
  private async call(items: Work[]): Promise<CompletionChoice[]> {
    const prompts = items.map((w) => w.prompt);
    const first = items[0]!;
    const body =
      first.kind === 'score'
        ? scorePayload(this.settings.model, prompts, this.settings.scoreMaxTokens)
        : generatePayload(this.settings.model, prompts, first.params);
    let failed: Replica | undefined;
    const reply = await withRetries(this.settings.retry, this.counters, async (previous: HttpFailure | undefined) => {
      const replica = this.pool.acquire(previous ? failed : undefined);
      this.counters.add('http_calls');
      this.counters.add(`http_calls.replica${replica.index}`);
      try {
        return await this.client.json('POST', `${replica.baseUrl}/completions`, body, this.settings.retry.timeoutMs);
      } catch (e) {
        failed = replica;
        throw e;
      } finally {
        this.pool.release(replica);
      }
    });
    const usage = (reply as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } }).usage;
    if (typeof usage?.prompt_tokens === 'number') this.counters.add('prompt_tokens', usage.prompt_tokens);
    if (typeof usage?.completion_tokens === 'number') this.counters.add('completion_tokens', usage.completion_tokens);
    return choicesInOrder(reply, items.length, this.where);
  }

  /**
   * Counters since open: http_calls (every attempt, and per replica as http_calls.replicaN),
   * retries (and retries.REASON: status_429, status_503, ECONNRESET, timeout, truncated_reply,
   * bad_json, ...), failures (calls given up), scored / generated requests, prompt_tokens and
   * completion_tokens as the servers report them.
   */
  stats(): EngineStats {
    return this.counters.snapshot();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.packer.close();
    this.client.close();
  }
}

function describe(info: ServerInfo): string {
  return `'${info.model.id}'${info.model.root ? ` (${info.model.root})` : ''}`;
}

/** Room the protocol needs beyond lm-eval's max_length: the continuation's last token is part of
 *  the prompt, and max_tokens more are generated. */
function resolveMaxLength(settings: RemoteSettings, info: ServerInfo): number {
  const reserve = 1 + settings.scoreMaxTokens;
  const serverMax = info.model.maxModelLen;
  if (settings.maxLength !== undefined) {
    if (serverMax !== undefined && settings.maxLength + reserve > serverMax) {
      throw new YardstickError('usage', `max_length ${settings.maxLength} does not fit the server's max_model_len ${serverMax}`, {
        hint: `scoring sends up to max_length + ${reserve} tokens; use max_length=${serverMax - reserve} or less`,
      });
    }
    return settings.maxLength;
  }
  // lm-eval's API models default to 2048 when nothing better is known
  return serverMax !== undefined ? serverMax - reserve : 2048;
}
