// lm-eval's HF-backend tokenisation rules (spec §5): BOS policy, the trailing-whitespace move,
// encode-whole-then-split, left truncation, rolling windows and generation contexts.
import { YardstickError } from '../errors.js';
import type { EngineTokenizer } from '../engines/types.js';
import type { ScoreRequest } from '../engines/types.js';
import { pyRstrip } from '../tasks/pystr.js';

/**
 * How special tokens are added when encoding text:
 * - 'tokenizer': lm-eval ≥ 0.4.9.2 default (add_bos_token unset): whatever the tokenizer adds;
 * - 'always': add_bos_token=true: special tokens on, and a BOS guaranteed at the start;
 * - 'never': add_bos_token=false, and the default of lm-eval ≤ 0.4.9.1 for non-Gemma models.
 */
export type BosPolicy = 'tokenizer' | 'always' | 'never';

export interface EncodingRules {
  bos: BosPolicy;
  maxLength: number;
  /** lm-eval ≤ 0.4.9.1 encodes an empty context as [prefix] without the de-duplication rule */
  legacyEmptyContext?: boolean;
}

function prefixTokenId(tok: EngineTokenizer): number {
  const id = tok.bosTokenId ?? tok.eosTokenId;
  if (id === undefined) throw new YardstickError('model', 'the tokenizer has neither a BOS nor an EOS token; lm-eval needs one as prefix token');
  return id;
}

/** lm-eval's tok_encode: the BOS policy plus the "already starts with the prefix token" exception. */
export function tokEncode(tok: EngineTokenizer, text: string, bos: BosPolicy): number[] {
  if (bos === 'never') return tok.encode(text, false);
  const prefixText = tok.decode([prefixTokenId(tok)], false);
  if (prefixText !== '' && text.startsWith(prefixText)) return tok.encode(text, false);
  const ids = tok.encode(text, true);
  if (bos === 'always' && tok.bosTokenId !== undefined && ids[0] !== tok.bosTokenId) return [tok.bosTokenId, ...ids];
  return ids;
}

export interface EncodedPair {
  contextTokens: number[];
  continuationTokens: number[];
}

/** Spec §5.2: context/continuation → token ids. */
export function encodePair(tok: EngineTokenizer, context: string, continuation: string, rules: EncodingRules): EncodedPair {
  if (context === '') {
    const prefix = prefixTokenId(tok);
    if (rules.legacyEmptyContext) {
      return { contextTokens: [prefix], continuationTokens: tokEncode(tok, continuation, rules.bos) };
    }
    const cont = tok.encode(continuation, false);
    if (cont.length > 0 && cont[0] === prefix) return { contextTokens: [cont[0]], continuationTokens: cont.slice(1) };
    return { contextTokens: [prefix], continuationTokens: cont };
  }
  const stripped = pyRstrip(context);
  const moved = context.length - stripped.length;
  if (moved > 0) {
    continuation = context.slice(stripped.length) + continuation;
    context = stripped;
  }
  const whole = tokEncode(tok, context + continuation, rules.bos);
  const contextTokens = tokEncode(tok, context, rules.bos);
  // purely positional split, exactly as lm-eval (no prefix check)
  return { contextTokens, continuationTokens: whole.slice(contextTokens.length) };
}

/** Spec §5.3: left-truncate (ctx + cont) to maxLength + 1 tokens and drop the last one. */
export function toScoreRequest(pair: EncodedPair, maxLength: number, what: string): ScoreRequest {
  const { contextTokens, continuationTokens } = pair;
  if (contextTokens.length === 0 || continuationTokens.length === 0) {
    throw new YardstickError('task', `${what}: the ${contextTokens.length === 0 ? 'context' : 'continuation'} encodes to no tokens`);
  }
  if (continuationTokens.length > maxLength) {
    throw new YardstickError('task', `${what}: the continuation is ${continuationTokens.length} tokens, longer than the model's max length ${maxLength}`);
  }
  const all = [...contextTokens, ...continuationTokens];
  const input = all.slice(-(maxLength + 1)).slice(0, -1);
  return { input, continuation: continuationTokens };
}

/** Spec §5.5: rolling windows over a whole text, each scored as one request; the sum is the result. */
export function rollingRequests(tok: EngineTokenizer, text: string, rules: EncodingRules): ScoreRequest[] {
  const tokens = tokEncode(tok, text, rules.bos);
  const maxLen = rules.maxLength;
  const prefix = prefixTokenId(tok);
  const windows: Array<[number[], number[]]> = [];
  if (tokens.length === 0) return [];
  const firstLen = Math.min(maxLen, tokens.length);
  windows.push([[prefix, ...tokens.slice(0, firstLen - 1)], tokens.slice(0, firstLen)]);
  let predicted = firstLen;
  while (predicted < tokens.length) {
    const predLen = Math.min(tokens.length - predicted, maxLen);
    const end = predicted + predLen;
    windows.push([tokens.slice(end - maxLen - 1, end - 1), tokens.slice(end - predLen, end)]);
    predicted += predLen;
  }
  return windows.map(([ctx, cont]) => {
    // make_disjoint_window: drop the context tokens that the continuation already covers
    const disjoint = ctx.slice(0, ctx.length - (cont.length - 1));
    return toScoreRequest({ contextTokens: disjoint, continuationTokens: cont }, maxLen, 'rolling window');
  });
}

/** Spec §5.4: the generation context, left-truncated to leave room for max_gen_toks. */
export function encodeGenerationContext(tok: EngineTokenizer, context: string, bos: BosPolicy, maxLength: number, maxGenToks: number): number[] {
  let ids: number[];
  if (bos !== 'never' && tok.bosToken !== undefined && context.startsWith(tok.bosToken)) ids = tok.encode(context, false);
  else ids = tokEncode(tok, context, bos);
  // lm-eval: `if left_truncate_len: ids[-left_truncate_len:]`; 0 keeps everything and a negative
  // length drops tokens from the front, which JS slice(-keep) reproduces exactly
  const keep = maxLength - maxGenToks;
  return ids.slice(-keep);
}
