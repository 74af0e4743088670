// The files of an end-to-end run: data written as JSON Lines under a --data-dir, and what `yardstick
// run --output-path OUT` wrote (OUT/<model folder>/results_*.json and samples_<task>_*.jsonl).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** `rows` as a JSON Lines file, folders created; no rows give an empty file. */
export function writeJsonl(file: string, rows: unknown[]): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length > 0 ? '\n' : ''));
}

/** The model folder a run wrote under its --output-path (the first, where there are several). */
export function runFolder(out: string): string {
  return join(out, readdirSync(out)[0]!);
}

/** The parsed results_*.json of a run's model folder. */
export function readResults(folder: string): Record<string, any> {
  const name = readdirSync(folder).find((f) => f.startsWith('results_'))!;
  return JSON.parse(readFileSync(join(folder, name), 'utf8'));
}

/** The rows of samples_<task>_*.jsonl in a run's model folder. */
export function readSamples(folder: string, task: string): Array<Record<string, any>> {
  const name = readdirSync(folder).find((f) => f.startsWith(`samples_${task}_`))!;
  return readFileSync(join(folder, name), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}
