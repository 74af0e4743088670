// A local stand-in for the Hugging Face Hub (127.0.0.1, random port) serving the URL layout that
// @huggingface/hub requests: /api/{datasets,models}/{id}/revision/{rev}, /api/{datasets,models}/{id}/tree/{rev}/{path},
// /datasets/{id}/resolve/{rev}/{file} and /{id}/resolve/{rev}/{file} (models) with ETag / X-Linked-Etag /
// X-Repo-Commit and range requests.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCommit {
  files: Record<string, Uint8Array | string>;
  cardData?: unknown;
}

export interface FakeRepo {
  /** branch or ref name → commit sha */
  refs: Record<string, string>;
  commits: Record<string, FakeCommit>;
  /** when set, every request needs `Authorization: Bearer <token>` */
  gatedToken?: string;
}

export interface LoggedRequest {
  method: string;
  url: string;
  authorization?: string;
  range?: string;
}

export function gitBlobSha1(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** 40-hex commit ids that read well in failures. */
export function commitId(n: number): string {
  return n.toString(16).padStart(40, 'c');
}

function bytesOf(v: Uint8Array | string): Uint8Array {
  return typeof v === 'string' ? new TextEncoder().encode(v) : v;
}

/** Binary files (parquet, weights) are LFS objects on the Hub; text files are plain git blobs. */
function isLfs(path: string): boolean {
  return /\.(parquet|safetensors|onnx|onnx_data|bin)$/.test(path);
}

/** Every file under a folder, keyed by its path relative to it (a model repo's commit). */
export function folderFiles(dir: string, prefix = ''): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) Object.assign(out, folderFiles(full, `${prefix}${name}/`));
    else out[`${prefix}${name}`] = new Uint8Array(readFileSync(full));
  }
  return out;
}

export class FakeHub {
  /** dataset repos */
  readonly repos = new Map<string, FakeRepo>();
  /** model repos */
  readonly models = new Map<string, FakeRepo>();
  readonly requests: LoggedRequest[] = [];
  /** repo paths whose next full download is cut off halfway */
  readonly interruptNext = new Set<string>();
  private server: Server | undefined;
  endpoint = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    // tests pause for seconds (model conversion); a socket the server drops meanwhile would reset the next request
    this.server.keepAliveTimeout = 120_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.endpoint;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private error(res: ServerResponse, status: number, code: string, message: string): void {
    res.writeHead(status, { 'content-type': 'application/json', 'x-error-code': code, 'x-error-message': message });
    res.end(JSON.stringify({ error: message }));
  }

  private commitFor(repo: FakeRepo, rev: string): string | undefined {
    if (repo.commits[rev]) return rev;
    return repo.refs[rev];
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push({ method: req.method ?? 'GET', url: req.url ?? '', authorization: req.headers.authorization, range: req.headers.range });
    const url = new URL(req.url ?? '/', 'http://x');
    const raw = url.pathname;
    let m: RegExpExecArray | null;
    let id: string;
    let rest: string;
    let kind: 'dataset' | 'model' = 'dataset';
    if ((m = /^\/api\/(?:datasets|models)\/([^/]+\/[^/]+)\/(revision|tree)\/([^/]+)(?:\/(.*))?$/.exec(raw))) {
      kind = raw.startsWith('/api/models/') ? 'model' : 'dataset';
      id = m[1]!;
      rest = m[2]!;
    } else if ((m = /^\/datasets\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(raw))) {
      id = m[1]!;
      rest = 'resolve';
    } else if ((m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(raw))) {
      kind = 'model';
      id = m[1]!;
      rest = 'resolve';
    } else {
      this.error(res, 404, 'NotFound', `no route ${raw}`);
      return;
    }
    const repo = (kind === 'model' ? this.models : this.repos).get(id);
    if (!repo) {
      this.error(res, 404, 'RepoNotFound', `Repository not found: ${id}`);
      return;
    }
    if (repo.gatedToken && req.headers.authorization !== `Bearer ${repo.gatedToken}`) {
      this.error(res, 401, 'GatedRepo', `Access to ${kind} ${id} is restricted. You must have access to it and be authenticated to access it.`);
      return;
    }
    const rev = decodeURIComponent(rest === 'resolve' ? m[2]! : m[3]!);
    const commit = this.commitFor(repo, rev);
    if (!commit) {
      this.error(res, 404, 'RevisionNotFound', `Invalid rev id: ${rev}`);
      return;
    }
    const files = repo.commits[commit]!.files;
    if (rest === 'revision') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ _id: `id-${id}`, id, sha: commit, private: false, gated: repo.gatedToken ? 'manual' : false, downloads: 0, likes: 0, lastModified: '2024-01-01T00:00:00.000Z', cardData: repo.commits[commit]!.cardData }),
      );
      return;
    }
    if (rest === 'tree') {
      const dir = decodeURIComponent(m[4] ?? '').replace(/\/$/, '');
      const recursive = url.searchParams.get('recursive') === 'true';
      const prefix = dir === '' ? '' : `${dir}/`;
      const under = Object.keys(files).filter((p) => p.startsWith(prefix));
      if (under.length === 0 && dir !== '') {
        this.error(res, 404, 'EntryNotFound', `${dir} does not exist on "${rev}"`);
        return;
      }
      const entries: unknown[] = [];
      const dirs = new Set<string>();
      for (const p of under.sort()) {
        const relative = p.slice(prefix.length);
        if (!recursive && relative.includes('/')) {
          dirs.add(prefix + relative.split('/')[0]);
          continue;
        }
        const bytes = bytesOf(files[p]!);
        entries.push({
          type: 'file',
          oid: gitBlobSha1(bytes),
          size: bytes.byteLength,
          path: p,
          ...(isLfs(p) ? { lfs: { oid: sha256(bytes), size: bytes.byteLength, pointerSize: 134 } } : {}),
        });
      }
      for (const d of dirs) entries.push({ type: 'directory', oid: '0'.repeat(40), size: 0, path: d });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(entries));
      return;
    }
    const path = decodeURIComponent(m[3]!);
    const content = files[path];
    if (content === undefined) {
      this.error(res, 404, 'EntryNotFound', `Entry not found: ${path}`);
      return;
    }
    const bytes = bytesOf(content);
    const etag = isLfs(path) ? sha256(bytes) : gitBlobSha1(bytes);
    const headers: Record<string, string> = {
      etag: `"${etag}"`,
      'x-repo-commit': commit,
      'accept-ranges': 'bytes',
      'content-type': 'application/octet-stream',
      ...(isLfs(path) ? { 'x-linked-etag': `"${etag}"`, 'x-linked-size': String(bytes.byteLength) } : {}),
    };
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      const end = Math.min(range[2] ? Number(range[2]) : Infinity, bytes.byteLength - 1);
      res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${bytes.byteLength}`, 'content-length': String(end - start + 1) });
      res.end(Buffer.from(bytes.subarray(start, end + 1)));
      return;
    }
    res.writeHead(200, { ...headers, 'content-length': String(bytes.byteLength) });
    if (this.interruptNext.delete(path)) {
      // half the body, then the connection drops: the client sees a transfer that ends early
      res.write(Buffer.from(bytes.subarray(0, Math.floor(bytes.byteLength / 2))), () => res.socket?.destroy());
      return;
    }
    res.end(Buffer.from(bytes));
  }
}
