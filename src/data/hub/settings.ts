// Hugging Face Hub settings from the environment, with huggingface_hub's names and precedence,
// so yardstick shares the cache, token and mirror with Python tools.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface HubSettings {
  /** HF_ENDPOINT (a mirror) or https://huggingface.co, without a trailing slash */
  endpoint: string;
  /** the hub cache folder (HF_HUB_CACHE, else $HF_HOME/hub) */
  cacheDir: string;
  /** HF_TOKEN, else the token file written by `huggingface-cli login` */
  token?: string;
  /** HF_HUB_OFFLINE (or HF_DATASETS_OFFLINE): never touch the network */
  offline: boolean;
}

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

type Env = Record<string, string | undefined>;

function expandUser(p: string): string {
  return p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p;
}

/** huggingface_hub's truthy environment values. */
export function envFlag(value: string | undefined): boolean {
  return value !== undefined && ['1', 'ON', 'YES', 'TRUE'].includes(value.trim().toUpperCase());
}

export function hfHome(env: Env = process.env): string {
  return expandUser(env.HF_HOME ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'huggingface'));
}

export function hubCacheDir(env: Env = process.env): string {
  return expandUser(env.HF_HUB_CACHE ?? env.HUGGINGFACE_HUB_CACHE ?? join(hfHome(env), 'hub'));
}

function readToken(env: Env): string | undefined {
  const fromEnv = env.HF_TOKEN ?? env.HUGGING_FACE_HUB_TOKEN;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv.trim();
  const file = expandUser(env.HF_TOKEN_PATH ?? join(hfHome(env), 'token'));
  try {
    if (existsSync(file)) {
      const token = readFileSync(file, 'utf8').trim();
      return token === '' ? undefined : token;
    }
  } catch {
    // an unreadable token file is the same as none
  }
  return undefined;
}

export function hubSettingsFromEnv(env: Env = process.env, overrides: Partial<HubSettings> = {}): HubSettings {
  const endpoint = (overrides.endpoint ?? env.HF_ENDPOINT ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
  return {
    endpoint,
    cacheDir: overrides.cacheDir ?? hubCacheDir(env),
    token: 'token' in overrides ? overrides.token : readToken(env),
    offline: overrides.offline ?? (envFlag(env.HF_HUB_OFFLINE) || envFlag(env.HF_DATASETS_OFFLINE)),
  };
}
