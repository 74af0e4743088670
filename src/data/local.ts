// Local documents in the HF-like layout: <data-dir>/<dataset_path>/<dataset_name>/<split>.{parquet,jsonl,json,csv}
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { YardstickError } from '../errors.js';
import { SPLIT_FILE_EXTENSIONS, readDocsFile } from './formats/index.js';
import { configName, describeRef, type DataLocation, type DataSource, type DatasetRef, type LoadedSplit } from './types.js';

/** Rejects dataset paths or names that would leave the data folder. */
export function checkRefPath(ref: Omit<DatasetRef, 'split'> & { split?: string }): void {
  const parts = [...ref.path.split('/'), configName(ref), ...(ref.split === undefined ? [] : [ref.split])];
  if (ref.path.startsWith('/') || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\'))) {
    throw new YardstickError('data', `invalid dataset reference ${ref.path} (config ${configName(ref)}${ref.split ? `, split ${ref.split}` : ''})`, {
      hint: 'dataset paths look like owner/name, configs and splits are plain names',
    });
  }
}

export class LocalSource implements DataSource {
  readonly dataDir: string;

  constructor(dataDir: string) {
    this.dataDir = resolve(dataDir);
  }

  folder(ref: Omit<DatasetRef, 'split'>): string {
    checkRefPath(ref);
    return join(this.dataDir, ...ref.path.split('/'), configName(ref));
  }

  describe(ref: DatasetRef): string {
    return join(this.folder(ref), `${ref.split}.{${SPLIT_FILE_EXTENSIONS.map((e) => e.slice(1)).join(',')}}`);
  }

  /** The one file holding the split, or undefined; two files for one split is an error (which one is meant?). */
  findFile(ref: DatasetRef): string | undefined {
    checkRefPath(ref);
    const dir = this.folder(ref);
    const found = SPLIT_FILE_EXTENSIONS.map((ext) => join(dir, `${ref.split}${ext}`)).filter((f) => existsSync(f) && statSync(f).isFile());
    if (found.length > 1) {
      throw new YardstickError('data', `${describeRef(ref)} has ${found.length} files in ${dir}: ${found.map((f) => f.slice(dir.length + 1)).join(', ')}`, {
        hint: 'keep exactly one file per split',
      });
    }
    return found[0];
  }

  async splits(ref: Omit<DatasetRef, 'split'>): Promise<string[]> {
    const dir = this.folder(ref);
    if (!existsSync(dir)) return [];
    const names = new Set<string>();
    for (const f of readdirSync(dir)) {
      const ext = SPLIT_FILE_EXTENSIONS.find((e) => f.toLowerCase().endsWith(e));
      if (ext) names.add(f.slice(0, -ext.length));
    }
    return [...names].sort();
  }

  async locate(ref: DatasetRef): Promise<DataLocation> {
    const file = this.findFile(ref);
    return file ? { kind: 'local', where: file, files: [file] } : { kind: 'missing', where: this.describe(ref), files: [] };
  }

  async load(ref: DatasetRef): Promise<LoadedSplit> {
    const file = this.findFile(ref);
    if (!file) {
      const available = await this.splits(ref);
      throw new YardstickError('data', `no local file for ${describeRef(ref)}: expected ${this.describe(ref)}`, {
        hint:
          available.length > 0
            ? `that folder has the splits ${available.join(', ')}`
            : 'write the split there with the Hugging Face field names (`yardstick data import` converts original release files)',
      });
    }
    const read = await readDocsFile(file);
    return {
      docs: read.docs,
      provenance: {
        source: 'local',
        files: [{ path: file, sha256: read.sha256, size: read.size }],
        dataset: ref.path,
        config: configName(ref),
        split: ref.split,
      },
    };
  }
}
