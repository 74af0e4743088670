// Pieces of the results JSON that follow lm-eval's Python types and naming.
import { describe, expect, it } from 'vitest';
import { pyGenerationKwargs, sanitizeModelName } from '../../src/report/results-json.js';
import { pyJsonDumps } from '../../src/report/pyjson.js';

describe('results JSON details', () => {
  it('writes generation temperature as a Python float, as TaskConfig converts it', () => {
    expect(pyJsonDumps(pyGenerationKwargs({ until: ['Problem:'], do_sample: false, temperature: 0 }))).toBe(
      '{"until": ["Problem:"], "do_sample": false, "temperature": 0.0}',
    );
    expect(pyGenerationKwargs('a context string')).toBe('a context string');
  });

  it("sanitises model names like lm-eval's output folders", () => {
    expect(sanitizeModelName('meta-llama/Llama-3-8B')).toBe('meta-llama__Llama-3-8B');
    // lm-eval: re.sub(r'["<>:/|\\?*\[\]]+', '__', name); spaces stay
    expect(sanitizeModelName('a: b|c')).toBe('a__ b__c');
  });
});
