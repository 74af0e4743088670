// `yardstick compare` on two runs reproduces the hand-made "seed" tables users wrote before: same layout,
// same numbers, the same "Better model" strings, ties included.
import { Command } from 'commander';
import { afterEach, expect, test, vi } from 'vitest';
import { registerCompare } from '../../../src/cli/commands/compare.js';

const SEED = 'tests/fixtures/runs/seed';

async function runCompare(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  const program = new Command('yardstick').exitOverride();
  registerCompare(program);
  await program.parseAsync(['compare', ...args], { from: 'user' });
  vi.restoreAllMocks();
  return { stdout: out.join(''), stderr: err.join('') };
}

afterEach(() => vi.restoreAllMocks());

// Written by hand from the numbers in tests/fixtures/runs/make_runs.py (SEED).
const EXPECTED_SEED_TABLES = `## Language modeling & reasoning

| Task | Metric | SmolLM-135M | SmolLM-360M | Better model |
|---|---|---|---|---|
| LAMBADA | acc | 0.4256 | 0.5046 | SmolLM-360M |
| LAMBADA | perplexity | 21.4623 | 12.3877 | SmolLM-360M |
| Winogrande | acc | 0.5280 | 0.5280 | Tie |

## GLUE

| Task | Metric | SmolLM-135M | SmolLM-360M | Better model |
|---|---|---|---|---|
| CoLA | mcc | -0.0331 | 0.0103 | SmolLM-360M |
| MNLI | acc | 0.3471 | 0.3527 | SmolLM-360M |
| MNLI (mismatched) | acc | 0.3468 | 0.3519 | SmolLM-360M |
| MRPC | acc | 0.6838 | 0.6838 | Tie |
| MRPC | f1 | 0.8122 | 0.8122 | Tie |
| QNLI | acc | 0.4957 | 0.5016 | SmolLM-360M |
| QQP | acc | 0.3821 | 0.4376 | SmolLM-360M |
| QQP | f1 | 0.5330 | 0.5121 | SmolLM-135M |
| RTE | acc | 0.5379 | 0.5523 | SmolLM-360M |
| SST-2 | acc | 0.5998 | 0.5092 | SmolLM-135M |
| WNLI | acc | 0.4366 | 0.4366 | Tie |

## Math, STEM and humanities / MMLU categories

| Task | Metric | SmolLM-135M | SmolLM-360M | Better model |
|---|---|---|---|---|
| MATH | exact_match | 0.0012 | 0.0024 | SmolLM-360M |
| MMLU | acc | 0.2672 | 0.2799 | SmolLM-360M |
| MMLU Humanities | acc | 0.2461 | 0.2593 | SmolLM-360M |
| MMLU Social Sciences | acc | 0.2834 | 0.3016 | SmolLM-360M |
| MMLU STEM | acc | 0.2734 | 0.2753 | SmolLM-360M |
| MMLU Other | acc | 0.2804 | 0.2945 | SmolLM-360M |
`;

test('seed style: the three family tables, exactly', async () => {
  const { stdout, stderr } = await runCompare([
    `${SEED}/smollm-135m`,
    `${SEED}/smollm-360m`,
    '--label',
    'SmolLM-135M',
    '--label',
    'SmolLM-360M',
    '--style',
    'seed',
  ]);
  expect(stdout).toBe(EXPECTED_SEED_TABLES);
  // results without sample logs: compared, but the user learns why there is no significance test
  expect(stderr).toMatch(/warning: SmolLM-135M: no sample logs for .*--log_samples/);
});

test('full style: the summary, then the seed columns with documents, 95 % intervals, difference and verdict', async () => {
  const { stdout } = await runCompare([`${SEED}/smollm-135m`, `${SEED}/smollm-360m`, '--label', 'SmolLM-135M', 'SmolLM-360M']);
  const lines = stdout.split('\n');
  expect(lines[0]).toMatch(/^Summary \(paired tests/);
  expect(lines[1]).toBe('None of the 16 comparisons was tested (no sample logs).');
  expect(lines).toContain(
    '| Task | Metric | Docs | SmolLM-135M (95 % CI) | SmolLM-360M (95 % CI) | Better model | Δ (SmolLM-360M − SmolLM-135M) | Verdict (paired test) |',
  );
  // by hand from make_runs.py: value ± 1.96 × 0.01 to 3 significant digits, 100 documents per task
  expect(lines).toContain('| MMLU | acc | 100 | 0.2672 [0.248, 0.287] | 0.2799 [0.260, 0.299] | SmolLM-360M | +0.01270 | n/a (no sample logs) |');
  expect(lines).toContain('| SST-2 | acc | 100 | 0.5998 [0.580, 0.619] | 0.5092 [0.490, 0.529] | SmolLM-135M | -0.09060 | n/a (no sample logs) |');
  // lower perplexity is better; its interval is value · exp(±1.96 × 0.01 / value), with a 4th digit where
  // 3 would print a bound equal to the value
  expect(lines).toContain('| LAMBADA | perplexity | 100 | 21.46 [21.44, 21.48] | 12.39 [12.37, 12.41] | SmolLM-360M | -9.075 | n/a (no sample logs) |');
  expect(lines).toContain('| Winogrande | acc | 100 | 0.5280 [0.508, 0.548] | 0.5280 [0.508, 0.548] | Tie | 0 | n/a (no sample logs) |');
});

test('without --label the columns are short model names: here the repo ids (HEAD model_name; legacy model_args string)', async () => {
  const { stdout } = await runCompare([`${SEED}/smollm-135m`, `${SEED}/smollm-360m`, '--style', 'seed']);
  expect(stdout.split('\n')[2]).toBe(
    '| Task | Metric | HuggingFaceTB/SmolLM-135M | HuggingFaceTB/SmolLM-360M | Better model |',
  );
});

test('usage errors: one run, a wrong number of labels, an unknown style', async () => {
  await expect(runCompare([`${SEED}/smollm-135m`])).rejects.toThrow(/at least two runs/);
  await expect(runCompare([`${SEED}/smollm-135m`, `${SEED}/smollm-360m`, '--label', 'A'])).rejects.toThrow(
    /1 --label value\(s\) for 2 runs/,
  );
  await expect(runCompare([`${SEED}/smollm-135m`, `${SEED}/smollm-360m`, '--style', 'fancy'])).rejects.toThrow(/--style fancy/);
});
