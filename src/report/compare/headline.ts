// The comparison in a few sentences: per family and overall, how many comparisons each model wins with a
// significant paired test, how many show no significant difference, and the largest differences in words
// and numbers. Each benchmark counts once: a group (MMLU, MATH) stands for its subtasks.
import { formatNumber, formatPValue } from '../format.js';
import type { Comparison, ComparisonRow } from './build.js';
import { FAMILIES, type FamilyId } from './families.js';
import { metricRange, metricScale } from './intervals.js';

export interface Effect {
  row: ComparisonRow;
  better: number;
  worse: number;
  significant: boolean;
  /** unit-free size used for ranking: |a − b| over the metric's range, else over max(|a|, |b|) */
  size: number;
  /** "LAMBADA perplexity" */
  name: string;
  /** "tiny-64 19.5× lower (1.088e13 vs 2.116e14; p=0.0358)" */
  claim: string;
  /** name: claim */
  text: string;
}

export interface Tally {
  family: FamilyId | null;
  title: string;
  rows: ComparisonRow[];
  /** significant wins per model (label order) */
  wins: number[];
  /** tested, not significant */
  ties: number;
  /** no test (no sample logs, or values not testable) */
  untested: number;
  /** largest differences first; significant ones before the rest */
  effects: Effect[];
}

export interface Headline {
  alpha: number;
  labels: string[];
  overall: Tally;
  families: Tally[];
}

/** Rows the headline counts: not a subtask table row, and no group above the task has a row of its own. */
export function headlineRows(c: Comparison): ComparisonRow[] {
  const tasks = new Set(c.rows.map((r) => r.task));
  return c.rows.filter((r) => r.family !== 'subtasks' && !r.ancestors.some((g) => tasks.has(g)));
}

export function buildHeadline(c: Comparison): Headline {
  const rows = headlineRows(c);
  const families = FAMILIES.filter((f) => rows.some((r) => r.family === f.id)).map((f) =>
    tally(c, f.id, f.title, rows.filter((r) => r.family === f.id)),
  );
  return { alpha: c.alpha, labels: [...c.labels], overall: tally(c, null, 'Overall', rows), families };
}

function tally(c: Comparison, family: FamilyId | null, title: string, rows: ComparisonRow[]): Tally {
  const wins = c.labels.map(() => 0);
  let ties = 0;
  let untested = 0;
  for (const r of rows) {
    if (r.winner !== null) wins[r.winner]!++;
    else if (r.test) ties++;
    else untested++;
  }
  const effects = rows
    .map((r) => effectOf(r, c.labels))
    .filter((e): e is Effect => e !== null)
    .sort((a, b) => Number(b.significant) - Number(a.significant) || b.size - a.size);
  return { family, title, rows, wins, ties, untested, effects };
}

/** Unit-free size of a difference: |a − b| over the metric's range, else over max(|a|, |b|). */
export function effectSize(metric: string, a: number, b: number): number {
  const range = metricRange(metric);
  if (a === b) return 0;
  return range ? Math.abs(a - b) / (range[1] - range[0]) : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

function effectOf(row: ComparisonRow, labels: readonly string[]): Effect | null {
  const [a, b] = row.pair;
  const va = row.values[a];
  const vb = row.values[b];
  if (va === null || vb === null || va === undefined || vb === undefined || !Number.isFinite(va) || !Number.isFinite(vb) || va === vb) {
    return null;
  }
  const sign = row.higherIsBetter ? 1 : -1;
  const better = sign * (va - vb) > 0 ? a : b;
  const worse = better === a ? b : a;
  const [vBetter, vWorse] = [row.values[better]!, row.values[worse]!];
  const range = metricRange(row.metric);
  const size = effectSize(row.metric, va, vb);
  const direction = vBetter > vWorse ? 'higher' : 'lower';
  let amount: string;
  if (metricScale(row.metric) === 'log' && vBetter > 0 && vWorse > 0) {
    amount = `${formatNumber(Math.max(vBetter, vWorse) / Math.min(vBetter, vWorse), { digits: 3 })}× ${direction}`;
  } else if (range?.[0] === 0 && range[1] === 1) {
    amount = `${formatNumber(Math.abs(vBetter - vWorse) * 100, { digits: 3 })} points ${direction}`;
  } else {
    amount = `${formatNumber(Math.abs(vBetter - vWorse))} ${direction}`;
  }
  const significant = row.winner !== null;
  const evidence = row.test
    ? `${formatPValue(row.test.pValue)}${significant ? '' : ', not significant'}`
    : 'not tested';
  const name = `${row.taskName} ${row.filter === 'none' ? row.metric : `${row.metric} (${row.filter})`}`;
  const claim = `${labels[better]} ${amount} (${formatNumber(vBetter)} vs ${formatNumber(vWorse)}; ${evidence})`;
  return { row, better, worse, significant, size, name, claim, text: `${name}: ${claim}` };
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** "tiny-64 is significantly better on 1 of 16 comparisons, tiny-96 on none; 15 show no significant difference." */
export function tallySentence(t: Tally, labels: readonly string[], subject = true): string {
  const n = t.rows.length;
  const parts: string[] = [];
  const tested = n - t.untested;
  const anyWin = t.wins.some((w) => w > 0);
  if (tested === 0) {
    parts.push(n === 1 ? 'The one comparison was not tested (no sample logs)' : `None of the ${n} comparisons was tested (no sample logs)`);
  } else if (!anyWin) {
    parts.push(`No significant difference on ${n === 1 ? 'the one comparison' : `any of ${n} comparisons`}`);
  } else {
    const order = labels.map((_, i) => i).sort((x, y) => t.wins[y]! - t.wins[x]! || x - y);
    const [first, ...rest] = order;
    const lead = `${labels[first!]} ${subject ? 'is significantly better' : 'better'} on ${t.wins[first!]} of ${plural(n, 'comparison', 'comparisons')}`;
    const others = rest.map((i) => `${labels[i]} on ${t.wins[i] === 0 ? 'none' : t.wins[i]}`).join(', ');
    parts.push(others ? `${lead}, ${others}` : lead);
    if (t.ties > 0) parts.push(`${t.ties} ${t.ties === 1 ? 'shows' : 'show'} no significant difference`);
  }
  if (t.untested > 0 && tested > 0) parts.push(`${t.untested} not tested (no sample logs)`);
  return `${parts.join('; ')}.`;
}

export function testNote(h: Headline): string {
  return `paired tests on the documents both models answered, α = ${h.alpha}; a group such as MMLU counts once, for its subtasks`;
}

/** The summary as plain text (valid markdown), printed by `yardstick compare` above the tables. */
export function headlineText(h: Headline, maxEffects = 3): string {
  const lines = [`Summary (${testNote(h)}):`, tallySentence(h.overall, h.labels)];
  const effects = h.overall.effects.slice(0, maxEffects);
  if (effects.length > 0) {
    lines.push('', 'Largest differences:', ...effects.map((e) => `- ${e.text}`));
  }
  if (h.families.length > 1) {
    lines.push('', 'By family:');
    for (const f of h.families) {
      const largest = f.effects[0] ? ` Largest: ${f.effects[0].name}, ${f.effects[0].claim}.` : '';
      lines.push(`- ${f.title}: ${tallySentence(f, h.labels, false)}${largest}`);
    }
  }
  return lines.join('\n') + '\n';
}
