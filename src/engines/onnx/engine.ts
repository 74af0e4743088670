// ONNX Runtime engine: a scoring graph and a with-past graph (make-model's onnx/ folder, the hf
// engine's converted graphs, or one optimum export serving both), right-padded scoring batches, the
// LM head (where the graph allows) and float64 log-softmax over the requested positions only.
import { cpus } from 'node:os';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { YardstickError } from '../../errors.js';
import { disableOrtTelemetry } from './telemetry.js';
import { checkGenerateBatch, checkScoreBatch, closedError } from '../request-checks.js';
import { HfTokenizer } from '../hf-tokenizer.js';
import { maxLengthFor, readModelConfig, type ModelConfig } from '../model-folder.js';
import { sha256Files } from '../fingerprint.js';
import type { Engine, GenerateRequest, GenerateResult, ModelInfo, ScoreBatchOptions, ScoreInput, ScoreResult } from '../types.js';
import { greedyGenerate } from './generate.js';
import { emptyPastFeeds, logitsAsFloat32, scorePositionsFeed, takesScorePositions } from './past.js';
import { computePrefixPast, scoreAfterPrefix, type PrefixPast } from './prefix.js';
import { scoreContinuations } from './rows.js';

export interface OnnxEngineOptions {
  maxLength?: number;
  threads?: number;
  /** ask score_positions for every position (the LM-head cost of graphs before it; benchmarks) */
  scoreAllPositions?: boolean;
}

/** Where the graphs are and what to record about them; config.json and the tokenizer come from `dir`. */
export interface OnnxModelSource {
  dir: string;
  scoreGraph: string;
  /** the graph with past_key_values inputs; may be the scoring graph itself (optimum exports) */
  generateGraph: string;
  /** ModelInfo.name (lm-eval's model_name); default `dir` */
  name?: string;
  /** ModelInfo.engine and the fingerprint's engine; default 'onnx' */
  engine?: string;
  engineVersion?: string;
  /** content hash of the weights */
  weights: string;
  numParameters?: number;
  /** the precision the graph computes in; default: its logits' type */
  dtype?: string;
  /** resolved hub revision and commit, when the folder came from a hub */
  revision?: string;
  sha?: string;
  /** number-changing settings for the fingerprint, beside max_length */
  settings?: Record<string, string | number | boolean | null>;
}

function noExport(file: string): YardstickError {
  return new YardstickError('model', `no ONNX export at ${file}`, {
    hint: 'the model folder needs onnx/model.onnx (yardstick make-model writes one; or export with optimum)',
  });
}

async function openSession(file: string, threads: number): Promise<ort.InferenceSession> {
  disableOrtTelemetry();
  if (!existsSync(file)) throw noExport(file);
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
  /** what it was last used for: the with-past graph also scores after a shared prefix */
  purpose: Purpose;
}

/** scoring (plain, or after a shared prefix on the with-past graph) or generation */
type Purpose = 'score' | 'generate';

export class OnnxEngine implements Engine {
  // ORT keeps a session's peak working memory (GiBs for a batch of 2048-token inputs) until the session
  // is released, so a run that scores and then generates would hold both peaks at once. A generation
  // call therefore releases the scoring session, and a scoring call releases a with-past session last
  // used for generation, when nothing is running on it; evaluate() switches once per run. Scoring keeps
  // both open: prefix sharing interleaves plain batches and batches after a prefix, and reopening a
  // session costs seconds for a real model.
  readonly padsBatches = true;
  private readonly open = new Map<SessionKind, OpenSession>();
  private prefixPast: PrefixPast | undefined;
  private closed = false;

  private constructor(
    readonly info: ModelInfo,
    readonly tokenizer: HfTokenizer,
    readonly maxLength: number,
    scoring: ort.InferenceSession,
    private readonly source: OnnxModelSource,
    private readonly config: ModelConfig,
    private readonly threads: number,
    private readonly scoreAllPositions: boolean,
  ) {
    this.open.set('score', { session: Promise.resolve(scoring), active: 0, purpose: 'score' });
  }

  /** make-model's layout: DIR/onnx/model.onnx and DIR/onnx/model_with_past.onnx. */
  static async load(dir: string, options: OnnxEngineOptions = {}): Promise<OnnxEngine> {
    readModelConfig(dir); // a missing folder or config.json is reported before the ONNX files
    const onnxDir = join(dir, 'onnx');
    const weightFiles = existsSync(onnxDir)
      ? readdirSync(onnxDir)
          .filter((f) => f.startsWith('model.onnx') || f.startsWith('model_with_past.onnx') || f.endsWith('.onnx_data') || f.endsWith('.data'))
          .map((f) => join(onnxDir, f))
      : [];
    const scoreGraph = join(onnxDir, 'model.onnx');
    if (!existsSync(scoreGraph)) throw noExport(scoreGraph);
    return OnnxEngine.open(
      { dir, scoreGraph, generateGraph: join(onnxDir, 'model_with_past.onnx'), weights: await sha256Files(weightFiles) },
      options,
    );
  }

  static async open(source: OnnxModelSource, options: OnnxEngineOptions = {}): Promise<OnnxEngine> {
    const { dir } = source;
    const config = readModelConfig(dir);
    const tokenizer = HfTokenizer.fromFolder(dir);
    const threads = options.threads ?? Math.max(1, cpus().length);
    const session = await openSession(source.scoreGraph, threads);
    for (const name of ['input_ids', 'attention_mask']) {
      if (!session.inputNames.includes(name)) {
        await session.release();
        throw new YardstickError('model', `ONNX model ${source.scoreGraph} has no '${name}' input (inputs: ${session.inputNames.join(', ')})`, {
          hint: 'export a causal LM with input_ids, attention_mask, position_ids -> logits',
        });
      }
    }
    const maxLength = maxLengthFor(config, tokenizer.modelMaxLength, options.maxLength);
    const engine = source.engine ?? 'onnx';
    const logitsMeta = session.outputMetadata.find((m) => m.name === 'logits');
    // a config.json from another model would make every token id index the wrong logit row
    const logitsDim = logitsMeta?.isTensor ? logitsMeta.shape[logitsMeta.shape.length - 1] : undefined;
    if (typeof logitsDim === 'number' && config.vocab_size !== undefined && Number(config.vocab_size) !== logitsDim) {
      await session.release();
      throw new YardstickError('model', `${join(dir, 'config.json')} says vocab_size ${String(config.vocab_size)} but ${source.scoreGraph} outputs ${logitsDim} logits per position`, {
        hint: 'the config.json belongs to another model; restore the one exported with this ONNX graph',
      });
    }
    const dtype = source.dtype ?? (logitsMeta?.isTensor && logitsMeta.type === 'float16' ? 'float16' : 'float32');
    const info: ModelInfo = {
      name: source.name ?? dir,
      engine,
      dtype,
      numParameters: source.numParameters,
      revision: source.revision,
      sha: source.sha,
      fingerprint: {
        engine,
        engineVersion: source.engineVersion ?? `onnxruntime-node ${ORT_VERSION}`,
        weights: source.weights,
        tokenizer: tokenizer.sha256,
        dtype,
        settings: { max_length: maxLength, ...source.settings },
      },
    };
    return new OnnxEngine(info, tokenizer, maxLength, session, source, config, threads, options.scoreAllPositions ?? false);
  }

  /** Runs `use` on the session for `kind`, opening it (and releasing an idle one of the other kind) first. */
  private async withSession<T>(requested: SessionKind, purpose: Purpose, use: (session: ort.InferenceSession) => Promise<T>): Promise<T> {
    // one graph for both (an optimum export): one session
    const kind: SessionKind = this.source.scoreGraph === this.source.generateGraph ? 'score' : requested;
    // every state change happens before the first await, so concurrent calls see a consistent map
    const otherKind: SessionKind = kind === 'score' ? 'generate' : 'score';
    const other = this.open.get(otherKind);
    let released: Promise<void> | undefined;
    if (other && other.active === 0 && otherKind !== kind && (purpose === 'generate' || other.purpose === 'generate')) {
      this.open.delete(otherKind);
      released = other.session.then((s) => s.release(), () => undefined);
    }
    let entry = this.open.get(kind);
    if (!entry) {
      const file = kind === 'score' ? this.source.scoreGraph : this.source.generateGraph;
      const opened: OpenSession = { session: openSession(file, this.threads), active: 0, purpose };
      // a failed open is not kept: the next call tries again
      opened.session.catch(() => this.open.get(kind) === opened && this.open.delete(kind));
      this.open.set(kind, opened);
      entry = opened;
    }
    entry.active++;
    entry.purpose = purpose;
    try {
      await released;
      return await use(await entry.session);
    } finally {
      entry.active--;
    }
  }

  async scoreBatch(batch: ScoreInput[], options: ScoreBatchOptions = {}): Promise<ScoreResult[][]> {
    if (this.closed) throw closedError('onnx');
    checkScoreBatch(batch, this.vocab, 'onnx');
    return this.withSession('score', 'score', (session) => this.score(session, batch, options.padTo ?? 0));
  }

  private async score(session: ort.InferenceSession, batch: ScoreInput[], padTo: number): Promise<ScoreResult[][]> {
    const B = batch.length;
    // right padding is masked out of every real position's attention, so a bucketed length only adds work
    const T = Math.max(Math.min(padTo, this.maxLength), ...batch.map((r) => r.input.length));
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
    // a graph with past inputs (an optimum export) scores with an empty past
    Object.assign(feeds, emptyPastFeeds(session, this.config, B));
    // Our scoring graphs (make-model, converted safetensors) run the LM head only on the rows we
    // score; older folders and optimum exports return [B, T, vocab] and are read the same way.
    const scoredOnly = takesScorePositions(session);
    const firstRow: number[] = [];
    const rows: number[] = [];
    batch.forEach((r, b) => {
      const L = r.input.length;
      const C = this.scoreAllPositions ? L : Math.max(0, ...r.continuations.map((c) => c.length));
      firstRow.push(scoredOnly ? rows.length - (L - C) : b * T);
      if (scoredOnly) for (let t = L - C; t < L; t++) rows.push(b * T + t);
      // the old graphs' LM head also ran on padding
      if (scoredOnly && this.scoreAllPositions) for (let t = L; t < T; t++) rows.push(b * T + t);
    });
    Object.assign(feeds, scorePositionsFeed(session, rows));
    const logitsName = session.outputNames.includes('logits') ? 'logits' : session.outputNames[0]!;
    const out = await session.run(feeds, [logitsName]);
    const logits = out[logitsName];
    if (!logits) throw new YardstickError('engine', `ONNX model ${this.source.scoreGraph} produced no logits output`);
    const data = logitsAsFloat32(logits);
    const V = logits.dims[logits.dims.length - 1]!;
    // the logits row of input position i of batch row b is firstRow[b] + i
    return batch.map((r, b) => scoreContinuations(data, V, r, (i) => firstRow[b]! + i));
  }

  /** The prefix runs once on the with-past graph; its cache (the last one asked for) serves every batch after it. */
  async scoreSharedPrefix(prefix: number[], batch: ScoreInput[], options: ScoreBatchOptions = {}): Promise<ScoreResult[][]> {
    if (this.closed) throw closedError('onnx');
    checkScoreBatch(batch, this.vocab, 'onnx');
    if (!existsSync(this.source.generateGraph)) return this.scoreBatch(batch);
    return this.withSession('generate', 'score', async (session) => {
      const key = prefix.join(',');
      if (this.prefixPast?.key !== key) {
        this.prefixPast = undefined; // release the old cache before computing the new one
        this.prefixPast = await computePrefixPast(session, this.config, prefix);
      }
      return scoreAfterPrefix(session, this.prefixPast, batch, this.tokenizer.padTokenId, options.padTo ?? 0);
    });
  }

  async generateBatch(batch: GenerateRequest[]): Promise<GenerateResult[]> {
    if (this.closed) throw closedError('onnx');
    checkGenerateBatch(batch, this.vocab, 'onnx');
    return this.withSession('generate', 'generate', (session) => greedyGenerate(session, this.config, this.tokenizer, batch));
  }

  async close(): Promise<void> {
    this.prefixPast = undefined;
    this.closed = true;
    const sessions = [...this.open.values()];
    this.open.clear();
    for (const { session } of sessions) await session.then((s) => s.release(), () => undefined);
  }

  /** rows of the output embedding (config vocab_size), which may exceed the tokenizer's size */
  get vocab(): number {
    return Number(this.config.vocab_size);
  }
}
