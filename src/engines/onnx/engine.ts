// ONNX Runtime engine: a local HF model folder with onnx/model.onnx, fp32, right-padded batches,
// float64 log-softmax over the requested positions only.
import { cpus } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { YardstickError } from '../../errors.js';
import { ModelTokenizer } from '../tokenizer.js';
import { maxLengthFor, readModelConfig, type ModelConfig } from '../model-folder.js';
import { scoreRow } from '../logsoftmax.js';
import type { Engine, GenerateRequest, GenerateResult, ModelInfo, ScoreInput, ScoreResult } from '../types.js';
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

export class OnnxEngine implements Engine {
  private withPast: ort.InferenceSession | undefined;

  private constructor(
    readonly info: ModelInfo,
    readonly tokenizer: ModelTokenizer,
    readonly maxLength: number,
    private readonly session: ort.InferenceSession,
    private readonly dir: string,
    private readonly config: ModelConfig,
    private readonly threads: number,
  ) {}

  static async load(dir: string, options: OnnxEngineOptions = {}): Promise<OnnxEngine> {
    const config = readModelConfig(dir);
    const tokenizer = ModelTokenizer.fromFolder(dir);
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
    const info: ModelInfo = { name: dir, engine: 'onnx', dtype: 'float32', numParameters: undefined };
    return new OnnxEngine(info, tokenizer, maxLength, session, dir, config, threads);
  }

  private get vocabSize(): number {
    return Number(this.config.vocab_size);
  }

  async scoreBatch(batch: ScoreInput[]): Promise<ScoreResult[][]> {
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
    if (this.session.inputNames.includes('position_ids')) feeds.position_ids = new ort.Tensor('int64', positions, [B, T]);
    const out = await this.session.run(feeds);
    const logits = out.logits ?? out[this.session.outputNames[0]!];
    if (!logits) throw new YardstickError('engine', `ONNX model in ${this.dir} produced no logits output`);
    const data = logits.data as Float32Array;
    const V = logits.dims[2]!;
    return batch.map((r, b) =>
      r.continuations.map((continuation) => {
        const L = r.input.length;
        const C = continuation.length;
        const tokenLogprobs: number[] = [];
        let isGreedy = true;
        for (let t = 0; t < C; t++) {
          const { logprob, isArgmax } = scoreRow(data, (b * T + L - C + t) * V, V, continuation[t]!);
          tokenLogprobs.push(logprob);
          if (!isArgmax) isGreedy = false;
        }
        let logprob = 0;
        for (const lp of tokenLogprobs) logprob += lp;
        return { logprob, isGreedy, tokenLogprobs };
      }),
    );
  }

  async generateBatch(batch: GenerateRequest[]): Promise<GenerateResult[]> {
    if (!this.withPast) {
      this.withPast = await openSession(join(this.dir, 'onnx', 'model_with_past.onnx'), this.threads);
    }
    return greedyGenerate(this.withPast, this.config, this.tokenizer, batch);
  }

  async close(): Promise<void> {
    await this.session.release();
    await this.withPast?.release();
  }

  get vocab(): number {
    return this.vocabSize;
  }
}
