// The /v1/completions protocol as the remote engine speaks it (lm-eval's local-completions is the
// reference): scoring sends token-id prompts with echo and logprobs and reads the prompt's own
// log-probabilities back; generation sends greedy (or sampled) completions with stop strings.
import { YardstickError } from '../../errors.js';
import type { SamplingParams, ScoreResult } from '../types.js';

/** One choice's logprobs block (OpenAI legacy completions, as vLLM returns it). */
export interface ChoiceLogprobs {
  tokens?: string[];
  token_logprobs?: Array<number | null>;
  top_logprobs?: Array<Record<string, number> | null> | null;
  text_offset?: number[];
}

export interface CompletionChoice {
  index?: number;
  text?: string;
  logprobs?: ChoiceLogprobs | null;
  finish_reason?: string | null;
}

/** Scoring: the model predicts every prompt token; `max_tokens` 0 asks for no generation (vLLM
 *  accepts it with echo), 1 is what lm-eval sends and what every echo-capable server accepts. */
export function scorePayload(model: string, prompts: number[][], maxTokens: 0 | 1): Record<string, unknown> {
  return { model, prompt: prompts, echo: true, logprobs: 1, max_tokens: maxTokens, temperature: 0 };
}

export interface GenerateParams {
  maxTokens: number;
  stop: string[];
  sampling?: SamplingParams;
}

export function generatePayload(model: string, prompts: number[][], params: GenerateParams): Record<string, unknown> {
  const body: Record<string, unknown> = { model, prompt: prompts, max_tokens: params.maxTokens, temperature: 0 };
  const stop = params.stop.filter((s) => s !== '');
  if (stop.length > 0) body.stop = stop;
  const s = params.sampling;
  if (s?.doSample) {
    body.temperature = s.temperature ?? 1;
    if (s.topP !== undefined) body.top_p = s.topP;
    if (s.topK !== undefined) body.top_k = s.topK;
  }
  if (s?.seed !== undefined) body.seed = s.seed;
  return body;
}

/** The choices of a completions reply in prompt order, checked to be one per prompt. */
export function choicesInOrder(reply: unknown, prompts: number, where: string): CompletionChoice[] {
  const choices = (reply as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices)) {
    throw new YardstickError('engine', `${where}: the reply has no choices list`, { hint: 'is this an OpenAI-compatible /v1/completions endpoint?' });
  }
  if (choices.length !== prompts) {
    throw new YardstickError('engine', `${where}: ${choices.length} choices came back for ${prompts} prompts`, {
      hint: 'the server must accept a list of prompts in one request (vLLM does); set batch=1 for servers that do not',
    });
  }
  const ordered = new Array<CompletionChoice>(prompts);
  choices.forEach((c: CompletionChoice, i) => {
    const at = typeof c?.index === 'number' ? c.index : i;
    if (at < 0 || at >= prompts || ordered[at]) throw new YardstickError('engine', `${where}: choice index ${String(c?.index)} is out of place`);
    ordered[at] = c;
  });
  return ordered;
}

function noPromptLogprobs(where: string, detail: string): YardstickError {
  return new YardstickError('engine', `${where} returned no prompt log-probabilities (${detail})`, {
    hint: 'the server must support echo=true with logprobs on /v1/completions (vLLM does; llama.cpp server and hosted chat APIs do not)',
  });
}

/**
 * Reads one continuation's score from a scoring choice. The prompt was `promptLength` tokens and
 * its last `continuationLength` tokens are the continuation; a trailing generated token (max_tokens
 * 1) is ignored. Greedy as lm-eval decides it: each token's logprob is the largest in top_logprobs.
 */
export function scoreFromChoice(choice: CompletionChoice, promptLength: number, continuationLength: number, where: string): ScoreResult {
  const lp = choice.logprobs;
  const values = lp?.token_logprobs;
  if (!lp || !Array.isArray(values)) throw noPromptLogprobs(where, 'choices[].logprobs.token_logprobs is missing');
  if (values.length < promptLength) {
    throw noPromptLogprobs(where, `token_logprobs has ${values.length} entries for a ${promptLength}-token prompt`);
  }
  const tops = lp.top_logprobs;
  const tokenLogprobs: number[] = [];
  let isGreedy = true;
  for (let k = promptLength - continuationLength; k < promptLength; k++) {
    const v = values[k];
    if (typeof v !== 'number') throw noPromptLogprobs(where, `token_logprobs[${k}] is ${v === null ? 'null' : typeof v}`);
    tokenLogprobs.push(v);
    const top = tops?.[k];
    if (!top || typeof top !== 'object') {
      throw new YardstickError('engine', `${where} returned no top_logprobs at prompt position ${k}`, {
        hint: 'the server must return top_logprobs with echo=true and logprobs=1',
      });
    }
    let best = -Infinity;
    for (const x of Object.values(top)) if (typeof x === 'number' && x > best) best = x;
    if (v < best) isGreedy = false;
  }
  let logprob = 0;
  for (const x of tokenLogprobs) logprob += x;
  return { logprob, isGreedy, tokenLogprobs };
}

export function textFromChoice(choice: CompletionChoice, where: string): string {
  if (typeof choice.text !== 'string') throw new YardstickError('engine', `${where}: a choice has no text`);
  return choice.text;
}
