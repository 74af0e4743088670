// What the bench scripts that call evaluate() share: the built-in task registry and one small warm-up
// call on the engine.
import type { Engine } from '../../src/engines/types.js';
import { builtinTaskDir, TaskRegistry } from '../../src/tasks/registry.js';

/** The registry of src/tasks/builtin (builtinTaskDir() finds it from dist/bench/ too, so the task
 *  files' `!function` references resolve to the built-in functions). */
export function builtinTasks(): TaskRegistry {
  const registry = new TaskRegistry();
  registry.index(builtinTaskDir());
  return registry;
}

/** One small forward pass on each scoring path, so no first-call set-up lands in a timing: the ONNX
 *  engine opens its with-past session (a second load of the weights) on the first shared prefix, and a
 *  timed task would otherwise pay that load, which lm-eval pays before its timings start. */
export async function warmUp(engine: Engine): Promise<void> {
  await engine.scoreBatch([{ input: [0, 1, 2, 3], continuations: [[4]] }]);
  await engine.scoreSharedPrefix?.([0, 1], [{ input: [0, 1, 2, 3], continuations: [[4]] }]);
}
