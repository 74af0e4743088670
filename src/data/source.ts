// The data source the harness uses: --data-dir files first, then the HF cache / Hub (offline rule included).
import { LocalSource } from './local.js';
import { HubSource, type HubSourceOptions } from './hub/source.js';
import type { DataLocation, DataSource, DatasetRef, LoadedSplit } from './types.js';

export interface DataSourceOptions extends HubSourceOptions {
  /** folder in the layout <data-dir>/<dataset_path>/<dataset_name>/<split>.<ext>; searched first */
  dataDir?: string;
  /** false: never use the Hub or its cache (only --data-dir) */
  hub?: boolean;
}

export class CompositeSource implements DataSource {
  constructor(
    readonly local: LocalSource | undefined,
    readonly hub: HubSource | undefined,
  ) {}

  describe(ref: DatasetRef): string {
    return [this.local?.describe(ref), this.hub?.describe(ref)].filter(Boolean).join(', else ');
  }

  async load(ref: DatasetRef): Promise<LoadedSplit> {
    if (this.local && (this.local.findFile(ref) || !this.hub)) return this.local.load(ref);
    return this.hub!.load(ref);
  }

  async splits(ref: Omit<DatasetRef, 'split'>): Promise<string[]> {
    const local = this.local ? await this.local.splits(ref) : [];
    if (local.length > 0 || !this.hub) return local;
    return this.hub.splits(ref);
  }

  async locate(ref: DatasetRef): Promise<DataLocation> {
    if (this.local) {
      const here = await this.local.locate(ref);
      if (here.kind !== 'missing' || !this.hub) return here;
    }
    return this.hub!.locate(ref);
  }
}

export function createDataSource(options: DataSourceOptions = {}): CompositeSource {
  const local = options.dataDir ? new LocalSource(options.dataDir) : undefined;
  const hub =
    options.hub === false
      ? undefined
      : new HubSource({ ...options, dataDirPath: options.dataDirPath ?? (local ? (ref) => local.describe(ref) : undefined) });
  return new CompositeSource(local, hub);
}
