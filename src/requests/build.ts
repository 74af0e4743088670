// Turns one document's context(s) into requests, per output type (spec §3).
import type { Doc } from '../data/types.js';
import type { Task } from '../tasks/task.js';
import { YardstickError } from '../errors.js';
import type { GenerationKwargs, Instance } from './instance.js';

/** A target as request text; a missing one must fail, not be scored as the word "undefined". */
function targetText(task: Task, doc: Doc, docId: number): string {
  const target = task.docToTarget(doc, docId);
  if (target === undefined || target === null || (typeof target === 'object' && !Array.isArray(target))) {
    throw new YardstickError('data', `task ${task.name} (doc ${docId}): doc_to_target gave ${JSON.stringify(target) ?? 'nothing'}, expected text`, {
      hint: 'set doc_to_target in the task YAML to a field the documents have',
    });
  }
  return String(target);
}

/**
 * `chatTemplate`: the contexts were rendered by a chat template, whose assistant turn starts the
 * answer, so lm-eval (construct_requests) puts no target delimiter before a choice.
 */
export function buildInstances(task: Task, doc: Doc, docId: number, contexts: string[], chatTemplate = false): Instance[] {
  const base = { task: task.name, docId };
  const ctx = contexts[0]!;
  const targetDelimiter = chatTemplate ? '' : task.targetDelimiter;
  switch (task.outputType) {
    case 'loglikelihood': {
      return [{ ...base, idx: 0, requestType: 'loglikelihood', arguments: [ctx, targetText(task, doc, docId)] }];
    }
    case 'loglikelihood_rolling': {
      return [{ ...base, idx: 0, requestType: 'loglikelihood_rolling', arguments: [targetText(task, doc, docId)] }];
    }
    case 'multiple_choice': {
      if (task.multipleInput) {
        const continuation = targetDelimiter + targetText(task, doc, docId);
        return contexts.map((c, idx) => ({ ...base, idx, requestType: 'loglikelihood', arguments: [c, continuation] }));
      }
      const choices = task.docToChoice(doc, docId);
      if (!choices) throw new YardstickError('task', `task ${task.name} is multiple_choice but has no doc_to_choice`);
      return choices.map((choice, idx) => ({
        ...base,
        idx,
        requestType: 'loglikelihood',
        arguments: [ctx, targetDelimiter + choice],
      }));
    }
    case 'generate_until': {
      const kwargs = structuredClone(task.config.generation_kwargs ?? {}) as GenerationKwargs;
      return [{ ...base, idx: 0, requestType: 'generate_until', arguments: [ctx, kwargs] }];
    }
    default:
      throw new YardstickError('task', `task ${task.name}: unknown output_type '${String(task.outputType)}'`, {
        hint: 'use loglikelihood, loglikelihood_rolling, multiple_choice or generate_until',
      });
  }
}
