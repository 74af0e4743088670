// A request as lm-eval's Instance knows it: which doc, which choice, what type, what arguments.

export type RequestType = 'loglikelihood' | 'loglikelihood_rolling' | 'generate_until';

export interface GenerationKwargs {
  until?: string | string[];
  max_gen_toks?: number;
  do_sample?: boolean;
  temperature?: number;
  [key: string]: unknown;
}

export type InstanceArguments = [context: string, continuation: string] | [context: string, kwargs: GenerationKwargs] | [text: string];

export interface Instance {
  task: string;
  docId: number;
  /** index of the request within its document (choice index for multiple_choice) */
  idx: number;
  requestType: RequestType;
  arguments: InstanceArguments;
}

/** A loglikelihood response: (log-probability of the continuation, was it the greedy continuation). */
export interface LoglikelihoodResponse {
  logprob: number;
  isGreedy: boolean;
}

export type Response = LoglikelihoodResponse | string | number;
