// The sweep table as data: one row per task · metric, one column per (model, cell), each entry the value
// and standard error the cell's results JSON holds. Pure: results in, table out.
import type { ResultsJson } from '../run-folder.js';
import { cellLabel, type SweepCell } from '../../sweep/grid.js';

export interface SweepRunInput {
  /** the model's label in the report */
  model: string;
  cell: SweepCell;
  /** the cell's results file, as the report names it */
  resultsPath: string;
  results: ResultsJson;
}

export interface SweepColumn {
  model: string;
  cell: SweepCell;
  /** "5-shot", or "A · 5-shot" with several models */
  label: string;
  resultsPath: string;
}

export interface SweepValue {
  value: number;
  /** null where the results hold none ("N/A") */
  stderr: number | null;
}

export interface SweepRow {
  task: string;
  /** the task's alias in the results, else its name */
  taskName: string;
  metric: string;
  /** "none" unless the task has filters */
  filter: string;
  /** from the results' higher_is_better; null when not stated */
  higherIsBetter: boolean | null;
  /** one per column; null where that cell has no such value */
  values: Array<SweepValue | null>;
}

export interface Sweep {
  models: string[];
  columns: SweepColumn[];
  rows: SweepRow[];
}

const NOT_METRICS = new Set(['alias', 'name', 'sample_len', 'sample_count', 'samples']);

/** The metric keys ("acc,none") of one results entry, in their stored order, stderr keys left out. */
function metricKeys(entry: Record<string, unknown>): string[] {
  return Object.keys(entry).filter((k) => !NOT_METRICS.has(k) && !k.split(',')[0]!.endsWith('_stderr') && typeof entry[k] === 'number');
}

/** Tasks and groups of one results JSON, in its order (results first, then groups it lists only there). */
function entriesOf(results: ResultsJson): Array<[string, Record<string, unknown>]> {
  const out = Object.entries(results.results);
  for (const [name, entry] of Object.entries(results.groups ?? {})) if (!results.results[name]) out.push([name, entry]);
  return out;
}

/** The alias without make_table's indentation (" - anatomy" → "anatomy"). */
function aliasOf(entry: Record<string, unknown>): string | null {
  const alias = typeof entry.alias === 'string' ? entry.alias.replace(/^[\s-]+/, '').trim() : '';
  return alias || null;
}

export function buildSweep(runs: readonly SweepRunInput[]): Sweep {
  const models = [...new Set(runs.map((r) => r.model))];
  const several = models.length > 1;
  const columns: SweepColumn[] = runs.map((r) => ({
    model: r.model,
    cell: r.cell,
    label: several ? `${r.model} · ${cellLabel(r.cell)}` : cellLabel(r.cell),
    resultsPath: r.resultsPath,
  }));
  const rows = new Map<string, SweepRow>();
  runs.forEach((run, col) => {
    for (const [task, entry] of entriesOf(run.results)) {
      for (const key of metricKeys(entry)) {
        const comma = key.indexOf(',');
        const metric = comma < 0 ? key : key.slice(0, comma);
        const filter = comma < 0 ? 'none' : key.slice(comma + 1);
        const id = `${task}\u0000${key}`;
        let row = rows.get(id);
        if (!row) {
          const hib = run.results.higher_is_better?.[task]?.[metric];
          row = {
            task,
            taskName: aliasOf(entry) ?? task,
            metric,
            filter,
            higherIsBetter: typeof hib === 'boolean' ? hib : null,
            values: columns.map(() => null),
          };
          rows.set(id, row);
        }
        const se = entry[comma < 0 ? `${metric}_stderr` : `${metric}_stderr,${filter}`];
        row.values[col] = { value: entry[key] as number, stderr: typeof se === 'number' && Number.isFinite(se) ? se : null };
      }
    }
  });
  return { models, columns, rows: [...rows.values()] };
}
