// Where the built-in task YAML lives (src/tasks/builtin, shipped with the package).
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built-in task folder; compiled code lives in dist/tasks while the YAML stays in src/tasks/builtin. */
export function builtinTaskDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'builtin'), resolve(here, '..', '..', 'src', 'tasks', 'builtin')];
  return candidates.find((c) => existsSync(c) && readdirSync(c).some((f) => !f.endsWith('.ts'))) ?? candidates[1]!;
}
