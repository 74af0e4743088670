// Builds the comparison of several finished runs: one row per (task or group, metric) with each model's
// value, the raw "better model", and a paired significance test on the documents all runs share.
import { readSamples, type RunFolder, type SampleRecord } from '../run-folder.js';
import { DEFAULT_PAIRED_BOOTSTRAP_ITERS, DEFAULT_BOOTSTRAP_SEED } from '../../metrics/paired.js';
import { aggregationOf, displayName, FAMILIES, familyOf, taskOrder, type FamilyId } from './families.js';
import { matchDocs, type MatchedTask } from './docs.js';
import { formatFixed, formatPValue } from '../format.js';
import { interval95, type Interval } from './intervals.js';
import { labelsFor, viewRun, type RunView } from './run-view.js';
import { pairedTest, recompute, type PairedTest } from './significance.js';

export interface CompareOptions {
  /** one per run; default: the model id in each results file */
  labels?: readonly string[];
  /** significance level of the verdict (default 0.05) */
  alpha?: number;
  /** paired bootstrap resamples (default 10000) */
  bootstrapIters?: number;
  seed?: number;
}

export interface ComparisonRow {
  family: FamilyId;
  task: string;
  taskName: string;
  isGroup: boolean;
  /** the groups above the task in the runs' group_subtasks, nearest first */
  ancestors: string[];
  /** documents evaluated (a group: its tasks' together; recomputed rows: the shared ones); null if unknown */
  docs: number | null;
  metric: string;
  filter: string;
  higherIsBetter: boolean;
  values: Array<number | null>;
  stderrs: Array<number | null>;
  /** each model's 95 % interval (intervals.ts), null where there is no stderr to build one from */
  intervals: Array<Interval | null>;
  /** values computed from the sample logs on the shared documents (runs evaluated different ones) */
  recomputed: boolean;
  /** "Tie" or the label with the best value as printed (4 decimals), the seed tables' rule */
  better: string;
  /** two runs: second − first; more: best − runner-up */
  difference: number | null;
  /** the two runs the test compares: [first, second] or [best, runner-up] */
  pair: [number, number];
  test: PairedTest | null;
  /** index of the run the test says is better, null for a tie or no test */
  winner: number | null;
  verdict: string;
}

export interface Comparison {
  labels: string[];
  runs: RunFolder[];
  rows: ComparisonRow[];
  /** leaf tasks whose sample logs exist in every run, keyed "task|filter" */
  matched: Map<string, MatchedTask>;
  warnings: string[];
  alpha: number;
  bootstrapIters: number;
  seed: number;
}

export function buildComparison(runs: readonly RunFolder[], options: CompareOptions = {}): Comparison {
  const labels = labelsFor(runs, options.labels);
  const views = runs.map((r, i) => viewRun(r, labels[i]!));
  const alpha = options.alpha ?? 0.05;
  const iters = options.bootstrapIters ?? DEFAULT_PAIRED_BOOTSTRAP_ITERS;
  const seed = options.seed ?? DEFAULT_BOOTSTRAP_SEED;
  const warnings = runs.flatMap((r) => r.notes);
  const ctx = new Context(views, warnings);

  const shared = [...views[0]!.entries.keys()].filter((n) => views.every((v) => v.entries.has(n)));
  reportMissing(views, shared, warnings);
  const isGroup = (n: string): boolean => views.every((v) => v.leaves.has(n));
  const leafTasks = shared.filter((n) => !isGroup(n));
  const groups = shared.filter(isGroup);

  const rows: ComparisonRow[] = [];
  const excluded = new Set<string>();
  for (const task of leafTasks) {
    const shots = views.map((v) => v.nShot(task));
    if (new Set(shots).size > 1) {
      ctx.excludedShots.push(`${task} (${views.map((v, i) => `${v.label}: ${shots[i] ?? '?'}`).join(', ')})`);
      excluded.add(task);
      continue;
    }
    for (const key of sharedMetricKeys(views, task)) {
      const row = ctx.leafRow(task, key);
      if (row === 'excluded') {
        excluded.add(task);
        break;
      }
      if (row) rows.push(row);
    }
  }
  for (const group of groups) {
    const leaves = views[0]!.leaves.get(group)!;
    const usable = leaves.filter((l) => leafTasks.includes(l) && !excluded.has(l));
    const sameLeaves = views.every((v) => sameSet(v.leaves.get(group)!, leaves));
    for (const key of sharedMetricKeys(views, group)) {
      const row = ctx.groupRow(group, key, usable, sameLeaves && usable.length === leaves.length);
      if (row) rows.push(row);
    }
  }
  ctx.flushWarnings();

  for (const row of rows) {
    const items = ctx.itemsFor(row);
    decide(row, labels, alpha, items, { iters, seed });
    row.intervals = row.values.map((v, i) => interval95(row.metric, v, row.stderrs[i] ?? null, items?.[i] ?? null));
  }
  const familyRank = (f: FamilyId): number => FAMILIES.findIndex((x) => x.id === f);
  rows.sort(
    (a, b) =>
      familyRank(a.family) - familyRank(b.family) ||
      taskOrder(a.task) - taskOrder(b.task) ||
      a.task.localeCompare(b.task) ||
      `${a.metric},${a.filter}`.localeCompare(`${b.metric},${b.filter}`),
  );
  return { labels, runs: [...runs], rows, matched: ctx.matched, warnings, alpha, bootstrapIters: iters, seed };
}

/** Collects per-doc data and the warnings a comparison owes the user. */
class Context {
  readonly matched = new Map<string, MatchedTask>();
  readonly excludedShots: string[] = [];
  private readonly noSamples = new Map<string, string[]>(); // label → tasks
  private readonly items = new Map<ComparisonRow, unknown[][]>();
  private readonly sampleCache = new Map<string, Array<SampleRecord[] | null>>();

  constructor(
    private readonly views: RunView[],
    private readonly warnings: string[],
  ) {}

  private samples(task: string): Array<SampleRecord[] | null> {
    let s = this.sampleCache.get(task);
    if (!s) {
      s = this.views.map((v) => readSamples(v.run, task));
      this.sampleCache.set(task, s);
    }
    return s;
  }

  /** Matched documents for a leaf task and filter, or null when some run has no sample log. */
  match(task: string, filter: string): MatchedTask | null {
    const key = `${task}|${filter}`;
    if (this.matched.has(key)) return this.matched.get(key)!;
    const all = this.samples(task);
    if (all.some((s) => s === null)) {
      all.forEach((s, i) => {
        if (s === null) this.noSamples.set(this.views[i]!.label, [...(this.noSamples.get(this.views[i]!.label) ?? []), task]);
      });
      return null;
    }
    const m = matchDocs(task, all as SampleRecord[][], filter);
    this.matched.set(key, m);
    if (m.hashMismatches.length > 0) {
      this.warnings.push(
        `${task}: ${m.hashMismatches.length} document(s) with the same doc_id differ in content (doc_hash): ` +
          `doc_id ${m.hashMismatches.slice(0, 5).join(', ')}${m.hashMismatches.length > 5 ? ', …' : ''}; ` +
          `left out, values recomputed from the sample logs on the rest`,
      );
    }
    const docsDiffer =
      new Set(m.counts).size > 1 || m.docIds.length + m.hashMismatches.length < Math.max(...m.counts);
    if (docsDiffer) {
      this.warnings.push(
        `${task}: the runs evaluated different documents (${this.views.map((v, i) => `${v.label}: ${m.counts[i]}`).join(', ')}); ` +
          `compared on the ${m.docIds.length} they share, values recomputed from the sample logs`,
      );
    }
    return m;
  }

  leafRow(task: string, key: string): ComparisonRow | 'excluded' | null {
    const [metric, filter] = splitKey(key);
    const m = this.match(task, filter);
    if (!m) {
      const lens = this.views.map((v) => v.sampleLen.get(task));
      if (lens.every((l) => l !== undefined) && new Set(lens).size > 1) {
        this.warnings.push(
          `${task}: the runs evaluated different numbers of documents (${this.views.map((v, i) => `${v.label}: ${lens[i]}`).join(', ')}) ` +
            `and without sample logs in every run they cannot be matched; left out`,
        );
        return 'excluded';
      }
    }
    const row = this.baseRow(task, metric, filter, false);
    row.docs = this.views[0]!.sampleLen.get(task) ?? null;
    const items = m ? m.samples.map((run) => run.map((s) => s[metric])) : null;
    if (m && !m.complete) {
      if (!this.applyRecomputed(row, items!)) return null;
    }
    if (items) this.items.set(row, items);
    return row;
  }

  groupRow(group: string, key: string, leaves: string[], allLeavesUsable: boolean): ComparisonRow | null {
    const [metric, filter] = splitKey(key);
    const matches = leaves.map((l) => this.match(l, filter));
    const haveSamples = leaves.length > 0 && matches.every((m) => m !== null);
    const items = haveSamples
      ? this.views.map((_, r) => matches.flatMap((m) => m!.samples[r]!.map((s) => s[metric])))
      : null;
    const row = this.baseRow(group, metric, filter, true);
    const lens = leaves.map((l) => this.views[0]!.sampleLen.get(l));
    const leafSum = lens.length > 0 && lens.every((n) => n !== undefined) ? lens.reduce((a, b) => a! + b!, 0)! : null;
    row.docs = this.views[0]!.sampleLen.get(group) ?? (items ? items[0]!.length : leafSum);
    const asLogged = allLeavesUsable && (!haveSamples || matches.every((m) => m!.complete));
    if (!asLogged) {
      // pooling leaf documents reproduces a size-weighted group mean, the only group aggregation in lm-eval
      if (!items || aggregationOf(metric) !== 'mean' || !this.applyRecomputed(row, items)) {
        this.warnings.push(`${group}: its tasks do not match across runs and cannot be pooled from sample logs; left out`);
        return null;
      }
    }
    if (items) this.items.set(row, items);
    return row;
  }

  private baseRow(task: string, metric: string, filter: string, isGroup: boolean): ComparisonRow {
    const key = `${metric},${filter}`;
    const vals = this.views.map((v) => v.entries.get(task)!.get(key)!);
    const ancestors = this.views[0]!.ancestors.get(task) ?? [];
    return {
      family: familyOf(task, ancestors),
      task,
      taskName: displayName(task),
      isGroup,
      ancestors,
      docs: null,
      metric,
      filter,
      higherIsBetter: this.views[0]!.higherIsBetter(task, metric) ?? true,
      values: vals.map((v) => v.value),
      stderrs: vals.map((v) => v.stderr),
      intervals: vals.map(() => null),
      recomputed: false,
      better: '',
      difference: null,
      pair: [0, 1],
      test: null,
      winner: null,
      verdict: '',
    };
  }

  private applyRecomputed(row: ComparisonRow, items: unknown[][]): boolean {
    const kind = aggregationOf(row.metric);
    const re = items.map((it) => recompute(kind, it));
    if (re.some((r) => r === null)) {
      this.warnings.push(`${row.task} ${row.metric}: cannot be recomputed on the shared documents; left out`);
      return false;
    }
    row.values = re.map((r) => r!.value);
    row.stderrs = re.map((r) => r!.stderr);
    row.docs = items[0]!.length;
    row.recomputed = true;
    return true;
  }

  itemsFor(row: ComparisonRow): unknown[][] | null {
    return this.items.get(row) ?? null;
  }

  flushWarnings(): void {
    if (this.excludedShots.length > 0) {
      this.warnings.push(`different n-shot, left out: ${abbreviate(this.excludedShots)}`);
    }
    for (const [label, tasks] of this.noSamples) {
      const unique = [...new Set(tasks)];
      this.warnings.push(
        `${label}: no sample logs for ${abbreviate(unique)}; no significance test there (run with --log_samples)`,
      );
    }
  }
}

function decide(
  row: ComparisonRow,
  labels: string[],
  alpha: number,
  items: unknown[][] | null,
  options: { iters: number; seed: number },
): void {
  const sign = row.higherIsBetter ? 1 : -1;
  const vals = row.values;
  if (vals.some((v) => v === null || Number.isNaN(v))) {
    row.better = '—';
    row.verdict = 'n/a (missing value)';
    return;
  }
  const v = vals as number[];
  const shown = v.map((x) => Number(formatFixed(x, 4)));
  const bestShown = Math.max(...shown.map((x) => sign * x));
  const top = shown.map((x, i) => (sign * x === bestShown ? i : -1)).filter((i) => i >= 0);
  row.better = top.length === 1 ? labels[top[0]!]! : 'Tie';
  const order = v.map((_, i) => i).sort((a, b) => sign * (v[b]! - v[a]!) || a - b);
  row.pair = v.length === 2 ? [0, 1] : [order[0]!, order[1]!];
  row.difference = v.length === 2 ? v[1]! - v[0]! : v[order[0]!]! - v[order[1]!]!;
  if (!items) {
    row.verdict = 'n/a (no sample logs)';
    return;
  }
  const [a, b] = row.pair;
  row.test = pairedTest(aggregationOf(row.metric), items[a]!, items[b]!, options);
  if (!row.test) {
    row.verdict = 'n/a (per-doc values not testable)';
    return;
  }
  const p = formatPValue(row.test.pValue);
  if (row.test.pValue < alpha && row.test.delta !== 0) {
    row.winner = sign * row.test.delta > 0 ? a : b;
    row.verdict = `${labels[row.winner]} (${p})`;
  } else {
    row.verdict = `Tie (${p})`;
  }
}

function sharedMetricKeys(views: RunView[], name: string): string[] {
  const keys = [...views[0]!.entries.get(name)!.keys()];
  return keys.filter((k) => views.every((v) => v.entries.get(name)!.has(k))).sort();
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf(',');
  return [key.slice(0, i), key.slice(i + 1)];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}

function reportMissing(views: RunView[], shared: string[], warnings: string[]): void {
  const sharedSet = new Set(shared);
  const missing = new Map<string, string[]>(); // "only in A, B" → names
  const all = new Set(views.flatMap((v) => [...v.entries.keys()]));
  for (const name of all) {
    if (sharedSet.has(name)) continue;
    const holders = views.filter((v) => v.entries.has(name)).map((v) => v.label).join(', ');
    missing.set(holders, [...(missing.get(holders) ?? []), name]);
  }
  for (const [holders, names] of missing) {
    warnings.push(`not in every run, left out: ${abbreviate(names)} (only in ${holders})`);
  }
}

function abbreviate(names: readonly string[], max = 8): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
