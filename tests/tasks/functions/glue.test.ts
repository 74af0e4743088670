// The MNLI prompt function against task-glue.md §2 (mnli): premise verbatim, hypothesis Python-stripped
// and ending in exactly one added ".".
import { describe, expect, it } from 'vitest';
import { mnliDocToText } from '../../../src/tasks/functions/glue.js';
import { builtinFunctions } from '../../../src/tasks/functions/index.js';
import { YardstickError } from '../../../src/errors.js';

describe('mnliDocToText', () => {
  it('renders the spec example', () => {
    expect(mnliDocToText({ premise: 'The cat sat.', hypothesis: 'A cat is sitting ', label: 0 })).toBe(
      'The cat sat.\nQuestion: A cat is sitting. True, False or Neither?\nAnswer:',
    );
  });

  it('adds no second full stop and keeps the premise unstripped', () => {
    expect(mnliDocToText({ premise: ' P ', hypothesis: '\tH.\n' })).toBe(
      ' P \nQuestion: H. True, False or Neither?\nAnswer:',
    );
  });

  it('strips the Python whitespace set, not JS trim()', () => {
    // U+001C is Python whitespace; U+FEFF is not (JS trim() would remove it).
    expect(mnliDocToText({ premise: 'P', hypothesis: '\x1cH\x1c' })).toBe(
      'P\nQuestion: H. True, False or Neither?\nAnswer:',
    );
    expect(mnliDocToText({ premise: 'P', hypothesis: '\ufeffH' })).toBe(
      'P\nQuestion: \ufeffH. True, False or Neither?\nAnswer:',
    );
  });

  it('names the missing column', () => {
    expect(() => mnliDocToText({ premise: 'P' })).toThrow(YardstickError);
    expect(() => mnliDocToText({ premise: 'P' })).toThrow(/hypothesis/);
  });

  it('is registered where lm-eval keeps it: glue/mnli/utils.doc_to_text', () => {
    expect(builtinFunctions['glue/mnli/utils.doc_to_text']).toBe(mnliDocToText);
  });
});
