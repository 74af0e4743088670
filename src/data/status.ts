// `yardstick data status`: per task, where each split would be read from, whether it is there, how many rows.
import { YardstickError, isYardstickError } from '../errors.js';
import { countRows } from './formats/index.js';
import { configName, type DataLocation, type DataSource, type DatasetRef } from './types.js';

export interface StatusEntry {
  task: string;
  /** the splits the task reads; `role` says why (evaluation, few-shot) */
  refs: Array<DatasetRef & { role?: string }>;
}

export interface StatusRow {
  task: string;
  dataset: string;
  config: string;
  split: string;
  role?: string;
  kind: DataLocation['kind'];
  where: string;
  present: boolean;
  rows?: number;
  revision?: string;
  error?: string;
}

/** Looks every split up without network access and counts rows of the files that are there. */
export async function dataStatus(entries: StatusEntry[], source: DataSource): Promise<StatusRow[]> {
  const rows: StatusRow[] = [];
  for (const entry of entries) {
    for (const ref of entry.refs) {
      const base = { task: entry.task, dataset: ref.path, config: configName(ref), split: ref.split, role: ref.role };
      try {
        const loc: DataLocation = source.locate ? await source.locate(ref) : { kind: 'hub', where: source.describe(ref), files: [] };
        const present = loc.kind === 'local' || loc.kind === 'hf-cache';
        let count: number | undefined;
        if (present) {
          count = 0;
          for (const f of loc.files) count += await countRows(f);
        }
        rows.push({ ...base, kind: loc.kind, where: loc.where, present, rows: count, revision: loc.revision });
      } catch (e) {
        const message = isYardstickError(e) ? e.oneLine() : e instanceof Error ? e.message : String(e);
        rows.push({ ...base, kind: 'missing', where: '', present: false, error: message });
      }
    }
  }
  return rows;
}

const KIND_LABEL: Record<DataLocation['kind'], string> = {
  local: 'data-dir',
  'hf-cache': 'hf-cache',
  hub: 'hub (download)',
  missing: 'missing',
};

/** A plain-text table, one line per split. */
export function formatStatus(rows: StatusRow[]): string {
  const header = ['task', 'dataset', 'config', 'split', 'source', 'present', 'rows', 'location'];
  const body = rows.map((r) => [
    r.task,
    r.dataset,
    r.config,
    r.role && r.role !== 'eval' ? `${r.split} (${r.role})` : r.split,
    KIND_LABEL[r.kind],
    r.present ? 'yes' : 'no',
    r.rows === undefined ? '' : String(r.rows),
    r.error ? `error: ${r.error}` : r.revision ? `${r.where} @ ${r.revision.slice(0, 12)}` : r.where,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...body.map(line)].join('\n') + '\n';
}

/** The fields of an lm-eval task config that say which splits it reads (structural, so src/data needs no task code). */
export interface TaskDataFields {
  task: string;
  dataset_path: string;
  dataset_name?: string | null;
  dataset_kwargs?: Record<string, unknown>;
  test_split?: string | null;
  validation_split?: string | null;
  training_split?: string | null;
  fewshot_split?: string | null;
  fewshot_config?: { split?: string | null } | null;
  num_fewshot?: number | null;
}

/** The evaluation split (test, else validation, as the harness picks it) and, with few-shot, the few-shot pool. */
export function statusEntryForTask(config: TaskDataFields, numFewshot?: number): StatusEntry {
  const revision = typeof config.dataset_kwargs?.revision === 'string' ? config.dataset_kwargs.revision : undefined;
  const base = { path: config.dataset_path, ...(config.dataset_name ? { name: config.dataset_name } : {}), ...(revision ? { revision } : {}) };
  const refs: StatusEntry['refs'] = [];
  const evalSplit = config.test_split ?? config.validation_split;
  if (evalSplit) refs.push({ ...base, split: evalSplit, role: 'eval' });
  const shots = numFewshot ?? config.num_fewshot ?? 0;
  const fewshotSplit = config.fewshot_config?.split ?? config.fewshot_split ?? config.training_split ?? config.validation_split ?? config.test_split;
  if (shots > 0 && fewshotSplit && fewshotSplit !== evalSplit) refs.push({ ...base, split: fewshotSplit, role: 'few-shot' });
  return { task: config.task, refs };
}

/** `owner/name[:config]@split[,split...]` as the CLI accepts it. */
export function parseDatasetArg(arg: string): DatasetRef[] {
  const m = /^([^:@\s]+)(?::([^@\s]+))?@([^@\s]+)$/.exec(arg.trim());
  if (!m) {
    throw new YardstickError('usage', `cannot read dataset '${arg}'`, { hint: 'write owner/name[:config]@split, e.g. nyu-mll/glue:cola@validation' });
  }
  return m[3]!.split(',').filter(Boolean).map((split) => ({ path: m[1]!, ...(m[2] ? { name: m[2] } : {}), split }));
}
