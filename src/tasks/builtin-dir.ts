// Where the built-in task YAML lives (src/tasks/builtin, shipped with the package).
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const hasYaml = (dir: string): boolean => existsSync(dir) && readdirSync(dir).some((f) => !f.endsWith('.ts'));

/** The built-in task folder. Compiled code lives in dist/tasks (or dist/bench/src/tasks for the bench
 *  scripts) while the YAML stays in src/tasks/builtin: the nearest such folder above this file. */
export function builtinTaskDir(): string {
  let here = dirname(fileURLToPath(import.meta.url));
  if (hasYaml(join(here, 'builtin'))) return join(here, 'builtin');
  for (;;) {
    const candidate = join(here, 'src', 'tasks', 'builtin');
    if (hasYaml(candidate)) return candidate;
    const parent = dirname(here);
    if (parent === here) return candidate;
    here = parent;
  }
}
