// Log-likelihood drift: how far each run's per-request log-likelihoods move from the baseline's (run 0) on
// the same requests, beside the accuracy cost. The question it answers is "how much does this Q4 quant
// lose": per task the main metric's difference with its paired verdict, and the median and max |Δ| nats
// over loglikelihood and loglikelihood_rolling requests matched by document and request index.
import type { Comparison } from './build.js';
import type { SampleRecord } from '../run-folder.js';
import { isRecord } from '../run-folder.js';
import { effectCells, effectHeader, effectsAgainstBase, formatEffect, matchedOf, mdRow, rowName, type TaskEffect } from './task-effects.js';
import { formatNumber, formatPValue } from '../format.js';

export interface Drift {
  /** requests compared (both runs logged a log-likelihood for the same arguments) */
  requests: number;
  medianAbs: number;
  maxAbs: number;
  /** requests left out because their arguments differ between the runs */
  differing: number;
}

export interface DriftLine {
  effect: TaskEffect;
  /** null: no log-likelihood requests in both sample logs (generate_until, or no sample logs) */
  drift: Drift | null;
}

export interface DriftTable {
  base: string;
  other: string;
  otherIndex: number;
  lines: DriftLine[];
  /** over every compared request of every task */
  overall: Drift | null;
  summary: string;
}

export interface DriftView {
  tables: DriftTable[];
  /** what the runs' model fingerprints say about comparing them as one model */
  modelNote: string;
}

type RequestLl = { args: string; ll: number } | { args: string; ll: null };

/** A logged float: lm-eval writes str(float) ("-1.5", "-inf", "nan"); older logs hold numbers. */
function pyFloat(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return null;
  const s = v.trim().toLowerCase();
  if (s === 'inf' || s === 'infinity') return Infinity;
  if (s === '-inf' || s === '-infinity') return -Infinity;
  if (s === 'nan') return NaN;
  const x = Number(s);
  return s !== '' && !Number.isNaN(x) ? x : null;
}

/**
 * Each request's arguments (as a comparable key) and log-likelihood: loglikelihood requests
 * (context, continuation) log [ll, is_greedy], loglikelihood_rolling requests (text) log ll;
 * generate_until requests (context, kwargs) have none.
 */
export function requestLogLikelihoods(s: SampleRecord): RequestLl[] {
  const args = s.arguments;
  const list: unknown[] = Array.isArray(args)
    ? args
    : isRecord(args)
      ? Object.entries(args)
          .sort(([a], [b]) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')))
          .map(([, v]) => v)
      : [];
  const resps = Array.isArray(s.resps) ? s.resps : null;
  const filtered = Array.isArray(s.filtered_resps) ? s.filtered_resps : null;
  return list.map((a, i) => {
    const parts = Array.isArray(a) ? a : isRecord(a) ? [a.arg_0, ...('arg_1' in a ? [a.arg_1] : [])] : [];
    const key = JSON.stringify(parts);
    if (typeof parts[0] !== 'string' || (parts.length > 1 && typeof parts[1] !== 'string')) return { args: key, ll: null };
    // resps[i] holds the raw responses of request i (one per repeat); filtered_resps[i] the filtered one
    let r: unknown = resps ? (Array.isArray(resps[i]) ? (resps[i] as unknown[])[0] : undefined) : filtered?.[i];
    if (r === undefined && filtered) r = filtered[i];
    const leaf = Array.isArray(r) ? r[0] : r;
    return { args: key, ll: pyFloat(leaf) };
  });
}

function median(sorted: readonly number[]): number {
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

function summarise(abs: number[], differing: number): Drift | null {
  if (abs.length === 0) return null;
  const sorted = [...abs].sort((a, b) => a - b);
  return { requests: sorted.length, medianAbs: median(sorted), maxAbs: sorted[sorted.length - 1]!, differing };
}

/** |ll(other) − ll(base)| per request of the leaf tasks' matched documents, and how many differ in arguments. */
export function driftValues(c: Comparison, leaves: readonly string[], other: number): { abs: number[]; differing: number } {
  const abs: number[] = [];
  let differing = 0;
  for (const task of leaves) {
    const m = matchedOf(c, task, 'none');
    if (!m) continue;
    m.samples[0]!.forEach((s0, k) => {
      const a = requestLogLikelihoods(s0);
      const b = requestLogLikelihoods(m.samples[other]![k]!);
      for (let j = 0; j < Math.min(a.length, b.length); j++) {
        const ra = a[j]!;
        const rb = b[j]!;
        if (ra.ll === null || rb.ll === null) continue;
        if (ra.args !== rb.args) {
          differing++;
          continue;
        }
        // two equal infinities (an impossible continuation in both) did not move
        const d = ra.ll === rb.ll ? 0 : Math.abs(rb.ll - ra.ll);
        if (!Number.isNaN(d)) abs.push(d);
      }
    });
  }
  return { abs, differing };
}

export function buildDriftView(c: Comparison): DriftView | null {
  // drift between different models (another size, another tokenizer) is their difference, not a precision's cost
  if (differentModels(c)) return null;
  const tables: DriftTable[] = [];
  for (let other = 1; other < c.labels.length; other++) {
    const all: number[] = [];
    let allDiffering = 0;
    const lines = effectsAgainstBase(c, other).map((effect): DriftLine => {
      const { abs, differing } = driftValues(c, effect.leaves, other);
      all.push(...abs);
      allDiffering += differing;
      return { effect, drift: summarise(abs, differing) };
    });
    const overall = summarise(all, allDiffering);
    const table: DriftTable = { base: c.labels[0]!, other: c.labels[other]!, otherIndex: other, lines, overall, summary: '' };
    table.summary = driftSummary(table);
    tables.push(table);
  }
  if (!tables.some((t) => t.overall !== null)) return null;
  return { tables, modelNote: modelNote(c) };
}

/** Nats, by magnitude: "0.1234", "2.4e-6" style via formatNumber with 3 digits. */
export function formatNats(x: number): string {
  return formatNumber(x, { digits: 3 });
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** "q4 against fp32: worse on 3 of 5 tasks, significantly on 1 (LAMBADA acc −4.17 points, p=0.0031); …" */
function driftSummary(t: DriftTable): string {
  const effects = t.lines.map((l) => l.effect).filter((e) => e.difference !== null);
  const worse = effects.filter((e) => e.difference !== 0 && (e.row.higherIsBetter ? e.difference! < 0 : e.difference! > 0));
  const sigWorse = effects.filter((e) => e.significant === 'worse').sort((a, b) => b.size - a.size);
  const sigBetter = effects.filter((e) => e.significant === 'better');
  const parts = [`${t.other} against ${t.base}: worse on ${worse.length} of ${plural(effects.length, 'task', 'tasks')}`];
  if (sigWorse.length > 0) {
    const e = sigWorse[0]!;
    parts[0] += `, significantly on ${sigWorse.length} (largest: ${rowName(e.row)} ${formatEffect(e.row, e.difference)}, ${formatPValue(e.test!.pValue)})`;
  } else {
    parts[0] += ', significantly on none';
  }
  if (sigBetter.length > 0) parts.push(`significantly better on ${sigBetter.length}`);
  if (t.overall) {
    parts.push(
      `log-likelihood drift per request: median ${formatNats(t.overall.medianAbs)} nats, max ${formatNats(t.overall.maxAbs)} nats ` +
        `(${plural(t.overall.requests, 'request', 'requests')})`,
    );
  } else {
    parts.push('no log-likelihood requests to compare');
  }
  return `${parts.join('; ')}.`;
}

function tokenizers(c: Comparison): Array<string | null> {
  return c.runs.map((r) => {
    const y = r.results.yardstick;
    const fp = isRecord(y) && isRecord(y.model_fingerprint) ? y.model_fingerprint : null;
    return fp && typeof fp.tokenizer === 'string' ? fp.tokenizer : null;
  });
}

/** config.model_num_parameters, which lm-eval and yardstick both record. */
function parameterCounts(c: Comparison): Array<number | null> {
  return c.runs.map((r) => {
    const config = r.results.config;
    const n = isRecord(config) ? config.model_num_parameters : null;
    return typeof n === 'number' && n > 0 ? n : null;
  });
}

const differ = <T>(values: Array<T | null>): boolean => new Set(values.filter((v) => v !== null)).size > 1;

/** Runs known to hold different models: their parameter counts differ. (Tokenizer fingerprints differ
 *  between engines for one model, e.g. a GGUF's own vocabulary against tokenizer.json, so they only inform the note.) */
export function differentModels(c: Comparison): boolean {
  return differ(parameterCounts(c));
}

/** Whether the runs are known to be one model (same parameter count, and the tokenizer), or why that is unknown. */
function modelNote(c: Comparison): string {
  if (parameterCounts(c).some((n) => n === null)) {
    return 'Not every results file records a parameter count, so whether the runs are one model in different precisions is not known; on different models the drift measures the models\' difference.';
  }
  const toks = tokenizers(c);
  if (toks.some((t) => t === null)) return 'Every run records the same parameter count: the drift is what the weights\' precision or the runtime changes.';
  if (differ(toks)) {
    return 'Every run records the same parameter count, but their tokenizer fingerprints differ (another engine\'s tokenizer, e.g. a GGUF\'s own vocabulary): the drift includes any tokenisation difference.';
  }
  return 'Every run records the same tokenizer and parameter count: the drift is what the weights\' precision or the runtime changes.';
}

/** Header and cells of one drift table (markdown and HTML share them). */
export function driftCells(t: DriftTable): { header: string[]; body: string[][] } {
  const header = [...effectHeader(t.base, t.other), 'median |Δ log-lik| (nats)', 'max |Δ log-lik| (nats)', 'Requests'];
  const body = t.lines.map(({ effect: e, drift }) => [
    ...effectCells(e),
    drift ? formatNats(drift.medianAbs) : '—',
    drift ? formatNats(drift.maxAbs) : '—',
    drift ? String(drift.requests) : '—',
  ]);
  return { header, body };
}

export const DRIFT_NOTE =
  'Δ log-lik: the other run\'s log-likelihood minus the baseline\'s for the same request (same document, same ' +
  'request index, same arguments), over loglikelihood and loglikelihood_rolling requests; "—" where a task has ' +
  'none (generate_until) or no sample logs. The verdict is the paired test of the task\'s metric on the same documents.';

export function driftMarkdown(view: DriftView): string {
  const parts: string[] = [];
  for (const t of view.tables) {
    const { header, body } = driftCells(t);
    const align = header.map((_, i) => (i < 2 || i === 5 ? '---' : '---:'));
    parts.push(
      `## Accuracy cost and log-likelihood drift: ${t.other} against ${t.base}\n\n${t.summary}\n\n` +
        [mdRow(header), `|${align.join('|')}|`, ...body.map(mdRow)].join('\n') +
        '\n',
    );
  }
  parts.push(`${DRIFT_NOTE} ${view.modelNote}\n`);
  return parts.join('\n');
}
