// What the bench scripts that call evaluate() share: the built-in task registry (found from dist/bench/,
// where builtinTaskDir() cannot find the YAML folder) and one small warm-up call on the engine.
import { fileURLToPath } from 'node:url';
import type { Engine } from '../../src/engines/types.js';
import { TaskRegistry } from '../../src/tasks/registry.js';

/** The registry of src/tasks/builtin, for a script compiled to dist/bench/bench/<folder>/. */
export function builtinTasks(): TaskRegistry {
  const registry = new TaskRegistry();
  registry.index(fileURLToPath(new URL('../../../../src/tasks/builtin', import.meta.url)));
  return registry;
}

/** One small forward pass, so no first-call set-up lands in a timing. */
export async function warmUp(engine: Engine): Promise<void> {
  await engine.scoreBatch([{ input: [0, 1, 2, 3], continuations: [[4]] }]);
}
