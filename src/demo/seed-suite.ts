// The seed suite: the tasks yardstick reproduces lm-eval numbers for, and the demo evaluates.
export const SEED_TASKS: readonly string[] = [
  'lambada_openai',
  'winogrande',
  'cola',
  'mnli',
  'mnli_mismatch',
  'mrpc',
  'qnli',
  'qqp',
  'rte',
  'sst2',
  'wnli',
  'hendrycks_math',
  'mmlu',
];
