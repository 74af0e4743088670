// Fuzz: LaTeX-like answers and solutions through the MATH functions (answer extraction, the
// normaliser behind exact_match, process_docs/process_results): a result or one YardstickError line.
import { describe, expect, it } from 'vitest';
import { generationAnswer, isEquiv, processDocs, processResults } from '../../src/tasks/functions/hendrycks-math.js';
import { Outcomes, Rng, expectNoUndefined } from './generate.js';

const PIECES = [
  '\\boxed{', '\\boxed ', '\\fbox{', '}', '{', '\\frac', '\\dfrac', '\\tfrac', '\\sqrt', '\\left(', '\\right)', '^\\circ', '^{\\circ}',
  '\\$', '$', '\\%', '\\!', '\\text{ ', 'units', ' ', '=', ',', '/', '0.5', '.5', '12', '-3', 'x', 'a', '\\\\', '\\{', '\\}', '\\pi',
  'sqrt3', 'frac12', '0', '\n', '😀', 'é', '\\infty', '(', ')', '[', ']',
];

function latex(rng: Rng, max = 10): string {
  return Array.from({ length: rng.int(max + 1) }, () => rng.pick(PIECES)).join('');
}

describe('fuzz: MATH answer normaliser', () => {
  it('normalises, compares and scores without crashing or printing "undefined"', async () => {
    const rng = new Rng(0x3a7);
    const outcomes = new Outcomes('MATH answer normaliser');
    for (let i = 0; i < 1200; i++) {
      const a = latex(rng);
      const b = rng.chance(0.3) ? a : latex(rng);
      const solution = rng.chance(0.8) ? `${latex(rng, 4)}\\boxed{${latex(rng, 4)}}${latex(rng, 3)}` : latex(rng);
      const generation = rng.chance(0.5) ? `The answer is $${a}$.` : a;
      switch (i % 4) {
        case 0:
          // strip_string raises Python's errors by design (is_equiv falls back to a raw compare), so it
          // is reached through is_equiv; the generation's answer extraction is public
          await outcomes.case(`${i} answer`, () => generationAnswer(generation), (out) => {
            expect(typeof out).toBe('string');
            expectNoUndefined(out, generation, `answer case ${i}: ${JSON.stringify(generation)}`);
          });
          break;
        case 1:
          await outcomes.case(`${i} equiv`, () => isEquiv(a, b), (out) => {
            expect(typeof out).toBe('boolean');
            if (a === b) expect(out, `equiv case ${i}: ${JSON.stringify(a)}`).toBe(true);
          });
          break;
        case 2:
          await outcomes.case(`${i} docs`, () => processDocs([{ problem: 'p', solution }]), (docs) => {
            expect(typeof docs[0]!.answer).toBe('string');
            expectNoUndefined(String(docs[0]!.answer), solution, `process_docs case ${i}: ${JSON.stringify(solution)}`);
          });
          break;
        default:
          await outcomes.case(`${i} results`, () => processResults({ solution }, [generation]), (out) => {
            expect([0, 1]).toContain(out.exact_match);
            expectNoUndefined(generationAnswer(generation), generation, `generation case ${i}`);
          });
      }
    }
    outcomes.report();
  });
});
