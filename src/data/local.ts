// Local documents in the HF-like layout: <data-dir>/<dataset_path>/<dataset_name>/<split>.jsonl
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { YardstickError } from '../errors.js';
import type { DataSource, DatasetRef, Doc, LoadedSplit } from './types.js';

export class LocalJsonlSource implements DataSource {
  constructor(private readonly dataDir: string) {}

  private folder(ref: Omit<DatasetRef, 'split'>): string {
    return join(this.dataDir, ref.path, ref.name ?? 'default');
  }

  describe(ref: DatasetRef): string {
    return join(this.folder(ref), `${ref.split}.jsonl`);
  }

  async splits(ref: Omit<DatasetRef, 'split'>): Promise<string[]> {
    const dir = this.folder(ref);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => f.slice(0, -'.jsonl'.length))
      .sort();
  }

  async load(ref: DatasetRef): Promise<LoadedSplit> {
    const file = this.describe(ref);
    if (!existsSync(file)) {
      throw new YardstickError('data', `data file missing: ${file} (dataset ${ref.path}, config ${ref.name ?? 'default'}, split ${ref.split})`, {
        hint: `write the split there as JSON lines with the dataset's Hugging Face field names, or point --data-dir elsewhere`,
      });
    }
    const bytes = readFileSync(file);
    const docs: Doc[] = [];
    bytes
      .toString('utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim() === '') return;
        try {
          docs.push(JSON.parse(line) as Doc);
        } catch (e) {
          throw new YardstickError('data', `${file}:${i + 1}: not valid JSON (${(e as Error).message})`, {
            hint: 'each line must be one JSON object',
          });
        }
      });
    return {
      docs,
      provenance: { source: 'local', files: [{ path: file, sha256: createHash('sha256').update(bytes).digest('hex') }] },
    };
  }
}
