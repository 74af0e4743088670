// The engine's side of the llama.cpp model process (llama-child.js): starts it, sends requests,
// matches answers, and turns a crash or an early exit into one YardstickError naming the file.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { YardstickError } from '../../errors.js';

export interface ChildInit {
  modelPath: string;
  /** false for CPU only; else node-llama-cpp's gpu option ('auto', 'cuda', 'vulkan', 'metal') */
  gpu: string | false;
  /** ggml type of the KV cache, e.g. 'F32' */
  kvType: string;
  /** tokens per sequence */
  contextSize: number;
  sequences: number;
  threads: number;
}

export interface ChildInfo {
  contextSize: number;
  sequences: number;
  gpu: string | false;
  gpuLayers: number;
  llamaCpp: string | null;
  flashAttention: boolean | 'auto';
  threads: number;
}

export interface PositionScores {
  /** float64 log-probabilities of the requested tokens at this position */
  logprobs: number[];
  argmax: number;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

const CHILD_SCRIPT = fileURLToPath(new URL('./llama-child.js', import.meta.url));
// the last lines the process wrote, for the error message when it dies
const STDERR_TAIL = 4000;

export class LlamaChild {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private stderr = '';
  private exited = false;
  private exitReason?: string;

  private constructor(
    private readonly proc: ChildProcess,
    private readonly modelPath: string,
  ) {
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL);
    });
    proc.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: string; logs?: string[] }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(this.failure(`llama.cpp failed on ${this.modelPath}: ${m.error}${m.logs?.length ? ` (${m.logs.at(-1)})` : ''}`));
    });
    proc.on('exit', (code, signal) => {
      this.exited = true;
      this.exitReason = signal ? `signal ${signal}` : `exit code ${code}`;
      const error = this.failure(`the llama.cpp process for ${this.modelPath} ended (${this.exitReason})${this.lastStderrLine()}`);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    });
    proc.on('error', (e) => {
      for (const p of this.pending.values()) p.reject(this.failure(`cannot run the llama.cpp process for ${this.modelPath}: ${e.message}`));
      this.pending.clear();
    });
  }

  static async start(init: ChildInit): Promise<{ child: LlamaChild; info: ChildInfo }> {
    if (!existsSync(CHILD_SCRIPT)) {
      throw new YardstickError('internal', `the llama.cpp process script is missing: ${CHILD_SCRIPT}`, { hint: 'rebuild (npm run build) so that it is copied next to the engine' });
    }
    const proc = fork(CHILD_SCRIPT, [], {
      serialization: 'advanced',
      // not the parent's flags (test runners add loaders the child must not inherit)
      execArgv: [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const child = new LlamaChild(proc, init.modelPath);
    try {
      const info = (await child.request({ op: 'init', ...init })) as ChildInfo;
      return { child, info };
    } catch (e) {
      child.kill();
      throw e;
    }
  }

  private failure(message: string): YardstickError {
    // llama.cpp's messages may span lines; the CLI prints one
    return new YardstickError('engine', message.replace(/\s*\n\s*/g, ' '), { hint: 'check the file with the same llama.cpp version, or run with fewer sequences/threads' });
  }

  /** The error line of what the process printed last (Node ends a crash report with its version). */
  private lastStderrLine(): string {
    const lines = this.stderr.trim().split('\n').map((l) => l.trim()).filter(Boolean);
    const line = [...lines].reverse().find((l) => /error/i.test(l)) ?? lines.at(-1);
    return line ? `: ${line.slice(0, 300)}` : '';
  }

  request(message: Record<string, unknown>): Promise<unknown> {
    if (this.exited) return Promise.reject(this.failure(`the llama.cpp process for ${this.modelPath} has ended (${this.exitReason})`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.proc.send({ ...message, id });
    });
  }

  /** Log-probabilities of `targets` at each position of `tokens` (prefix reuse on sequence `seq`). */
  async score(seq: number, tokens: number[], positions: Array<{ index: number; targets: number[] }>): Promise<PositionScores[]> {
    const r = (await this.request({ op: 'score', seq, tokens, positions })) as { positions: PositionScores[] };
    return r.positions;
  }

  /** The greedy next token after `tokens` on sequence `seq`. */
  async next(seq: number, tokens: number[]): Promise<number> {
    const r = (await this.request({ op: 'next', seq, tokens })) as { token: number };
    return r.token;
  }

  /** Asks the process to release the model and exit; kills it if it does not within a few seconds. */
  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    const timer = setTimeout(() => this.kill(), 5000);
    try {
      await this.request({ op: 'close' }).catch(() => undefined);
      await exited;
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): void {
    if (!this.exited) this.proc.kill('SIGKILL');
  }
}
