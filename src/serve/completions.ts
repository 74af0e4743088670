// POST /v1/completions for yardstick serve: the subset the openai engine (and lm-eval's
// local-completions) uses, answered in vLLM's shape: token-id or text prompts, prompt lists,
// echo with prompt log-probs (null for the first token, top_logprobs dicts), greedy generation
// with max_tokens and stop.
import type { EngineTokenizer, ScoreResult, TokenLogprob } from '../engines/types.js';
import { ApiError, badRequest } from './api-error.js';
import type { EngineBatcher } from './batcher.js';

export interface CompletionLimits {
  modelName: string;
  maxModelLen: number;
  maxLogprobs: number;
  maxPrompts: number;
}

/** Token id -> its text, memoised: every position of an echoed prompt shows two or three tokens. */
const tokenTexts = new WeakMap<EngineTokenizer, Map<number, string>>();
function tokenText(tok: EngineTokenizer, id: number): string {
  let texts = tokenTexts.get(tok);
  if (!texts) tokenTexts.set(tok, (texts = new Map()));
  let text = texts.get(id);
  if (text === undefined) texts.set(id, (text = tok.decode([id], false)));
  return text;
}

export interface CompletionRequest {
  prompts: Array<{ ids: number[]; text?: string }>;
  echo: boolean;
  /** null: no logprobs block */
  logprobs: number | null;
  maxTokens: number;
  stop: string[];
}

function isTokenIds(v: unknown): v is number[] {
  return Array.isArray(v) && v.length > 0 && v.every((x) => Number.isInteger(x) && (x as number) >= 0 && (x as number) < 2 ** 31);
}

/** Validates a request body (OpenAI's defaults: max_tokens 16, echo false, no logprobs). */
export function parseCompletionRequest(body: unknown, tok: EngineTokenizer, limits: CompletionLimits): CompletionRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the request body must be a JSON object');
  const b = body as Record<string, unknown>;
  if (b.model !== undefined && b.model !== limits.modelName) {
    throw new ApiError(404, `The model \`${String(b.model)}\` does not exist.`, 'model_not_found', 'model');
  }
  if (b.stream === true) throw badRequest('streaming is not supported by yardstick serve', 'stream');
  if (b.n !== undefined && b.n !== 1) throw badRequest('only n=1 is supported', 'n');
  if (b.best_of !== undefined && b.best_of !== null && b.best_of !== 1) throw badRequest('only best_of=1 is supported', 'best_of');
  if (typeof b.suffix === 'string' && b.suffix !== '') throw badRequest('suffix is not supported', 'suffix');
  if (b.temperature !== undefined && b.temperature !== null && (typeof b.temperature !== 'number' || b.temperature < 0)) throw badRequest('temperature must be a number >= 0', 'temperature');
  // decoding is greedy; an explicit temperature above 0 would silently not be honoured
  if (typeof b.temperature === 'number' && b.temperature > 0) throw badRequest('yardstick serve decodes greedily only; send temperature 0', 'temperature');
  const echo = b.echo === undefined || b.echo === null ? false : b.echo;
  if (typeof echo !== 'boolean') throw badRequest('echo must be true or false', 'echo');
  const logprobs = b.logprobs === undefined || b.logprobs === null ? null : b.logprobs;
  if (logprobs !== null && (!Number.isInteger(logprobs) || (logprobs as number) < 0 || (logprobs as number) > limits.maxLogprobs)) {
    throw badRequest(`logprobs must be an integer from 0 to ${limits.maxLogprobs}`, 'logprobs');
  }
  const maxTokens = b.max_tokens === undefined || b.max_tokens === null ? 16 : b.max_tokens;
  if (!Number.isInteger(maxTokens) || (maxTokens as number) < 0) throw badRequest('max_tokens must be an integer >= 0', 'max_tokens');
  let stop: string[] = [];
  if (typeof b.stop === 'string') stop = [b.stop];
  else if (Array.isArray(b.stop) && b.stop.every((s) => typeof s === 'string')) stop = b.stop as string[];
  else if (b.stop !== undefined && b.stop !== null) throw badRequest('stop must be a string or a list of strings', 'stop');
  const addSpecial = b.add_special_tokens === undefined ? true : b.add_special_tokens === true;

  const p = b.prompt;
  let raw: Array<string | number[]>;
  if (typeof p === 'string') raw = [p];
  else if (isTokenIds(p)) raw = [p];
  else if (Array.isArray(p) && p.length > 0 && p.every((x) => typeof x === 'string' || isTokenIds(x))) raw = p as Array<string | number[]>;
  else throw badRequest('prompt must be a string, a list of token ids, or a non-empty list of either', 'prompt');
  if (raw.length > limits.maxPrompts) throw badRequest(`at most ${limits.maxPrompts} prompts per request`, 'prompt');
  const prompts = raw.map((x) => (typeof x === 'string' ? { ids: tok.encode(x, addSpecial), text: x } : { ids: x }));
  for (const [i, { ids }] of prompts.entries()) {
    if (ids.length === 0) throw badRequest(`prompt ${i} encodes to no tokens`, 'prompt');
    if (ids.length + (maxTokens as number) > limits.maxModelLen) {
      throw badRequest(
        `This model's maximum context length is ${limits.maxModelLen} tokens. However, you requested ${ids.length + (maxTokens as number)} tokens (${ids.length} in the prompt, ${maxTokens} in the completion). Please reduce the length of the prompt or completion.`,
        'prompt',
        'context_length_exceeded',
      );
    }
  }
  return { prompts, echo, logprobs: logprobs as number | null, maxTokens: maxTokens as number, stop };
}

export interface Choice {
  index: number;
  text: string;
  logprobs: { tokens: string[]; token_logprobs: Array<number | null>; top_logprobs: Array<Record<string, number> | null>; text_offset: number[] } | null;
  finish_reason: 'stop' | 'length';
  stop_reason: string | null;
}

/** One prompt's choice: generation (greedy) and, when asked, the log-probs of what is shown. */
export async function completeOne(
  batcher: EngineBatcher,
  tok: EngineTokenizer,
  req: CompletionRequest,
  prompt: { ids: number[]; text?: string },
  index: number,
): Promise<{ choice: Choice; completionTokens: number }> {
  const P = prompt.ids;
  const K = req.logprobs;
  const topK = Math.max(K ?? 0, 1);
  let generated: number[] = [];
  // scored[i] scores S[i + 1] of S = P ++ generated
  let scored: ScoreResult | undefined;
  if (req.maxTokens === 1 && K !== null) {
    // lm-eval's scoring call: one forward pass gives the prompt's log-probs and the greedy next token
    const pass = await batcher.score(P, [...P.slice(1), 0], topK);
    const next = pass.topLogprobs?.at(-1)?.[0];
    if (!next) throw new ApiError(500, 'the engine returned no top log-probabilities; it cannot serve logprobs');
    generated = [next.token];
    scored = { ...pass, tokenLogprobs: [...pass.tokenLogprobs.slice(0, -1), next.logprob] };
  } else {
    if (req.maxTokens > 0) generated = (await batcher.generate({ input: P, maxNewTokens: req.maxTokens, until: req.stop })).tokens.slice(0, req.maxTokens);
    const S = [...P, ...generated];
    if (K !== null && (req.echo || generated.length > 0) && S.length > 1) scored = await batcher.score(S.slice(0, -1), S.slice(1), topK);
  }
  if (K !== null && scored && !scored.topLogprobs) throw new ApiError(500, 'the engine returned no top log-probabilities; it cannot serve logprobs');

  let text = generated.length > 0 ? tok.decode(generated, true) : '';
  let stopReason: string | null = null;
  let cut = -1;
  for (const s of req.stop) {
    const at = s === '' ? -1 : text.indexOf(s);
    if (at !== -1 && (cut === -1 || at < cut)) {
      cut = at;
      stopReason = s;
    }
  }
  if (cut !== -1) text = text.slice(0, cut);
  const hitEos = generated.length > 0 && generated.at(-1) === tok.eosTokenId;
  const finish: Choice['finish_reason'] = cut !== -1 || hitEos || generated.length < req.maxTokens ? 'stop' : 'length';

  let logprobs: Choice['logprobs'] = null;
  if (K !== null) {
    const S = [...P, ...generated];
    const from = req.echo ? 0 : P.length;
    const tokens: string[] = [];
    const values: Array<number | null> = [];
    const tops: Array<Record<string, number> | null> = [];
    for (let i = from; i < S.length; i++) {
      tokens.push(tokenText(tok, S[i]!));
      if (i === 0) {
        values.push(null);
        tops.push(null);
        continue;
      }
      const value = scored!.tokenLogprobs[i - 1]!;
      values.push(value);
      tops.push(topDict(tok, S[i]!, value, scored!.topLogprobs![i - 1]!.slice(0, K)));
    }
    const offsets: number[] = [];
    let at = 0;
    for (const t of tokens) {
      offsets.push(at);
      at += t.length;
    }
    logprobs = { tokens, token_logprobs: values, top_logprobs: tops, text_offset: offsets };
  }
  const promptText = prompt.text ?? tok.decode(P, false);
  return {
    choice: { index, text: req.echo ? promptText + text : text, logprobs, finish_reason: finish, stop_reason: stopReason },
    completionTokens: generated.length,
  };
}

/** vLLM's top_logprobs entry: the top K tokens plus the token itself, keyed by token text. Two
 *  tokens with the same text keep the larger value, so a reader comparing the token's logprob with
 *  the dict's maximum (lm-eval's greedy test) is never misled. */
function topDict(tok: EngineTokenizer, token: number, logprob: number, top: TokenLogprob[]): Record<string, number> {
  const dict: Record<string, number> = {};
  for (const t of [{ token, logprob }, ...top]) {
    const key = tokenText(tok, t.token);
    dict[key] = Math.max(dict[key] ?? -Infinity, t.logprob);
  }
  return dict;
}
