// `yardstick compare RUN_A RUN_B [...]`: family tables with paired significance verdicts from finished runs;
// with --output also charts, comparison.md and report.html.
import type { RegisterCommand } from './index.js';
import { YardstickError } from '../../errors.js';
import {
  baselineViewsMarkdown,
  buildHeadline,
  compareRunFolders,
  compareRuns,
  comparisonTablesMarkdown,
  headlineText,
  type Comparison,
  type CompareOptions,
  type TableStyle,
} from '../../report/compare/index.js';

/** The tables, after the summary in the full style (the seed style is exactly the hand-made tables). */
export function printComparison(comparison: Comparison, style: TableStyle): void {
  if (style === 'full') process.stdout.write(`${headlineText(buildHeadline(comparison))}\n`);
  process.stdout.write(comparisonTablesMarkdown(comparison, style));
  if (style === 'full') {
    const views = baselineViewsMarkdown(comparison);
    if (views) process.stdout.write(`\n${views}`);
  }
}

/** `compare --output`: tables on stdout, report files in outputDir (`run` with several models calls this too). */
export async function writeComparison(runs: string[], outputDir: string, style: TableStyle = 'full', options: CompareOptions = {}): Promise<void> {
  const result = await compareRuns({ ...options, runs, outputDir, style });
  for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
  printComparison(result.comparison, style);
  process.stdout.write(`\nwrote ${result.files.length} files to ${outputDir} (report.html, comparison.md, charts)\n`);
}

function numberOption(name: string, value: string, check: (x: number) => boolean, hint: string): number {
  const x = Number(value);
  if (!Number.isFinite(x) || !check(x)) throw new YardstickError('usage', `--${name} ${value} is not valid`, { hint });
  return x;
}

export const registerCompare: RegisterCommand = (program) => {
  program
    .command('compare')
    .description('compare finished runs (results and sample logs) task by task, with paired significance tests')
    .argument('<runs...>', 'run folders (--output_path of lm-eval or yardstick) or results JSON files')
    .option('--output <dir>', 'write comparison.md, charts (SVG, PNG) and report.html here')
    .option('--label <names...>', 'short model names, one per run in order: --label A B or --label A --label B (default: short model names: the name, repo id or folder name)')
    .option('--style <style>', 'full (summary; docs, 95 % intervals, difference and verdict) or seed (Task | Metric | models | Better model)', 'full')
    .option('--alpha <p>', 'significance level of the verdict', '0.05')
    .option('--bootstrap-iters <n>', 'paired bootstrap resamples', '10000')
    .option('--seed <n>', 'seed of the paired bootstrap', '1234')
    .action(async (runs: string[], opts) => {
      const style = opts.style as TableStyle;
      if (style !== 'full' && style !== 'seed') {
        throw new YardstickError('usage', `--style ${opts.style} is not known`, { hint: 'use full or seed' });
      }
      const options = {
        labels: (opts.label as string[] | undefined) ?? [],
        alpha: numberOption('alpha', opts.alpha, (x) => x > 0 && x < 1, 'a probability such as 0.05'),
        bootstrapIters: numberOption('bootstrap-iters', opts.bootstrapIters, (x) => Number.isInteger(x) && x >= 1, 'a positive integer such as 10000'),
        seed: numberOption('seed', opts.seed, Number.isInteger, 'an integer'),
      };
      if (opts.output) {
        await writeComparison(runs, opts.output, style, options);
        return;
      }
      const comparison = compareRunFolders(runs, options);
      for (const w of comparison.warnings) process.stderr.write(`warning: ${w}\n`);
      printComparison(comparison, style);
    });
};
