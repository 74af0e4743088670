// lm-eval's built-in process_results (spec §7): per-document metric values from the responses.
import type { LoglikelihoodResponse } from '../requests/instance.js';

/** numpy argmax: first maximum; the first NaN wins if any. */
export function npArgmax(values: number[]): number {
  let best = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i]!)) return i;
    if (values[i]! > values[best]!) best = i;
  }
  return best;
}

/** The metrics the built-in process_results computes, per output type (a task with its own
 *  process_results may name others). */
export const builtinMetricNames: Readonly<Record<string, readonly string[]>> = {
  loglikelihood: ['perplexity', 'acc'],
  multiple_choice: ['acc', 'f1', 'mcc', 'acc_norm', 'acc_bytes', 'exact_match'],
  loglikelihood_rolling: ['word_perplexity', 'byte_perplexity', 'bits_per_byte'],
};

/** loglikelihood tasks: perplexity item = total ll, acc = int(is_greedy), in that key order. */
export function loglikelihoodResults(metricNames: string[], response: LoglikelihoodResponse): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (metricNames.includes('perplexity')) out.perplexity = response.logprob;
  if (metricNames.includes('acc')) out.acc = response.isGreedy ? 1 : 0;
  return out;
}

const MC_ORDER = ['acc', 'f1', 'mcc', 'acc_norm', 'acc_bytes', 'exact_match', 'brier_score', 'likelihood'];

/** multiple_choice tasks: argmax over choices; f1/mcc items are (gold, pred) pairs. */
export function multipleChoiceResults(
  metricNames: string[],
  responses: LoglikelihoodResponse[],
  choices: string[],
  gold: number | number[],
): Record<string, unknown> {
  const lls = responses.map((r) => r.logprob);
  const pred = npArgmax(lls);
  const predNorm = npArgmax(lls.map((ll, i) => ll / [...choices[i]!].length));
  const predBytes = npArgmax(lls.map((ll, i) => ll / Buffer.byteLength(choices[i]!, 'utf8')));
  const hit = (p: number): number => (Array.isArray(gold) ? (gold.includes(p) ? 1 : 0) : p === gold ? 1 : 0);
  const values: Record<string, unknown> = {
    acc: hit(pred),
    f1: [gold, pred],
    mcc: [gold, pred],
    acc_norm: hit(predNorm),
    acc_bytes: hit(predBytes),
    exact_match: hit(pred),
  };
  const out: Record<string, unknown> = {};
  for (const m of MC_ORDER) if (metricNames.includes(m) && m in values) out[m] = values[m];
  for (const m of metricNames) if (!(m in out) && m in values) out[m] = values[m];
  return out;
}

/** loglikelihood_rolling tasks: (ll, weight) pairs for the weighted perplexities (spec §5.5). */
export function rollingResults(metricNames: string[], logprob: number, text: string): Record<string, unknown> {
  const words = text.split(/\s+/).length;
  const bytes = Buffer.byteLength(text, 'utf8');
  const out: Record<string, unknown> = {};
  if (metricNames.includes('word_perplexity')) out.word_perplexity = [logprob, words];
  if (metricNames.includes('byte_perplexity')) out.byte_perplexity = [logprob, bytes];
  if (metricNames.includes('bits_per_byte')) out.bits_per_byte = [logprob, bytes];
  return out;
}
