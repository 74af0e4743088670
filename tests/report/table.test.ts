// make_table against the verified tables of spec §14 and task-lambada.md §4 (byte for byte), plus the
// row rules of §14.1 (order, indentation, arrows, value/stderr formatting) on hand-written results.
import { describe, expect, it } from 'vitest';
import { makeTable, makeTableRows } from '../../src/report/table.js';
import { pyFloat } from '../../src/report/pyjson.js';

const lines = (...rows: string[]): string => rows.join('\n') + '\n';

describe('makeTable: spec fixtures', () => {
  it('lambada_openai (repo fixture, --limit 10, bootstrap_iters 0)', () => {
    const results = {
      results: {
        lambada_openai: {
          name: 'lambada_openai', alias: 'lambada_openai', sample_len: 10,
          'perplexity,none': pyFloat(605.3866), 'perplexity_stderr,none': 'N/A', 'acc,none': pyFloat(0.1), 'acc_stderr,none': 'N/A',
        },
      },
      group_subtasks: {},
      versions: { lambada_openai: pyFloat(1) },
      'n-shot': { lambada_openai: 0 },
      higher_is_better: { lambada_openai: { perplexity: false, acc: true } },
    };
    expect(makeTable(results)).toBe(
      lines(
        '|    Tasks     |Version|Filter|n-shot|  Metric  |   | Value  |   |Stderr|',
        '|--------------|------:|------|-----:|----------|---|-------:|---|------|',
        '|lambada_openai|      1|none  |     0|acc       |↑  |  0.1000|±  |   N/A|',
        '|              |       |none  |     0|perplexity|↓  |605.3866|±  |   N/A|',
      ),
    );
  });

  // mmlu_stem with --limit 10: the group scores 47/190; subject scores are multiples of 0.1 (the fixture's
  // first subject row is abstract_algebra at 0.2000; the other values here are illustrative, summing to 47)
  const subjects: Array<[string, number]> = [
    ['abstract_algebra', 0.2], ['anatomy', 0.3], ['astronomy', 0.1], ['college_biology', 0.4], ['college_chemistry', 0.2],
    ['college_computer_science', 0.3], ['college_mathematics', 0], ['college_physics', 0.5], ['computer_security', 0.2],
    ['conceptual_physics', 0.3], ['electrical_engineering', 0.2], ['elementary_mathematics', 0.4], ['high_school_biology', 0.1],
    ['high_school_chemistry', 0.3], ['high_school_computer_science', 0.2], ['high_school_mathematics', 0.3],
    ['high_school_physics', 0.2], ['high_school_statistics', 0.3], ['machine_learning', 0.2],
  ];
  const stemResults = (headSchema: boolean): Record<string, unknown> => {
    const results: Record<string, Record<string, unknown>> = {};
    for (const [alias, acc] of subjects) {
      results[`mmlu_${alias}`] = headSchema
        ? { name: `mmlu_${alias}`, alias, sample_len: 10, 'acc,none': pyFloat(acc), 'acc_stderr,none': 'N/A' }
        : { alias: ` - ${alias}`, 'acc,none': pyFloat(acc), 'acc_stderr,none': 'N/A' };
    }
    const stem = headSchema
      ? { alias: 'stem', name: 'mmlu_stem', sample_len: 190, 'acc,none': pyFloat(47 / 190), 'acc_stderr,none': 'N/A', sample_count: { 'acc,none': 190 } }
      : { 'acc,none': pyFloat(47 / 190), 'acc_stderr,none': 'N/A', alias: 'stem' };
    const ordered = headSchema ? { ...results, mmlu_stem: stem } : { mmlu_stem: stem, ...results };
    const tasks = subjects.map(([alias]) => `mmlu_${alias}`);
    return {
      results: ordered,
      groups: { mmlu_stem: stem },
      group_subtasks: headSchema ? { mmlu_stem: tasks } : { ...Object.fromEntries(tasks.map((t) => [t, []])), mmlu_stem: tasks },
      versions: { ...Object.fromEntries(tasks.map((t) => [t, pyFloat(1)])), mmlu_stem: headSchema ? '2' : 2 },
      'n-shot': { ...Object.fromEntries(tasks.map((t) => [t, 0])), ...(headSchema ? { mmlu_stem: 0 } : {}) },
      higher_is_better: { ...Object.fromEntries(tasks.map((t) => [t, { acc: true }])), mmlu_stem: { acc: true } },
    };
  };
  const subjectRows = [
    '| - abstract_algebra            |      1|none  |     0|acc   |↑  |0.2000|±  |   N/A|',
    '| - anatomy                     |      1|none  |     0|acc   |↑  |0.3000|±  |   N/A|',
    '| - astronomy                   |      1|none  |     0|acc   |↑  |0.1000|±  |   N/A|',
    '| - college_biology             |      1|none  |     0|acc   |↑  |0.4000|±  |   N/A|',
    '| - college_chemistry           |      1|none  |     0|acc   |↑  |0.2000|±  |   N/A|',
    '| - college_computer_science    |      1|none  |     0|acc   |↑  |0.3000|±  |   N/A|',
    '| - college_mathematics         |      1|none  |     0|acc   |↑  |0.0000|±  |   N/A|',
    '| - college_physics             |      1|none  |     0|acc   |↑  |0.5000|±  |   N/A|',
    '| - computer_security           |      1|none  |     0|acc   |↑  |0.2000|±  |   N/A|',
    '| - conceptual_physics          |      1|none  |     0|acc   |↑  |0.3000|±  |   N/A|',
    '| - electrical_engineering      |      1|none  |     0|acc   |↑  |0.2000|±  |   N/A|',
    '| - elementary_mathematics      |      1|none  |     0|acc   |↑  |0.4000|±  |   N/A|',
    '| - high_school_biology         |      1|none  |     0|acc   |↑  |0.1000|±  |   N/A|',
    '| - high_school_chemistry       |      1|none  |     0|acc   |↑  |0.3000|±  |   N/A|',
    '| - high_school_computer_science|      1|none  |     0|acc   |↑  |0.2000|±  |   N/A|',
    '| - high_school_mathematics     |      1|none  |     0|acc   |↑  |0.3000|±  |   N/A|',
    '| - high_school_physics         |      1|none  |     0|acc   |↑  |0.2000|±  |   N/A|',
    '| - high_school_statistics      |      1|none  |     0|acc   |↑  |0.3000|±  |   N/A|',
    '| - machine_learning            |      1|none  |     0|acc   |↑  |0.2000|±  |   N/A|',
  ];

  it('mmlu_stem at HEAD: group first, subjects indented and sorted by task name', () => {
    expect(makeTable(stemResults(true))).toBe(
      lines(
        '|             Tasks             |Version|Filter|n-shot|Metric|   |Value |   |Stderr|',
        '|-------------------------------|------:|------|-----:|------|---|-----:|---|------|',
        '|stem                           |      2|none  |     0|acc   |↑  |0.2474|±  |   N/A|',
        ...subjectRows,
      ),
    );
    expect(makeTable(stemResults(true), 'groups')).toBe(
      lines(
        '|Groups|Version|Filter|n-shot|Metric|   |Value |   |Stderr|',
        '|------|------:|------|-----:|------|---|-----:|---|------|',
        '|stem  |      2|none  |     0|acc   |↑  |0.2474|±  |   N/A|',
      ),
    );
  });

  it('mmlu_stem in v0.4.11: stored order and aliases, blank n-shot for the group', () => {
    expect(makeTable(stemResults(false), 'results', { layout: 'insertion' })).toBe(
      lines(
        '|             Tasks             |Version|Filter|n-shot|Metric|   |Value |   |Stderr|',
        '|-------------------------------|------:|------|-----:|------|---|-----:|---|------|',
        '|stem                           |      2|none  |      |acc   |↑  |0.2474|±  |   N/A|',
        ...subjectRows,
      ),
    );
  });

  it('HEAD nested groups: mmlu has no n-shot and no arrow', () => {
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
      lines(
        '|          Tasks          |Version|Filter|n-shot|  Metric   |   |Value |   |Stderr|',
        '|-------------------------|------:|------|-----:|-----------|---|-----:|---|-----:|',
        '|hendrycks_math           |      1|none  |     0|exact_match|↑  |0.5000|±  |0.0714|',
        '| - hendrycks_math_algebra|      1|none  |     0|exact_match|↑  |0.5000|±  |0.0714|',
        '|mmlu                     |      2|none  |      |acc        |   |0.5956|±  |0.0258|',
        '| - humanities            |      2|none  |     0|acc        |↑  |0.6190|±  |0.0434|',
        '|  - formal_logic         |      1|none  |     0|acc        |↑  |0.6190|±  |0.0434|',
      ),
    );
  });
});

describe('makeTable: row rules (§14.1)', () => {
  it('sorts metrics by key, blanks repeated name/version, formats .4f half-even, keeps ints', () => {
    const rows = makeTableRows({
      results: {
        mrpc: { name: 'mrpc', alias: 'mrpc', sample_len: 32, 'f1,none': pyFloat(0.03125), 'f1_stderr,none': pyFloat(0.00015), 'acc,none': 1, 'zz,none': 'N/A' },
      },
      versions: { mrpc: pyFloat(1) },
      'n-shot': { mrpc: 5 },
      higher_is_better: { mrpc: { acc: true, f1: true } },
    });
    expect(rows).toEqual([
      ['mrpc', pyFloat(1), 'none', '5', 'acc', '↑', 1, '', ''],
      ['', '', 'none', '5', 'f1', '↑', '0.0312', '±', '0.0001'],
      ['', '', 'none', '5', 'zz', '', 'N/A', '', ''],
    ]);
  });

  it('standalone tasks follow the groups, sorted by name; missing version and n-shot', () => {
    const rows = makeTableRows({
      results: { b: { 'acc,none': pyFloat(0.5) }, a: { 'acc,none': pyFloat(0.25) }, g: { 'acc,none': pyFloat(0.75) }, c: { 'acc,none': pyFloat(1) } },
      group_subtasks: { g: ['c'] },
    });
    expect(rows.map((r) => [r[0], r[1], r[3]])).toEqual([
      ['g', '    N/A', ' '],
      [' - c', '    N/A', ' '],
      ['a', '    N/A', ' '],
      ['b', '    N/A', ' '],
    ]);
  });
});
