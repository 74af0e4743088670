// Named functions of the GLUE tasks (lm-eval `glue/mnli/utils.py`): the MNLI prompt, which needs Python's
// strip() and a conditional full stop that a Jinja template in the YAML does not express.
import { YardstickError } from '../../errors.js';
import { pyStrip } from '../pystr.js';
import type { Doc } from '../../data/types.js';
import type { DocFunction } from './types.js';

function stringColumn(doc: Doc, column: string): string {
  const value = doc[column];
  if (typeof value !== 'string') {
    throw new YardstickError('data', `mnli: document column "${column}" is missing or not a string`, {
      hint: 'use the nyu-mll/glue mnli columns premise, hypothesis, label, idx',
    });
  }
  return value;
}

/** `utils.doc_to_text` of mnli / mnli_mismatch: premise as is, hypothesis stripped and ending in ".". */
export const mnliDocToText: DocFunction = (doc) => {
  const premise = stringColumn(doc, 'premise');
  const hypothesis = pyStrip(stringColumn(doc, 'hypothesis'));
  const ending = hypothesis.endsWith('.') ? '' : '.';
  return `${premise}\nQuestion: ${hypothesis}${ending} True, False or Neither?\nAnswer:`;
};
