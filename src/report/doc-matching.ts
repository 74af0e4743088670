// Which logged samples of two runs are the same document: one rule for `compare` and `parity`.
// A doc_hash unique on both sides pairs documents wherever they stand; the rest pair by doc_id
// (and filter). Records carry the filter they were logged under.
import type { SampleRecord } from './run-folder.js';

function docKey(s: SampleRecord): string {
  return `${s.doc_id}\u0000${s.filter ?? 'none'}`;
}

function hashKey(s: SampleRecord): string | null {
  return s.doc_hash ? `${s.doc_hash}\u0000${s.filter ?? 'none'}` : null;
}

/** Pairs documents by doc_hash where it is unique on both sides, the rest by doc_id. */
export function pairDocuments(ours: SampleRecord[], theirs: SampleRecord[]): { pairs: Array<[SampleRecord, SampleRecord]>; onlyOurs: SampleRecord[]; onlyTheirs: SampleRecord[] } {
  const uniqueByHash = (xs: SampleRecord[]): Map<string, SampleRecord> => {
    const count = new Map<string, number>();
    for (const s of xs) {
      const k = hashKey(s);
      if (k) count.set(k, (count.get(k) ?? 0) + 1);
    }
    const out = new Map<string, SampleRecord>();
    for (const s of xs) {
      const k = hashKey(s);
      if (k && count.get(k) === 1) out.set(k, s);
    }
    return out;
  };
  const theirsByHash = uniqueByHash(theirs);
  const oursByHash = uniqueByHash(ours);
  const used = new Set<SampleRecord>();
  const pairs: Array<[SampleRecord, SampleRecord]> = [];
  const unmatched: SampleRecord[] = [];
  for (const s of ours) {
    const k = hashKey(s);
    const t = k && oursByHash.get(k) === s ? theirsByHash.get(k) : undefined;
    if (t) {
      pairs.push([s, t]);
      used.add(t);
    } else {
      unmatched.push(s);
    }
  }
  const theirsById = new Map<string, SampleRecord>();
  for (const t of theirs) if (!used.has(t) && !theirsById.has(docKey(t))) theirsById.set(docKey(t), t);
  const onlyOurs: SampleRecord[] = [];
  for (const s of unmatched) {
    const t = theirsById.get(docKey(s));
    if (t) {
      pairs.push([s, t]);
      used.add(t);
      theirsById.delete(docKey(s));
    } else {
      onlyOurs.push(s);
    }
  }
  pairs.sort(([a], [b]) => a.doc_id - b.doc_id || (a.filter ?? '').localeCompare(b.filter ?? ''));
  return { pairs, onlyOurs, onlyTheirs: theirs.filter((t) => !used.has(t)) };
}
