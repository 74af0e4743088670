// The shape of a task YAML, checked once when a task is configured: a field of the wrong type is
// one line naming the file and field, instead of a TypeError (or a wrong prompt) much later.
import { YardstickError, closeMatches } from '../errors.js';
import { isFunctionRef, type GroupConfig, type TaskConfig } from './config.js';

type Check = (v: unknown) => boolean;

const str: Check = (v) => typeof v === 'string';
const optStr: Check = (v) => v === null || typeof v === 'string';
const obj: Check = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const fn: Check = (v) => v === null || isFunctionRef(v);
const template: Check = (v) => typeof v === 'string' || isFunctionRef(v);
const OUTPUT_TYPES = ['loglikelihood', 'loglikelihood_rolling', 'multiple_choice', 'generate_until'];

const TASK_FIELDS: Record<string, [Check, string]> = {
  task: [str, 'a name'],
  task_alias: [str, 'text'],
  tag: [(v) => str(v) || (Array.isArray(v) && v.every(str)), 'a name or a list of names'],
  dataset_path: [str, 'a dataset path'],
  dataset_name: [optStr, 'a config name or null'],
  dataset_kwargs: [obj, 'a mapping'],
  training_split: [optStr, 'a split name or null'],
  validation_split: [optStr, 'a split name or null'],
  test_split: [optStr, 'a split name or null'],
  fewshot_split: [optStr, 'a split name or null'],
  process_docs: [fn, '!function or null'],
  process_results: [fn, '!function or null'],
  doc_to_text: [(v) => template(v) || typeof v === 'number', 'a field, a template or !function'],
  doc_to_target: [(v) => template(v) || typeof v === 'number' || (Array.isArray(v) && v.every((x) => str(x) || typeof x === 'number')), 'a field, a template, a number or !function'],
  doc_to_choice: [(v) => template(v) || (Array.isArray(v) && v.every((x) => str(x) || typeof x === 'number')), 'a field, a template, a list or !function'],
  description: [str, 'text'],
  target_delimiter: [str, 'text'],
  fewshot_delimiter: [str, 'text'],
  fewshot_config: [obj, 'a mapping'],
  num_fewshot: [(v) => v === null || (Number.isInteger(v) && (v as number) >= 0), 'a non-negative integer'],
  metric_list: [(v) => Array.isArray(v) && v.every((m) => obj(m) && str((m as Record<string, unknown>).metric)), 'a list of {metric: name, ...}'],
  output_type: [(v) => OUTPUT_TYPES.includes(v as string), OUTPUT_TYPES.join(', ')],
  generation_kwargs: [obj, 'a mapping'],
  repeats: [(v) => Number.isInteger(v) && (v as number) >= 1, 'a positive integer'],
  filter_list: [Array.isArray, 'a list of filters'],
  metadata: [obj, 'a mapping'],
};

function problem(source: string, name: string, field: string, v: unknown, expected: string): YardstickError {
  return new YardstickError('task', `${source}: ${field} of task ${name} is ${JSON.stringify(v) ?? String(v)}, expected ${expected}`, {
    hint: 'fix the task YAML (lm-eval task format)',
  });
}

/**
 * lm-eval task fields yardstick does not implement, each with the default that means "unused". Set to
 * anything else they change prompts or scoring, so the task is refused rather than run differently.
 */
const UNSUPPORTED_FIELDS: Record<string, (v: unknown) => boolean> = {
  gen_prefix: (v) => v === null,
  use_prompt: (v) => v === null,
  doc_to_image: (v) => v === null,
  doc_to_audio: (v) => v === null,
  custom_dataset: (v) => v === null,
  unsafe_code: (v) => v === false,
};

/** Fields lm-eval's TaskConfig accepts that need no check here, and keys its loader removes first. */
const OTHER_FIELDS = ['should_decontaminate', 'doc_to_decontamination_query', 'group', 'task_list', 'include'];
const KNOWN_FIELDS = new Set([...Object.keys(TASK_FIELDS), ...Object.keys(UNSUPPORTED_FIELDS), ...OTHER_FIELDS]);

/**
 * Throws a YardstickError for the first task field of the wrong type, a field lm-eval does not know
 * (its TaskConfig refuses those too), or a field yardstick cannot honour (gen_prefix, use_prompt, ...).
 */
export function checkTaskConfig(config: TaskConfig, source: string): void {
  const name = typeof config.task === 'string' ? config.task : '?';
  const fields = config as Record<string, unknown>;
  for (const field of Object.keys(fields)) {
    if (KNOWN_FIELDS.has(field)) continue;
    const close = closeMatches(field, KNOWN_FIELDS);
    throw new YardstickError('task', `${source}: task ${name} has a field '${field}' that lm-eval's task format does not have${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}`, {
      hint: 'fix the task YAML (lm-eval refuses the field too)',
    });
  }
  for (const [field, [ok, expected]] of Object.entries(TASK_FIELDS)) {
    const v = fields[field];
    if (v !== undefined && !ok(v)) throw problem(source, name, field, v, expected);
  }
  const fewshot = obj(fields.fewshot_config) ? (fields.fewshot_config as Record<string, unknown>) : {};
  const unsupported = [
    ...Object.entries(UNSUPPORTED_FIELDS).filter(([f, unused]) => fields[f] !== undefined && !unused(fields[f])).map(([f]) => f),
    ...(fewshot.gen_prefix !== undefined && fewshot.gen_prefix !== null ? ['fewshot_config.gen_prefix'] : []),
  ];
  if (unsupported.length > 0) {
    throw new YardstickError('task', `${source}: task ${name} sets ${unsupported.join(', ')}, which yardstick does not implement yet, so its prompts would differ from lm-eval's`, {
      hint: `remove ${unsupported.join(', ')} from the task YAML, or evaluate this task with lm-eval`,
    });
  }
}

/** Throws a YardstickError for a group whose aggregate_metric_list is malformed. */
export function checkGroupConfig(config: GroupConfig, source: string): void {
  const list = config.aggregate_metric_list as unknown;
  if (list === undefined || list === null) return;
  if (!Array.isArray(list) || !list.every((m) => obj(m) && str((m as Record<string, unknown>).metric))) {
    throw new YardstickError('task', `${source}: aggregate_metric_list of group ${config.group} must be a list of {metric: name, ...}`, {
      hint: 'fix the group YAML (lm-eval task format)',
    });
  }
}
