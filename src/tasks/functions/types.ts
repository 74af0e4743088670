// Signatures of the named functions that task YAML refers to with `!function module.name`.
import type { Doc } from '../../data/types.js';

/** doc_to_text / doc_to_target / doc_to_choice implemented in code. */
export type DocFunction = (doc: Doc) => unknown;
/** process_docs: transforms a whole split (filtering, renaming) before evaluation. */
export type ProcessDocsFunction = (docs: Doc[]) => Doc[];
/** process_results: per-document metrics from the (filtered) responses, one per request. */
export type ProcessResultsFunction = (doc: Doc, responses: unknown[]) => Record<string, unknown>;

export type NamedFunction = DocFunction | ProcessDocsFunction | ProcessResultsFunction;
