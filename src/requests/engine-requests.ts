// Instances -> engine requests -> responses: lm-eval's tokenisation rules applied to each
// instance, and the engine's answers turned back into lm-eval responses (rolling windows summed,
// generations decoded and cut at their stops).
import type { EngineTokenizer, GenerateRequest, GenerateResult, ScoreRequest, ScoreResult } from '../engines/types.js';
import { cutAtStops, maxGenToks, samplingParams, stopSequences } from './generation.js';
import type { GenerationKwargs, Instance, LoglikelihoodResponse, Response } from './instance.js';
import { encodeGenerationContext, encodePair, rollingRequests, toScoreRequest, type EncodingRules } from './tokenize.js';

/** What one instance asks of the engine. */
export type EnginePlan =
  | { kind: 'score'; requests: ScoreRequest[] }
  | { kind: 'generate'; request: GenerateRequest };

/** Encodes one instance; `what` names it in errors (task and doc). */
export function planInstance(inst: Instance, tok: EngineTokenizer, encoding: EncodingRules, what: string): EnginePlan {
  if (inst.requestType === 'loglikelihood') {
    const [context, continuation] = inst.arguments as [string, string];
    return { kind: 'score', requests: [toScoreRequest(encodePair(tok, context, continuation, encoding), encoding.maxLength, what)] };
  }
  if (inst.requestType === 'loglikelihood_rolling') {
    return { kind: 'score', requests: rollingRequests(tok, inst.arguments[0], encoding) };
  }
  const [context, kwargs] = inst.arguments as [string, GenerationKwargs];
  const eosText = tok.eosTokenId === undefined ? undefined : tok.decode([tok.eosTokenId], false);
  const maxNewTokens = maxGenToks(kwargs);
  return {
    kind: 'generate',
    request: {
      input: encodeGenerationContext(tok, context, encoding.bos, encoding.maxLength, maxNewTokens),
      maxNewTokens,
      until: stopSequences(kwargs, eosText),
      sampling: samplingParams(kwargs),
    },
  };
}

/** A loglikelihood response; a rolling request sums its windows in order (spec §5.5). */
export function scoreResponse(results: ScoreResult[]): LoglikelihoodResponse {
  let logprob = 0;
  let isGreedy = true;
  for (const r of results) {
    logprob += r.logprob;
    isGreedy &&= r.isGreedy;
  }
  return { logprob, isGreedy };
}

/** The generated text (the engine's own, else decoded without special tokens), cut at the stops. */
export function generationResponse(request: GenerateRequest, result: GenerateResult, tok: EngineTokenizer): Response {
  return cutAtStops(result.text ?? tok.decode(result.tokens, true), request.until);
}
