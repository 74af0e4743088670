// Answer extraction for generation tasks, so a parity report can show the extracted answers next to two
// different generations. Only tasks whose process_results we know (hendrycks_math) get one.
import { generationAnswer, stripString } from '../tasks/functions/hendrycks-math.js';

export type AnswerExtractor = (generation: string) => string;

/** lm-eval hendrycks_math `process_results`'s answer (the text between the first and last "$"). */
export const mathAnswer = generationAnswer;

/** The answer as MATH's is_equiv compares it (strip_string), or the raw answer when normalisation fails. */
export function mathAnswerNormalised(generation: string): string {
  const answer = mathAnswer(generation);
  try {
    return stripString(answer);
  } catch {
    return answer;
  }
}

/** Picks an extractor from the task name and its logged config (process_results source or reference). */
export function answerExtractorFor(task: string, config: Record<string, unknown> | undefined): AnswerExtractor | null {
  const pr = config?.process_results;
  const prText = typeof pr === 'string' ? pr : '';
  if (task.startsWith('hendrycks_math') || /is_equiv|last_boxed_only_string|hendrycks/i.test(prText)) return mathAnswerNormalised;
  return null;
}
