// A few documents for every seed-suite task in the Hugging Face column layout, written under a
// --data-dir (DIR/<dataset_path>/<dataset_name>/<split>.jsonl), for end-to-end runs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Row = Record<string, unknown>;

// task-mmlu.md §5: the 57 subjects by category
export const MMLU: Record<string, string[]> = {
  humanities: [
    'formal_logic', 'high_school_european_history', 'high_school_us_history', 'high_school_world_history', 'international_law',
    'jurisprudence', 'logical_fallacies', 'moral_disputes', 'moral_scenarios', 'philosophy', 'prehistory', 'professional_law',
    'world_religions',
  ],
  other: [
    'business_ethics', 'clinical_knowledge', 'college_medicine', 'global_facts', 'human_aging', 'management', 'marketing',
    'medical_genetics', 'miscellaneous', 'nutrition', 'professional_accounting', 'professional_medicine', 'virology',
  ],
  social_sciences: [
    'econometrics', 'high_school_geography', 'high_school_government_and_politics', 'high_school_macroeconomics',
    'high_school_microeconomics', 'high_school_psychology', 'human_sexuality', 'professional_psychology', 'public_relations',
    'security_studies', 'sociology', 'us_foreign_policy',
  ],
  stem: [
    'abstract_algebra', 'anatomy', 'astronomy', 'college_biology', 'college_chemistry', 'college_computer_science',
    'college_mathematics', 'college_physics', 'computer_security', 'conceptual_physics', 'electrical_engineering',
    'elementary_mathematics', 'high_school_biology', 'high_school_chemistry', 'high_school_computer_science',
    'high_school_mathematics', 'high_school_physics', 'high_school_statistics', 'machine_learning',
  ],
};
export const MATH_CONFIGS: Record<string, string> = {
  hendrycks_math_algebra: 'algebra',
  hendrycks_math_counting_and_prob: 'counting_and_probability',
  hendrycks_math_geometry: 'geometry',
  hendrycks_math_intermediate_algebra: 'intermediate_algebra',
  hendrycks_math_num_theory: 'number_theory',
  hendrycks_math_prealgebra: 'prealgebra',
  hendrycks_math_precalc: 'precalculus',
};

export function writeSplit(dataDir: string, path: string, name: string, split: string, rows: Row[]): void {
  const dir = join(dataDir, ...path.split('/'), name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${split}.jsonl`), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

export const words = ['river', 'stone', 'light', 'paper', 'garden', 'window', 'music', 'winter'];
export const sentence = (i: number): string => `The ${words[i % 8]} near the ${words[(i + 3) % 8]} was ${i % 2 ? 'quiet' : 'bright'} today.`;

/** A few documents for every seed task, in the Hugging Face column layout. */
export function writeSeedData(dataDir: string): void {
  const four = [0, 1, 2, 3];
  writeSplit(dataDir, 'EleutherAI/lambada_openai', 'default', 'test', four.map((i) => ({ text: `${sentence(i)} Then she said ${words[i]}` })));
  writeSplit(dataDir, 'allenai/winogrande', 'winogrande_xl', 'validation', four.map((i) => ({
    sentence: `The ${words[i]} was bigger than the ${words[i + 1]} because _ was new.`,
    option1: words[i],
    option2: words[i + 1],
    answer: i % 2 ? '2' : '1',
  })));
  const glue = (cfg: string, split: string, row: (i: number) => Row): void =>
    writeSplit(dataDir, 'nyu-mll/glue', cfg, split, four.map((i) => ({ ...row(i), idx: i })));
  glue('cola', 'validation', (i) => ({ sentence: sentence(i), label: i % 2 }));
  glue('mnli', 'validation_matched', (i) => ({ premise: sentence(i), hypothesis: sentence(i + 1), label: i % 3 }));
  glue('mnli', 'validation_mismatched', (i) => ({ premise: sentence(i + 2), hypothesis: sentence(i), label: (i + 1) % 3 }));
  glue('mrpc', 'validation', (i) => ({ sentence1: sentence(i), sentence2: sentence(i + i), label: i % 2 }));
  glue('qnli', 'validation', (i) => ({ question: `Where is the ${words[i]}?`, sentence: sentence(i), label: i % 2 }));
  glue('qqp', 'validation', (i) => ({ question1: `Why is the ${words[i]} bright?`, question2: `Why is the ${words[i + 1]} bright?`, label: i % 2 }));
  glue('rte', 'validation', (i) => ({ sentence1: sentence(i), sentence2: sentence(i + 1), label: i % 2 }));
  glue('sst2', 'validation', (i) => ({ sentence: sentence(i), label: i % 2 }));
  glue('wnli', 'validation', (i) => ({ sentence1: sentence(i), sentence2: sentence(i + 5), label: i % 2 }));
  for (const config of Object.values(MATH_CONFIGS)) {
    writeSplit(dataDir, 'EleutherAI/hendrycks_math', config, 'test', [0, 1].map((i) => ({
      problem: `What is $${i} + ${i + 1}$?`,
      level: `Level ${i + 1}`,
      type: config,
      solution: `We add: $${i} + ${i + 1} = \\boxed{${2 * i + 1}}$.`,
    })));
  }
  const mcq = (subject: string, i: number): Row => ({
    question: `Question ${i} about ${subject.replace(/_/g, ' ')}?`,
    subject,
    choices: ['first', 'second', 'third', 'fourth'].map((c) => `${c} ${words[i % 8]}`),
    answer: i % 4,
  });
  for (const subject of Object.values(MMLU).flat()) {
    writeSplit(dataDir, 'cais/mmlu', subject, 'test', four.map((i) => mcq(subject, i)));
    writeSplit(dataDir, 'cais/mmlu', subject, 'dev', [0, 1, 2, 3, 4].map((i) => mcq(subject, 10 + i)));
  }
}

