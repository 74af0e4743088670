// The one registry of named task functions, keyed as task YAML spells them after `!function`
// (lm-eval's `module.function`). Each family's functions live in their own module.
import type { NamedFunction } from './types.js';
import * as glue from './glue.js';
import * as hendrycksMath from './hendrycks-math.js';
import * as winogrande from './winogrande.js';

export const namedFunctions: Record<string, NamedFunction> = {
  'preprocess_winogrande.doc_to_text': winogrande.docToText,
  'preprocess_winogrande.doc_to_target': winogrande.docToTarget,
  'preprocess_winogrande.doc_to_choice': winogrande.docToChoice,
  // glue/mnli/utils.py
  'utils.doc_to_text': glue.mnliDocToText,
  // hendrycks_math/utils.py
  'utils.process_docs': hendrycksMath.processDocs,
  'utils.process_results': hendrycksMath.processResults,
};
