// The one registry of named task functions, keyed as task YAML spells them after `!function`
// (lm-eval's `module.function`). Each family's functions live in their own module.
import type { NamedFunction } from './types.js';

export const namedFunctions: Record<string, NamedFunction> = {};
