// Documents from the Hugging Face Hub: the split's parquet files (repo data files per the dataset card,
// else the refs/convert/parquet branch), cached in the standard HF layout; cache first, offline-aware.
import { readFileSync } from 'node:fs';
import { YardstickError } from '../../errors.js';
import { parseDocs, sha256Hex } from '../formats/index.js';
import { checkRefPath } from '../local.js';
import { configName, describeRef, type DataLocation, type DataSource, type DatasetRef, type Doc, type LoadedSplit, type ProvenanceFile } from '../types.js';
import { HfCache, type SplitManifest } from './cache.js';
import { HubClient, type DownloadProgress } from './client.js';
import { cardConfigNames, cardSplitPatterns, conversionLayoutFiles, conversionLayoutSplits, guessSplitFiles, matchPatterns, patternBaseDir, type RepoFile } from './data-files.js';
import { offlineError, translateHubError } from './errors.js';
import { hubSettingsFromEnv, type HubSettings } from './settings.js';

export const PARQUET_BRANCH = 'refs/convert/parquet';
const SHA = /^[0-9a-f]{40}$/;

export interface HubSourceOptions {
  /** overrides for what the environment says (endpoint, cacheDir, token, offline) */
  settings?: Partial<HubSettings>;
  /** environment to read HF_* variables from (default process.env) */
  env?: Record<string, string | undefined>;
  fetch?: typeof fetch;
  onProgress?: (p: DownloadProgress) => void;
  /** re-resolve branch names online even when a download is cached */
  refresh?: boolean;
  /** where --data-dir would have the split, for error hints */
  dataDirPath?: (ref: DatasetRef) => string | undefined;
}

/** A split's files at one commit, either already cached or to download. */
interface ResolvedSplit {
  ref: string;
  commit: string;
  files: RepoFile[];
}

export class HubSource implements DataSource {
  readonly settings: HubSettings;
  readonly cache: HfCache;
  private readonly client: HubClient;

  constructor(private readonly options: HubSourceOptions = {}) {
    this.settings = hubSettingsFromEnv(options.env ?? process.env, options.settings);
    this.cache = new HfCache(this.settings.cacheDir);
    this.client = new HubClient({ endpoint: this.settings.endpoint, token: this.settings.token, fetch: options.fetch, onProgress: options.onProgress });
  }

  describe(ref: DatasetRef): string {
    return `${this.settings.endpoint}/datasets/${ref.path} (config ${configName(ref)}, split ${ref.split}${ref.revision ? `, revision ${ref.revision}` : ''})`;
  }

  /** The yardstick record key: the pinned revision, or "main" for the default lookup. */
  private revisionKey(ref: DatasetRef): string {
    return ref.revision ?? 'main';
  }

  /** A split already in the cache: yardstick's own record, or (offline) a snapshot filled by another tool. */
  private cached(ref: DatasetRef, allowGuess: boolean): { ref: string; commit: string; paths: string[]; manifest?: SplitManifest } | undefined {
    const config = configName(ref);
    const manifest = this.cache.readManifest(ref.path, this.revisionKey(ref), config, ref.split);
    if (manifest && manifest.files.every((f) => this.cache.hasFile(ref.path, manifest.commit, f.path))) {
      return { ref: manifest.ref, commit: manifest.commit, paths: manifest.files.map((f) => f.path), manifest };
    }
    if (!allowGuess) return undefined;
    const candidates: Array<[string, string | undefined]> = ref.revision
      ? [[ref.revision, SHA.test(ref.revision) ? ref.revision : this.cache.readRef(ref.path, ref.revision)]]
      : [
          ['main', this.cache.readRef(ref.path, 'main')],
          [PARQUET_BRANCH, this.cache.readRef(ref.path, PARQUET_BRANCH)],
        ];
    for (const [gitRef, commit] of candidates) {
      if (!commit) continue;
      const paths = guessSplitFiles(this.cache.snapshotFiles(ref.path, commit), config, ref.split);
      if (paths.length > 0) return { ref: gitRef, commit, paths };
    }
    return undefined;
  }

  private translate(e: unknown, ref: DatasetRef, url?: string, revision?: string): YardstickError {
    const failureUrl = url ?? (e as { url?: string }).url;
    return translateHubError(e, {
      ref,
      settings: this.settings,
      failure: failureUrl ? this.client.failureFor(failureUrl) : undefined,
      dataDirPath: this.options.dataDirPath?.(ref),
      revision,
    });
  }

  /** Finds the split's files online: card data_files at the revision, else the parquet conversion. */
  private async resolveOnline(ref: DatasetRef): Promise<ResolvedSplit> {
    const config = configName(ref);
    const revision = ref.revision ?? 'main';
    const head = await this.client.resolveRevision(ref.path, revision);
    const patterns = cardSplitPatterns(head.cardData, config);
    const splitPatterns = patterns?.get(ref.split);
    if (splitPatterns) {
      const dirs = [...new Set(splitPatterns.map(patternBaseDir))];
      const listed = (await Promise.all(dirs.map((d) => this.client.listFiles(ref.path, head.commit, d)))).flat();
      const files = matchPatterns(listed, splitPatterns);
      // only parquet keeps HF's column types; other repo formats are read from the parquet conversion
      if (files.length > 0 && files.every((f) => f.path.endsWith('.parquet'))) return { ref: revision, commit: head.commit, files };
    }
    let conv: { ref: string; commit: string } | undefined;
    if (ref.revision) conv = { ref: revision, commit: head.commit };
    else {
      try {
        conv = { ref: PARQUET_BRANCH, commit: (await this.client.resolveRevision(ref.path, PARQUET_BRANCH)).commit };
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode !== 404) throw e;
      }
    }
    let listed: RepoFile[] = [];
    if (conv) {
      listed = await this.client.listFiles(ref.path, conv.commit, config);
      const files = conversionLayoutFiles(listed, config, ref.split);
      if (files.length > 0) return { ...conv, files };
    }
    const splits = [...new Set([...(patterns?.keys() ?? []), ...conversionLayoutSplits(listed, config)])].sort();
    if (splits.length > 0) {
      throw new YardstickError('data', `dataset ${describeRef(ref)}: config ${config} has no split ${ref.split} on ${this.settings.endpoint}`, {
        hint: `its splits are ${splits.join(', ')}; check the split names in the task YAML`,
      });
    }
    const configs = cardConfigNames(head.cardData);
    if (conv && configs.length === 0) {
      const top = await this.client.listFiles(ref.path, conv.commit, '', false);
      configs.push(...top.filter((f) => f.path.endsWith('/')).map((f) => f.path.slice(0, -1)));
    }
    throw new YardstickError('data', `dataset ${describeRef(ref)}: no parquet files for this config and split on ${this.settings.endpoint}`, {
      hint:
        configs.length > 0 && !configs.includes(config)
          ? `the dataset's configs are ${configs.slice(0, 20).join(', ')}${configs.length > 20 ? ', …' : ''}; check dataset_name in the task YAML`
          : `the hub has no parquet export of it; convert the original files with \`yardstick data import\` and pass --data-dir`,
    });
  }

  /** Downloads (or finds) the split online and records it, so the next run needs no request. */
  async fetchSplit(ref: DatasetRef): Promise<{ resolved: ResolvedSplit; cached: boolean }> {
    checkRefPath(ref);
    if (!this.options.refresh) {
      const hit = this.cached(ref, this.settings.offline);
      if (hit) {
        const etags = new Map(hit.manifest?.files.map((f) => [f.path, f.etag]) ?? []);
        const files = hit.paths.map((path): RepoFile => {
          const etag = etags.get(path) ?? '';
          return { path, size: 0, ...(/^[0-9a-f]{64}$/.test(etag) ? { lfs: { oid: etag, size: 0 } } : {}) };
        });
        return { resolved: { ref: hit.ref, commit: hit.commit, files }, cached: true };
      }
    }
    if (this.settings.offline) throw offlineError(ref, this.settings, this.options.dataDirPath?.(ref));
    let resolved: ResolvedSplit;
    try {
      resolved = await this.resolveOnline(ref);
      for (const file of resolved.files) await this.client.downloadToCache(this.cache, ref.path, resolved.commit, file);
    } catch (e) {
      throw this.translate(e, ref, undefined, ref.revision);
    }
    this.cache.writeRef(ref.path, resolved.ref, resolved.commit);
    this.cache.writeManifest(this.revisionKey(ref), {
      dataset: ref.path,
      config: configName(ref),
      split: ref.split,
      ref: resolved.ref,
      commit: resolved.commit,
      files: resolved.files.map((f) => ({ path: f.path, size: f.lfs?.size ?? f.size, etag: f.lfs?.oid ?? f.oid ?? '' })),
    });
    return { resolved, cached: false };
  }

  async load(ref: DatasetRef): Promise<LoadedSplit> {
    const { resolved, cached } = await this.fetchSplit(ref);
    const docs: Doc[] = [];
    const files: ProvenanceFile[] = [];
    for (const f of resolved.files) {
      const path = this.cache.snapshotFile(ref.path, resolved.commit, f.path);
      let bytes: Buffer;
      try {
        bytes = readFileSync(path);
      } catch (e) {
        throw new YardstickError('data', `dataset ${describeRef(ref)}: cached file ${path} cannot be read (${(e as Error).message})`, {
          hint: 'delete the dataset folder in the HF cache and run again online',
        });
      }
      const sha256 = sha256Hex(bytes);
      if (f.lfs && f.lfs.oid !== sha256) {
        throw new YardstickError('data', `dataset ${describeRef(ref)}: cached file ${path} is damaged (sha256 ${sha256.slice(0, 12)}…, expected ${f.lfs.oid.slice(0, 12)}…)`, {
          hint: `delete ${this.cache.blobFile(ref.path, f.lfs.oid)} and run again online`,
        });
      }
      docs.push(...(await parseDocs(bytes, path)));
      files.push({ path, sha256, size: bytes.byteLength, repoPath: f.path });
    }
    return {
      docs,
      provenance: {
        source: 'hub',
        files,
        revision: resolved.commit,
        dataset: ref.path,
        config: configName(ref),
        split: ref.split,
        ref: resolved.ref,
        endpoint: this.settings.endpoint,
        cached,
      },
    };
  }

  async locate(ref: DatasetRef): Promise<DataLocation> {
    checkRefPath(ref);
    const hit = this.cached(ref, true);
    if (hit) {
      const files = hit.paths.map((p) => this.cache.snapshotFile(ref.path, hit.commit, p));
      return { kind: 'hf-cache', where: this.cache.snapshotDir(ref.path, hit.commit), files, revision: hit.commit };
    }
    if (this.settings.offline) return { kind: 'missing', where: `not in the HF cache ${this.settings.cacheDir} (HF_HUB_OFFLINE is set)`, files: [] };
    return { kind: 'hub', where: this.describe(ref), files: [] };
  }

  async splits(ref: Omit<DatasetRef, 'split'>): Promise<string[]> {
    checkRefPath(ref);
    const config = configName(ref);
    if (this.settings.offline) {
      const out = new Set<string>();
      for (const gitRef of ref.revision ? [ref.revision] : ['main', PARQUET_BRANCH]) {
        const commit = SHA.test(gitRef) ? gitRef : this.cache.readRef(ref.path, gitRef);
        if (commit) conversionLayoutSplits(this.cache.snapshotFiles(ref.path, commit).map((path) => ({ path, size: 0 })), config).forEach((s) => out.add(s));
      }
      return [...out].sort();
    }
    const probe: DatasetRef = { ...ref, split: '*' };
    try {
      const head = await this.client.resolveRevision(ref.path, ref.revision ?? 'main');
      const fromCard = cardSplitPatterns(head.cardData, config);
      if (fromCard) return [...fromCard.keys()].sort();
      const commit = ref.revision ? head.commit : (await this.client.resolveRevision(ref.path, PARQUET_BRANCH)).commit;
      return conversionLayoutSplits(await this.client.listFiles(ref.path, commit, config), config);
    } catch (e) {
      throw this.translate(e, probe);
    }
  }
}
