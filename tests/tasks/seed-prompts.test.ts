// Prompt fixtures of the seed suite, byte for byte, with the requests each document builds:
// MMLU (task-mmlu.md §2, lm-eval tests/test_prompt.py), one document of every GLUE task
// (task-glue.md §2), winogrande partial contexts (task-winogrande.md §3), lambada context/target
// (task-lambada.md §2) and the MATH prompt (task-hendrycks-math.md §3). Expected strings are quoted
// from the spec files, never produced by the code under test.
import { describe, expect, it } from 'vitest';
import type { Doc } from '../../src/data/types.js';
import { buildInstances } from '../../src/requests/build.js';
import { TaskRegistry } from '../../src/tasks/registry.js';
import { Task } from '../../src/tasks/task.js';
import { memorySource } from '../helpers/memory-source.js';

const registry = TaskRegistry.load();

/** A built-in task loaded from in-memory splits keyed "path/name/split". */
async function loadTask(name: string, splits: Record<string, Doc[]>, numFewshot = 0): Promise<Task> {
  const entry = registry.tasks.get(name);
  if (!entry) throw new Error(`no built-in task ${name}`);
  const task = new Task(entry.config, entry.source);
  await task.load(memorySource(splits), numFewshot);
  return task;
}

/** The (context, continuation) arguments of every request of doc 0 (zero-shot). */
function requestsOf(task: Task, shots: Doc[] = []): unknown[][] {
  const doc = task.evalDocs[0]!;
  return buildInstances(task, doc, 0, task.contexts(doc, 0, shots)).map((i) => {
    expect(i.requestType).toBe(task.outputType === 'generate_until' ? 'generate_until' : 'loglikelihood');
    return i.arguments;
  });
}

// ---------------------------------------------------------------------------------------------
// MMLU anatomy: the documents of lm-eval tests/test_prompt.py (first test doc, first five dev docs).
// The spec quotes the test question and the first dev block in full and the dev answers D, D, C, C, B;
// the other four dev questions are those of the same upstream fixture.

const ANATOMY_TEST: Doc = {
  question: 'A lesion causing compression of the facial nerve at the stylomastoid foramen will cause ipsilateral',
  subject: 'anatomy',
  choices: [
    'paralysis of the facial muscles.',
    'paralysis of the facial muscles and loss of taste.',
    'paralysis of the facial muscles, loss of taste and lacrimation.',
    'paralysis of the facial muscles, loss of taste, lacrimation and decreased salivation.',
  ],
  answer: 0,
};

const ANATOMY_DEV: Doc[] = [
  {
    question: 'What is the embryological origin of the hyoid bone?',
    subject: 'anatomy',
    choices: ['The first pharyngeal arch', 'The first and second pharyngeal arches', 'The second pharyngeal arch', 'The second and third pharyngeal arches'],
    answer: 3,
  },
  {
    question: 'Which of these branches of the trigeminal nerve contain somatic motor processes?',
    subject: 'anatomy',
    choices: ['The supraorbital nerve', 'The infraorbital nerve', 'The mental nerve', 'None of the above'],
    answer: 3,
  },
  {
    question: 'The pleura',
    subject: 'anatomy',
    choices: ['have no sensory innervation.', 'are separated by a 2 mm space.', 'extend into the neck.', 'are composed of respiratory epithelium.'],
    answer: 2,
  },
  {
    question: "In Angle's Class II Div 2 occlusion there is",
    subject: 'anatomy',
    choices: [
      'excess overbite of the upper lateral incisors.',
      'negative overjet of the upper central incisors.',
      'excess overjet of the upper lateral incisors.',
      'excess overjet of the upper central incisors.',
    ],
    answer: 2,
  },
  {
    question: 'Which of the following is the body cavity that contains the pituitary gland?',
    subject: 'anatomy',
    choices: ['Abdominal', 'Cranial', 'Pleural', 'Spinal'],
    answer: 1,
  },
];

const MMLU_ANATOMY_ZERO_SHOT = `The following are multiple choice questions (with answers) about anatomy.

A lesion causing compression of the facial nerve at the stylomastoid foramen will cause ipsilateral
A. paralysis of the facial muscles.
B. paralysis of the facial muscles and loss of taste.
C. paralysis of the facial muscles, loss of taste and lacrimation.
D. paralysis of the facial muscles, loss of taste, lacrimation and decreased salivation.
Answer:`;

const MMLU_ANATOMY_FIVE_SHOT = `The following are multiple choice questions (with answers) about anatomy.

What is the embryological origin of the hyoid bone?
A. The first pharyngeal arch
B. The first and second pharyngeal arches
C. The second pharyngeal arch
D. The second and third pharyngeal arches
Answer: D

Which of these branches of the trigeminal nerve contain somatic motor processes?
A. The supraorbital nerve
B. The infraorbital nerve
C. The mental nerve
D. None of the above
Answer: D

The pleura
A. have no sensory innervation.
B. are separated by a 2 mm space.
C. extend into the neck.
D. are composed of respiratory epithelium.
Answer: C

In Angle's Class II Div 2 occlusion there is
A. excess overbite of the upper lateral incisors.
B. negative overjet of the upper central incisors.
C. excess overjet of the upper lateral incisors.
D. excess overjet of the upper central incisors.
Answer: C

Which of the following is the body cavity that contains the pituitary gland?
A. Abdominal
B. Cranial
C. Pleural
D. Spinal
Answer: B

A lesion causing compression of the facial nerve at the stylomastoid foramen will cause ipsilateral
A. paralysis of the facial muscles.
B. paralysis of the facial muscles and loss of taste.
C. paralysis of the facial muscles, loss of taste and lacrimation.
D. paralysis of the facial muscles, loss of taste, lacrimation and decreased salivation.
Answer:`;

const ANATOMY_SPLITS = { 'cais/mmlu/anatomy/test': [ANATOMY_TEST], 'cais/mmlu/anatomy/dev': ANATOMY_DEV };

/** A random sampler must not be consulted by first_n. */
const noRandom = {
  sample<T>(): T[] {
    throw new Error('first_n must not draw random numbers');
  },
};

describe('mmlu_anatomy (task-mmlu.md §2)', () => {
  it('renders the zero-shot fixture and four " A".." D" requests', async () => {
    const task = await loadTask('mmlu_anatomy', ANATOMY_SPLITS);
    expect(task.evalSplit).toBe('test');
    const ctx = task.contexts(ANATOMY_TEST, 0, [])[0]!;
    expect(ctx).toBe(MMLU_ANATOMY_ZERO_SHOT);
    expect(ctx.endsWith('Answer:')).toBe(true);
    expect(requestsOf(task)).toEqual([
      [MMLU_ANATOMY_ZERO_SHOT, ' A'],
      [MMLU_ANATOMY_ZERO_SHOT, ' B'],
      [MMLU_ANATOMY_ZERO_SHOT, ' C'],
      [MMLU_ANATOMY_ZERO_SHOT, ' D'],
    ]);
    expect(task.gold(ANATOMY_TEST, 0, ['A', 'B', 'C', 'D'])).toBe(0);
  });

  it('renders the 5-shot fixture from the first five dev questions (first_n, no RNG)', async () => {
    const task = await loadTask('mmlu_anatomy', ANATOMY_SPLITS, 5);
    const shots = task.selectFewshot(ANATOMY_TEST, 5, noRandom);
    expect(shots).toEqual(ANATOMY_DEV);
    expect(task.contexts(ANATOMY_TEST, 0, shots)).toEqual([MMLU_ANATOMY_FIVE_SHOT]);
    // the first dev block exactly as task-mmlu.md §2 quotes it
    expect(MMLU_ANATOMY_FIVE_SHOT).toContain(
      'What is the embryological origin of the hyoid bone?\nA. The first pharyngeal arch\nB. The first and second pharyngeal arches\nC. The second pharyngeal arch\nD. The second and third pharyngeal arches\nAnswer: D\n\n',
    );
    // fewer shots are the first k dev docs, the same for every question
    expect(task.selectFewshot(ANATOMY_DEV[0]!, 2, noRandom)).toEqual(ANATOMY_DEV.slice(0, 2));
  });

  it('strips only the question (Python whitespace) and inserts choices verbatim', async () => {
    const doc = { question: '\u001c  Why?\n', subject: 'anatomy', choices: [' a ', 'b', 'c', 'd'], answer: 1 };
    const task = await loadTask('mmlu_anatomy', { 'cais/mmlu/anatomy/test': [doc] });
    expect(task.contexts(doc, 0, [])[0]).toBe(
      'The following are multiple choice questions (with answers) about anatomy.\n\nWhy?\nA.  a \nB. b\nC. c\nD. d\nAnswer:',
    );
  });

  it('uses the subject text with spaces in the description', async () => {
    const doc = { question: 'Q', subject: 'high_school_us_history', choices: ['a', 'b', 'c', 'd'], answer: 0 };
    const task = await loadTask('mmlu_high_school_us_history', { 'cais/mmlu/high_school_us_history/test': [doc] });
    expect(task.contexts(doc, 0, [])[0]).toBe(
      'The following are multiple choice questions (with answers) about high school us history.\n\nQ\nA. a\nB. b\nC. c\nD. d\nAnswer:',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// GLUE: one document per task (task-glue.md §2). Expected contexts follow the quoted templates.

interface GlueCase {
  task: string;
  key: string;
  doc: Doc;
  context: string;
  choices: string[];
  gold: number;
}

const GLUE: GlueCase[] = [
  {
    task: 'cola',
    key: 'nyu-mll/glue/cola/validation',
    doc: { sentence: 'The sailors rode the breeze clear of the rocks.', label: 1, idx: 0 },
    context: 'The sailors rode the breeze clear of the rocks.\nQuestion: Does this sentence make sense?\nAnswer:',
    choices: [' no', ' yes'],
    gold: 1,
  },
  {
    task: 'mnli',
    key: 'nyu-mll/glue/mnli/validation_matched',
    doc: { premise: 'The cat sat.', hypothesis: 'A cat is sitting ', label: 0, idx: 0 },
    context: 'The cat sat.\nQuestion: A cat is sitting. True, False or Neither?\nAnswer:',
    choices: [' True', ' Neither', ' False'],
    gold: 0,
  },
  {
    task: 'mnli_mismatch',
    key: 'nyu-mll/glue/mnli/validation_mismatched',
    doc: { premise: ' Dogs bark at night. ', hypothesis: 'Dogs are silent.', label: 2, idx: 0 },
    context: ' Dogs bark at night. \nQuestion: Dogs are silent. True, False or Neither?\nAnswer:',
    choices: [' True', ' Neither', ' False'],
    gold: 2,
  },
  {
    task: 'mrpc',
    key: 'nyu-mll/glue/mrpc/validation',
    doc: { sentence1: 'He said the foodservice pie business doesn\'t fit.', sentence2: 'The foodservice pie business does not fit, he said.', label: 1, idx: 0 },
    context:
      "Sentence 1: He said the foodservice pie business doesn't fit.\nSentence 2: The foodservice pie business does not fit, he said.\nQuestion: Do both sentences mean the same thing?\nAnswer:",
    choices: [' no', ' yes'],
    gold: 1,
  },
  {
    task: 'qnli',
    key: 'nyu-mll/glue/qnli/validation',
    doc: { question: 'What came into force after the new constitution was herald?', sentence: 'As of that day, the new constitution heralding the Second Republic came into force.', label: 0, idx: 0 },
    context:
      'What came into force after the new constitution was herald?\nAs of that day, the new constitution heralding the Second Republic came into force.\nQuestion: Does this response answer the question?\nAnswer:',
    choices: [' yes', ' no'],
    gold: 0,
  },
  {
    task: 'qqp',
    key: 'nyu-mll/glue/qqp/validation',
    doc: { question1: 'Why are people so obsessed with cats?', question2: 'Why do people love cats so much?', label: 1, idx: 0 },
    context:
      'Question 1: Why are people so obsessed with cats?\nQuestion 2: Why do people love cats so much?\nQuestion: Do both questions ask the same thing?\nAnswer:',
    choices: [' no', ' yes'],
    gold: 1,
  },
  {
    task: 'rte',
    key: 'nyu-mll/glue/rte/validation',
    doc: { sentence1: 'Dana Reeve, the widow of the actor, died on Monday.', sentence2: 'Dana Reeve is dead.', label: 0, idx: 0 },
    context: 'Dana Reeve, the widow of the actor, died on Monday.\nQuestion: Dana Reeve is dead. True or False?\nAnswer:',
    choices: [' True', ' False'],
    gold: 0,
  },
  {
    task: 'sst2',
    key: 'nyu-mll/glue/sst2/validation',
    doc: { sentence: "it 's a charming and often affecting journey . ", label: 1, idx: 0 },
    context: "it 's a charming and often affecting journey . \nQuestion: Is this sentence positive or negative?\nAnswer:",
    choices: [' negative', ' positive'],
    gold: 1,
  },
  {
    task: 'wnli',
    key: 'nyu-mll/glue/wnli/validation',
    doc: { sentence1: 'The drain is clogged with hair. It has to be cleaned.', sentence2: 'The hair has to be cleaned.', label: 0, idx: 0 },
    context: 'The drain is clogged with hair. It has to be cleaned.\nQuestion: The hair has to be cleaned. True or False?\nAnswer:',
    choices: [' False', ' True'],
    gold: 0,
  },
];

describe('GLUE (task-glue.md §2)', () => {
  for (const c of GLUE) {
    it(`${c.task}: context, one request per choice with the target delimiter, gold label`, async () => {
      const task = await loadTask(c.task, { [c.key]: [c.doc] });
      expect(task.outputType).toBe('multiple_choice');
      expect(task.contexts(c.doc, 0, [])).toEqual([c.context]);
      expect(requestsOf(task)).toEqual(c.choices.map((choice) => [c.context, choice]));
      expect(task.gold(c.doc, 0, c.choices.map((s) => s.slice(1)))).toBe(c.gold);
    });
  }
});

// ---------------------------------------------------------------------------------------------

describe('winogrande (task-winogrande.md §3)', () => {
  const doc = {
    sentence: "The trophy doesn't fit into the brown suitcase because the _ is too large.",
    option1: 'trophy',
    option2: 'suitcase',
    answer: '2',
  };

  it('scores the shared suffix after each partial context', async () => {
    const task = await loadTask('winogrande', { 'allenai/winogrande/winogrande_xl/validation': [doc] });
    expect(task.evalSplit).toBe('validation');
    expect(task.multipleInput).toBe(true);
    expect(requestsOf(task)).toEqual([
      ["The trophy doesn't fit into the brown suitcase because the trophy", ' is too large.'],
      ["The trophy doesn't fit into the brown suitcase because the suitcase", ' is too large.'],
    ]);
    // gold is doc_to_text: answer "2" -> index 1
    expect(task.gold(doc, 0, task.contexts(doc, 0, []))).toBe(1);
  });

  it('cuts at the first blank and strips the suffix with Python whitespace', async () => {
    const odd = { sentence: 'Ann _ hugged Bea _ twice.\u001c ', option1: 'first', option2: 'then', answer: '1' };
    const task = await loadTask('winogrande', { 'allenai/winogrande/winogrande_xl/validation': [odd] });
    expect(requestsOf(task)).toEqual([
      ['Ann first', ' hugged Bea _ twice.'],
      ['Ann then', ' hugged Bea _ twice.'],
    ]);
  });
});

describe('lambada_openai (task-lambada.md §2)', () => {
  it('splits the passage at the last single space; the target already carries its space', async () => {
    const task = await loadTask('lambada_openai', {
      'EleutherAI/lambada_openai/default/test': [{ text: 'he said  hello world' }],
    });
    expect(task.outputType).toBe('loglikelihood');
    expect(task.contexts(task.evalDocs[0]!, 0, [])).toEqual(['he said  hello']);
    // no target delimiter is added for loglikelihood requests
    expect(requestsOf(task)).toEqual([['he said  hello', ' world']]);
  });

  it('keeps a trailing space of the context in the request (the engine moves it later)', async () => {
    const task = await loadTask('lambada_openai', { 'EleutherAI/lambada_openai/default/test': [{ text: 'a b  c' }] });
    expect(requestsOf(task)).toEqual([['a b ', ' c']]);
  });
});

describe('hendrycks_math (task-hendrycks-math.md §3)', () => {
  const doc = {
    problem: 'What is $\\frac{1}{2} + \\frac{1}{2}$?',
    level: 'Level 1',
    type: 'Algebra',
    solution: 'We add: $\\frac{1}{2} + \\frac{1}{2} = \\boxed{1}$.',
  };

  it('prompts "Problem: ...\\nAnswer:" and asks to generate until "Problem:"', async () => {
    const task = await loadTask('hendrycks_math_algebra', { 'EleutherAI/hendrycks_math/algebra/test': [doc] });
    expect(task.outputType).toBe('generate_until');
    // process_docs appends the boxed answer as the last column
    expect(task.evalDocs[0]).toEqual({ ...doc, answer: '1' });
    expect(Object.keys(task.evalDocs[0]!)).toEqual(['problem', 'level', 'type', 'solution', 'answer']);
    const context = 'Problem: What is $\\frac{1}{2} + \\frac{1}{2}$?\nAnswer:';
    expect(requestsOf(task)).toEqual([[context, { until: ['Problem:'], do_sample: false, temperature: 0 }]]);
  });

  it('gives each request its own copy of generation_kwargs', async () => {
    const task = await loadTask('hendrycks_math_geometry', { 'EleutherAI/hendrycks_math/geometry/test': [doc, doc] });
    const [a] = buildInstances(task, doc, 0, ['x']);
    const [b] = buildInstances(task, doc, 1, ['y']);
    (a!.arguments[1] as { until: string[] }).until.push('changed');
    expect((b!.arguments[1] as { until: string[] }).until).toEqual(['Problem:']);
    expect(task.config.generation_kwargs).toEqual({ until: ['Problem:'], do_sample: false, temperature: 0 });
  });

  it('renders a shot as "Problem: p\\nAnswer: answer\\n\\n" (§7)', async () => {
    const shot = { problem: 'Compute $2+3$.', level: 'Level 1', type: 'Algebra', solution: '$2+3=\\boxed{5}$' };
    const task = await loadTask(
      'hendrycks_math_algebra',
      { 'EleutherAI/hendrycks_math/algebra/test': [doc], 'EleutherAI/hendrycks_math/algebra/train': [shot] },
      1,
    );
    expect(task.contexts(task.evalDocs[0]!, 0, task.fewshotDocs!)).toEqual([
      'Problem: Compute $2+3$.\nAnswer: 5\n\nProblem: What is $\\frac{1}{2} + \\frac{1}{2}$?\nAnswer:',
    ]);
  });
});
