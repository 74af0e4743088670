// Winogrande's partial evaluation (lm-eval preprocess_winogrande.py): the choices are two partial
// contexts (sentence up to the blank + option) and the scored continuation is the text after it.
import { YardstickError } from '../../errors.js';
import type { Doc } from '../../data/types.js';
import { pyStrip } from '../pystr.js';
import type { DocFunction } from './types.js';

function blankIndex(doc: Doc): { sentence: string; i: number } {
  const sentence = doc.sentence;
  if (typeof sentence !== 'string') {
    throw new YardstickError('data', `winogrande document lacks a string 'sentence' field`);
  }
  const i = sentence.indexOf('_');
  if (i === -1) throw new YardstickError('data', `winogrande sentence has no '_' blank: ${JSON.stringify(sentence)}`);
  return { sentence, i };
}

export const docToText: DocFunction = (doc) => {
  const answerToNum: Record<string, number> = { '1': 0, '2': 1 };
  const answer = answerToNum[String(doc.answer)];
  if (answer === undefined) {
    throw new YardstickError('data', `winogrande answer must be "1" or "2", got ${JSON.stringify(doc.answer)}`);
  }
  return answer;
};

export const docToTarget: DocFunction = (doc) => {
  const { sentence, i } = blankIndex(doc);
  return pyStrip(sentence.slice(i + 1));
};

export const docToChoice: DocFunction = (doc) => {
  const { sentence, i } = blankIndex(doc);
  return [sentence.slice(0, i) + option(doc, 'option1'), sentence.slice(0, i) + option(doc, 'option2')];
};

/** An option's text; a missing one must not become the word "undefined" in a scored prompt. */
function option(doc: Doc, field: 'option1' | 'option2'): string {
  const v = doc[field];
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new YardstickError('data', `winogrande document lacks a string '${field}' field (got ${JSON.stringify(v) ?? 'nothing'})`, {
    hint: `the document has fields ${Object.keys(doc).join(', ') || '(none)'}`,
  });
}
