// Model repos on the Hugging Face Hub for the hf engine: OWNER/NAME[@REVISION] resolved to a commit, only
// the files loading needs fetched into the shared HF cache (models--OWNER--NAME), the snapshot folder returned.
import { readFileSync } from 'node:fs';
import { HubApiError } from '@huggingface/hub';
import { YardstickError } from '../../errors.js';
import { HfCache } from '../../data/hub/cache.js';
import { HubClient, type DownloadProgress } from '../../data/hub/client.js';
import type { RepoFile } from '../../data/hub/data-files.js';
import { isNetworkFailure } from '../../data/hub/errors.js';
import { hubSettingsFromEnv, type HubSettings } from '../../data/hub/settings.js';
import { EXPORT_CANDIDATES, PICKLE_FILE, pickleRefusal } from './open.js';

const SHA = /^[0-9a-f]{40}$/;
/** Repo ids as the Hub allows them: OWNER/NAME, optionally @REVISION (ours; lm-eval passes revision=). */
const HUB_ID = /^([A-Za-z0-9][\w.-]*\/[\w.-]+)(?:@(.+))?$/;
/** Files read besides the weights, when the repo has them (config.json is required). */
const SIDE_FILES = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'tokenizer.model', 'added_tokens.json', 'vocab.json', 'merges.txt', 'chat_template.jinja'];

export interface HubModelId {
  repo: string;
  /** as asked: a branch, tag or commit; undefined means main */
  revision?: string;
}

/** `OWNER/NAME` or `OWNER/NAME@REV`; undefined when the text cannot be a repo id. */
export function parseHubModelId(text: string, revision?: string): HubModelId | undefined {
  const m = HUB_ID.exec(text);
  if (!m || m[1]!.includes('..')) return undefined;
  if (m[2] !== undefined && revision !== undefined && m[2] !== revision) {
    throw new YardstickError('usage', `${text} names revision ${m[2]} but --model-args says revision=${revision}`, { hint: 'give the revision once' });
  }
  return { repo: m[1]!, revision: m[2] ?? revision };
}

export interface HubModelOptions {
  /** environment with HF_HOME, HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE (default process.env) */
  env?: Record<string, string | undefined>;
  settings?: Partial<HubSettings>;
  fetch?: typeof fetch;
  onProgress?: (p: DownloadProgress) => void;
  /** the ONNX file of an export to fetch instead of safetensors */
  onnxFile?: string;
  /** the model lives in this folder of the repo */
  subfolder?: string;
}

export interface HubModel {
  /** snapshot folder (with the subfolder), ready for openHfFolder */
  dir: string;
  repo: string;
  /** the revision as asked (main by default) and the commit it resolved to */
  revision: string;
  commit: string;
  /** nothing was requested from the hub */
  cached: boolean;
}

/** Makes a model repo's files available locally: from yardstick's record, a Python-filled cache, or the hub. */
export async function fetchHubModel(id: HubModelId, options: HubModelOptions = {}): Promise<HubModel> {
  const settings = hubSettingsFromEnv(options.env ?? process.env, options.settings);
  const cache = new HfCache(settings.cacheDir, 'model');
  const revision = id.revision ?? 'main';
  const prefix = options.subfolder ? `${options.subfolder.replace(/\/+$/, '')}/` : '';
  const result = (commit: string, cached: boolean): HubModel => ({
    dir: cache.snapshotFile(id.repo, commit, prefix || '.'),
    repo: id.repo,
    revision,
    commit,
    cached,
  });

  // a complete earlier download at this revision: no request at all (as for datasets)
  const manifestKey = [revision, prefix, options.onnxFile ?? ''].join(':');
  const manifest = cache.readModelManifest(id.repo, manifestKey);
  if (manifest && manifest.files.every((f) => cache.hasFile(id.repo, manifest.commit, f.path))) return result(manifest.commit, true);

  if (settings.offline) {
    // a cache filled by huggingface_hub: refs/<branch> names the commit, the snapshot holds the files
    const commit = SHA.test(revision) ? revision : cache.readRef(id.repo, revision);
    if (commit && cache.hasFile(id.repo, commit, `${prefix}config.json`)) return result(commit, true);
    throw new YardstickError('model', `model ${id.repo}${id.revision ? `@${id.revision}` : ''} is not in the HF cache (${settings.cacheDir}) and HF_HUB_OFFLINE is set, so it cannot be downloaded`, {
      hint: 'run once online (unset HF_HUB_OFFLINE) to fill the cache, set HF_HOME to the cache that has it, or pass a local folder with --model DIR',
    });
  }

  const client = new HubClient({ endpoint: settings.endpoint, token: settings.token, fetch: options.fetch, onProgress: options.onProgress, repoType: 'model', resumable: true });
  const translate = (e: unknown): YardstickError => {
    const url = (e as { url?: string }).url;
    return translateModelError(e, id, settings, url ? client.failureFor(url)?.errorCode : undefined);
  };
  let commit: string;
  let files: RepoFile[];
  try {
    commit = (await client.resolveRevision(id.repo, revision)).commit;
    const listed = (await client.listFiles(id.repo, commit, prefix.replace(/\/$/, ''))).map((f) => ({ ...f, path: f.path.slice(prefix.length) }));
    const index = listed.find((f) => f.path === 'model.safetensors.index.json' && !listed.some((g) => g.path === 'model.safetensors'));
    let shards: string[] = [];
    if (index) {
      const path = await client.downloadToCache(cache, id.repo, commit, { ...index, path: prefix + index.path });
      shards = readShardNames(path, id.repo);
    }
    files = selectModelFiles(id, listed, shards, options.onnxFile).map((f) => ({ ...f, path: prefix + f.path }));
    for (const file of files) await client.downloadToCache(cache, id.repo, commit, file);
  } catch (e) {
    throw translate(e);
  }
  cache.writeRef(id.repo, revision, commit);
  cache.writeModelManifest(manifestKey, {
    repo: id.repo,
    ref: revision,
    commit,
    files: files.map((f) => ({ path: f.path, size: f.lfs?.size ?? f.size, etag: f.lfs?.oid ?? f.oid ?? '' })),
  });
  return result(commit, false);
}

function readShardNames(indexPath: string, repo: string): string[] {
  try {
    const index = JSON.parse(readFileSync(indexPath, 'utf8')) as { weight_map?: Record<string, string> };
    const shards = [...new Set(Object.values(index.weight_map ?? {}))];
    if (shards.length > 0 && shards.every((s) => typeof s === 'string' && !s.includes('..'))) return shards;
  } catch {
    // reported below
  }
  throw new YardstickError('model', `${repo}: model.safetensors.index.json has no usable weight_map`, { hint: 'the repo\'s index file is damaged; pin another revision' });
}

/**
 * The files loading needs: config and tokenizer files, then one weight format in the order openHfFolder
 * prefers it (safetensors, else the ONNX export and its external data). Paths are relative to the subfolder.
 */
export function selectModelFiles(id: HubModelId, listed: RepoFile[], shards: string[], onnxFile?: string): RepoFile[] {
  const byPath = new Map(listed.map((f) => [f.path, f]));
  const where = `${id.repo}${id.revision ? `@${id.revision}` : ''}`;
  if (!byPath.has('config.json')) {
    throw new YardstickError('model', `${where} has no config.json, so it is not a transformers model repo`, { hint: 'check the repo id, or pin a revision that has the model' });
  }
  // named chat templates (transformers saves them as additional_chat_templates/NAME.jinja)
  const side = [...SIDE_FILES.filter((f) => byPath.has(f)), ...listed.map((f) => f.path).filter((p) => /^additional_chat_templates\/[^/]+\.jinja$/.test(p)).sort()];
  const withData = (graph: string): string[] => {
    const name = graph.split('/').pop()!;
    const dir = graph.slice(0, graph.length - name.length);
    return listed.filter((f) => f.path === graph || (f.path.startsWith(`${dir}${name}_data`) || f.path.startsWith(`${dir}${name}.data`))).map((f) => f.path);
  };
  let weights: string[];
  if (onnxFile) {
    const graph = [`onnx/${onnxFile}`, onnxFile].find((p) => byPath.has(p));
    if (!graph) {
      const available = listed.filter((f) => f.path.endsWith('.onnx')).map((f) => f.path);
      throw new YardstickError('model', `onnx_file=${onnxFile}: ${where} has no onnx/${onnxFile}`, { hint: available.length ? `available: ${available.join(', ')}` : 'the repo has no ONNX export' });
    }
    weights = withData(graph);
  } else if (byPath.has('model.safetensors')) {
    weights = ['model.safetensors'];
  } else if (byPath.has('model.safetensors.index.json')) {
    const missing = shards.filter((s) => !byPath.has(s));
    if (missing.length > 0) throw new YardstickError('model', `${where}: model.safetensors.index.json names ${missing[0]}, which the repo does not have`, { hint: 'pin another revision' });
    weights = ['model.safetensors.index.json', ...shards];
  } else {
    const graph = EXPORT_CANDIDATES.find((p) => byPath.has(p));
    if (graph) weights = withData(graph);
    else {
      const pickles = listed.map((f) => f.path).filter((p) => !p.includes('/') && PICKLE_FILE.test(p));
      if (pickles.length > 0) throw pickleRefusal(where, pickles);
      throw new YardstickError('model', `${where} has no model.safetensors, model.safetensors.index.json or onnx/model.onnx`, {
        hint: 'yardstick reads safetensors weights or an ONNX export; pick a repo (or revision) that has one',
      });
    }
  }
  return [...side, ...weights].map((p) => byPath.get(p)!);
}

function translateModelError(e: unknown, id: HubModelId, settings: HubSettings, code: string | undefined): YardstickError {
  if (e instanceof YardstickError) return e;
  const what = `model ${id.repo}`;
  const page = `${settings.endpoint}/${id.repo}`;
  if (e instanceof HubApiError) {
    const detail = `HTTP ${e.statusCode}${code ? ` ${code}` : ''}`;
    if (code === 'RevisionNotFound') {
      return new YardstickError('model', `${what}: revision ${id.revision ?? 'main'} does not exist on ${settings.endpoint} (${detail})`, {
        hint: `pin an existing branch, tag or commit sha (see ${page}/tree/main)`,
      });
    }
    if (code === 'RepoNotFound' || (e.statusCode === 404 && /\/api\/models\/[^/]+\/[^/]+\/revision\//.test(e.url))) {
      return new YardstickError('model', `${what}: no such model on ${settings.endpoint} (${detail})`, {
        hint: settings.token ? 'check the repo id (private repos need a token with access)' : 'check the repo id; if it is private, set HF_TOKEN to a token with access',
      });
    }
    if (e.statusCode === 401 || e.statusCode === 403 || code === 'GatedRepo') {
      return new YardstickError('model', `${what}: access refused by ${settings.endpoint} (${detail}); the model is gated or private`, {
        hint: settings.token
          ? `the token in HF_TOKEN has no access: accept the model's conditions at ${page} with that account, or use another token`
          : `set HF_TOKEN to a Hugging Face access token of an account that accepted the conditions at ${page}`,
      });
    }
    return new YardstickError('network', `${what}: the hub answered ${detail} for ${e.url}`, { hint: 'retry later, or download the folder and pass --model DIR' });
  }
  if (isNetworkFailure(e)) {
    return new YardstickError('network', `${what}: cannot reach ${settings.endpoint} (${describe(e)})`, {
      hint: 'check the network or HF_ENDPOINT; with the model already cached, set HF_HUB_OFFLINE=1',
    });
  }
  return new YardstickError('model', `${what}: download failed (${e instanceof Error ? e.message : String(e)})`, { hint: 'run again; a cut-off download continues where it stopped' });
}

function describe(e: unknown): string {
  const parts: string[] = [];
  for (let cur = e as { message?: string; cause?: unknown } | undefined, i = 0; cur && i < 3; cur = cur.cause as typeof cur, i++) if (cur.message) parts.push(cur.message);
  return parts.join(': ');
}
