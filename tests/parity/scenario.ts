// A small three-task run (MMLU-style multiple choice, lambada-style loglikelihood, MATH-style generation)
// that tests copy and perturb, one mismatch cause at a time.
import { genSample, llSample, mcSample, type RunSpec } from './lm-eval-records.js';
import type { SampleRecord } from '../../src/parity/index.js';

export const MMLU_DESCRIPTION = 'The following are multiple choice questions (with answers) about anatomy.\n\n';

export const MMLU_DOCS = [
  { question: 'Which bone is in the arm?', subject: 'anatomy', choices: ['Femur', 'Humerus', 'Tibia', 'Fibula'], answer: 1 },
  { question: 'How many chambers has the heart?', subject: 'anatomy', choices: ['2', '3', '4', '5'], answer: 2 },
  { question: 'Where is the liver?', subject: 'anatomy', choices: ['Abdomen', 'Skull', 'Foot', 'Hand'], answer: 0 },
];

export const DEV_DOCS = [
  { question: 'What pumps blood?', subject: 'anatomy', choices: ['Lung', 'Heart', 'Kidney', 'Skin'], answer: 1 },
  { question: 'What filters blood?', subject: 'anatomy', choices: ['Kidney', 'Bone', 'Hair', 'Nail'], answer: 0 },
];

export function mmluQuestion(doc: (typeof MMLU_DOCS)[number]): string {
  return `${doc.question.trim()}\nA. ${doc.choices[0]}\nB. ${doc.choices[1]}\nC. ${doc.choices[2]}\nD. ${doc.choices[3]}\nAnswer:`;
}

export function mmluShot(doc: (typeof MMLU_DOCS)[number]): string {
  return `${mmluQuestion(doc)} ${'ABCD'[doc.answer]}\n\n`;
}

/** Base log-likelihoods per doc and choice (choice 1 of doc 0 best, etc.). */
export const MMLU_LLS = [
  [-3.25, -1.5, -2.75, -4.0],
  [-2.5, -2.0, -1.25, -3.5],
  [-0.75, -2.25, -3.0, -2.5],
];

export function mmluSamples(
  opts: { description?: string; shots?: string; shift?: number; lls?: number[][]; contextOf?: (docId: number, base: string) => string } = {},
): SampleRecord[] {
  const description = opts.description ?? MMLU_DESCRIPTION;
  return MMLU_DOCS.map((doc, i) => {
    const base = description + (opts.shots ?? '') + mmluQuestion(doc);
    const context = opts.contextOf ? opts.contextOf(i, base) : base;
    const lls = (opts.lls ?? MMLU_LLS)[i]!.map((x) => x + (opts.shift ?? 0));
    return mcSample({ docId: i, doc, context, choices: ['A', 'B', 'C', 'D'], lls, gold: doc.answer });
  });
}

export const LAMBADA_DOCS = [{ text: 'She opened the door and saw her old friend' }, { text: 'The cat sat on the warm mat' }];

export function lambadaSamples(opts: { shift?: number; lls?: number[] } = {}): SampleRecord[] {
  const lls = opts.lls ?? [-7.5, -3.125];
  return LAMBADA_DOCS.map((doc, i) => {
    const words = doc.text.split(' ');
    return llSample({ docId: i, doc, context: words.slice(0, -1).join(' '), continuation: ` ${words[words.length - 1]}`, ll: lls[i]! + (opts.shift ?? 0), greedy: i === 1 });
  });
}

export const MATH_DOCS = [
  { problem: 'What is $2+2$?', level: 'Level 1', type: 'Algebra', solution: 'It is $\\boxed{4}$.', answer: '4' },
  { problem: 'What is $3 \\cdot 3$?', level: 'Level 1', type: 'Algebra', solution: 'It is $\\boxed{9}$.', answer: '9' },
];

export function mathSamples(generations = ['The answer is $4$', 'We get $6$'], exact = [1, 0]): SampleRecord[] {
  return MATH_DOCS.map((doc, i) =>
    genSample({ docId: i, doc, context: `Problem: ${doc.problem}\nAnswer:`, target: doc.answer, generation: generations[i]!, exactMatch: exact[i]! }),
  );
}

const MMLU_CONFIG = { task: 'mmlu_anatomy', description: MMLU_DESCRIPTION, target_delimiter: ' ', fewshot_delimiter: '\n\n' };
const MATH_CONFIG = { task: 'hendrycks_math_algebra', process_results: 'def process_results(doc, results): ... is_equiv(answer, doc["answer"])', fewshot_delimiter: '\n\n' };

/** The base run; `tool` picks the results JSON flavour. */
export function baseSpec(tool: RunSpec['tool'] = 'lm-eval'): RunSpec {
  return {
    tool,
    results: {
      mmlu_anatomy: { 'acc,none': 1.0, 'acc_stderr,none': 0.0 },
      lambada_openai: { 'perplexity,none': 234.5, 'perplexity_stderr,none': 120.25, 'acc,none': 0.5, 'acc_stderr,none': 0.5 },
      hendrycks_math_algebra: { 'exact_match,none': 0.5, 'exact_match_stderr,none': 0.5 },
    },
    configs: { mmlu_anatomy: { ...MMLU_CONFIG }, hendrycks_math_algebra: { ...MATH_CONFIG } },
    samples: { mmlu_anatomy: mmluSamples(), lambada_openai: lambadaSamples(), hendrycks_math_algebra: mathSamples() },
  };
}
