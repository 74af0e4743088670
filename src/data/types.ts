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
}

/** Where a split's documents came from, recorded in the results JSON. */
export interface DataProvenance {
  source: 'local' | 'hub';
  /** files read, with their sha256 */
  files: Array<{ path: string; sha256: string }>;
  /** hub commit sha when source is hub */
  revision?: string;
}

export interface LoadedSplit {
  docs: Doc[];
  provenance: DataProvenance;
}

/** A data source answers one question: give me this split's documents. */
export interface DataSource {
  describe(ref: DatasetRef): string;
  /** Resolves the split, or throws YardstickError('data') naming dataset/config/split and how to provide it. */
  load(ref: DatasetRef): Promise<LoadedSplit>;
  /** Lists the splits available for a dataset config without loading them (for fallbacks). */
  splits(ref: Omit<DatasetRef, 'split'>): Promise<string[]>;
}
