// The fine-tuning effect (base against tuned, or any run against the first): per benchmark the main metric's
// difference with its paired verdict, largest effect first, and the documents that flipped between right and
// wrong, with a snippet of each prompt, so the change can be read document by document.
import type { Comparison } from './build.js';
import type { SampleRecord } from '../run-folder.js';
import { aggregationOf, displayName } from './families.js';
import { effectCells, effectHeader, effectsAgainstBase, mdRow, type TaskEffect } from './task-effects.js';
import { requestLogLikelihoods } from './drift.js';

export interface FlippedDoc {
  task: string;
  taskName: string;
  docId: number;
  /** the end of the prompt (the question sits at the end of few-shot prompts) */
  prompt: string;
  /** characters cut from the start of the prompt */
  cut: number;
  target: string;
  /** each side's answer (picked choice or generated text), when the log says it */
  baseAnswer: string | null;
  otherAnswer: string | null;
}

export interface FlipLine {
  effect: TaskEffect;
  /** null: the metric is not right/wrong per document (perplexity, F1 over tokens) or no sample logs */
  rightToWrong: FlippedDoc[] | null;
  wrongToRight: FlippedDoc[] | null;
}

export interface FlipTable {
  base: string;
  other: string;
  otherIndex: number;
  /** largest effect first */
  lines: FlipLine[];
}

const PROMPT_CHARS = 300;
const ANSWER_CHARS = 160;

/**
 * Right or wrong from a logged per-doc value: 0/1 or a boolean for mean metrics, the (gold, prediction)
 * pair for F1 and MCC; null for anything else (perplexities, token-level scores).
 */
export function correctness(metric: string, v: unknown): boolean | null {
  const kind = aggregationOf(metric);
  if (kind === 'f1' || kind === 'mcc') {
    return Array.isArray(v) && v.length === 2 && ['number', 'string', 'boolean'].includes(typeof v[0]) ? v[0] === v[1] : null;
  }
  if (kind !== null && kind !== 'mean') return null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : null;
  return null;
}

function contextOf(s: SampleRecord): string {
  const args = s.arguments;
  const first: unknown = Array.isArray(args) ? args[0] : args && typeof args === 'object' ? (args as Record<string, unknown>).gen_args_0 : undefined;
  if (Array.isArray(first)) return String(first[0] ?? '');
  if (first && typeof first === 'object') return String((first as { arg_0?: unknown }).arg_0 ?? '');
  return '';
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** Choices scored after one shared context: the continuations; else null (one request, or several contexts). */
function choicesOf(s: SampleRecord): string[] | null {
  const args = s.arguments;
  if (!args || typeof args !== 'object' || Array.isArray(args)) return null;
  const reqs = Object.entries(args as Record<string, { arg_0?: unknown; arg_1?: unknown }>)
    .sort(([a], [b]) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')))
    .map(([, v]) => v);
  if (reqs.length < 2 || reqs.some((r) => typeof r?.arg_1 !== 'string' || r.arg_0 !== reqs[0]!.arg_0)) return null;
  return reqs.map((r) => String(r.arg_1));
}

function answerOf(s: SampleRecord): string | null {
  const choices = choicesOf(s);
  if (choices) {
    const lls = requestLogLikelihoods(s).map((r) => r.ll);
    if (lls.some((x) => x === null)) return null;
    let best = 0;
    for (let i = 1; i < lls.length; i++) if (lls[i]! > lls[best]!) best = i;
    return choices[best]!.trim();
  }
  const args = s.arguments as Record<string, { arg_1?: unknown }> | undefined;
  const gen = args && !Array.isArray(args) && typeof args.gen_args_0?.arg_1 === 'object';
  if (!gen) return null;
  let r: unknown = s.filtered_resps ?? s.resps;
  while (Array.isArray(r)) r = r[0];
  return r === undefined || r === null ? null : clip(String(r), ANSWER_CHARS);
}

function targetOf(s: SampleRecord): string {
  const target = String(s.target ?? '');
  const choices = choicesOf(s);
  if (choices && /^\d+$/.test(target) && Number(target) < choices.length) return choices[Number(target)]!.trim();
  return clip(target, ANSWER_CHARS);
}

function flipped(task: string, base: SampleRecord, other: SampleRecord): FlippedDoc {
  const prompt = contextOf(base);
  const cut = Math.max(0, prompt.length - PROMPT_CHARS);
  return {
    task,
    taskName: displayName(task),
    docId: base.doc_id,
    prompt: prompt.slice(cut),
    cut,
    target: targetOf(base),
    baseAnswer: answerOf(base),
    otherAnswer: answerOf(other),
  };
}

/** Documents right in the base run and wrong in the other, and the reverse; null when not right/wrong. */
export function flipsOf(c: Comparison, effect: TaskEffect): { rightToWrong: FlippedDoc[]; wrongToRight: FlippedDoc[] } | null {
  const { row, other, leaves } = effect;
  const rightToWrong: FlippedDoc[] = [];
  const wrongToRight: FlippedDoc[] = [];
  for (const task of leaves) {
    const m = c.matched.get(`${task}|${row.filter}`);
    if (!m) return null;
    for (let k = 0; k < m.docIds.length; k++) {
      const a = m.samples[0]![k]!;
      const b = m.samples[other]![k]!;
      const ca = correctness(row.metric, a[row.metric]);
      const cb = correctness(row.metric, b[row.metric]);
      if (ca === null || cb === null) return null;
      if (ca && !cb) rightToWrong.push(flipped(task, a, b));
      else if (!ca && cb) wrongToRight.push(flipped(task, a, b));
    }
  }
  return { rightToWrong, wrongToRight };
}

export function buildFlipTables(c: Comparison): FlipTable[] {
  const tables: FlipTable[] = [];
  for (let other = 1; other < c.labels.length; other++) {
    const lines = effectsAgainstBase(c, other)
      .map((effect): FlipLine => {
        const f = flipsOf(c, effect);
        return { effect, rightToWrong: f?.rightToWrong ?? null, wrongToRight: f?.wrongToRight ?? null };
      })
      // largest effect first; rows without a difference last, in table order
      .map((line, i) => ({ line, i }))
      .sort((x, y) => y.line.effect.size - x.line.effect.size || x.i - y.i)
      .map(({ line }) => line);
    tables.push({ base: c.labels[0]!, other: c.labels[other]!, otherIndex: other, lines });
  }
  return tables;
}

/** Header and cells of one effect table (markdown and HTML share them). */
export function flipCells(t: FlipTable): { header: string[]; body: string[][] } {
  const header = [...effectHeader(t.base, t.other), 'Right → wrong', 'Wrong → right'];
  const body = t.lines.map(({ effect: e, rightToWrong, wrongToRight }) => [
    ...effectCells(e),
    rightToWrong ? String(rightToWrong.length) : '—',
    wrongToRight ? String(wrongToRight.length) : '—',
  ]);
  return { header, body };
}

export const FLIP_NOTE =
  'Largest effect first (the difference over the metric\'s range, else relative). Right → wrong: documents the ' +
  'baseline (first run) got right and the other run got wrong, by the per-document metric; "—" where the metric ' +
  'is not right or wrong per document (perplexity) or there are no sample logs.';

export function flipsMarkdown(tables: readonly FlipTable[]): string {
  const parts = tables.map((t) => {
    const { header, body } = flipCells(t);
    const align = header.map((_, i) => (i < 2 || i === 5 ? '---' : '---:'));
    return `## Fine-tuning effect: ${t.other} against ${t.base}\n\n` + [mdRow(header), `|${align.join('|')}|`, ...body.map(mdRow)].join('\n') + '\n';
  });
  parts.push(`${FLIP_NOTE}\n`);
  return parts.join('\n');
}
