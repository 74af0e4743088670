// Timing for the bench scripts: the fastest of several runs, the span and total of an engine's calls,
// and the machine's load average to print beside a timing.
import { readFileSync } from 'node:fs';

/** The fastest of `repeat` runs of `run`, in seconds (no warm-up: the caller runs one first if it wants). */
export async function fastestSeconds(repeat: number, run: () => Promise<unknown>): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    await run();
    min = Math.min(min, (performance.now() - t0) / 1000);
  }
  return min;
}

/** Times the engine calls made through it: how many, the seconds inside them, and first start to last end. */
export class EngineClock {
  calls = 0;
  engineSeconds = 0;
  private firstStart = 0;
  private lastEnd = 0;

  reset(): void {
    this.calls = this.engineSeconds = this.firstStart = this.lastEnd = 0;
  }

  async time<T>(work: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    if (this.firstStart === 0) this.firstStart = t0;
    const out = await work();
    this.lastEnd = performance.now();
    this.engineSeconds += (this.lastEnd - t0) / 1000;
    this.calls += 1;
    return out;
  }

  /** Seconds from the first call's start to the last call's end. */
  get spanSeconds(): number {
    return (this.lastEnd - this.firstStart) / 1000;
  }
}

/** The 1, 5 and 15 minute load averages (Linux), as /proc/loadavg gives them. */
export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}
