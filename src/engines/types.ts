// The engine seam: an engine answers token-level requests and knows nothing about tasks.
// Request construction (lm-eval's tokenisation rules) lives in src/requests; batching order,
// concurrency and progress live in the scheduler (src/engines/scheduler.ts), in front of every
// engine. A new back-end is one folder implementing `Engine` plus one `EngineFactory` entry in
// src/engines/registry.ts.
import type { DownloadProgress } from '../data/hub/client.js';

/** What request building needs from a tokenizer; tokenizer.json, a GGUF's own vocabulary or a
 *  server's tokenizer all sit behind it. */
export interface EngineTokenizer {
  readonly bosToken?: string;
  readonly eosToken?: string;
  readonly padToken?: string;
  readonly bosTokenId?: number;
  readonly eosTokenId?: number;
  /** lm-eval's pad id: pad, else unk, else eos; padding never reaches a scored position */
  readonly padTokenId: number;
  /** tokenizer_config.json's model_max_length (or the format's equivalent), when finite */
  readonly modelMaxLength?: number;
  /** where the vocabulary came from, e.g. "tokenizer.json" or "gguf"; recorded in results */
  readonly source: string;
  /** sha256 of what defines the tokenizer (its files' bytes), part of the model fingerprint */
  readonly sha256: string;
  /** HF `tokenizer.encode(text, add_special_tokens=...)`. Returns a fresh array the caller may change. */
  encode(text: string, addSpecialTokens: boolean): number[];
  /** HF `tokenizer.decode(ids, skip_special_tokens=...)` */
  decode(ids: number[], skipSpecialTokens: boolean): string;
  tokenToId(token: string): number | undefined;
  /** the model's chat template(s), as transformers (or llama.cpp) loads them; absent: none */
  readonly chatTemplates?: ChatTemplates;
}

/** A model's chat templates: one, or several by name ("default", "tool_use", ...), with where they came
 *  from and the named special tokens a template sees (transformers' special_tokens_map). */
export interface ChatTemplates {
  templates: string | Record<string, string>;
  /** e.g. "tokenizer_config.json", "chat_template.jinja", "gguf tokenizer.chat_template" */
  source: string;
  /** bos_token, eos_token, unk_token, pad_token, ... as text */
  specialTokens: Record<string, string>;
}

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
  /** also return the k most likely tokens at every continuation position (what an OpenAI-style
   *  server reports as top_logprobs); an engine that cannot leaves ScoreResult.topLogprobs unset */
  topLogprobs?: number;
}

/** One candidate token at a position, with its log-probability (natural log). */
export interface TokenLogprob {
  token: number;
  logprob: number;
}

/** Hints from the scheduler for one forward pass; an engine may ignore them. */
export interface ScoreBatchOptions {
  /** pad every row to this many tokens (≥ the longest input, ≤ maxLength): the scheduler's length
   *  bucket, so a runtime that plans per shape sees few shapes */
  padTo?: number;
}

export interface ScoreResult {
  /** sum of the continuation tokens' log-probabilities (natural log, float64) */
  logprob: number;
  /** every continuation token is the argmax at its position */
  isGreedy: boolean;
  tokenLogprobs: number[];
  /** when ScoreInput.topLogprobs > 0: per continuation position, the most likely tokens, most
   *  likely first (ties by lower token id), computed exactly as tokenLogprobs are */
  topLogprobs?: TokenLogprob[][];
}

/** lm-eval's generation kwargs that change what is generated (beyond until/max_gen_toks). */
export interface SamplingParams {
  doSample: boolean;
  temperature?: number;
  topP?: number;
  topK?: number;
  seed?: number;
}

export interface GenerateRequest {
  /** context tokens, already left-truncated to maxLength - maxNewTokens */
  input: number[];
  maxNewTokens: number;
  /** stop strings (lm-eval `until`, EOS text included by the caller) */
  until: string[];
  /** greedy unless doSample; an engine that cannot sample rejects doSample with a clear error */
  sampling?: SamplingParams;
}

export interface GenerateResult {
  /** generated token ids (all of them, including any after a stop string); may be empty when
   *  the engine only returns text */
  tokens: number[];
  /** the generated text when the engine produces text itself (e.g. a server); else decoded from tokens */
  text?: string;
}

/** Everything that decides the numbers a model gives: two runs with equal fingerprints may share
 *  cached responses, and results JSON records it. */
export interface ModelFingerprint {
  engine: string;
  engineVersion: string;
  /** content hash of the weights (sha256 over the weight files' hashes), or a resolved hub commit */
  weights: string;
  tokenizer: string;
  dtype: string;
  /** engine settings that change numbers (max length, KV cache type, server URL and model, …) */
  settings: Record<string, string | number | boolean | null>;
}

export interface ModelInfo {
  /** what results JSON calls the model (lm-eval's model_name, e.g. the folder path or repo id) */
  name: string;
  engine: string;
  numParameters?: number;
  dtype: string;
  /** resolved hub revision (lm-eval's model_revision / model_sha), when the model came from a hub */
  revision?: string;
  sha?: string;
  fingerprint: ModelFingerprint;
}

export interface Engine {
  readonly info: ModelInfo;
  readonly tokenizer: EngineTokenizer;
  /** lm-eval's max_length for this model */
  readonly maxLength: number;
  /** batches the scheduler may keep in flight at once (default 1); remote engines want more */
  readonly concurrency?: number;
  /** whether a batch's rows are padded to one length and computed in one pass (ONNX): the scheduler
   *  then cuts passes where padding would cost more than another pass, instead of filling each one */
  readonly padsBatches?: boolean;
  /** One forward pass per input of the batch; results[i][j] scores batch[i].continuations[j]. */
  scoreBatch(batch: ScoreInput[], options?: ScoreBatchOptions): Promise<ScoreResult[][]>;
  /**
   * Optional prefix sharing: scoreBatch for inputs that all start with `prefix` and score no
   * position inside it. The prefix is computed once (and may be kept for the next call with the same
   * prefix); `padTo` is the padded length of the part after it. Engines without it get scoreBatch.
   */
  scoreSharedPrefix?(prefix: number[], batch: ScoreInput[], options?: ScoreBatchOptions): Promise<ScoreResult[][]>;
  /** Generation for one batch. Results are in request order. */
  generateBatch(batch: GenerateRequest[]): Promise<GenerateResult[]>;
  /** Releases everything the engine holds (sessions, workers, sockets). Safe to call twice. */
  close(): Promise<void>;
  /** Counters a run summary can print (e.g. a remote engine's HTTP calls and retries by reason);
   *  flat names to numbers, readable after close(). */
  stats?(): EngineStats;
}

/** Flat counters, e.g. { http_calls: 120, retries: 7, 'retries.status_503': 4 }. */
export type EngineStats = Record<string, number>;

/** One `--model-args` key an engine reads. */
export interface EngineArgument {
  name: string;
  help: string;
  required?: boolean;
}

/** A model spec as the user wrote it: `--model onnx:DIR` or `--model onnx --model-args pretrained=DIR`. */
export interface ModelSpec {
  engine: string;
  args: Record<string, string>;
}

export interface OpenOptions {
  /** --max-length, overriding the model's own */
  maxLength?: number;
  /** threads for local compute */
  threads?: number;
  /** download and conversion progress */
  onProgress?: (message: string) => void;
  /** per-file progress of a model download from the hub */
  onDownload?: (p: DownloadProgress) => void;
  /** things the user should know that do not stop the run (ignored arguments, non-fp32 weights);
   *  default: printed to stderr as `warning: ...` */
  onWarning?: (message: string) => void;
}

/** How an engine joins: a name, its arguments (for help and validation), and how to open it. */
export interface EngineFactory {
  name: string;
  description: string;
  /** the first line of help, e.g. `onnx:DIR` */
  usage: string;
  args: EngineArgument[];
  open(spec: ModelSpec, options: OpenOptions): Promise<Engine>;
}
