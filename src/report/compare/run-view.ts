// A run folder seen through the questions a comparison asks: which tasks and groups, which metric values,
// which leaves a group pools, how many shots, and which direction is better.
import { isRecord, type RunFolder } from '../run-folder.js';
import { defaultHigherIsBetter } from './families.js';
import { shortNames } from '../model-name.js';

export interface MetricValue {
  metric: string;
  filter: string;
  value: number | null;
  stderr: number | null;
}

export interface RunView {
  label: string;
  run: RunFolder;
  /** task or group → "metric,filter" → value */
  entries: Map<string, Map<string, MetricValue>>;
  /** group → its leaf tasks (recursively), in listed order */
  leaves: Map<string, string[]>;
  /** task or group → the groups above it, nearest first */
  ancestors: Map<string, string[]>;
  /** documents evaluated per task (sample_len, else n-samples.effective) */
  sampleLen: Map<string, number>;
  nShot(name: string): number | null;
  higherIsBetter(name: string, metric: string): boolean | null;
}

export function viewRun(run: RunFolder, label: string): RunView {
  const r = run.results;
  const entries = new Map<string, Map<string, MetricValue>>();
  const sampleLen = new Map<string, number>();
  for (const [name, entry] of Object.entries(r.results)) {
    if (!isRecord(entry)) continue;
    entries.set(name, metricsOf(entry));
    const len = typeof entry.sample_len === 'number' ? entry.sample_len : r['n-samples']?.[name]?.effective;
    if (typeof len === 'number') sampleLen.set(name, len);
  }
  const children = new Map<string, string[]>();
  for (const [g, kids] of Object.entries(r.group_subtasks ?? {})) {
    if (Array.isArray(kids) && kids.length > 0) children.set(g, kids.map(String));
  }
  const leaves = new Map<string, string[]>();
  const leavesOf = (g: string, seen: Set<string>): string[] => {
    const out: string[] = [];
    for (const c of children.get(g) ?? []) {
      if (seen.has(c)) continue; // a malformed cycle must not hang the report
      if (children.has(c)) out.push(...leavesOf(c, new Set([...seen, c])));
      else out.push(c);
    }
    return out;
  };
  for (const g of children.keys()) leaves.set(g, leavesOf(g, new Set([g])));
  const ancestors = new Map<string, string[]>();
  const parentOf = new Map<string, string>();
  for (const [g, kids] of children) for (const k of kids) if (!parentOf.has(k)) parentOf.set(k, g);
  for (const name of new Set([...entries.keys(), ...parentOf.keys()])) {
    const chain: string[] = [];
    let p = parentOf.get(name);
    while (p !== undefined && !chain.includes(p)) {
      chain.push(p);
      p = parentOf.get(p);
    }
    ancestors.set(name, chain);
  }
  return {
    label,
    run,
    entries,
    leaves,
    ancestors,
    sampleLen,
    nShot(name) {
      const v = r['n-shot']?.[name];
      if (typeof v === 'number') return v;
      const cfg = r.configs?.[name]?.num_fewshot;
      return typeof cfg === 'number' ? cfg : null;
    },
    higherIsBetter(name, metric) {
      const own = r.higher_is_better?.[name]?.[metric];
      if (typeof own === 'boolean') return own;
      // HEAD leaves the top `mmlu` group without an entry (semantics §12.2); its leaves say it
      for (const leaf of leaves.get(name) ?? []) {
        const v = r.higher_is_better?.[leaf]?.[metric];
        if (typeof v === 'boolean') return v;
      }
      return defaultHigherIsBetter(metric);
    },
  };
}

function metricsOf(entry: Record<string, unknown>): Map<string, MetricValue> {
  const out = new Map<string, MetricValue>();
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  for (const [key, v] of Object.entries(entry)) {
    const comma = key.indexOf(',');
    if (comma < 0) continue;
    const metric = key.slice(0, comma);
    const filter = key.slice(comma + 1);
    if (metric.endsWith('_stderr')) continue;
    out.set(key, { metric, filter, value: num(v), stderr: num(entry[`${metric}_stderr,${filter}`]) });
  }
  return out;
}

/** Labels: the user's, else short model names (name, repo id or folder name); repeats get " #2", " #3". */
export function labelsFor(runs: readonly RunFolder[], given: readonly string[] | undefined): string[] {
  const short = shortNames(runs.map((r) => r.modelId));
  const base = runs.map((r, i) => given?.[i] ?? short[i]!);
  const seen = new Map<string, number>();
  return base.map((l) => {
    const k = (seen.get(l) ?? 0) + 1;
    seen.set(l, k);
    return k === 1 ? l : `${l} #${k}`;
  });
}
