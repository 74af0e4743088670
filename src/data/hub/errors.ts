// Turns hub failures (HTTP status, hub error codes, unreachable endpoint) into one-line errors that
// name the dataset split and say what to do.
import { HubApiError } from '@huggingface/hub';
import { YardstickError } from '../../errors.js';
import { SPLIT_FILE_EXTENSIONS } from '../formats/index.js';
import { describeRef, type DatasetRef } from '../types.js';
import type { HubSettings } from './settings.js';

/** The last failed response per URL, kept by the client's fetch wrapper (HubApiError drops the headers). */
export interface FailureInfo {
  status: number;
  errorCode?: string;
  errorMessage?: string;
}

/** The ways to provide a split without the network, for the end of every "cannot get it" message. */
export function provideHint(ref: DatasetRef, dataDirPath?: string): string {
  const exts = SPLIT_FILE_EXTENSIONS.map((e) => e.slice(1)).join('|');
  const local = dataDirPath
    ? `put the split at ${dataDirPath}`
    : `pass --data-dir DIR with the split at DIR/${ref.path}/${ref.name ?? 'default'}/${ref.split}.${exts}`;
  return `${local} (\`yardstick data import\` converts original release files), or run once online to fill the HF cache, or set HF_ENDPOINT to a reachable mirror`;
}

export function offlineError(ref: DatasetRef, settings: HubSettings, dataDirPath?: string): YardstickError {
  return new YardstickError('data', `dataset ${describeRef(ref)} is not in the HF cache (${settings.cacheDir}) and HF_HUB_OFFLINE is set, so it cannot be downloaded`, {
    hint: provideHint(ref, dataDirPath),
  });
}

function causeText(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 4; depth++) {
    const err = cur as { message?: string; code?: string; cause?: unknown };
    const text = [err.code, err.message].filter(Boolean).join(' ');
    if (text && !parts.includes(text)) parts.push(text);
    cur = err.cause;
  }
  return parts.join(': ') || String(e);
}

/** fetch() itself failed: DNS, refused connection, reset. */
export function isNetworkFailure(e: unknown): boolean {
  return e instanceof TypeError && /fetch failed|terminated|network|socket/i.test(causeText(e));
}

export function translateHubError(
  e: unknown,
  ctx: { ref: DatasetRef; settings: HubSettings; failure?: FailureInfo; dataDirPath?: string; revision?: string },
): YardstickError {
  if (e instanceof YardstickError) return e;
  const { ref, settings } = ctx;
  const what = `dataset ${describeRef(ref)}`;
  const page = `${settings.endpoint}/datasets/${ref.path}`;
  if (e instanceof HubApiError) {
    const code = ctx.failure?.errorCode;
    const serverSays = ctx.failure?.errorMessage ?? (e.data as { error?: string } | undefined)?.error;
    const detail = `HTTP ${e.statusCode}${code ? ` ${code}` : ''}${serverSays ? `: ${serverSays.split('\n')[0]}` : ''}`;
    if (code === 'RepoNotFound' || (e.statusCode === 404 && !code && /\/api\/datasets\/[^/]+(\/[^/]+)?\/revision\//.test(e.url))) {
      return new YardstickError('data', `${what}: no such dataset on ${settings.endpoint} (${detail})`, {
        hint: settings.token
          ? 'check the dataset id in the task YAML (private datasets also need a token with access)'
          : 'check the dataset id in the task YAML; if it is private, set HF_TOKEN to a token with access',
      });
    }
    if (code === 'RevisionNotFound') {
      return new YardstickError('data', `${what}: revision ${ctx.revision ?? ref.revision ?? 'main'} does not exist on ${settings.endpoint} (${detail})`, {
        hint: 'pin an existing branch, tag or commit sha (dataset_kwargs.revision)',
      });
    }
    if (e.statusCode === 401 || e.statusCode === 403 || code === 'GatedRepo') {
      return new YardstickError('data', `${what}: access refused by ${settings.endpoint} (${detail}); the dataset is gated or private`, {
        hint: settings.token
          ? `the token in HF_TOKEN has no access: accept the dataset's conditions at ${page} with that account, or use another token`
          : `set HF_TOKEN to a Hugging Face access token (https://huggingface.co/settings/tokens) of an account that accepted the conditions at ${page}`,
      });
    }
    if (e.statusCode === 404) {
      return new YardstickError('data', `${what}: not found on ${settings.endpoint} (${detail}; ${e.url})`, {
        hint: `check the dataset_name and split in the task YAML against ${page}`,
      });
    }
    return new YardstickError('network', `${what}: the hub answered ${detail} for ${e.url}`, {
      hint: `retry later, or ${provideHint(ref, ctx.dataDirPath)}`,
    });
  }
  if (isNetworkFailure(e)) {
    return new YardstickError('network', `${what}: cannot reach ${settings.endpoint} (${causeText(e)})`, {
      hint: provideHint(ref, ctx.dataDirPath),
    });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new YardstickError('data', `${what}: download failed (${message})`, { hint: provideHint(ref, ctx.dataDirPath) });
}
