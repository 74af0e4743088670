// Pairs the documents of several runs' sample logs with the shared rule (src/report/doc-matching.ts);
// a pair whose doc_hashes differ is not the same document and is left out of the paired comparison.
import type { SampleRecord } from '../run-folder.js';
import { pairDocuments } from '../doc-matching.js';

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

export function filtersOf(records: readonly SampleRecord[]): string[] {
  return [...new Set(records.map((r) => r.filter ?? 'none'))];
}

export function matchDocs(task: string, perRun: ReadonlyArray<readonly SampleRecord[]>, filter = 'none'): MatchedTask {
  const ofFilter = perRun.map((records) => records.filter((r) => (r.filter ?? 'none') === filter));
  const first = ofFilter[0]!;
  // each later run's record for each of the first run's records, by the shared matching rule
  const partners = ofFilter.slice(1).map((records) => new Map(pairDocuments(first, records).pairs));
  const docIds: number[] = [];
  const hashMismatches: number[] = [];
  const samples: SampleRecord[][] = ofFilter.map(() => []);
  const seen = new Set<number>();
  for (const record of first) {
    if (seen.has(record.doc_id)) continue;
    seen.add(record.doc_id);
    const others = partners.map((m) => m.get(record));
    if (others.some((o) => o === undefined)) continue;
    const hashes = [record, ...others].map((r) => r!.doc_hash);
    if (hashes.every((h) => typeof h === 'string') && new Set(hashes).size > 1) {
      hashMismatches.push(record.doc_id);
      continue;
    }
    docIds.push(record.doc_id);
    [record, ...others].forEach((r, i) => samples[i]!.push(r!));
  }
  const counts = ofFilter.map((records) => new Set(records.map((r) => r.doc_id)).size);
  return { task, filter, docIds, samples, complete: counts.every((c) => c === docIds.length), hashMismatches, counts };
}
