// lm-eval's printed results tables (`make_table`, spec §14): one row per metric of every task or
// group in lm-eval's display order, rendered exactly as pytablewriter's MarkdownTableWriter does.
import { markdownTable, type TableCell } from './markdown-table.js';
import { compareCodePoints, isPyFloat, PyFloat, pyFormatFixed, pyStr } from './pyjson.js';

/** The parts of a results JSON (lm-eval's keys) that make_table reads; floats marked with pyFloat. */
export interface ResultsForTable {
  results: Record<string, Record<string, unknown>>;
  groups?: Record<string, Record<string, unknown>>;
  group_subtasks?: Record<string, readonly string[]>;
  versions?: Record<string, unknown>;
  'n-shot'?: Record<string, unknown>;
  higher_is_better?: Record<string, Record<string, unknown>>;
}

export interface MakeTableOptions {
  /**
   * 'hierarchy' (HEAD, v0.4.12+): root groups by name, each followed depth-first by its children by
   * name, then the remaining entries by name, names indented by depth. 'insertion' (≤ v0.4.11): the
   * entries in their stored order with the alias printed as stored (it carries the indentation).
   */
  layout?: 'hierarchy' | 'insertion';
  /** make_table's `sort_results`: entries sorted by name instead of the layout order. */
  sortResults?: boolean;
}

export const TABLE_HEADERS = ['Tasks', 'Version', 'Filter', 'n-shot', 'Metric', '', 'Value', '', 'Stderr'] as const;

const sortedNames = (names: Iterable<string>): string[] => [...names].sort(compareCodePoints);

/** `_build_hierarchy_info`: display order and depth of the entries, from group_subtasks. */
export function hierarchyOrder(groupSubtasks: Record<string, readonly string[]>, available: ReadonlySet<string>): { order: string[]; depth: Map<string, number> } {
  const depth = new Map<string, number>();
  const order: string[] = [];
  const visit = (name: string, d: number, path: ReadonlySet<string>): void => {
    depth.set(name, d);
    if (available.has(name)) order.push(name);
    if (path.has(name)) return; // a cycle would recurse forever in lm-eval; stop instead
    const next = new Set(path).add(name);
    for (const child of sortedNames(groupSubtasks[name] ?? [])) visit(child, d + 1, next);
  };
  const children = new Set(Object.values(groupSubtasks).flat());
  for (const name of sortedNames(Object.keys(groupSubtasks))) if (!children.has(name)) visit(name, 0, new Set());
  for (const name of sortedNames(available)) if (!depth.has(name)) order.push(name);
  return { order, depth };
}

/** Python `isinstance(v, float)` under our convention (PyFloat, or a non-integral plain number). */
function isPythonFloat(v: unknown): v is PyFloat | number {
  return isPyFloat(v) || (typeof v === 'number' && !Number.isInteger(v));
}

function fixed4(v: PyFloat | number): string {
  return pyFormatFixed(isPyFloat(v) ? v.value : v, 4);
}

function asCell(v: unknown): TableCell {
  if (v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || isPyFloat(v)) return v;
  return pyStr(v);
}

const ARROWS = new Map<unknown, string>([
  [true, '↑'],
  [false, '↓'],
]);

/** make_table's value matrix: [name, version, filter, n-shot, metric, arrow, value, ±, stderr] rows. */
export function makeTableRows(resultsJson: ResultsForTable, column: 'results' | 'groups' = 'results', options: MakeTableOptions = {}): TableCell[][] {
  const entries = (column === 'groups' ? resultsJson.groups : resultsJson.results) ?? {};
  const versions = resultsJson.versions ?? {};
  const nShot = resultsJson['n-shot'] ?? {};
  const higherIsBetter = resultsJson.higher_is_better ?? {};
  const layout = options.layout ?? 'hierarchy';
  const { order, depth } =
    layout === 'hierarchy'
      ? hierarchyOrder(resultsJson.group_subtasks ?? {}, new Set(Object.keys(entries)))
      : { order: Object.keys(entries), depth: new Map<string, number>() };
  const keys = options.sortResults ? sortedNames(Object.keys(entries)) : order;

  const rows: TableCell[][] = [];
  for (const key of keys) {
    const entry = { ...entries[key] };
    let version: TableCell = Object.hasOwn(versions, key) ? asCell(versions[key]) : '    N/A';
    const shots = Object.hasOwn(nShot, key) ? pyStr(nShot[key]) : ' ';
    const hib = higherIsBetter[key] ?? {};
    let name = Object.hasOwn(entry, 'alias') ? pyStr(entry.alias) : key;
    delete entry.alias;
    if (layout === 'hierarchy') {
      delete entry.name;
      delete entry.sample_len;
      delete entry.sample_count;
      const d = depth.get(key) ?? 0;
      if (d > 0) name = `${' '.repeat(d)}- ${name}`;
    }
    for (const metricKey of sortedNames(Object.keys(entry))) {
      const comma = metricKey.indexOf(',');
      const metric = comma >= 0 ? metricKey.slice(0, comma) : metricKey;
      const filter = comma >= 0 ? metricKey.slice(comma + 1) : '';
      if (metric.endsWith('_stderr')) continue;
      const arrow = ARROWS.get(hib[metric]) ?? '';
      const raw = entry[metricKey];
      const value: TableCell = isPythonFloat(raw) ? fixed4(raw) : asCell(raw);
      const stderrKey = `${metric}_stderr,${filter}`;
      if (Object.hasOwn(entry, stderrKey)) {
        const se = entry[stderrKey];
        const seText = se === 'N/A' ? '   N/A' : typeof se === 'number' || isPyFloat(se) ? fixed4(se) : pyStr(se);
        rows.push([name, version, filter, shots, metric, arrow, value, '±', seText]);
      } else {
        rows.push([name, version, filter, shots, metric, arrow, value, '', '']);
      }
      name = '';
      version = '';
    }
  }
  return rows;
}

/** lm-eval's `make_table(result_dict, column)` as printed (ends with a newline). */
export function makeTable(resultsJson: ResultsForTable | Record<string, unknown>, column: 'results' | 'groups' = 'results', options: MakeTableOptions = {}): string {
  const headers: string[] = [...TABLE_HEADERS];
  if (column === 'groups') headers[0] = 'Groups';
  return markdownTable(headers, makeTableRows(resultsJson as ResultsForTable, column, options));
}
