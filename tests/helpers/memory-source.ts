// An in-memory DataSource for tests: documents keyed by "path/name/split".
import { YardstickError } from '../../src/errors.js';
import type { DataSource, DatasetRef, Doc, LoadedSplit } from '../../src/data/types.js';

export function memorySource(splits: Record<string, Doc[]>): DataSource {
  const key = (r: Omit<DatasetRef, 'split'> & { split?: string }): string => `${r.path}/${r.name ?? 'default'}/${r.split ?? ''}`;
  return {
    describe: (ref) => key(ref),
    async load(ref): Promise<LoadedSplit> {
      const docs = splits[key(ref)];
      if (!docs) throw new YardstickError('data', `no split ${key(ref)}`);
      return { docs, provenance: { source: 'local', files: [] } };
    },
    async splits(ref) {
      return Object.keys(splits)
        .filter((k) => k.startsWith(key(ref)))
        .map((k) => k.slice(key(ref).length));
    },
  };
}
