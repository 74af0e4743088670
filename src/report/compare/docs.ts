// Pairs the documents of several runs' sample logs: the same doc_id with the same doc_hash is the same
// document; anything else is left out of the paired comparison.
import type { SampleRecord } from '../run-folder.js';

export interface MatchedTask {
  task: string;
  /** the filter whose records were used ("none" unless the task only logged others) */
  filter: string;
  /** doc ids evaluated by every run with identical content, in the first run's order */
  docIds: number[];
  /** samples[run][k] is document docIds[k] in that run */
  samples: SampleRecord[][];
  /** every run logged exactly these documents, so results JSON values are comparable as they are */
  complete: boolean;
  /** doc ids present in every run whose doc_hash differs between runs */
  hashMismatches: number[];
  /** documents per run before matching */
  counts: number[];
}

/** Records of one filter, keyed by doc_id (a repeated doc_id keeps its first record). */
function byDocId(records: readonly SampleRecord[], filter: string): Map<number, SampleRecord> {
  const out = new Map<number, SampleRecord>();
  for (const r of records) {
    if ((r.filter ?? 'none') !== filter) continue;
    if (!out.has(r.doc_id)) out.set(r.doc_id, r);
  }
  return out;
}

export function filtersOf(records: readonly SampleRecord[]): string[] {
  return [...new Set(records.map((r) => r.filter ?? 'none'))];
}

export function matchDocs(task: string, perRun: ReadonlyArray<readonly SampleRecord[]>, filter = 'none'): MatchedTask {
  const maps = perRun.map((records) => byDocId(records, filter));
  const first = maps[0]!;
  const docIds: number[] = [];
  const hashMismatches: number[] = [];
  for (const id of first.keys()) {
    if (!maps.every((m) => m.has(id))) continue;
    const hashes = maps.map((m) => m.get(id)!.doc_hash);
    if (hashes.every((h) => typeof h === 'string') && new Set(hashes).size > 1) {
      hashMismatches.push(id);
      continue;
    }
    docIds.push(id);
  }
  const counts = maps.map((m) => m.size);
  return {
    task,
    filter,
    docIds,
    samples: maps.map((m) => docIds.map((id) => m.get(id)!)),
    complete: counts.every((c) => c === docIds.length),
    hashMismatches,
    counts,
  };
}
