// The built-in GLUE, MMLU and MATH task/group YAML checked field by field against task-glue.md,
// task-mmlu.md and task-hendrycks-math.md. Parsed independently of the loader (plain `yaml` package), with
// integers as BigInt so that YAML `2` (Python int) and `1.0` (Python float) stay distinguishable.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, type Tags } from 'yaml';
import { describe, expect, it } from 'vitest';
import { resolveFunction } from '../../src/tasks/functions/index.js';

const BUILTIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/tasks/builtin');
type Config = Record<string, unknown>;

const customTags: Tags = [{ tag: '!function', resolve: (s: string) => ({ function: s }) }];

function readYaml(file: string): Config {
  return parse(readFileSync(file, 'utf8'), { customTags, intAsBigInt: true }) as Config;
}

/** lm-eval `include:` semantics: the included file's keys, overridden by the including file's. */
function effective(file: string): Config {
  const own = readYaml(file);
  if (typeof own['include'] !== 'string') return own;
  const { include, ...rest } = own;
  return { ...effective(join(dirname(file), include as string)), ...rest };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? filesUnder(p) : [p];
    });
}

const rel = (p: string) => relative(BUILTIN, p);
const OWNED = ['glue', 'mmlu', 'hendrycks_math'].flatMap((d) => filesUnder(join(BUILTIN, d)));

// task-mmlu.md §5: subject, category (tag mmlu_<category>_tasks, parent mmlu_<category>), description text.
const MMLU_SUBJECTS: Array<[string, string, string]> = [
  ['abstract_algebra', 'stem', 'abstract algebra'],
  ['anatomy', 'stem', 'anatomy'],
  ['astronomy', 'stem', 'astronomy'],
  ['business_ethics', 'other', 'business ethics'],
  ['clinical_knowledge', 'other', 'clinical knowledge'],
  ['college_biology', 'stem', 'college biology'],
  ['college_chemistry', 'stem', 'college chemistry'],
  ['college_computer_science', 'stem', 'college computer science'],
  ['college_mathematics', 'stem', 'college mathematics'],
  ['college_medicine', 'other', 'college medicine'],
  ['college_physics', 'stem', 'college physics'],
  ['computer_security', 'stem', 'computer security'],
  ['conceptual_physics', 'stem', 'conceptual physics'],
  ['econometrics', 'social_sciences', 'econometrics'],
  ['electrical_engineering', 'stem', 'electrical engineering'],
  ['elementary_mathematics', 'stem', 'elementary mathematics'],
  ['formal_logic', 'humanities', 'formal logic'],
  ['global_facts', 'other', 'global facts'],
  ['high_school_biology', 'stem', 'high school biology'],
  ['high_school_chemistry', 'stem', 'high school chemistry'],
  ['high_school_computer_science', 'stem', 'high school computer science'],
  ['high_school_european_history', 'humanities', 'high school european history'],
  ['high_school_geography', 'social_sciences', 'high school geography'],
  ['high_school_government_and_politics', 'social_sciences', 'high school government and politics'],
  ['high_school_macroeconomics', 'social_sciences', 'high school macroeconomics'],
  ['high_school_mathematics', 'stem', 'high school mathematics'],
  ['high_school_microeconomics', 'social_sciences', 'high school microeconomics'],
  ['high_school_physics', 'stem', 'high school physics'],
  ['high_school_psychology', 'social_sciences', 'high school psychology'],
  ['high_school_statistics', 'stem', 'high school statistics'],
  ['high_school_us_history', 'humanities', 'high school us history'],
  ['high_school_world_history', 'humanities', 'high school world history'],
  ['human_aging', 'other', 'human aging'],
  ['human_sexuality', 'social_sciences', 'human sexuality'],
  ['international_law', 'humanities', 'international law'],
  ['jurisprudence', 'humanities', 'jurisprudence'],
  ['logical_fallacies', 'humanities', 'logical fallacies'],
  ['machine_learning', 'stem', 'machine learning'],
  ['management', 'other', 'management'],
  ['marketing', 'other', 'marketing'],
  ['medical_genetics', 'other', 'medical genetics'],
  ['miscellaneous', 'other', 'miscellaneous'],
  ['moral_disputes', 'humanities', 'moral disputes'],
  ['moral_scenarios', 'humanities', 'moral scenarios'],
  ['nutrition', 'other', 'nutrition'],
  ['philosophy', 'humanities', 'philosophy'],
  ['prehistory', 'humanities', 'prehistory'],
  ['professional_accounting', 'other', 'professional accounting'],
  ['professional_law', 'humanities', 'professional law'],
  ['professional_medicine', 'other', 'professional medicine'],
  ['professional_psychology', 'social_sciences', 'professional psychology'],
  ['public_relations', 'social_sciences', 'public relations'],
  ['security_studies', 'social_sciences', 'security studies'],
  ['sociology', 'social_sciences', 'sociology'],
  ['us_foreign_policy', 'social_sciences', 'us foreign policy'],
  ['virology', 'other', 'virology'],
  ['world_religions', 'humanities', 'world religions'],
];

// task-mmlu.md §5 "Category membership", in child order (sorted by name).
const MMLU_CATEGORIES: Record<string, string[]> = {
  humanities: [
    'formal_logic', 'high_school_european_history', 'high_school_us_history', 'high_school_world_history',
    'international_law', 'jurisprudence', 'logical_fallacies', 'moral_disputes', 'moral_scenarios', 'philosophy',
    'prehistory', 'professional_law', 'world_religions',
  ],
  other: [
    'business_ethics', 'clinical_knowledge', 'college_medicine', 'global_facts', 'human_aging', 'management',
    'marketing', 'medical_genetics', 'miscellaneous', 'nutrition', 'professional_accounting',
    'professional_medicine', 'virology',
  ],
  social_sciences: [
    'econometrics', 'high_school_geography', 'high_school_government_and_politics', 'high_school_macroeconomics',
    'high_school_microeconomics', 'high_school_psychology', 'human_sexuality', 'professional_psychology',
    'public_relations', 'security_studies', 'sociology', 'us_foreign_policy',
  ],
  stem: [
    'abstract_algebra', 'anatomy', 'astronomy', 'college_biology', 'college_chemistry', 'college_computer_science',
    'college_mathematics', 'college_physics', 'computer_security', 'conceptual_physics', 'electrical_engineering',
    'elementary_mathematics', 'high_school_biology', 'high_school_chemistry', 'high_school_computer_science',
    'high_school_mathematics', 'high_school_physics', 'high_school_statistics', 'machine_learning',
  ],
};

/** Fills `{{expr}}` placeholders from a table, to check a template's literal text around them. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(.*?)\}\}/g, (_, expr: string) => {
    const v = values[expr];
    if (v === undefined) throw new Error(`no value for {{${expr}}}`);
    return v;
  });
}

function functionNames(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(functionNames);
  if (value !== null && typeof value === 'object') {
    const o = value as Config;
    if (Object.keys(o).length === 1 && typeof o['function'] === 'string') return [o['function']];
    return Object.values(o).flatMap(functionNames);
  }
  return [];
}

describe('built-in YAML layout', () => {
  it('has exactly the lm-eval files for glue, mmlu/default and hendrycks_math', () => {
    const expected = [
      ...['cola', 'mnli', 'mrpc', 'qnli', 'qqp', 'rte', 'sst2', 'wnli'].map((t) => `glue/${t}/default.yaml`),
      'glue/mnli/mismatch.yaml',
      ...['algebra', 'counting_and_prob', 'geometry', 'intermediate_algebra', 'num_theory', 'prealgebra', 'precalc'].map(
        (s) => `hendrycks_math/hendrycks_math_${s}.yaml`,
      ),
      'hendrycks_math/hendrycks_math.yaml',
      'mmlu/default/_default_template_yaml',
      'mmlu/default/_mmlu.yaml',
      ...Object.keys(MMLU_CATEGORIES).map((c) => `mmlu/default/_mmlu_${c}.yaml`),
      ...MMLU_SUBJECTS.map(([s]) => `mmlu/default/mmlu_${s}.yaml`),
    ];
    expect(OWNED.map(rel).sort()).toEqual(expected.sort());
  });

  it('parses every file to a mapping', () => {
    for (const f of OWNED) expect(readYaml(f), rel(f)).toBeTypeOf('object');
  });

  it('resolves every !function name relative to its YAML file, as lm-eval does', () => {
    const refs = OWNED.flatMap((f) => functionNames(readYaml(f)).map((name) => ({ function: name, file: f })));
    expect(new Set(refs.map((r) => r.function))).toEqual(new Set(['utils.doc_to_text', 'utils.process_docs', 'utils.process_results']));
    for (const r of refs) expect(resolveFunction(r, rel(r.file)), `${rel(r.file)}: ${r.function}`).toBeTypeOf('function');
  });

  it('defines each task and group name once', () => {
    const names = OWNED.filter((f) => f.endsWith('.yaml')).map((f) => {
      const c = readYaml(f);
      return ('group' in c ? c['group'] : c['task']) as unknown;
    });
    expect(names.every((n) => typeof n === 'string')).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('MMLU (task-mmlu.md)', () => {
  const dir = join(BUILTIN, 'mmlu/default');

  it('has the shared template of §1', () => {
    expect(readYaml(join(dir, '_default_template_yaml'))).toEqual({
      dataset_path: 'cais/mmlu',
      test_split: 'test',
      fewshot_split: 'dev',
      fewshot_config: { sampler: 'first_n' },
      output_type: 'multiple_choice',
      doc_to_text:
        '{{question.strip()}}\nA. {{choices[0]}}\nB. {{choices[1]}}\nC. {{choices[2]}}\nD. {{choices[3]}}\nAnswer:',
      doc_to_choice: ['A', 'B', 'C', 'D'],
      doc_to_target: 'answer',
      metric_list: [{ metric: 'acc', aggregation: 'mean', higher_is_better: true }],
      metadata: { version: 1 },
    });
    // version 1.0 must stay a float (Python prints "1.0"), not the int 1
    expect(readFileSync(join(dir, '_default_template_yaml'), 'utf8')).toContain('  version: 1.0\n');
  });

  it.each(MMLU_SUBJECTS)('mmlu_%s (%s)', (subject, category, text) => {
    const file = join(dir, `mmlu_${subject}.yaml`);
    expect(readYaml(file)).toEqual({
      dataset_name: subject,
      description: `The following are multiple choice questions (with answers) about ${text}.\n\n`,
      tag: `mmlu_${category}_tasks`,
      include: '_default_template_yaml',
      task: `mmlu_${subject}`,
      task_alias: subject,
    });
    const config = effective(file);
    expect(config['dataset_path']).toBe('cais/mmlu');
    expect(config['fewshot_split']).toBe('dev');
    expect(config['task']).toBe(`mmlu_${subject}`);
  });

  it('puts 19 / 13 / 12 / 13 subjects under the stem / other / social_sciences / humanities tags', () => {
    const byTag: Record<string, string[]> = {};
    for (const [subject] of MMLU_SUBJECTS) {
      const tag = readYaml(join(dir, `mmlu_${subject}.yaml`))['tag'] as string;
      (byTag[tag] ??= []).push(subject);
    }
    expect(Object.fromEntries(Object.entries(byTag).map(([t, s]) => [t, s.length]))).toEqual({
      mmlu_stem_tasks: 19,
      mmlu_other_tasks: 13,
      mmlu_social_sciences_tasks: 12,
      mmlu_humanities_tasks: 13,
    });
    for (const [category, subjects] of Object.entries(MMLU_CATEGORIES)) {
      expect(byTag[`mmlu_${category}_tasks`]!.sort()).toEqual(subjects);
    }
  });

  it('has the four category groups over their tags and the mmlu group over the categories (§4)', () => {
    const aggregate = [{ metric: 'acc', weight_by_size: true }];
    const aliases: Record<string, string> = {
      humanities: 'humanities',
      other: 'other',
      social_sciences: 'social sciences',
      stem: 'stem',
    };
    for (const [category, alias] of Object.entries(aliases)) {
      expect(readYaml(join(dir, `_mmlu_${category}.yaml`)), category).toEqual({
        group: `mmlu_${category}`,
        group_alias: alias,
        task: [`mmlu_${category}_tasks`],
        aggregate_metric_list: aggregate,
        metadata: { version: 2n },
      });
    }
    expect(readYaml(join(dir, '_mmlu.yaml'))).toEqual({
      group: 'mmlu',
      task: ['mmlu_stem', 'mmlu_other', 'mmlu_social_sciences', 'mmlu_humanities'],
      aggregate_metric_list: aggregate,
      metadata: { version: 2n },
    });
  });

  it('renders the anatomy zero-shot context of tests/test_prompt.py (§2)', () => {
    const config = effective(join(dir, 'mmlu_anatomy.yaml'));
    const question = fill(config['doc_to_text'] as string, {
      'question.strip()':
        'A lesion causing compression of the facial nerve at the stylomastoid foramen will cause ipsilateral',
      'choices[0]': 'paralysis of the facial muscles.',
      'choices[1]': 'paralysis of the facial muscles and loss of taste.',
      'choices[2]': 'paralysis of the facial muscles, loss of taste and lacrimation.',
      'choices[3]': 'paralysis of the facial muscles, loss of taste, lacrimation and decreased salivation.',
    });
    expect((config['description'] as string) + question).toBe(
      'The following are multiple choice questions (with answers) about anatomy.\n\n' +
        'A lesion causing compression of the facial nerve at the stylomastoid foramen will cause ipsilateral\n' +
        'A. paralysis of the facial muscles.\n' +
        'B. paralysis of the facial muscles and loss of taste.\n' +
        'C. paralysis of the facial muscles, loss of taste and lacrimation.\n' +
        'D. paralysis of the facial muscles, loss of taste, lacrimation and decreased salivation.\n' +
        'Answer:',
    );
  });
});

// task-glue.md §1–§2.
const GLUE: Array<{
  task: string;
  file: string;
  config: string;
  split: string;
  text: string | { function: string };
  choices: string[];
  metrics: string[];
  version: number;
}> = [
  {
    task: 'cola', file: 'cola/default.yaml', config: 'cola', split: 'validation',
    text: '{{sentence}}\nQuestion: Does this sentence make sense?\nAnswer:',
    choices: ['no', 'yes'], metrics: ['mcc'], version: 1,
  },
  {
    task: 'mnli', file: 'mnli/default.yaml', config: 'mnli', split: 'validation_matched',
    text: { function: 'utils.doc_to_text' }, choices: ['True', 'Neither', 'False'], metrics: ['acc'], version: 1,
  },
  {
    task: 'mnli_mismatch', file: 'mnli/mismatch.yaml', config: 'mnli', split: 'validation_mismatched',
    text: { function: 'utils.doc_to_text' }, choices: ['True', 'Neither', 'False'], metrics: ['acc'], version: 1,
  },
  {
    task: 'mrpc', file: 'mrpc/default.yaml', config: 'mrpc', split: 'validation',
    text: 'Sentence 1: {{sentence1}}\nSentence 2: {{sentence2}}\nQuestion: Do both sentences mean the same thing?\nAnswer:',
    choices: ['no', 'yes'], metrics: ['acc', 'f1'], version: 1,
  },
  {
    task: 'qnli', file: 'qnli/default.yaml', config: 'qnli', split: 'validation',
    text: '{{question}}\n{{sentence}}\nQuestion: Does this response answer the question?\nAnswer:',
    choices: ['yes', 'no'], metrics: ['acc'], version: 1,
  },
  {
    task: 'qqp', file: 'qqp/default.yaml', config: 'qqp', split: 'validation',
    text: 'Question 1: {{question1}}\nQuestion 2: {{question2}}\nQuestion: Do both questions ask the same thing?\nAnswer:',
    choices: ['no', 'yes'], metrics: ['acc', 'f1'], version: 2,
  },
  {
    task: 'rte', file: 'rte/default.yaml', config: 'rte', split: 'validation',
    text: '{{sentence1}}\nQuestion: {{sentence2}} True or False?\nAnswer:',
    choices: ['True', 'False'], metrics: ['acc'], version: 1,
  },
  {
    task: 'sst2', file: 'sst2/default.yaml', config: 'sst2', split: 'validation',
    text: '{{sentence}}\nQuestion: Is this sentence positive or negative?\nAnswer:',
    choices: ['negative', 'positive'], metrics: ['acc'], version: 1,
  },
  {
    task: 'wnli', file: 'wnli/default.yaml', config: 'wnli', split: 'validation',
    text: '{{sentence1}}\nQuestion: {{sentence2}} True or False?\nAnswer:',
    choices: ['False', 'True'], metrics: ['acc'], version: 2,
  },
];

describe('GLUE (task-glue.md)', () => {
  it.each(GLUE)('$task', (t) => {
    const file = join(BUILTIN, 'glue', t.file);
    const config = effective(file);
    expect(config).toMatchObject({
      tag: 'glue',
      task: t.task,
      dataset_path: 'nyu-mll/glue',
      dataset_name: t.config,
      output_type: 'multiple_choice',
      training_split: 'train',
      validation_split: t.split,
      doc_to_text: t.text,
      doc_to_target: 'label',
      doc_to_choice: t.choices,
      // names only: aggregation and higher_is_better come from the metric registry
      metric_list: t.metrics.map((metric) => ({ metric })),
      metadata: { version: t.version },
    });
    // evaluation falls back to validation_split; no test split, fewshot split, description or delimiters
    for (const absent of ['test_split', 'fewshot_split', 'description', 'target_delimiter', 'fewshot_delimiter']) {
      expect(config[absent], `${t.task}.${absent}`).toBeUndefined();
    }
    // versions are Python floats ("1.0" / "2.0")
    expect(readFileSync(t.file.includes('mismatch') ? join(dirname(file), 'default.yaml') : file, 'utf8')).toContain(
      `  version: ${t.version}.0\n`,
    );
  });

  it('gives cola its decontamination query', () => {
    expect(effective(join(BUILTIN, 'glue/cola/default.yaml'))).toMatchObject({
      should_decontaminate: true,
      doc_to_decontamination_query: 'sentence',
    });
  });

  it('is a tag only: no glue group file exists', () => {
    expect(OWNED.filter((f) => f.includes('/glue/')).some((f) => 'group' in readYaml(f))).toBe(false);
  });

  it('renders the sst2 few-shot example block of §4', () => {
    const config = effective(join(BUILTIN, 'glue/sst2/default.yaml'));
    const shot = fill(config['doc_to_text'] as string, { sentence: '<sentence>' }) + ' ' + 'positive' + '\n\n';
    expect(shot).toBe('<sentence>\nQuestion: Is this sentence positive or negative?\nAnswer: positive\n\n');
  });
});

// task-hendrycks-math.md §1.
const MATH_SUBSETS: Array<[string, string]> = [
  ['hendrycks_math_algebra', 'algebra'],
  ['hendrycks_math_counting_and_prob', 'counting_and_probability'],
  ['hendrycks_math_geometry', 'geometry'],
  ['hendrycks_math_intermediate_algebra', 'intermediate_algebra'],
  ['hendrycks_math_num_theory', 'number_theory'],
  ['hendrycks_math_prealgebra', 'prealgebra'],
  ['hendrycks_math_precalc', 'precalculus'],
];

describe('hendrycks_math (task-hendrycks-math.md)', () => {
  it.each(MATH_SUBSETS)('%s', (task, datasetName) => {
    const config = effective(join(BUILTIN, 'hendrycks_math', `${task}.yaml`));
    expect(config).toEqual({
      tag: ['math_word_problems'],
      task,
      dataset_path: 'EleutherAI/hendrycks_math',
      dataset_name: datasetName,
      process_docs: { function: 'utils.process_docs' },
      output_type: 'generate_until',
      training_split: 'train',
      test_split: 'test',
      doc_to_text: 'Problem: {{problem}}\nAnswer:',
      process_results: { function: 'utils.process_results' },
      doc_to_target: '{{answer}}',
      // YAML int 0; lm-eval turns temperature into the float 0.0 when it builds the task
      generation_kwargs: { until: ['Problem:'], do_sample: false, temperature: 0n },
      metric_list: [{ metric: 'exact_match', aggregation: 'mean', higher_is_better: true }],
      metadata: { version: 1 },
    });
  });

  it('has the group over the seven subsets in YAML order, without hendrycks_math500', () => {
    expect(readYaml(join(BUILTIN, 'hendrycks_math/hendrycks_math.yaml'))).toEqual({
      group: 'hendrycks_math',
      task: MATH_SUBSETS.map(([t]) => t),
      aggregate_metric_list: [{ metric: 'exact_match', aggregation: 'mean', weight_by_size: true }],
      metadata: { version: 1 },
    });
    expect(readFileSync(join(BUILTIN, 'hendrycks_math/hendrycks_math.yaml'), 'utf8')).toContain('  version: 1.0\n');
  });
});
