// The one registry of named task functions. lm-eval resolves `!function module.name` to
// `module.py` beside the YAML file that names it, so each built-in function is keyed by where its
// Python original lives in lm-eval's task tree (`glue/mnli/utils.doc_to_text`). A user's YAML may
// name one of these by that full key; a bare `utils.x` beside a user's YAML is Python we cannot run.
import { dirname, relative, sep } from 'node:path';
import { YardstickError } from '../../errors.js';
import { builtinTaskDir } from '../builtin-dir.js';
import type { FunctionRef } from '../config.js';
import type { NamedFunction } from './types.js';
import * as glue from './glue.js';
import * as hendrycksMath from './hendrycks-math.js';
import * as winogrande from './winogrande.js';

export const builtinFunctions: Readonly<Record<string, NamedFunction>> = {
  'winogrande/preprocess_winogrande.doc_to_text': winogrande.docToText,
  'winogrande/preprocess_winogrande.doc_to_target': winogrande.docToTarget,
  'winogrande/preprocess_winogrande.doc_to_choice': winogrande.docToChoice,
  'glue/mnli/utils.doc_to_text': glue.mnliDocToText,
  'hendrycks_math/utils.process_docs': hendrycksMath.processDocs,
  'hendrycks_math/utils.process_results': hendrycksMath.processResults,
};

/** The key a reference means: relative to its YAML's folder inside the built-in tree, or, from a
 *  user's file, a full built-in key spelled out. */
function keyFor(ref: FunctionRef): string | undefined {
  if (ref.function in builtinFunctions && ref.function.includes('/')) return ref.function;
  if (!ref.file) return undefined;
  const rel = relative(builtinTaskDir(), dirname(ref.file));
  if (rel.startsWith('..') || rel.startsWith(sep) || /^[A-Za-z]:/.test(rel)) return undefined;
  const key = `${rel.split(sep).join('/')}/${ref.function}`;
  return key in builtinFunctions ? key : undefined;
}

/** Resolves a `!function` reference, or says which file and function cannot be run and what exists. */
export function resolveFunction(ref: FunctionRef, where: string): NamedFunction {
  const key = keyFor(ref);
  if (key) return builtinFunctions[key]!;
  const module = ref.function.includes('.') ? ref.function.slice(0, ref.function.lastIndexOf('.')) : ref.function;
  const file = ref.file ?? 'the task YAML';
  throw new YardstickError('task', `${where}: !function ${ref.function} in ${file} refers to Python code (${module.replace(/\./g, '/')}.py beside that file), which yardstick cannot run`, {
    hint: `use a Jinja template instead, or one of the built-in functions by its full name: ${Object.keys(builtinFunctions).join(', ')}`,
  });
}
