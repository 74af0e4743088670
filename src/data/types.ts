// What a data source hands to a task: documents of one split, in dataset order, with HF field names.

/** One document (a dataset row) with Hugging Face column names, in dataset column order. */
export type Doc = Record<string, unknown>;

/** Identifies one split of one dataset config, as a task YAML names it. */
export interface DatasetRef {
  /** e.g. "nyu-mll/glue" */
  path: string;
  /** e.g. "cola"; lm-eval's dataset_name (may be absent: then "default") */
  name?: string;
  /** e.g. "validation" */
  split: string;
  /** Hub revision to pin (branch, tag or commit sha; lm-eval's dataset_kwargs.revision). */
  revision?: string;
}

/** One file a split was read from. */
export interface ProvenanceFile {
  /** the local path that was read (for the hub: the file in the HF cache snapshot) */
  path: string;
  sha256: string;
  size?: number;
  /** path inside the hub repository, for hub files */
  repoPath?: string;
}

/** Where a split's documents came from, recorded in the results JSON. */
export interface DataProvenance {
  source: 'local' | 'hub';
  /** files read, with their sha256 */
  files: ProvenanceFile[];
  /** hub commit sha when source is hub */
  revision?: string;
  dataset?: string;
  config?: string;
  split?: string;
  /** the git ref the commit was resolved from ("main", "refs/convert/parquet", or the pinned revision) */
  ref?: string;
  /** hub endpoint the files came from (HF_ENDPOINT) */
  endpoint?: string;
  /** true when no network request was needed */
  cached?: boolean;
}

export interface LoadedSplit {
  docs: Doc[];
  provenance: DataProvenance;
}

/** Where a split would be read from, found without reading documents or touching the network. */
export interface DataLocation {
  /** 'local' (--data-dir), 'hf-cache' (already downloaded), 'hub' (would download), 'missing' */
  kind: 'local' | 'hf-cache' | 'hub' | 'missing';
  /** human-readable place: file path(s), cache snapshot, or hub URL */
  where: string;
  /** files that hold the split, when present locally */
  files: string[];
  /** hub commit of cached files */
  revision?: string;
}

/** A data source answers one question: give me this split's documents. */
export interface DataSource {
  describe(ref: DatasetRef): string;
  /** Resolves the split, or throws YardstickError('data') naming dataset/config/split and how to provide it. */
  load(ref: DatasetRef): Promise<LoadedSplit>;
  /** Lists the splits available for a dataset config without loading them (for fallbacks). */
  splits(ref: Omit<DatasetRef, 'split'>): Promise<string[]>;
  /** Says where the split would come from, without network access (for `yardstick data status`). */
  locate?(ref: DatasetRef): Promise<DataLocation>;
}

/** lm-eval's dataset_name, or the HF default config name. */
export function configName(ref: { name?: string | null }): string {
  return ref.name ?? 'default';
}

/** "nyu-mll/glue (config cola, split validation)", the way errors name a split. */
export function describeRef(ref: DatasetRef): string {
  const rev = ref.revision ? `, revision ${ref.revision}` : '';
  return `${ref.path} (config ${configName(ref)}, split ${ref.split}${rev})`;
}
