// The standard Hugging Face cache layout ({datasets,models}--owner--name/{blobs,snapshots,refs}), shared
// with Python tools, plus yardstick's record of which files make up a split or a model (written only once
// all are in).
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, copyFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** What yardstick writes after a complete download: the files of one split at one commit. */
export interface SplitManifest {
  dataset: string;
  config: string;
  split: string;
  /** git ref the commit came from: "main", "refs/convert/parquet" or a pinned revision */
  ref: string;
  commit: string;
  /** repo paths with size and etag (the LFS sha256 or git blob id, as the blob is named) */
  files: Array<{ path: string; size: number; etag: string }>;
}

/** What yardstick writes after a complete model download: the files it fetched at one commit. */
export interface ModelManifest {
  repo: string;
  ref: string;
  commit: string;
  files: Array<{ path: string; size: number; etag: string }>;
}

/** A name beside `path` no other process or call uses, for a file renamed into place when complete. */
export function tempBeside(path: string, suffix = 'tmp'): string {
  return `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.${suffix}`;
}

function writeAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = tempBeside(file);
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export class HfCache {
  constructor(
    readonly cacheDir: string,
    readonly repoType: 'dataset' | 'model' = 'dataset',
  ) {}

  /** datasets--owner--name or models--owner--name, as huggingface_hub names repo folders */
  repoDir(dataset: string): string {
    return join(this.cacheDir, [`${this.repoType}s`, ...dataset.split('/')].join('--'));
  }

  snapshotDir(dataset: string, commit: string): string {
    return join(this.repoDir(dataset), 'snapshots', commit);
  }

  snapshotFile(dataset: string, commit: string, repoPath: string): string {
    return join(this.snapshotDir(dataset, commit), ...repoPath.split('/'));
  }

  blobFile(dataset: string, etag: string): string {
    return join(this.repoDir(dataset), 'blobs', etag);
  }

  /** refs/<ref> holds the commit sha a branch pointed to when last downloaded (refs/refs/convert/parquet for the parquet branch). */
  readRef(dataset: string, ref: string): string | undefined {
    const file = join(this.repoDir(dataset), 'refs', ...ref.split('/'));
    try {
      const sha = readFileSync(file, 'utf8').trim();
      return /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
    } catch {
      return undefined;
    }
  }

  writeRef(dataset: string, ref: string, commit: string): void {
    if (/^[0-9a-f]{40}$/.test(ref)) return; // a commit needs no ref file
    writeAtomic(join(this.repoDir(dataset), 'refs', ...ref.split('/')), commit);
  }

  /** Whether the snapshot file exists and its blob is in place (a dangling link does not count). */
  hasFile(dataset: string, commit: string, repoPath: string): boolean {
    const f = this.snapshotFile(dataset, commit, repoPath);
    try {
      return statSync(f).isFile();
    } catch {
      return false;
    }
  }

  /** Points snapshots/<commit>/<path> at blobs/<etag> with a relative link (a copy where links fail), as huggingface_hub does. */
  linkSnapshot(dataset: string, commit: string, repoPath: string, etag: string): string {
    const pointer = this.snapshotFile(dataset, commit, repoPath);
    const blob = this.blobFile(dataset, etag);
    mkdirSync(dirname(pointer), { recursive: true });
    // made under a temporary name and renamed over the pointer, so two processes linking the same file
    // at once both end with a good pointer (never a copy of the blob onto itself)
    const tmp = tempBeside(pointer);
    try {
      symlinkSync(relative(dirname(pointer), blob), tmp);
    } catch {
      copyFileSync(blob, tmp);
    }
    renameSync(tmp, pointer);
    return pointer;
  }

  /** Lists every file under a snapshot, as repo paths (for offline lookups in caches filled by other tools). */
  snapshotFiles(dataset: string, commit: string): string[] {
    const root = this.snapshotDir(dataset, commit);
    const out: string[] = [];
    const walk = (dir: string, prefix: string): void => {
      let names: string[];
      try {
        names = readdirSync(dir).sort();
      } catch {
        return;
      }
      for (const name of names) {
        const full = join(dir, name);
        let isDir = false;
        try {
          isDir = statSync(full).isDirectory();
        } catch {
          continue; // dangling link: the blob is gone
        }
        if (isDir) walk(full, `${prefix}${name}/`);
        else out.push(`${prefix}${name}`);
      }
    };
    walk(root, '');
    return out;
  }

  private manifestFile(dataset: string, revisionKey: string, config: string, split: string): string {
    return join(this.repoDir(dataset), '.yardstick', 'splits', encodeURIComponent(revisionKey), config, `${split}.json`);
  }

  readManifest(dataset: string, revisionKey: string, config: string, split: string): SplitManifest | undefined {
    const file = this.manifestFile(dataset, revisionKey, config, split);
    if (!existsSync(file)) return undefined;
    try {
      const m = JSON.parse(readFileSync(file, 'utf8')) as SplitManifest;
      return typeof m.commit === 'string' && Array.isArray(m.files) ? m : undefined;
    } catch {
      return undefined; // a damaged record only costs a new lookup
    }
  }

  /** yardstick's record of a complete model download at a revision (branch, tag or sha as asked). */
  private modelManifestFile(repo: string, revisionKey: string): string {
    return join(this.repoDir(repo), '.yardstick', 'model', `${encodeURIComponent(revisionKey)}.json`);
  }

  readModelManifest(repo: string, revisionKey: string): ModelManifest | undefined {
    try {
      const m = JSON.parse(readFileSync(this.modelManifestFile(repo, revisionKey), 'utf8')) as ModelManifest;
      return typeof m.commit === 'string' && Array.isArray(m.files) ? m : undefined;
    } catch {
      return undefined; // absent or damaged: only costs a new lookup
    }
  }

  writeModelManifest(revisionKey: string, manifest: ModelManifest): void {
    writeAtomic(this.modelManifestFile(manifest.repo, revisionKey), JSON.stringify(manifest, null, 2) + '\n');
  }

  writeManifest(revisionKey: string, manifest: SplitManifest): void {
    writeAtomic(this.manifestFile(manifest.dataset, revisionKey, manifest.config, manifest.split), JSON.stringify(manifest, null, 2) + '\n');
  }
}
