// lm-eval's printed results table: make_table's rows (HEAD order, spec §14.1) rendered the way
// pytablewriter's MarkdownTableWriter renders them (type inference, alignment, decimals; §14.2).
import { PyFloat, pyFloatRepr } from './pyjson.js';

type Json = Record<string, unknown>;

const HEADERS = ['Tasks', 'Version', 'Filter', 'n-shot', 'Metric', '', 'Value', '', 'Stderr'];

function fmt4(v: unknown): string {
  const x = v instanceof PyFloat ? v.value : v;
  return typeof x === 'number' ? x.toFixed(4) : String(x);
}

function cellText(v: unknown): string {
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (v === undefined || v === null) return '';
  return String(v);
}

/** Entry names in display order with their depth (HEAD: root groups by name, depth-first, then standalone). */
function orderedEntries(results: Json, groupSubtasks: Record<string, string[]>): Array<[string, number]> {
  const children = new Set(Object.values(groupSubtasks).flat());
  const roots = Object.keys(groupSubtasks).filter((g) => !children.has(g)).sort();
  const out: Array<[string, number]> = [];
  const seen = new Set<string>();
  const visit = (name: string, depth: number): void => {
    if (seen.has(name)) return;
    seen.add(name);
    out.push([name, depth]);
    for (const c of [...(groupSubtasks[name] ?? [])].sort()) visit(c, depth + 1);
  };
  roots.forEach((r) => visit(r, 0));
  for (const name of Object.keys(results).filter((n) => !seen.has(n)).sort()) visit(name, 0);
  return out.filter(([name]) => name in results);
}

/** The rows make_table builds, as strings before pytablewriter formatting. */
export function tableRows(resultsJson: Json, column: 'results' | 'groups'): string[][] {
  const all = (resultsJson.results ?? {}) as Record<string, Json>;
  const shown = (resultsJson[column] ?? {}) as Record<string, Json>;
  const versions = (resultsJson.versions ?? {}) as Json;
  const nShot = (resultsJson['n-shot'] ?? {}) as Json;
  const hib = (resultsJson.higher_is_better ?? {}) as Record<string, Record<string, boolean>>;
  const rows: string[][] = [];
  for (const [name, depth] of orderedEntries(all, (resultsJson.group_subtasks ?? {}) as Record<string, string[]>)) {
    const entry = shown[name];
    if (!entry) continue;
    const alias = String(entry.alias ?? name);
    const display = depth === 0 ? alias : `${' '.repeat(depth)}- ${alias}`;
    const version = name in versions ? cellText(versions[name]) : '    N/A';
    const shots = name in nShot ? String(nShot[name]) : ' ';
    const keys = Object.keys(entry).filter((k) => k.includes(',') && !k.split(',')[0]!.endsWith('_stderr')).sort();
    keys.forEach((key, i) => {
      const [metric, filter] = key.split(',') as [string, string];
      const better = hib[name]?.[metric];
      const arrow = better === true ? '↑' : better === false ? '↓' : '';
      const stderrKey = `${metric}_stderr,${filter}`;
      const hasStderr = stderrKey in entry;
      const se = entry[stderrKey];
      rows.push([
        i === 0 ? display : '',
        i === 0 ? version : '',
        filter,
        shots,
        metric,
        arrow,
        fmt4(entry[key]),
        hasStderr ? '±' : '',
        hasStderr ? (se === 'N/A' ? '   N/A' : fmt4(se)) : '',
      ]);
    });
  }
  return rows;
}

type CellType = 'integer' | 'real' | 'null' | 'text';
const NUMERAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function cellType(s: string): CellType {
  if (s.trim() === '') return 'null';
  if (!NUMERAL.test(s)) return 'text';
  return Number.isInteger(Number(s)) ? 'integer' : 'real';
}

function decimals(s: string): number {
  if (cellType(s) === 'integer') return 0;
  const repr = pyFloatRepr(Number(s));
  const dot = repr.indexOf('.');
  return dot === -1 ? 0 : repr.length - dot - 1;
}

const width = (s: string): number => [...s].length;

/** pytablewriter MarkdownTableWriter output for the given header and string cells. */
export function renderMarkdownTable(headers: string[], rows: string[][]): string {
  const columns = headers.map((_, c) => rows.map((r) => r[c] ?? ''));
  const rendered = columns.map((cells) => {
    const types = cells.map(cellType);
    const nonNull = types.filter((t) => t !== 'null');
    const columnType: CellType = nonNull.length === 0 || nonNull.includes('text') ? 'text' : nonNull.includes('real') ? 'real' : 'integer';
    const n = Math.max(0, ...cells.filter((_, i) => types[i] === 'integer' || types[i] === 'real').map(decimals));
    const texts = cells.map((s, i) => {
      const t = types[i]!;
      if (t === 'integer') return columnType === 'integer' ? String(Math.trunc(Number(s))) : Number(s).toFixed(n);
      if (t === 'real') return Number(s).toFixed(n);
      return s;
    });
    return { columnType, texts, types };
  });
  const widths = headers.map((h, c) => Math.max(3, width(h), ...rendered[c]!.texts.map(width)));
  const line = (cells: string[]): string => `|${cells.join('|')}|`;
  const header = line(headers.map((h, c) => {
    const pad = widths[c]! - width(h);
    return ' '.repeat(Math.floor(pad / 2)) + h + ' '.repeat(pad - Math.floor(pad / 2));
  }));
  const separator = line(widths.map((w, c) => (rendered[c]!.columnType === 'text' ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)));
  const body = rows.map((_, r) =>
    line(widths.map((w, c) => {
      const text = rendered[c]!.texts[r]!;
      const numeric = rendered[c]!.types[r] === 'integer' || rendered[c]!.types[r] === 'real';
      const pad = ' '.repeat(w - width(text));
      return numeric ? pad + text : text + pad;
    })),
  );
  return [header, separator, ...body].join('\n') + '\n';
}

/** lm-eval's make_table(result_dict, column): the tasks table, or the groups table. */
export function makeTable(resultsJson: Json, column: 'results' | 'groups' = 'results'): string {
  const headers = [...HEADERS];
  if (column === 'groups') headers[0] = 'Groups';
  return renderMarkdownTable(headers, tableRows(resultsJson, column));
}
