// Progress for long jobs: a live line on a TTY (done/total, tokens/s, ETA), plain lines
// otherwise (at most one every few seconds, so logs stay readable).
import type { Progress } from '../engines/scheduler.js';

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

export class ProgressReporter {
  private start = 0;
  private phase = '';
  private lastLine = 0;
  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs = 5000,
  ) {}

  update(phase: string, p: Progress): void {
    const now = Date.now();
    if (phase !== this.phase) {
      this.finishLine();
      this.phase = phase;
      this.start = now;
      this.lastLine = 0;
    }
    const elapsed = (now - this.start) / 1000;
    const rate = elapsed > 0 ? p.tokens / elapsed : 0;
    const eta = p.done > 0 ? (elapsed / p.done) * (p.total - p.done) : Infinity;
    const line = `${phase}: ${p.done}/${p.total} requests, ${Math.round(rate)} tokens/s, ETA ${clock(eta)}`;
    if (this.stream.isTTY) {
      this.stream.write(`\r${line}\x1b[K`);
      if (p.done === p.total) this.finishLine();
    } else if (p.done === p.total || now - this.lastLine >= this.intervalMs) {
      this.stream.write(`${line}\n`);
      this.lastLine = now;
    }
  }

  private finishLine(): void {
    if (this.stream.isTTY && this.phase) this.stream.write('\n');
    this.phase = '';
  }
}
