// Seeded generators for the fuzz suite: every run draws the same inputs (mulberry32), so a
// failure names its seed and case number and reproduces exactly.
import { expect } from 'vitest';
import { YardstickError } from '../../src/errors.js';

export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** uniform in [0, 1) */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Mostly printable text, with the characters parsers trip on (quotes, braces, escapes, newlines, NUL, astral). */
  text(max = 12): string {
    const alphabet = ['a', 'b', 'z', ' ', '0', '7', '-', '.', ',', '"', "'", '\\', '{', '}', '[', ']', '(', ')', '$', '%', '#', ':', '|', '\n', '\t', '\r', '\u0000', 'é', '😀', '_', '=', '!', '^', '/'];
    let s = '';
    const n = this.int(max + 1);
    for (let i = 0; i < n; i++) s += this.pick(alphabet);
    return s;
  }

  /** A mutation of `base`: deletions, insertions, duplications, truncation. */
  mutate(base: string, edits = 3): string {
    let s = base;
    const n = 1 + this.int(edits);
    for (let i = 0; i < n; i++) {
      const at = this.int(s.length + 1);
      switch (this.int(5)) {
        case 0:
          s = s.slice(0, at) + s.slice(at + 1 + this.int(8));
          break;
        case 1:
          s = s.slice(0, at) + this.text(4) + s.slice(at);
          break;
        case 2: {
          const from = this.int(s.length + 1);
          s = s.slice(0, at) + s.slice(from, from + this.int(20)) + s.slice(at);
          break;
        }
        case 3:
          s = s.slice(0, at);
          break;
        default:
          s = s.slice(0, at) + this.pick(['null', '[]', '{}', '-1', '1e999', 'NaN', '""', '\n', ': ', '- ']) + s.slice(at);
      }
    }
    return s;
  }

  /** A JSON-able value of any shape. */
  value(depth = 2): unknown {
    switch (this.int(depth > 0 ? 8 : 6)) {
      case 0:
        return null;
      case 1:
        return this.int(5) - 1;
      case 2:
        return this.pick([0.5, -0, 1e308, Number.MAX_SAFE_INTEGER]);
      case 3:
        return this.chance(0.5);
      case 4:
      case 5:
        return this.text();
      case 6:
        return Array.from({ length: this.int(4) }, () => this.value(depth - 1));
      default:
        return Object.fromEntries(Array.from({ length: this.int(4) }, () => [this.pick(['a', 'text', 'label', 'x']), this.value(depth - 1)]));
    }
  }
}

/** Tallies a surface's outcomes; any exception other than a one-line YardstickError fails the test. */
export class Outcomes {
  results = 0;
  errors = 0;
  constructor(readonly surface: string) {}

  /** Runs one case: a value (checked by `check`) or a YardstickError, never anything else. */
  async case<T>(id: string, fn: () => T | Promise<T>, check: (value: T) => void = () => {}): Promise<void> {
    let value: T;
    try {
      value = await fn();
    } catch (e) {
      if (!(e instanceof YardstickError)) {
        throw new Error(`${this.surface} case ${id}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
      }
      expect(e.oneLine(), `${this.surface} case ${id}`).not.toContain('\n');
      this.errors++;
      return;
    }
    check(value);
    this.results++;
  }

  get total(): number {
    return this.results + this.errors;
  }

  report(): void {
    process.stdout.write(`fuzz ${this.surface}: ${this.total} inputs (${this.results} results, ${this.errors} one-line errors, 0 crashes)\n`);
    expect(this.total).toBeGreaterThanOrEqual(1000);
  }
}

/** "undefined" in an output is a silent bug unless the input itself said it. */
export function expectNoUndefined(output: string, input: string, where: string): void {
  if (!input.includes('undefined')) expect(output, where).not.toContain('undefined');
}
