// explainPromptDifference / explainContinuationDifference on hand-made prompt pairs, one per cause.
import { describe, expect, it } from 'vitest';
import { explainContinuationDifference, explainPromptDifference } from '../../src/parity/index.js';

const Q = 'Which bone is in the arm?\nA. Femur\nB. Humerus\nC. Tibia\nD. Fibula\nAnswer:';
const DESC = 'The following are multiple choice questions (with answers) about anatomy.\n\n';
const SHOT1 = 'What pumps blood?\nA. Lung\nB. Heart\nC. Kidney\nD. Skin\nAnswer: B\n\n';
const SHOT2 = 'What filters blood?\nA. Kidney\nB. Bone\nC. Hair\nD. Nail\nAnswer: A\n\n';
const SHOT3 = 'Where is the liver?\nA. Abdomen\nB. Skull\nC. Foot\nD. Hand\nAnswer: A\n\n';

describe('explainPromptDifference', () => {
  it('returns null for equal prompts', () => {
    expect(explainPromptDifference(Q, Q)).toBeNull();
  });

  it('BOS text in the prompt string', () => {
    expect(explainPromptDifference('<s>' + Q, Q, { bosTokens: ['<s>', '<s>'] })).toEqual({
      cause: 'bos',
      explanation: 'ours starts with the BOS text "<s>" in the prompt string itself; theirs does not',
    });
  });

  it('whitespace inside the text: a newline where the other has a space', () => {
    const r = explainPromptDifference('Answer the question.\nQ: 2+2?', 'Answer the question. Q: 2+2?');
    expect(r).toEqual({ cause: 'whitespace', explanation: 'whitespace differs at line 1, column 21: ours has "\\n", theirs " "' });
  });

  it('leading whitespace only', () => {
    expect(explainPromptDifference(' ' + Q, Q)!.explanation).toBe('only leading whitespace differs: ours starts with " ", theirs with ""');
  });

  it('description (from the configs) differs', () => {
    const other = 'Answer these questions about anatomy.\n\n';
    const r = explainPromptDifference(DESC + Q, other + Q, { descriptions: [DESC, other] });
    expect(r!.cause).toBe('description');
  });

  it('description missing on one side, configs unknown, zero-shot', () => {
    const r = explainPromptDifference(DESC + Q, Q, { nShot: [0, 0] });
    expect(r).toEqual({ cause: 'description', explanation: 'ours has extra text before the shared question: "The following are multiple choice questions (with answers) "…' });
  });

  it('few-shot count from n-shot', () => {
    const r = explainPromptDifference(DESC + SHOT1 + Q, DESC + Q, { descriptions: [DESC, DESC], nShot: [1, 0] });
    expect(r).toEqual({ cause: 'fewshot-count', explanation: 'ours is 1-shot, theirs 0-shot (--num_fewshot differs)' });
  });

  it('few-shot count from the text when n-shot agrees (an example went missing)', () => {
    const r = explainPromptDifference(DESC + SHOT1 + SHOT2 + Q, DESC + SHOT1 + Q, { descriptions: [DESC, DESC], nShot: [2, 2] });
    expect(r!.cause).toBe('fewshot-count');
    expect(r!.explanation).toBe('the examples before the question differ in number: ours 2 blocks, theirs 1 (few-shot sampler or delimiter)');
  });

  it('few-shot selection: different examples', () => {
    const r = explainPromptDifference(DESC + SHOT1 + SHOT2 + Q, DESC + SHOT1 + SHOT3 + Q, { descriptions: [DESC, DESC], nShot: [2, 2] });
    expect(r!.cause).toBe('fewshot-selection');
  });

  it('few-shot selection: same examples reordered', () => {
    const r = explainPromptDifference(DESC + SHOT1 + SHOT2 + Q, DESC + SHOT2 + SHOT1 + Q, { descriptions: [DESC, DESC], nShot: [2, 2] });
    expect(r!.explanation).toBe('same 2 few-shot examples in a different order (sampler order or seed)');
  });

  it('left truncation: one prompt is the tail of the other', () => {
    const long = 'one two three four five six seven eight';
    const r = explainPromptDifference(long.slice(8), long);
    expect(r).toEqual({ cause: 'truncation', explanation: "ours is the other's prompt with its first 8 characters cut off (left truncation)" });
  });

  it('template: another wording', () => {
    const r = explainPromptDifference(Q, Q.replace('Answer:', 'A:'), { versions: [1, 1] });
    expect(r).toEqual({ cause: 'template', explanation: 'prompt text differs from line 6, column 2 (task template)' });
  });
});

describe('explainContinuationDifference', () => {
  it('target delimiter', () => {
    expect(explainContinuationDifference(' yes', 'yes')!.cause).toBe('target-delimiter');
  });
  it('other continuation', () => {
    expect(explainContinuationDifference(' yes', ' no')).toEqual({ cause: 'template', explanation: 'continuation ours " yes", theirs " no" (choices or target differ)' });
  });
  it('equal', () => {
    expect(explainContinuationDifference(' A', ' A')).toBeNull();
  });
});
