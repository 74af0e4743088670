// Where yardstick keeps what it caches: $YARDSTICK_CACHE, else yardstick/ under $XDG_CACHE_HOME, else
// ~/.cache/yardstick. The response cache is responses.sqlite there; converted models go under converted/.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function yardstickCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.YARDSTICK_CACHE) return env.YARDSTICK_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'yardstick');
}

/** The response cache file when the user names none. */
export function defaultCachePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(yardstickCacheDir(env), 'responses.sqlite');
}
