// Network side of the hub (dataset and model repos), through @huggingface/hub: resolve a revision to
// its commit, list files, and download one file into the HF cache (verified, atomic, with progress).
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import { datasetInfo, downloadFile, listFiles, modelInfo } from '@huggingface/hub';
import { YardstickError } from '../../errors.js';
import { tempBeside, type HfCache } from './cache.js';
import type { RepoFile } from './data-files.js';
import type { FailureInfo } from './errors.js';
import { lockBlob, type LockHolder } from './blob-lock.js';

export interface DownloadProgress {
  /** the repo id (dataset or model) */
  dataset: string;
  /** path of the file inside the repository */
  file: string;
  received: number;
  total: number;
  /** set on the last event of a file */
  done?: boolean;
  /** set while another download of the same file, by this process, is waited for */
  waitingFor?: LockHolder;
}

export interface HubClientOptions {
  endpoint: string;
  token?: string;
  /** replaces global fetch (tests, proxies) */
  fetch?: typeof fetch;
  onProgress?: (p: DownloadProgress) => void;
  /** dataset (default) or model repos */
  repoType?: 'dataset' | 'model';
  /**
   * keep an interrupted transfer as blobs/<etag>.incomplete (huggingface_hub's name) and continue it
   * with a range request next time; models are large enough for this to matter
   */
  resumable?: boolean;
}

export class HubClient {
  private readonly failures = new Map<string, FailureInfo>();
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: HubClientOptions) {
    const base = options.fetch ?? fetch;
    const origin = new URL(options.endpoint).origin;
    // The token goes only to the hub endpoint itself, never to a CDN it redirects to; error headers are
    // kept because the client's errors carry only status and body.
    this.fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const headers = new Headers(init?.headers);
      if (options.token && new URL(url).origin === origin && !headers.has('authorization')) {
        headers.set('authorization', `Bearer ${options.token}`);
      }
      headers.set('user-agent', 'yardstick (+@huggingface/hub)');
      const res = await base(input, { ...init, headers });
      if (!res.ok) {
        this.failures.set(res.url || url, {
          status: res.status,
          errorCode: res.headers.get('x-error-code') ?? undefined,
          errorMessage: res.headers.get('x-error-message') ?? undefined,
        });
      }
      return res;
    }) as typeof fetch;
  }

  private get repoType(): 'dataset' | 'model' {
    return this.options.repoType ?? 'dataset';
  }

  /** What the hub's headers said about a failed request to this URL. */
  failureFor(url: string): FailureInfo | undefined {
    return this.failures.get(url);
  }

  /** Commit sha and dataset card metadata of a revision (branch, tag, `refs/convert/parquet`, or sha). */
  async resolveRevision(dataset: string, revision: string): Promise<{ commit: string; cardData?: unknown }> {
    const params = { name: dataset, revision, hubUrl: this.options.endpoint, fetch: this.fetchImpl };
    const info: { sha?: unknown; cardData?: unknown } =
      this.repoType === 'model'
        ? await modelInfo({ ...params, additionalFields: ['sha', 'cardData'] })
        : await datasetInfo({ ...params, additionalFields: ['sha', 'cardData'] });
    if (typeof info.sha !== 'string' || !/^[0-9a-f]{40}$/.test(info.sha)) {
      throw new YardstickError('data', `the hub's answer for ${dataset} at ${revision} has no commit sha`, {
        hint: 'the endpoint (HF_ENDPOINT) may not be a Hugging Face Hub or mirror',
      });
    }
    return { commit: info.sha, cardData: info.cardData };
  }

  /** Files under `path` at a commit; an absent folder is an empty list. */
  async listFiles(dataset: string, commit: string, path: string, recursive = true): Promise<RepoFile[]> {
    const out: RepoFile[] = [];
    try {
      for await (const entry of listFiles({
        repo: { type: this.repoType, name: dataset },
        revision: commit,
        path: path || undefined,
        recursive,
        hubUrl: this.options.endpoint,
        fetch: this.fetchImpl,
      })) {
        if (entry.type === 'file') out.push({ path: entry.path, size: entry.size, oid: entry.oid, lfs: entry.lfs });
        else if (!recursive && entry.type === 'directory') out.push({ path: `${entry.path}/`, size: 0 });
      }
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return [];
      throw e;
    }
    return out;
  }

  /**
   * Puts one file into the cache as blobs/<etag> plus the snapshot link. The bytes go to a temporary
   * file first and become the blob only when size and checksum match, so an interrupted or corrupted
   * transfer leaves no entry behind.
   */
  async downloadToCache(cache: HfCache, dataset: string, commit: string, file: RepoFile): Promise<string> {
    const etag = file.lfs?.oid ?? file.oid;
    if (!etag) throw new YardstickError('data', `${dataset}: the hub lists ${file.path} without an id, cannot cache it`);
    if (cache.hasFile(dataset, commit, file.path)) return cache.snapshotFile(dataset, commit, file.path);
    const blob = cache.blobFile(dataset, etag);
    if (existsSync(blob)) return cache.linkSnapshot(dataset, commit, file.path, etag);

    mkdirSync(cache.blobFile(dataset, ''), { recursive: true });
    const total = file.lfs?.size ?? file.size;
    const lock = await lockBlob(blob, (holder) => this.options.onProgress?.({ dataset, file: file.path, received: 0, total, waitingFor: holder }));
    try {
      // the download waited for may have made the blob
      if (!existsSync(blob)) await this.downloadBlob(dataset, commit, file, blob, lock.touch);
    } finally {
      lock.release();
    }
    return cache.linkSnapshot(dataset, commit, file.path, etag);
  }

  /** The transfer itself, under the blob's lock: into a temporary file, checked, renamed to the blob. */
  private async downloadBlob(dataset: string, commit: string, file: RepoFile, blob: string, alive: () => void): Promise<void> {
    const resumable = this.options.resumable ?? false;
    const tmp = resumable ? `${blob}.incomplete` : tempBeside(blob, 'incomplete');
    const total = file.lfs?.size ?? file.size;
    const sha256 = createHash('sha256');
    const gitSha1 = createHash('sha1').update(`blob ${total}\0`);
    // a transfer cut off earlier continues where it stopped; its bytes are hashed again first
    let received = resumable && existsSync(tmp) ? statSync(tmp).size : 0;
    if (received > total) {
      rmSync(tmp, { force: true });
      received = 0;
    }
    if (received > 0) await hashFile(tmp, [sha256, gitSha1]);
    let keepPartial = false;
    try {
      const data = await downloadFile({
        repo: { type: this.repoType, name: dataset },
        path: file.path,
        revision: commit,
        hubUrl: this.options.endpoint,
        fetch: this.fetchImpl,
        xet: false,
      });
      if (!data) throw new YardstickError('data', `${dataset}: ${file.path} is listed at ${commit} but the hub does not serve it`);
      const fd = openSync(tmp, received > 0 ? 'a' : 'w');
      try {
        const reader = (received > 0 ? data.slice(received) : data).stream().getReader();
        this.options.onProgress?.({ dataset, file: file.path, received, total });
        for (;;) {
          let chunk: ReadableStreamReadResult<Uint8Array>;
          try {
            chunk = await reader.read();
          } catch (e) {
            keepPartial = resumable;
            throw new YardstickError('network', `download of ${file.path} (${dataset}) was interrupted after ${received} of ${total} bytes (${describeCause(e)})`, {
              hint: resumable ? 'run again to continue the download' : 'nothing was kept in the cache; run again to retry',
            });
          }
          if (chunk.done) break;
          writeSync(fd, chunk.value);
          sha256.update(chunk.value);
          gitSha1.update(chunk.value);
          received += chunk.value.byteLength;
          alive();
          this.options.onProgress?.({ dataset, file: file.path, received, total });
        }
      } finally {
        closeSync(fd);
      }
      if (received !== total) {
        keepPartial = resumable && received < total;
        throw new YardstickError('network', `download of ${file.path} (${dataset}) ended after ${received} of ${total} bytes`, {
          hint: keepPartial ? 'run again to continue the download' : 'nothing was kept in the cache; run again to retry',
        });
      }
      const ok = file.lfs ? sha256.digest('hex') === file.lfs.oid : file.oid ? gitSha1.digest('hex') === file.oid : true;
      if (!ok) {
        throw new YardstickError('network', `download of ${file.path} (${dataset}) does not match the checksum the hub lists`, {
          hint: 'nothing was kept in the cache; run again, and check HF_ENDPOINT if this repeats',
        });
      }
      renameSync(tmp, blob);
      this.options.onProgress?.({ dataset, file: file.path, received, total, done: true });
    } finally {
      if (!keepPartial) rmSync(tmp, { force: true });
    }
  }
}

async function hashFile(path: string, hashes: Hash[]): Promise<void> {
  for await (const chunk of createReadStream(path)) for (const h of hashes) h.update(chunk as Buffer);
}

function describeCause(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let i = 0; cur && i < 3; i++) {
    parts.push(typeof cur === 'string' ? cur : ((cur as Error).message ?? String(cur)));
    cur = typeof cur === 'object' ? (cur as { cause?: unknown }).cause : undefined;
  }
  return parts.join(': ');
}
