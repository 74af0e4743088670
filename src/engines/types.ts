// The engine seam: an engine answers token-level requests and knows nothing about tasks.
// Request construction (lm-eval's tokenisation rules) lives in src/requests; batching order and
// progress live in the scheduler (src/engines/scheduler.ts), in front of every engine.

import type { ModelTokenizer } from './tokenizer.js';

/** Score `continuation` given the tokens before it. `input` is the model input exactly as lm-eval
 *  builds it: (ctx + cont)[-(maxLength+1):][:-1]; its last continuation.length positions predict
 *  the continuation tokens. */
export interface ScoreRequest {
  input: number[];
  continuation: number[];
}

/** One forward pass: an input and every continuation scored on it. Requests whose inputs are
 *  equal (e.g. MMLU's four one-token answers after the same context) share one pass. */
export interface ScoreInput {
  input: number[];
  /** each continuation is predicted by the last continuation.length positions of `input` */
  continuations: number[][];
}

export interface ScoreResult {
  /** sum of the continuation tokens' log-probabilities (natural log, float64) */
  logprob: number;
  /** every continuation token is the argmax at its position */
  isGreedy: boolean;
  tokenLogprobs: number[];
}

export interface GenerateRequest {
  /** context tokens, already left-truncated to maxLength - maxNewTokens */
  input: number[];
  maxNewTokens: number;
  /** stop strings (lm-eval `until`, EOS text included by the caller) */
  until: string[];
}

export interface GenerateResult {
  /** generated token ids (all of them, including any after a stop string) */
  tokens: number[];
}

export interface ModelInfo {
  /** what results JSON calls the model (e.g. the folder path) */
  name: string;
  engine: string;
  numParameters?: number;
  dtype: string;
  sha?: string;
}

export interface Engine {
  readonly info: ModelInfo;
  readonly tokenizer: ModelTokenizer;
  /** lm-eval's max_length for this model */
  readonly maxLength: number;
  /** One forward pass per input of the batch; results[i][j] scores batch[i].continuations[j]. */
  scoreBatch(batch: ScoreInput[]): Promise<ScoreResult[][]>;
  /** Greedy generation for one batch. Results are in request order. */
  generateBatch(batch: GenerateRequest[]): Promise<GenerateResult[]>;
  close(): Promise<void>;
}
