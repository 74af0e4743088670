// The llama.cpp engine: a GGUF file evaluated by node-llama-cpp in its own process (child-client.ts),
// several sequences per context so a batch decodes together, each sequence reusing the KV cache of
// the prefix it shares with the previous request, scores from the full next-token distribution at
// continuation positions only, and greedy generation with lm-eval's stop rule.
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { YardstickError } from '../../errors.js';
import { sha256FileRemembered } from '../fingerprint.js';
import { checkGenerateBatch, checkScoreBatch, closedError } from '../request-checks.js';
import type { Engine, GenerateRequest, GenerateResult, ModelInfo, ScoreInput, ScoreResult } from '../types.js';
import { LlamaChild, type ChildInfo } from './child-client.js';
import { checkLlamaCompatible, metaNumber, metaString, readGgufHeader, type GgufHeader } from './gguf-file.js';
import { ggmlTypeName } from './gguf-format.js';
import { referenceTolerance, siblingOnnxReference } from './reference.js';
import { defaultSelfCheckDir, runSelfCheck, selfCheckTokens, type SelfCheckOutcome } from './self-check.js';
import { assignSlots } from './slots.js';
import { GgufTokenizer } from './tokenizer.js';

/** node-llama-cpp's version, from its package.json (its exports map hides the file from require). */
function nodeLlamaCppVersion(): string {
  for (const dir of createRequire(import.meta.url).resolve.paths('node-llama-cpp') ?? []) {
    const file = join(dir, 'node-llama-cpp', 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}
export const NODE_LLAMA_CPP_VERSION = nodeLlamaCppVersion();

export const KV_CACHE_TYPES = { f32: 'F32', f16: 'F16', q8_0: 'Q8_0' } as const;
export type KvCacheType = keyof typeof KV_CACHE_TYPES;

export interface GgufOpenOptions {
  /** lm-eval's max_length; default the file's context_length (else 2048). Also each sequence's KV size. */
  maxLength?: number;
  threads?: number;
  /** false (default): CPU only; else node-llama-cpp's gpu choice ('auto', 'cuda', 'vulkan', 'metal') */
  gpu?: string | false;
  /** KV cache type; f32 (default) keeps scores within ~1e-5 nats of float32, f16 costs ~1e-2 */
  kvCache?: KvCacheType;
  /** sequences in the context (default 1); each holds maxLength tokens of KV cache. More than one gave
   *  wrong log-probs intermittently (node-llama-cpp 3.21.1; see docs/gguf.md), so 1 until that is understood. */
  sequences?: number;
  /** what results call the model (default: the path), and its hub revision when it came from one */
  name?: string;
  revision?: string;
  sha?: string;
  /** where self-check records live (default: defaultSelfCheckDir()) */
  selfCheckDir?: string;
  /** compare with the ONNX export in the same folder when a record is first written (default true) */
  referenceCheck?: boolean;
  onProgress?: (message: string) => void;
}

/** llama.cpp's general.file_type names (LLAMA_FTYPE_*), for results' dtype. */
const FILE_TYPES: Record<number, string> = {
  0: 'f32', 1: 'f16', 2: 'q4_0', 3: 'q4_1', 7: 'q8_0', 8: 'q5_0', 9: 'q5_1', 10: 'q2_k', 11: 'q3_k_s', 12: 'q3_k_m',
  13: 'q3_k_l', 14: 'q4_k_s', 15: 'q4_k_m', 16: 'q5_k_s', 17: 'q5_k_m', 18: 'q6_k', 32: 'bf16',
};

/** The ggml type holding most of the weights (by bytes' worth of values). */
function dominantType(h: GgufHeader): number {
  const counts = new Map<number, number>();
  for (const t of h.tensors) counts.set(t.type, (counts.get(t.type) ?? 0) + t.dims.reduce((a, b) => a * b, 1));
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

function fileDtype(h: GgufHeader): string {
  const ft = metaNumber(h, 'general.file_type');
  return (ft !== undefined ? FILE_TYPES[ft] : undefined) ?? ggmlTypeName(dominantType(h)).toLowerCase();
}

export class LlamaCppEngine implements Engine {
  /** the tokens each sequence's KV cache was last given, for choosing where a request reuses most */
  private readonly slotTokens: number[][];
  private closed = false;

  private constructor(
    readonly info: ModelInfo,
    readonly tokenizer: GgufTokenizer,
    readonly maxLength: number,
    private readonly child: LlamaChild,
    readonly runtime: ChildInfo,
    readonly selfCheck: SelfCheckOutcome,
    private readonly path: string,
    private readonly vocabSize: number,
  ) {
    this.slotTokens = Array.from({ length: runtime.sequences }, () => []);
  }

  static async open(path: string, o: GgufOpenOptions = {}): Promise<LlamaCppEngine> {
    const header = readGgufHeader(path);
    checkLlamaCompatible(header);
    const arch = metaString(header, 'general.architecture')!;
    const kvCache = o.kvCache ?? 'f32';
    const kvType = KV_CACHE_TYPES[kvCache];
    const sequences = o.sequences ?? 1;
    const threads = o.threads ?? Math.max(1, cpus().length);
    const maxLength = o.maxLength ?? metaNumber(header, `${arch}.context_length`) ?? 2048;
    o.onProgress?.(`hashing ${path}`);
    const sha256 = await sha256FileRemembered(path);
    const tokenizer = await GgufTokenizer.open(header);
    o.onProgress?.(`loading ${path} into llama.cpp`);
    let child: LlamaChild | undefined;
    try {
      const started = await LlamaChild.start({ modelPath: path, gpu: o.gpu ?? false, kvType, contextSize: maxLength, sequences, threads });
      child = started.child;
      const engineVersion = `node-llama-cpp ${NODE_LLAMA_CPP_VERSION} (llama.cpp ${started.info.llamaCpp ?? 'unknown'})`;
      const device = started.info.gpu === false ? 'cpu' : String(started.info.gpu);
      const settings = { max_length: maxLength, kv_cache: kvCache, flash_attention: false, device };

      const tokens = selfCheckTokens(tokenizer);
      const scores = await child.score(
        0,
        tokens,
        tokens.slice(1).map((t, i) => ({ index: i, targets: [t] })),
      );
      const selfCheck = await runSelfCheck({
        path,
        sha256,
        engineVersion,
        settings: { kv_cache: kvCache, device },
        tokens,
        dir: o.selfCheckDir ?? defaultSelfCheckDir(),
        scores: { logprobs: scores.map((s) => s.logprobs[0]!), argmax: scores.map((s) => s.argmax) },
        reference: o.referenceCheck === false ? undefined : siblingOnnxReference(path, referenceTolerance(dominantType(header), kvType), threads),
      });

      const dtype = fileDtype(header);
      const info: ModelInfo = {
        name: o.name ?? path,
        engine: 'llamacpp',
        dtype,
        numParameters: header.tensors.reduce((n, t) => n + t.dims.reduce((a, b) => a * b, 1), 0),
        revision: o.revision,
        sha: o.sha,
        fingerprint: {
          engine: 'llamacpp',
          engineVersion,
          weights: sha256,
          tokenizer: tokenizer.sha256,
          dtype,
          settings,
        },
      };
      const vocabSize = (header.metadata.get('tokenizer.ggml.tokens') as string[]).length;
      const engine = new LlamaCppEngine(info, tokenizer, maxLength, child, started.info, selfCheck, path, vocabSize);
      // the self-check left its tokens in sequence 0's cache
      engine.slotTokens[0] = tokens;
      return engine;
    } catch (e) {
      await child?.close();
      await tokenizer.close();
      throw e;
    }
  }

  /** A request longer than the context: node-llama-cpp would shift the context (drop its start) and score something else. */
  private checkLength(tokens: readonly number[]): void {
    if (tokens.length > this.runtime.contextSize) {
      throw new YardstickError('engine', `a request of ${tokens.length} tokens exceeds the llama.cpp context of ${this.runtime.contextSize} for ${this.path}`, {
        hint: 'raise max_length (--model-args max_length=N)',
      });
    }
  }

  /** Runs each job on its sequence; sequences run concurrently, a sequence's jobs in order. */
  private async onSlots<T>(mode: 'score' | 'generate', inputs: number[][], run: (slot: number, index: number) => Promise<T>): Promise<T[]> {
    const slots = assignSlots(inputs, this.slotTokens, mode);
    const results = new Array<T>(inputs.length);
    const queues = this.slotTokens.map((_, s) => slots.flatMap((slot, i) => (slot === s ? [i] : [])));
    await Promise.all(
      queues.map(async (queue, slot) => {
        for (const i of queue) results[i] = await run(slot, i);
      }),
    );
    return results;
  }

  async scoreBatch(batch: ScoreInput[]): Promise<ScoreResult[][]> {
    if (this.closed) throw closedError('gguf');
    checkScoreBatch(batch, this.vocabSize, 'gguf');
    for (const r of batch) this.checkLength(r.input);
    return this.onSlots(
      'score',
      batch.map((r) => r.input),
      async (slot, i) => {
        const { input, continuations } = batch[i]!;
        const L = input.length;
        // every token any continuation needs at each position, scored in one pass
        const wanted = new Map<number, Set<number>>();
        for (const c of continuations) c.forEach((t, k) => {
          const index = L - c.length + k;
          if (!wanted.has(index)) wanted.set(index, new Set());
          wanted.get(index)!.add(t);
        });
        const positions = [...wanted.entries()].sort((a, b) => a[0] - b[0]).map(([index, targets]) => ({ index, targets: [...targets] }));
        const scored = positions.length > 0 ? await this.child.score(slot, input, positions) : [];
        const at = new Map(positions.map((p, k) => [p.index, { targets: p.targets, ...scored[k]! }]));
        return continuations.map((c) => {
          const tokenLogprobs: number[] = [];
          let isGreedy = true;
          c.forEach((t, k) => {
            const s = at.get(L - c.length + k)!;
            tokenLogprobs.push(s.logprobs[s.targets.indexOf(t)]!);
            if (s.argmax !== t) isGreedy = false;
          });
          let logprob = 0;
          for (const lp of tokenLogprobs) logprob += lp;
          return { logprob, isGreedy, tokenLogprobs };
        });
      },
    );
  }

  async generateBatch(batch: GenerateRequest[]): Promise<GenerateResult[]> {
    if (this.closed) throw closedError('gguf');
    checkGenerateBatch(batch, this.vocabSize, 'gguf');
    for (const r of batch) this.checkLength(r.input);
    const eos = this.tokenizer.eosTokenId;
    return this.onSlots(
      'generate',
      batch.map((r) => r.input),
      async (slot, i) => {
        const r = batch[i]!;
        const stopTokenCounts = r.until.map((s) => this.tokenizer.encode(s, false).length + 2);
        const tokens = [...r.input];
        const generated: number[] = [];
        let done = r.maxNewTokens <= 0;
        while (!done) {
          if (tokens.length >= this.runtime.contextSize) break;
          const token = await this.child.next(slot, tokens);
          tokens.push(token);
          generated.push(token);
          // lm-eval's stop rule: EOS, the token budget, or a stop string in the last few tokens' text
          if (token === eos || generated.length >= r.maxNewTokens) done = true;
          else {
            done = r.until.some((stop, s) => stop !== '' && this.tokenizer.decode(generated.slice(-stopTokenCounts[s]!), false).includes(stop));
          }
        }
        this.slotTokens[slot] = tokens;
        return { tokens: generated };
      },
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.child.close();
    await this.tokenizer.close();
  }
}

