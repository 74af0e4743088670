// Typed errors: every failure a user can cause carries what went wrong, where, and what to do.
// The CLI prints `message` (plus `hint`) as one line; stack traces only with --verbose.

export type ErrorKind =
  | 'usage'
  | 'task'
  | 'data'
  | 'model'
  | 'engine'
  | 'network'
  | 'template'
  | 'cache'
  | 'internal';

export class YardstickError extends Error {
  readonly kind: ErrorKind;
  readonly hint?: string;

  constructor(kind: ErrorKind, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'YardstickError';
    this.kind = kind;
    this.hint = options.hint;
  }

  /** The one line the CLI prints. */
  oneLine(): string {
    return this.hint ? `${this.message}; ${this.hint}` : this.message;
  }
}

export function isYardstickError(e: unknown): e is YardstickError {
  return e instanceof YardstickError;
}

/** Suggest close names (edit distance), e.g. for an unknown task. */
export function closeMatches(name: string, candidates: Iterable<string>, max = 3): string[] {
  const scored: Array<[number, string]> = [];
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    const limit = Math.max(2, Math.floor(name.length / 3));
    if (d <= limit || c.toLowerCase().includes(name.toLowerCase())) scored.push([d, c]);
  }
  scored.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
  return scored.slice(0, max).map(([, c]) => c);
}

function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}
