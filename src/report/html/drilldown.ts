// Per-document drill-down data for the HTML report, taken from the matched sample logs: prompt, choices,
// each model's log-probabilities and pick, and whether the models disagree.
import type { Comparison } from '../compare/build.js';
import { displayName, taskOrder } from '../compare/families.js';
import type { SampleRecord } from '../run-folder.js';

export type DrillKind = 'choice' | 'loglikelihood' | 'generate';

export interface DrillModel {
  /** choice index picked (argmax loglikelihood), for choice tasks */
  pick: number | null;
  /** generated text (generate) */
  text: string | null;
  lls: number[] | null;
  /** is_greedy per request */
  greedy: boolean[] | null;
  /** the task's main per-doc metric says correct */
  correct: boolean | null;
}

export interface DrillDoc {
  id: number;
  prompt: string;
  /** characters cut from the start of a long prompt */
  cut: number;
  target: string;
  /** the continuation scored after each choice (Winogrande-style tasks), else null */
  continuation: string | null;
  choices: string[] | null;
  gold: number | null;
  models: DrillModel[];
  disagree: boolean;
}

export interface DrillTask {
  task: string;
  name: string;
  kind: DrillKind;
  metric: string | null;
  total: number;
  disagreeTotal: number;
  docs: DrillDoc[];
}

export interface DrilldownOptions {
  /** documents kept per task; disagreements first (default 400) */
  maxDocsPerTask?: number;
  /** documents kept over all tasks, shared out in proportion to task size (default 3000; keeps the file small) */
  maxDocsTotal?: number;
  /** prompt characters kept, from the end (default 4000) */
  maxPromptChars?: number;
}

const CORRECTNESS_METRICS = ['acc', 'exact_match', 'acc_norm', 'f1', 'mcc'];

export function buildDrilldown(c: Comparison, options: DrilldownOptions = {}): DrillTask[] {
  const maxPerTask = options.maxDocsPerTask ?? 400;
  const maxTotal = options.maxDocsTotal ?? 3000;
  const maxPrompt = options.maxPromptChars ?? 4000;
  const out: DrillTask[] = [];
  const seen = new Set<string>();
  const keys = [...c.matched.keys()].sort((a, b) => {
    const [ta, fa] = a.split('|') as [string, string];
    const [tb, fb] = b.split('|') as [string, string];
    return taskOrder(ta) - taskOrder(tb) || ta.localeCompare(tb) || (fa === 'none' ? -1 : fb === 'none' ? 1 : fa.localeCompare(fb));
  });
  for (const key of keys) {
    const m = c.matched.get(key)!;
    if (seen.has(m.task) || m.docIds.length === 0) continue; // one filter per task: "none" when present
    seen.add(m.task);
    const first = m.samples[0]![0]!;
    const metric = CORRECTNESS_METRICS.find((x) => first[x] !== undefined) ?? first.metrics?.[0] ?? null;
    const docs = m.docIds.map((id, k) => drillDoc(id, m.samples.map((run) => run[k]!), metric, maxPrompt));
    out.push({
      task: m.task,
      name: displayName(m.task),
      kind: kindOf(first),
      metric,
      total: docs.length,
      disagreeTotal: docs.filter((d) => d.disagree).length,
      docs,
    });
  }
  const all = out.reduce((s, t) => s + Math.min(t.total, maxPerTask), 0);
  const share = all > maxTotal ? maxTotal / all : 1;
  for (const t of out) {
    const cap = Math.min(maxPerTask, Math.max(Math.min(20, t.total), Math.floor(Math.min(t.total, maxPerTask) * share)));
    t.docs = keepDisagreementsFirst(t.docs, cap);
  }
  return out;
}

/** At most `cap` documents, disagreements first, in document order. */
function keepDisagreementsFirst(docs: DrillDoc[], cap: number): DrillDoc[] {
  if (docs.length <= cap) return docs;
  const dis = docs.filter((d) => d.disagree).slice(0, cap);
  const rest = docs.filter((d) => !d.disagree).slice(0, cap - dis.length);
  const keep = new Set([...dis, ...rest]);
  return docs.filter((d) => keep.has(d));
}

interface Request {
  context: string;
  continuation: unknown;
}

function requestsOf(s: SampleRecord): Request[] {
  const args = s.arguments;
  const list: unknown[] = Array.isArray(args)
    ? args
    : args && typeof args === 'object'
      ? Object.entries(args)
          .sort(([a], [b]) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')))
          .map(([, v]) => v)
      : [];
  return list.map((r) => {
    if (Array.isArray(r)) return { context: String(r[0] ?? ''), continuation: r[1] };
    const o = (r ?? {}) as { arg_0?: unknown; arg_1?: unknown };
    return { context: String(o.arg_0 ?? ''), continuation: o.arg_1 };
  });
}

function kindOf(s: SampleRecord): DrillKind {
  const reqs = requestsOf(s);
  if (reqs.some((r) => typeof r.continuation !== 'string')) return 'generate';
  return reqs.length >= 2 ? 'choice' : 'loglikelihood';
}

/** Python str() of a float or bool back to a value ("-1.5", "-inf", "nan", "True"). */
function pyFloat(v: unknown): number {
  if (typeof v === 'number') return v;
  const s = String(v).trim().toLowerCase();
  if (s === 'inf' || s === 'infinity') return Infinity;
  if (s === '-inf' || s === '-infinity') return -Infinity;
  return s === 'nan' ? NaN : Number(s);
}

function pyBool(v: unknown): boolean {
  return v === true || String(v) === 'True' || String(v) === 'true';
}

/** filtered_resps as (ll, is_greedy) per request, unwrapping one level of nesting if present. */
function llPairs(s: SampleRecord): Array<[number, boolean]> | null {
  const fr = s.filtered_resps ?? s.resps;
  if (!Array.isArray(fr)) return null;
  const out: Array<[number, boolean]> = [];
  for (let r of fr) {
    if (Array.isArray(r) && Array.isArray(r[0])) r = r[0];
    if (!Array.isArray(r) || r.length < 1) return null;
    out.push([pyFloat(r[0]), pyBool(r[1])]);
  }
  return out;
}

function textOf(s: SampleRecord): string | null {
  let fr = s.filtered_resps ?? s.resps;
  while (Array.isArray(fr)) fr = fr[0];
  return fr === undefined || fr === null ? null : String(fr);
}

function correctOf(s: SampleRecord, metric: string | null): boolean | null {
  if (!metric) return null;
  const v = s[metric];
  if (typeof v === 'number') return v === 1;
  if (typeof v === 'boolean') return v;
  if (Array.isArray(v) && v.length === 2) return v[0] === v[1];
  return null;
}

function argmax(xs: readonly number[]): number {
  // numpy: first maximum; a NaN wins at its first position
  let best = 0;
  for (let i = 0; i < xs.length; i++) {
    if (Number.isNaN(xs[i]!)) return i;
    if (xs[i]! > xs[best]!) best = i;
  }
  return best;
}

function commonPrefix(xs: readonly string[]): string {
  let p = xs[0] ?? '';
  for (const x of xs) while (!x.startsWith(p)) p = p.slice(0, -1);
  return p;
}

function drillDoc(id: number, samples: SampleRecord[], metric: string | null, maxPrompt: number): DrillDoc {
  const s0 = samples[0]!;
  const reqs = requestsOf(s0);
  const kind = kindOf(s0);
  let prompt = reqs[0]?.context ?? '';
  let choices: string[] | null = null;
  let continuation: string | null = null;
  if (kind === 'choice') {
    const contexts = reqs.map((r) => r.context);
    if (contexts.every((x) => x === contexts[0])) {
      choices = reqs.map((r) => String(r.continuation));
    } else {
      // several contexts, one continuation (Winogrande's partial scoring): show the differing tails
      prompt = commonPrefix(contexts);
      choices = contexts.map((x) => x.slice(prompt.length));
      continuation = String(reqs[0]!.continuation);
    }
  } else if (kind === 'loglikelihood') {
    continuation = String(reqs[0]?.continuation ?? '');
  }
  const models: DrillModel[] = samples.map((s) => {
    const correct = correctOf(s, metric);
    if (kind === 'generate') return { pick: null, text: clip(textOf(s), 2000), lls: null, greedy: null, correct };
    const pairs = llPairs(s);
    const lls = pairs ? pairs.map((p) => p[0]) : null;
    return {
      pick: kind === 'choice' && lls ? argmax(lls) : null,
      text: null,
      lls,
      greedy: pairs ? pairs.map((p) => p[1]) : null,
      correct,
    };
  });
  const target = String(s0.target ?? '');
  let gold: number | null = null;
  if (choices) {
    const t = /^\d+$/.test(target) ? Number(target) : NaN;
    if (continuation === null && t < choices.length) gold = t;
    else gold = models.find((m) => m.correct === true && m.pick !== null)?.pick ?? null;
  }
  const disagree =
    kind === 'choice'
      ? new Set(models.map((m) => m.pick)).size > 1
      : new Set(models.map((m) => String(m.correct))).size > 1 ||
        (kind === 'loglikelihood' && new Set(models.map((m) => String(m.greedy?.[0]))).size > 1);
  const cut = Math.max(0, prompt.length - maxPrompt);
  return { id, prompt: prompt.slice(cut), cut, target, continuation, choices, gold, models, disagree };
}

function clip(s: string | null, max: number): string | null {
  return s !== null && s.length > max ? `${s.slice(0, max)}…` : s;
}
