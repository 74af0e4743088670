// What a cached response is filed under, and how it is stored: a request's key is a sha256 over
// its exact token ids and settings; values keep every float64 bit (little-endian blobs, not REALs).
import { createHash } from 'node:crypto';
import type { GenerateRequest, GenerateResult, ScoreRequest, ScoreResult } from '../types.js';

/** Request kinds as stored in the `kind` column. */
export const SCORE = 0;
export const GENERATE = 1;

function u32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32LE(n);
  return b;
}

function ids(tokens: readonly number[]): Buffer {
  const b = Buffer.allocUnsafe(tokens.length * 4);
  for (let i = 0; i < tokens.length; i++) b.writeInt32LE(tokens[i]!, i * 4);
  return b;
}

/** Key of a scoring request: the model input and the continuation it predicts. Lengths are hashed
 *  too, so no two different (input, continuation) pairs share a byte stream. */
export function scoreKey(r: ScoreRequest): Buffer {
  return createHash('sha256')
    .update('score\0')
    .update(u32(r.input.length))
    .update(ids(r.input))
    .update(u32(r.continuation.length))
    .update(ids(r.continuation))
    .digest();
}

/** Key of a generation request: context ids plus everything that changes what is generated. `sample`
 *  tells apart repeated sampling requests (lm-eval `repeats` with do_sample), which must not share an
 *  answer; it is 0 for the first of them and for greedy requests. */
export function generateKey(r: GenerateRequest, sample = 0): Buffer {
  // explicit field order and null for absent values keep the JSON canonical
  const s = r.sampling;
  const settings = JSON.stringify([
    r.maxNewTokens,
    r.until,
    s ? [s.doSample, s.temperature ?? null, s.topP ?? null, s.topK ?? null, s.seed ?? null] : null,
    ...(sample > 0 ? [sample] : []),
  ]);
  return createHash('sha256').update('generate\0').update(u32(r.input.length)).update(ids(r.input)).update(settings).digest();
}

/** [logprob, ...tokenLogprobs] as little-endian float64: the exact bits, NaN and -0 included
 *  (an SQLite REAL would turn NaN into NULL and may store -0 as the integer 0). */
export function encodeScore(r: ScoreResult): Buffer {
  const b = Buffer.allocUnsafe((r.tokenLogprobs.length + 1) * 8);
  b.writeDoubleLE(r.logprob, 0);
  r.tokenLogprobs.forEach((lp, i) => b.writeDoubleLE(lp, (i + 1) * 8));
  return b;
}

/** The stored value back, or undefined when the row cannot be one (a damaged file). */
export function decodeScore(numbers: Buffer, isGreedy: number): ScoreResult | undefined {
  if (numbers.length < 8 || numbers.length % 8 !== 0 || (isGreedy !== 0 && isGreedy !== 1)) return undefined;
  const tokenLogprobs = new Array<number>(numbers.length / 8 - 1);
  for (let i = 0; i < tokenLogprobs.length; i++) tokenLogprobs[i] = numbers.readDoubleLE((i + 1) * 8);
  return { logprob: numbers.readDoubleLE(0), isGreedy: isGreedy === 1, tokenLogprobs };
}

export function encodeTokens(r: GenerateResult): Buffer {
  return ids(r.tokens);
}

export function decodeGeneration(numbers: Buffer, text: string | null): GenerateResult | undefined {
  if (numbers.length % 4 !== 0) return undefined;
  const tokens = new Array<number>(numbers.length / 4);
  for (let i = 0; i < tokens.length; i++) tokens[i] = numbers.readInt32LE(i * 4);
  return text === null ? { tokens } : { tokens, text };
}
