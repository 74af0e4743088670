// Progress for long jobs: a live line on a TTY (task, done/total, tokens/s, ETA), plain lines
// otherwise (the first and last of each phase, and at most one every few seconds between, so logs
// stay readable). The ETA follows a smoothed recent rate and appears only once it means something.
import type { Progress } from '../engines/scheduler.js';

function clock(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** How quickly the smoothed rate follows the latest interval's rate (0..1). */
const SMOOTHING = 0.3;
/** No ETA before this much time or this share of the work has passed: early rates mislead. */
const ETA_AFTER_SECONDS = 3;
const ETA_AFTER_SHARE = 0.05;

export class ProgressReporter {
  private phase = '';
  private start = 0;
  private lastLine = 0;
  private lastSample = { t: 0, done: 0 };
  private rate = 0;
  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs = Number(process.env.YARDSTICK_PROGRESS_INTERVAL_MS ?? 5000),
  ) {}

  /** `phase` names what is running, e.g. "[3/57] mmlu_anatomy loglikelihood". */
  update(phase: string, p: Progress, unit = 'requests'): void {
    const now = Date.now();
    if (phase !== this.phase) {
      this.finishLine();
      this.phase = phase;
      this.start = now;
      this.lastLine = 0;
      this.lastSample = { t: now, done: p.done };
      this.rate = 0;
    }
    const dt = (now - this.lastSample.t) / 1000;
    if (dt >= 0.5 && p.done > this.lastSample.done) {
      const recent = (p.done - this.lastSample.done) / dt;
      this.rate = this.rate === 0 ? recent : SMOOTHING * recent + (1 - SMOOTHING) * this.rate;
      this.lastSample = { t: now, done: p.done };
    }
    const elapsed = (now - this.start) / 1000;
    const parts = [`${phase}: ${p.done}/${p.total} ${unit}`];
    if (p.tokens > 0 && elapsed > 0) parts.push(`${Math.round(p.tokens / elapsed)} tokens/s`);
    const meaningful = elapsed >= ETA_AFTER_SECONDS || (p.total > 0 && p.done / p.total >= ETA_AFTER_SHARE);
    if (p.done < p.total && this.rate > 0 && meaningful) parts.push(`ETA ${clock((p.total - p.done) / this.rate)}`);
    if (p.done === p.total) parts.push(`done in ${clock(elapsed)}`);
    const line = parts.join(', ');
    if (this.stream.isTTY) {
      this.stream.write(`\r${line}\x1b[K`);
      if (p.done === p.total) this.finishLine();
    } else if (this.lastLine === 0 || p.done === p.total || now - this.lastLine >= this.intervalMs) {
      this.stream.write(`${line}\n`);
      this.lastLine = now;
    }
  }

  private finishLine(): void {
    if (this.stream.isTTY && this.phase) this.stream.write('\n');
    this.phase = '';
  }
}
