// lm-eval's generate_until argument rules (spec §5.4): the stop list with the EOS text added,
// max_gen_toks and its aliases, sampling settings, and cutting a generation at its stops.
import { YardstickError } from '../errors.js';
import type { SamplingParams } from '../engines/types.js';
import type { GenerationKwargs } from './instance.js';

export const DEFAULT_MAX_GEN_TOKS = 256;

/** `until` as a list, plus the EOS text when the tokenizer has one. */
export function stopSequences(kwargs: GenerationKwargs, eosText: string | undefined): string[] {
  const until = kwargs.until === undefined ? [] : Array.isArray(kwargs.until) ? [...kwargs.until] : [kwargs.until];
  for (const u of until) if (typeof u !== 'string') throw new YardstickError('task', `generation_kwargs.until must be text, got ${JSON.stringify(u)}`);
  if (eosText !== undefined && !until.includes(eosText)) until.push(eosText);
  return until;
}

export function maxGenToks(kwargs: GenerationKwargs): number {
  for (const key of ['max_gen_toks', 'max_new_tokens', 'max_tokens', 'max_completion_tokens']) {
    const v = kwargs[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw new YardstickError('task', `generation_kwargs.${key} must be a positive integer, got ${JSON.stringify(v)}`);
    }
    return v;
  }
  return DEFAULT_MAX_GEN_TOKS;
}

/** Greedy unless do_sample is true (lm-eval's HF backend: temperature 0 forces greedy). */
export function samplingParams(kwargs: GenerationKwargs): SamplingParams {
  const num = (key: string): number | undefined => (typeof kwargs[key] === 'number' ? (kwargs[key] as number) : undefined);
  const temperature = num('temperature');
  const doSample = kwargs.do_sample === true && temperature !== 0;
  return { doSample, temperature, topP: num('top_p'), topK: num('top_k'), seed: num('seed') };
}

/** lm-eval cuts the decoded text at the first occurrence of each stop string, in list order. */
export function cutAtStops(text: string, until: string[]): string {
  for (const stop of until) if (stop !== '') text = text.split(stop)[0]!;
  return text;
}
