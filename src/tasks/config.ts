// lm-eval's task and group configuration, as read from YAML (field names kept as lm-eval spells them).

/** A reference to a named code function: YAML `!function module.name`. */
export interface FunctionRef {
  function: string;
  /** the YAML file that names it; lm-eval looks for the module beside that file */
  file?: string;
}

export type TemplateField = string | FunctionRef;

export interface MetricConfig {
  metric: string;
  aggregation?: string;
  higher_is_better?: boolean;
  [option: string]: unknown;
}

export interface FewshotConfig {
  sampler?: string;
  split?: string | null;
  process_docs?: FunctionRef | null;
  [key: string]: unknown;
}

export type OutputType = 'loglikelihood' | 'loglikelihood_rolling' | 'multiple_choice' | 'generate_until';

export interface TaskConfig {
  task: string;
  task_alias?: string;
  tag?: string | string[];
  dataset_path: string;
  dataset_name?: string | null;
  dataset_kwargs?: Record<string, unknown>;
  training_split?: string | null;
  validation_split?: string | null;
  test_split?: string | null;
  fewshot_split?: string | null;
  process_docs?: FunctionRef | null;
  doc_to_text?: TemplateField;
  doc_to_target?: TemplateField | number;
  doc_to_choice?: TemplateField | string[];
  process_results?: FunctionRef | null;
  description?: string;
  target_delimiter?: string;
  fewshot_delimiter?: string;
  fewshot_config?: FewshotConfig;
  num_fewshot?: number | null;
  metric_list?: MetricConfig[];
  output_type?: OutputType;
  generation_kwargs?: Record<string, unknown>;
  repeats?: number;
  filter_list?: unknown[];
  should_decontaminate?: boolean;
  doc_to_decontamination_query?: string;
  metadata?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface AggregateMetricConfig {
  metric: string;
  aggregation?: string;
  weight_by_size?: boolean;
  filter_list?: string | string[];
}

/** A child entry of a group: a task, tag or group name, or an inline task definition. */
export type GroupChild = string | (Partial<TaskConfig> & { task: string });

export interface GroupConfig {
  group: string;
  group_alias?: string;
  task: GroupChild[];
  aggregate_metric_list?: AggregateMetricConfig[];
  metadata?: Record<string, unknown>;
}

export function isFunctionRef(v: unknown): v is FunctionRef {
  return typeof v === 'object' && v !== null && typeof (v as FunctionRef).function === 'string';
}
