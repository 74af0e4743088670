// Gathers the scoring and generation work of concurrent HTTP requests for a few milliseconds and
// hands it to the engine as one batch (equal inputs share one forward pass), one batch at a time.
// When a batch fails, its requests are retried one by one, so one bad prompt fails only itself.
import type { Engine, GenerateRequest, GenerateResult, ScoreInput, ScoreResult } from '../engines/types.js';

interface ScoreJob {
  kind: 'score';
  input: number[];
  continuation: number[];
  topLogprobs: number;
  resolve: (r: ScoreResult) => void;
  reject: (e: unknown) => void;
}

interface GenerateJob {
  kind: 'generate';
  request: GenerateRequest;
  resolve: (r: GenerateResult) => void;
  reject: (e: unknown) => void;
}

type Job = ScoreJob | GenerateJob;

export interface BatcherOptions {
  /** how long the first request of a batch waits for company */
  windowMs: number;
  /** engine inputs per engine call */
  maxBatch: number;
}

export class EngineBatcher {
  private queue: Job[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  /** engine calls made, and the jobs they carried: how much batching happened */
  readonly counts = { engineCalls: 0, jobs: 0 };

  constructor(
    private readonly engine: Engine,
    private readonly options: BatcherOptions,
  ) {}

  score(input: number[], continuation: number[], topLogprobs: number): Promise<ScoreResult> {
    return new Promise((resolve, reject) => this.add({ kind: 'score', input, continuation, topLogprobs, resolve, reject }));
  }

  generate(request: GenerateRequest): Promise<GenerateResult> {
    return new Promise((resolve, reject) => this.add({ kind: 'generate', request, resolve, reject }));
  }

  private add(job: Job): void {
    this.queue.push(job);
    this.counts.jobs++;
    if (this.running || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain();
    }, this.options.windowMs);
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const jobs = this.queue;
        this.queue = [];
        await this.runScores(jobs.filter((j): j is ScoreJob => j.kind === 'score'));
        await this.runGenerations(jobs.filter((j): j is GenerateJob => j.kind === 'generate'));
      }
    } finally {
      this.running = false;
    }
  }

  private async runScores(jobs: ScoreJob[]): Promise<void> {
    // one engine input per distinct input; its continuations are the jobs' (deduplicated)
    const groups = new Map<string, { input: ScoreInput; jobs: Array<[ScoreJob, number]> }>();
    for (const job of jobs) {
      const key = job.input.join(',');
      let g = groups.get(key);
      if (!g) {
        g = { input: { input: job.input, continuations: [], topLogprobs: 0 }, jobs: [] };
        groups.set(key, g);
      }
      const contKey = job.continuation.join(',');
      let at = g.input.continuations.findIndex((c) => c.join(',') === contKey);
      if (at === -1) at = g.input.continuations.push(job.continuation) - 1;
      g.input.topLogprobs = Math.max(g.input.topLogprobs!, job.topLogprobs);
      g.jobs.push([job, at]);
    }
    const all = [...groups.values()].sort((a, b) => b.input.input.length - a.input.input.length);
    for (let start = 0; start < all.length; start += this.options.maxBatch) {
      const chunk = all.slice(start, start + this.options.maxBatch);
      const settle = (g: (typeof all)[number], out: ScoreResult[]): void => g.jobs.forEach(([job, at]) => job.resolve(out[at]!));
      try {
        this.counts.engineCalls++;
        const out = await this.engine.scoreBatch(chunk.map((g) => g.input));
        chunk.forEach((g, i) => settle(g, out[i]!));
      } catch (error) {
        for (const g of chunk) {
          if (chunk.length === 1) {
            g.jobs.forEach(([job]) => job.reject(error));
            continue;
          }
          try {
            this.counts.engineCalls++;
            settle(g, (await this.engine.scoreBatch([g.input]))[0]!);
          } catch (alone) {
            g.jobs.forEach(([job]) => job.reject(alone));
          }
        }
      }
    }
  }

  private async runGenerations(jobs: GenerateJob[]): Promise<void> {
    for (let start = 0; start < jobs.length; start += this.options.maxBatch) {
      const chunk = jobs.slice(start, start + this.options.maxBatch);
      try {
        this.counts.engineCalls++;
        const out = await this.engine.generateBatch(chunk.map((j) => j.request));
        chunk.forEach((j, i) => j.resolve(out[i]!));
      } catch (error) {
        for (const j of chunk) {
          if (chunk.length === 1) {
            j.reject(error);
            continue;
          }
          try {
            this.counts.engineCalls++;
            j.resolve((await this.engine.generateBatch([j.request]))[0]!);
          } catch (alone) {
            j.reject(alone);
          }
        }
      }
    }
  }

  /** Fails whatever is still waiting (the server is shutting down). */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const job of this.queue.splice(0)) job.reject(new Error('the server is shutting down'));
  }
}
