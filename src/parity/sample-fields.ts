// Reads the fields of one --log_samples record (spec §13) into typed values: the requests' arguments,
// the filtered responses (str()-ed Python floats and bools), and the per-document metric values.
import { isRecord, type SampleRecord } from '../report/run-folder.js';

export interface LoggedRequest {
  /** arg_0: the context string */
  context: string;
  /** arg_1: the continuation (loglikelihood) or the generation kwargs (generate_until), as logged */
  second: unknown;
}

export type LoggedResponse =
  | { kind: 'loglikelihood'; text: string; value: number; greedy: boolean | null; greedyText: string }
  | { kind: 'generation'; text: string }
  | { kind: 'other'; text: string };

/** The requests in gen_args_<i> order. Accepts a plain list too (some older logs). */
export function loggedRequests(s: SampleRecord): LoggedRequest[] {
  const args = s.arguments;
  const one = (v: unknown): LoggedRequest => {
    if (Array.isArray(v)) return { context: String(v[0] ?? ''), second: v[1] };
    if (isRecord(v)) return { context: String(v.arg_0 ?? ''), second: v.arg_1 };
    return { context: String(v ?? ''), second: undefined };
  };
  if (Array.isArray(args)) return args.map(one);
  if (!isRecord(args)) return [];
  const keys = Object.keys(args)
    .filter((k) => /^gen_args_\d+$/.test(k))
    .sort((a, b) => Number(a.slice(9)) - Number(b.slice(9)));
  return keys.map((k) => one(args[k]));
}

/** Python float text (`str(float)`) → number: "-1.5", "-1e-05", "-inf", "nan". */
export function parsePyFloat(text: string): number {
  const t = text.trim();
  if (t === 'inf' || t === 'Infinity') return Infinity;
  if (t === '-inf' || t === '-Infinity') return -Infinity;
  if (t === 'nan' || t === 'NaN') return NaN;
  return t === '' ? NaN : Number(t);
}

function parseResponse(r: unknown): LoggedResponse {
  // loglikelihood: ["-1.2345", "False"] (lm-eval str()s every leaf; accept raw numbers/bools as well)
  if (Array.isArray(r) && r.length === 2 && (typeof r[0] === 'string' || typeof r[0] === 'number') && (typeof r[1] === 'string' || typeof r[1] === 'boolean')) {
    const text = String(r[0]);
    const value = typeof r[0] === 'number' ? r[0] : parsePyFloat(r[0]);
    if (!Number.isNaN(value) || /nan/i.test(text)) {
      const g = typeof r[1] === 'boolean' ? r[1] : r[1] === 'True' ? true : r[1] === 'False' ? false : null;
      return { kind: 'loglikelihood', text, value, greedy: g, greedyText: String(r[1]) };
    }
  }
  if (typeof r === 'string') return { kind: 'generation', text: r };
  if (Array.isArray(r) && r.length === 1 && typeof r[0] === 'string') return { kind: 'generation', text: r[0] };
  return { kind: 'other', text: JSON.stringify(r) };
}

/** The filtered response of each request (falls back to the first raw response). */
export function loggedResponses(s: SampleRecord): LoggedResponse[] {
  if (Array.isArray(s.filtered_resps)) return s.filtered_resps.map(parseResponse);
  if (Array.isArray(s.resps)) return s.resps.map((r) => parseResponse(Array.isArray(r) ? r[0] : r));
  return [];
}

/** Per-document metric values, in the record's `metrics` order. */
export function loggedMetrics(s: SampleRecord): Array<[string, unknown]> {
  const names = Array.isArray(s.metrics) ? s.metrics.map(String) : [];
  return names.map((m) => [m, s[m]]);
}

/** Structural equality of JSON values (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** The first key (in ours' order, then theirs' extra keys) whose values differ. */
export function firstDifferingField(a: unknown, b: unknown): string | null {
  if (!isRecord(a) || !isRecord(b)) return jsonEqual(a, b) ? null : '';
  for (const k of Object.keys(a)) if (!(k in b) || !jsonEqual(a[k], b[k])) return k;
  for (const k of Object.keys(b)) if (!(k in a)) return k;
  return null;
}
