// Python's built-in `sum` over floats, which changed in CPython 3.12 (naive → Neumaier compensated).
// Every aggregation and stderr takes a `PythonVersion` so results match the Python that made the reference.

/** Numeric profile: '3.11' = CPython ≤ 3.11 (naive sum, our default), '3.12' = CPython ≥ 3.12 (Neumaier). */
export type PythonVersion = '3.11' | '3.12';

export const DEFAULT_PYTHON_VERSION: PythonVersion = '3.11';

/**
 * Maps a Python version string (e.g. `"3.10.12"`, `"3.13.0"`, or a `pretty_env_info` fragment like
 * `"Python version: 3.12.1 (main, ...)"`) to the numeric profile; undefined if no version is found.
 */
export function pythonVersionFromString(text: string): PythonVersion | undefined {
  const m = /(\d+)\.(\d+)(?:\.\d+)?/.exec(text);
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major !== 3) return undefined;
  return minor >= 12 ? '3.12' : '3.11';
}

/** CPython ≤ 3.11 `sum(floats)`: left to right, starting from 0. */
export function naiveSum(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
}

/** CPython ≥ 3.12 `sum(floats)`: Neumaier compensation, the compensation added once at the end. */
export function neumaierSum(values: ArrayLike<number>): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const t = s + x;
    if (Math.abs(s) >= Math.abs(x)) c += s - t + x;
    else c += x - t + s;
    s = t;
  }
  // CPython skips a zero or non-finite compensation (keeps -0.0 and avoids inf + -inf = nan).
  if (c !== 0 && Number.isFinite(c)) s += c;
  return s;
}

/** Python `sum(values)` of floats under the given profile. */
export function pySum(values: ArrayLike<number>, python: PythonVersion = DEFAULT_PYTHON_VERSION): number {
  return python === '3.12' ? neumaierSum(values) : naiveSum(values);
}
