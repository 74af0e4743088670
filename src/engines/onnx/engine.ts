// ONNX Runtime engine: a local HF model folder with onnx/model.onnx, fp32, right-padded batches,
// float64 log-softmax over the requested positions only.
import { cpus } from 'node:os';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { YardstickError } from '../../errors.js';
import { HfTokenizer } from '../hf-tokenizer.js';
import { maxLengthFor, readModelConfig, type ModelConfig } from '../model-folder.js';
import { scoreRow, scoreRowWithTop } from '../logsoftmax.js';
import { sha256Files } from '../fingerprint.js';
import type { Engine, GenerateRequest, GenerateResult, ModelInfo, ScoreInput, ScoreResult, TokenLogprob } from '../types.js';
import { greedyGenerate } from './generate.js';

export interface OnnxEngineOptions {
  maxLength?: number;
  threads?: number;
}

async function openSession(file: string, threads: number): Promise<ort.InferenceSession> {
  if (!existsSync(file)) {
    throw new YardstickError('model', `no ONNX export at ${file}`, {
      hint: 'the model folder needs onnx/model.onnx (yardstick make-model writes one; or export with optimum)',
    });
  }
  try {
    return await ort.InferenceSession.create(file, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
    });
  } catch (e) {
    const first = String((e as Error).message ?? e).split('\n')[0];
    throw new YardstickError('model', `cannot load ONNX model ${file}: ${first}`, {
      hint: 'the file is corrupt or not an ONNX model; re-create or re-export it',
    });
  }
}

type SessionKind = 'score' | 'generate';

const ORT_VERSION = (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version;

interface OpenSession {
  session: Promise<ort.InferenceSession>;
  /** calls running on it now */
  active: number;
}

export class OnnxEngine implements Engine {
  // ORT keeps a session's peak working memory (GiBs for a batch of 2048-token inputs) until the session
  // is released, so a run that scores and then generates would hold both peaks at once. A call of one
  // kind therefore releases the other kind's session when nothing is running on it; evaluate()
  // switches once per run.
  private readonly open = new Map<SessionKind, OpenSession>();

  private constructor(
    readonly info: ModelInfo,
    readonly tokenizer: HfTokenizer,
    readonly maxLength: number,
    scoring: ort.InferenceSession,
    private readonly dir: string,
    private readonly config: ModelConfig,
    private readonly threads: number,
  ) {
    this.open.set('score', { session: Promise.resolve(scoring), active: 0 });
  }

  static async load(dir: string, options: OnnxEngineOptions = {}): Promise<OnnxEngine> {
    const config = readModelConfig(dir);
    const tokenizer = HfTokenizer.fromFolder(dir);
    const threads = options.threads ?? Math.max(1, cpus().length);
    const session = await openSession(join(dir, 'onnx', 'model.onnx'), threads);
    for (const name of ['input_ids', 'attention_mask']) {
      if (!session.inputNames.includes(name)) {
        throw new YardstickError('model', `ONNX model in ${dir} has no '${name}' input (inputs: ${session.inputNames.join(', ')})`, {
          hint: 'export a causal LM with input_ids, attention_mask, position_ids -> logits',
        });
      }
    }
    const maxLength = maxLengthFor(config, tokenizer.modelMaxLength, options.maxLength);
    const onnxDir = join(dir, 'onnx');
    const weightFiles = readdirSync(onnxDir)
      .filter((f) => f.startsWith('model.onnx') || f.startsWith('model_with_past.onnx') || f.endsWith('.onnx_data') || f.endsWith('.data'))
      .map((f) => join(onnxDir, f));
    const info: ModelInfo = {
      name: dir,
      engine: 'onnx',
      dtype: 'float32',
      numParameters: undefined,
      fingerprint: {
        engine: 'onnx',
        engineVersion: `onnxruntime-node ${ORT_VERSION}`,
        weights: await sha256Files(weightFiles),
        tokenizer: tokenizer.sha256,
        dtype: 'float32',
        settings: { max_length: maxLength },
      },
    };
    return new OnnxEngine(info, tokenizer, maxLength, session, dir, config, threads);
  }

  /** Runs `use` on the session for `kind`, opening it (and releasing an idle one of the other kind) first. */
  private async withSession<T>(kind: SessionKind, use: (session: ort.InferenceSession) => Promise<T>): Promise<T> {
    // every state change happens before the first await, so concurrent calls see a consistent map
    const otherKind: SessionKind = kind === 'score' ? 'generate' : 'score';
    const other = this.open.get(otherKind);
    let released: Promise<void> | undefined;
    if (other && other.active === 0) {
      this.open.delete(otherKind);
      released = other.session.then((s) => s.release(), () => undefined);
    }
    let entry = this.open.get(kind);
    if (!entry) {
      const file = join(this.dir, 'onnx', kind === 'score' ? 'model.onnx' : 'model_with_past.onnx');
      const opened: OpenSession = { session: openSession(file, this.threads), active: 0 };
      // a failed open is not kept: the next call tries again
      opened.session.catch(() => this.open.get(kind) === opened && this.open.delete(kind));
      this.open.set(kind, opened);
      entry = opened;
    }
    entry.active++;
    try {
      await released;
      return await use(await entry.session);
    } finally {
      entry.active--;
    }
  }

  scoreBatch(batch: ScoreInput[]): Promise<ScoreResult[][]> {
    return this.withSession('score', (session) => this.score(session, batch));
  }

  private async score(session: ort.InferenceSession, batch: ScoreInput[]): Promise<ScoreResult[][]> {
    const B = batch.length;
    const T = Math.max(...batch.map((r) => r.input.length));
    const ids = new BigInt64Array(B * T).fill(BigInt(this.tokenizer.padTokenId));
    const mask = new BigInt64Array(B * T);
    const positions = new BigInt64Array(B * T);
    batch.forEach((r, b) => {
      r.input.forEach((t, i) => {
        ids[b * T + i] = BigInt(t);
        mask[b * T + i] = 1n;
      });
      for (let i = 0; i < T; i++) positions[b * T + i] = BigInt(i);
    });
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', ids, [B, T]),
      attention_mask: new ort.Tensor('int64', mask, [B, T]),
    };
    if (session.inputNames.includes('position_ids')) feeds.position_ids = new ort.Tensor('int64', positions, [B, T]);
    const out = await session.run(feeds);
    const logits = out.logits ?? out[session.outputNames[0]!];
    if (!logits) throw new YardstickError('engine', `ONNX model in ${this.dir} produced no logits output`);
    const data = logits.data as Float32Array;
    const V = logits.dims[2]!;
    return batch.map((r, b) =>
      r.continuations.map((continuation) => {
        const L = r.input.length;
        const C = continuation.length;
        const tokenLogprobs: number[] = [];
        const k = r.topLogprobs ?? 0;
        const top: TokenLogprob[][] = [];
        let isGreedy = true;
        for (let t = 0; t < C; t++) {
          const offset = (b * T + L - C + t) * V;
          let scored: { logprob: number; isArgmax: boolean };
          if (k > 0) {
            const withTop = scoreRowWithTop(data, offset, V, continuation[t]!, k);
            top.push(withTop.top);
            scored = withTop;
          } else scored = scoreRow(data, offset, V, continuation[t]!);
          tokenLogprobs.push(scored.logprob);
          if (!scored.isArgmax) isGreedy = false;
        }
        let logprob = 0;
        for (const lp of tokenLogprobs) logprob += lp;
        return k > 0 ? { logprob, isGreedy, tokenLogprobs, topLogprobs: top } : { logprob, isGreedy, tokenLogprobs };
      }),
    );
  }

  generateBatch(batch: GenerateRequest[]): Promise<GenerateResult[]> {
    return this.withSession('generate', (session) => greedyGenerate(session, this.config, this.tokenizer, batch));
  }

  async close(): Promise<void> {
    const sessions = [...this.open.values()];
    this.open.clear();
    for (const { session } of sessions) await session.then((s) => s.release(), () => undefined);
  }

  /** rows of the output embedding (config vocab_size), which may exceed the tokenizer's size */
  get vocab(): number {
    return Number(this.config.vocab_size);
  }
}
