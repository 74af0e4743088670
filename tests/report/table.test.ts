// make_table + pytablewriter rendering against the verified tables of spec §14 and task-lambada.md §4.
import { describe, expect, it } from 'vitest';
import { makeTable } from '../../src/report/table.js';
import { pyFloat } from '../../src/report/pyjson.js';

describe('makeTable', () => {
  it('renders the lambada fixture (limit 10, no bootstrap)', () => {
    const results = {
      results: { lambada_openai: { name: 'lambada_openai', alias: 'lambada_openai', sample_len: 10, 'perplexity,none': pyFloat(605.3866), 'perplexity_stderr,none': 'N/A', 'acc,none': pyFloat(0.1), 'acc_stderr,none': 'N/A' } },
      group_subtasks: {},
      versions: { lambada_openai: pyFloat(1) },
      'n-shot': { lambada_openai: 0 },
      higher_is_better: { lambada_openai: { perplexity: false, acc: true } },
    };
    expect(makeTable(results)).toBe(
      [
        '|    Tasks     |Version|Filter|n-shot|  Metric  |   | Value  |   |Stderr|',
        '|--------------|------:|------|-----:|----------|---|-------:|---|------|',
        '|lambada_openai|      1|none  |     0|acc       |↑  |  0.1000|±  |   N/A|',
        '|              |       |none  |     0|perplexity|↓  |605.3866|±  |   N/A|',
        '',
      ].join('\n'),
    );
  });

  it('renders the mmlu_stem fixture rows with indentation', () => {
    const results = {
      results: {
        mmlu_abstract_algebra: { alias: 'abstract_algebra', 'acc,none': pyFloat(0.2), 'acc_stderr,none': 'N/A' },
        mmlu_high_school_computer_science: { alias: 'high_school_computer_science', 'acc,none': pyFloat(0.3), 'acc_stderr,none': 'N/A' },
        mmlu_stem: { alias: 'stem', 'acc,none': pyFloat(0.24736842105263157), 'acc_stderr,none': 'N/A' },
      },
      // the longest subject alias sets the first column's width, as in the repository fixture
      group_subtasks: { mmlu_stem: ['mmlu_abstract_algebra', 'mmlu_high_school_computer_science'] },
      versions: { mmlu_abstract_algebra: pyFloat(1), mmlu_high_school_computer_science: pyFloat(1), mmlu_stem: '2' },
      'n-shot': { mmlu_abstract_algebra: 0, mmlu_high_school_computer_science: 0, mmlu_stem: 0 },
      higher_is_better: { mmlu_abstract_algebra: { acc: true }, mmlu_high_school_computer_science: { acc: true }, mmlu_stem: { acc: true } },
    };
    expect(makeTable(results).split('\n').slice(0, 4).join('\n') + '\n').toBe(
      [
        '|             Tasks             |Version|Filter|n-shot|Metric|   |Value |   |Stderr|',
        '|-------------------------------|------:|------|-----:|------|---|-----:|---|------|',
        '|stem                           |      2|none  |     0|acc   |↑  |0.2474|±  |   N/A|',
        '| - abstract_algebra            |      1|none  |     0|acc   |↑  |0.2000|±  |   N/A|',
        '',
      ].join('\n'),
    );
  });

  it('renders the HEAD nested-group example (mmlu row without n-shot and arrow)', () => {
    const results = {
      results: {
        hendrycks_math_algebra: { alias: 'hendrycks_math_algebra', 'exact_match,none': pyFloat(0.5), 'exact_match_stderr,none': pyFloat(0.0714) },
        mmlu_formal_logic: { alias: 'formal_logic', 'acc,none': pyFloat(0.619), 'acc_stderr,none': pyFloat(0.0434) },
        hendrycks_math: { alias: 'hendrycks_math', 'exact_match,none': pyFloat(0.5), 'exact_match_stderr,none': pyFloat(0.0714) },
        mmlu_humanities: { alias: 'humanities', 'acc,none': pyFloat(0.619), 'acc_stderr,none': pyFloat(0.0434) },
        mmlu: { alias: 'mmlu', 'acc,none': pyFloat(0.5956), 'acc_stderr,none': pyFloat(0.0258) },
      },
      group_subtasks: { hendrycks_math: ['hendrycks_math_algebra'], mmlu: ['mmlu_humanities'], mmlu_humanities: ['mmlu_formal_logic'] },
      versions: { hendrycks_math_algebra: pyFloat(1), hendrycks_math: '1.0', mmlu_formal_logic: pyFloat(1), mmlu_humanities: '2', mmlu: '2' },
      'n-shot': { hendrycks_math_algebra: 0, hendrycks_math: 0, mmlu_formal_logic: 0, mmlu_humanities: 0 },
      higher_is_better: {
        hendrycks_math_algebra: { exact_match: true }, hendrycks_math: { exact_match: true },
        mmlu_formal_logic: { acc: true }, mmlu_humanities: { acc: true },
      },
    };
    expect(makeTable(results)).toBe(
      [
        '|          Tasks          |Version|Filter|n-shot|  Metric   |   |Value |   |Stderr|',
        '|-------------------------|------:|------|-----:|-----------|---|-----:|---|-----:|',
        '|hendrycks_math           |      1|none  |     0|exact_match|↑  |0.5000|±  |0.0714|',
        '| - hendrycks_math_algebra|      1|none  |     0|exact_match|↑  |0.5000|±  |0.0714|',
        '|mmlu                     |      2|none  |      |acc        |   |0.5956|±  |0.0258|',
        '| - humanities            |      2|none  |     0|acc        |↑  |0.6190|±  |0.0434|',
        '|  - formal_logic         |      1|none  |     0|acc        |↑  |0.6190|±  |0.0434|',
        '',
      ].join('\n'),
    );
  });
});
