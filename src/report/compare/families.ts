// Which table a task belongs to (benchmark families, in the order users read them) and the short
// display names the tables use; metric kinds and directions for tasks whose results do not say.
import { metricDefaults } from '../../metrics/aggregations.js';

export type FamilyId = 'lm' | 'glue' | 'math' | 'other' | 'subtasks';

export interface Family {
  id: FamilyId;
  title: string;
  /** tasks and groups in table order; empty for the catch-all families */
  tasks: readonly string[];
}

export const MATH_SUBTASKS = [
  'hendrycks_math_algebra',
  'hendrycks_math_counting_and_prob',
  'hendrycks_math_geometry',
  'hendrycks_math_intermediate_algebra',
  'hendrycks_math_num_theory',
  'hendrycks_math_prealgebra',
  'hendrycks_math_precalc',
] as const;

export const MMLU_CATEGORIES = ['mmlu_humanities', 'mmlu_social_sciences', 'mmlu_stem', 'mmlu_other'] as const;

export const FAMILIES: readonly Family[] = [
  { id: 'lm', title: 'Language modeling & reasoning', tasks: ['lambada_openai', 'winogrande'] },
  {
    id: 'glue',
    title: 'GLUE',
    tasks: ['cola', 'mnli', 'mnli_mismatch', 'mrpc', 'qnli', 'qqp', 'rte', 'sst2', 'wnli'],
  },
  {
    id: 'math',
    title: 'Math, STEM and humanities / MMLU categories',
    tasks: ['hendrycks_math', ...MATH_SUBTASKS, 'mmlu', ...MMLU_CATEGORIES],
  },
  { id: 'other', title: 'Other', tasks: [] },
  // leaves of a known group that have no row of their own above (the 57 MMLU subjects)
  { id: 'subtasks', title: 'Subtasks', tasks: [] },
];

const DISPLAY: Record<string, string> = {
  lambada_openai: 'LAMBADA',
  winogrande: 'Winogrande',
  cola: 'CoLA',
  mnli: 'MNLI',
  mnli_mismatch: 'MNLI (mismatched)',
  mrpc: 'MRPC',
  qnli: 'QNLI',
  qqp: 'QQP',
  rte: 'RTE',
  sst2: 'SST-2',
  wnli: 'WNLI',
  hendrycks_math: 'MATH',
  hendrycks_math_algebra: 'MATH Algebra',
  hendrycks_math_counting_and_prob: 'MATH Counting & Probability',
  hendrycks_math_geometry: 'MATH Geometry',
  hendrycks_math_intermediate_algebra: 'MATH Intermediate Algebra',
  hendrycks_math_num_theory: 'MATH Number Theory',
  hendrycks_math_prealgebra: 'MATH Prealgebra',
  hendrycks_math_precalc: 'MATH Precalculus',
  mmlu: 'MMLU',
  mmlu_humanities: 'MMLU Humanities',
  mmlu_social_sciences: 'MMLU Social Sciences',
  mmlu_stem: 'MMLU STEM',
  mmlu_other: 'MMLU Other',
};

/** The table name of a task: a fixed short name for the benchmarks in scope, else the task name. */
export function displayName(task: string): string {
  return DISPLAY[task] ?? task;
}

const KNOWN = new Map<string, FamilyId>();
for (const f of FAMILIES) for (const t of f.tasks) KNOWN.set(t, f.id);

/** `ancestors` = the groups above the task (from group_subtasks), nearest first. */
export function familyOf(task: string, ancestors: readonly string[]): FamilyId {
  const known = KNOWN.get(task);
  if (known) return known;
  if (ancestors.some((g) => KNOWN.has(g))) return 'subtasks';
  return 'other';
}

/** Reading order of known tasks: family by family, each family's list in order; others come last. */
export function taskOrder(task: string): number {
  for (let f = 0; f < FAMILIES.length; f++) {
    const i = FAMILIES[f]!.tasks.indexOf(task);
    if (i >= 0) return f * 1000 + i;
  }
  return Number.MAX_SAFE_INTEGER;
}

/** How lm-eval aggregates a metric over documents (registry defaults, semantics §8). */
export type AggregationKind = 'mean' | 'perplexity' | 'f1' | 'mcc' | 'weighted_perplexity' | 'bits_per_byte';

const KIND_OF_AGGREGATION: Record<string, AggregationKind> = {
  mean: 'mean',
  perplexity: 'perplexity',
  f1: 'f1',
  matthews_corrcoef: 'mcc',
  weighted_perplexity: 'weighted_perplexity',
  bits_per_byte: 'bits_per_byte',
};

/** Aggregation of a registry metric; null for others (treated as means when their items are numbers). */
export function aggregationOf(metric: string): AggregationKind | null {
  const d = Object.hasOwn(metricDefaults, metric) ? metricDefaults[metric] : undefined;
  return d ? (KIND_OF_AGGREGATION[d.aggregation] ?? null) : null;
}

export function defaultHigherIsBetter(metric: string): boolean | null {
  const d = Object.hasOwn(metricDefaults, metric) ? metricDefaults[metric] : undefined;
  return d ? d.higherIsBetter : null;
}
