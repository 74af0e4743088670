// Turns one document's context(s) into requests, per output type (spec §3).
import type { Doc } from '../data/types.js';
import type { Task } from '../tasks/task.js';
import { YardstickError } from '../errors.js';
import type { GenerationKwargs, Instance } from './instance.js';

export function buildInstances(task: Task, doc: Doc, docId: number, contexts: string[]): Instance[] {
  const base = { task: task.name, docId };
  const ctx = contexts[0]!;
  switch (task.outputType) {
    case 'loglikelihood': {
      const target = task.docToTarget(doc, docId);
      return [{ ...base, idx: 0, requestType: 'loglikelihood', arguments: [ctx, String(target)] }];
    }
    case 'loglikelihood_rolling': {
      const target = task.docToTarget(doc, docId);
      return [{ ...base, idx: 0, requestType: 'loglikelihood_rolling', arguments: [String(target)] }];
    }
    case 'multiple_choice': {
      if (task.multipleInput) {
        const continuation = task.targetDelimiter + String(task.docToTarget(doc, docId));
        return contexts.map((c, idx) => ({ ...base, idx, requestType: 'loglikelihood', arguments: [c, continuation] }));
      }
      const choices = task.docToChoice(doc, docId);
      if (!choices) throw new YardstickError('task', `task ${task.name} is multiple_choice but has no doc_to_choice`);
      return choices.map((choice, idx) => ({
        ...base,
        idx,
        requestType: 'loglikelihood',
        arguments: [ctx, task.targetDelimiter + choice],
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
