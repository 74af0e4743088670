// Where the response cache lives when the user names no file: $YARDSTICK_CACHE, else
// responses.sqlite under the XDG cache folder (~/.cache/yardstick by default).
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultCachePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.YARDSTICK_CACHE) return env.YARDSTICK_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'yardstick', 'responses.sqlite');
}
