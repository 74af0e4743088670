// Per-document metric dispatch (lm-eval's process_results): a task's own function when it has
// one, else the built-in rules for its output type (spec §7). Pure: takes filtered responses.
import { YardstickError } from '../errors.js';
import type { LoglikelihoodResponse } from '../requests/instance.js';
import { loglikelihoodResults, multipleChoiceResults, rollingResults } from './per-doc.js';

export interface DocMetricsInput {
  task: string;
  outputType: string;
  metricNames: string[];
  /** the task's process_results, when YAML names one */
  processResults?: (doc: Record<string, unknown>, responses: unknown[]) => Record<string, unknown>;
  doc: Record<string, unknown>;
  /** one filtered response per request, in request order */
  responses: unknown[];
  /** multiple_choice: the choices and the gold index (or indices) */
  choices?: string[];
  gold?: number | number[];
  /** loglikelihood_rolling: the scored text */
  text?: string;
}

function llResponse(r: unknown, task: string): LoglikelihoodResponse {
  if (r && typeof r === 'object' && 'logprob' in r) return r as LoglikelihoodResponse;
  throw new YardstickError('task', `task ${task}: a filter turned a log-likelihood response into ${JSON.stringify(r)}`, {
    hint: 'filters other than take_first apply to generate_until tasks only',
  });
}

export function docMetrics(input: DocMetricsInput): Record<string, unknown> {
  const { task, outputType, metricNames, responses } = input;
  if (input.processResults) return input.processResults(input.doc, responses);
  switch (outputType) {
    case 'loglikelihood':
      return loglikelihoodResults(metricNames, llResponse(responses[0], task));
    case 'multiple_choice':
      return multipleChoiceResults(metricNames, responses.map((r) => llResponse(r, task)), input.choices ?? [], input.gold ?? -100);
    case 'loglikelihood_rolling':
      return rollingResults(metricNames, llResponse(responses[0], task).logprob, input.text ?? '');
    default:
      throw new YardstickError('task', `task ${task}: generate_until tasks need a process_results function`);
  }
}
