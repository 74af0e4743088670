// `yardstick parity OURS THEIRS`: per-document comparison of two run folders (yardstick or lm-eval
// --output_path with --log_samples); exit code 1 when any task differs beyond tolerance.
import { writeFileSync } from 'node:fs';
import { YardstickError } from '../../errors.js';
import { compareRuns, formatParityReport, loadParityRun, parityReportJson, DEFAULT_PARITY_OPTIONS } from '../../parity/index.js';
import type { RegisterCommand } from './index.js';

function positiveNumber(flag: string, text: string): number {
  const v = Number(text);
  if (!Number.isFinite(v) || v < 0 || text.trim() === '') {
    throw new YardstickError('usage', `invalid ${flag} "${text}"`, { hint: 'use a non-negative number, e.g. 1e-4' });
  }
  return v;
}

export const registerParity: RegisterCommand = (program) => {
  program
    .command('parity')
    .description('compare two runs per document (e.g. yardstick vs lm-eval) and explain where and why they differ')
    .argument('<ours>', 'run folder (--output-path of yardstick run) or its results_<date>.json')
    .argument('<theirs>', "run folder (lm-eval's --output_path with --log_samples) or its results_<date>.json")
    .option('--tolerance <nats>', 'largest per-request log-likelihood difference counted as equal', String(DEFAULT_PARITY_OPTIONS.tolerance))
    .option('--metric-tolerance <x>', 'largest metric/stderr difference counted as equal (relative above 1)', String(DEFAULT_PARITY_OPTIONS.metricTolerance))
    .option('--tasks <list>', 'compare only these tasks/groups (comma-separated)')
    .option('--max-docs <n>', 'differing documents shown per task', '3')
    .option('--json <file>', 'also write the full report as JSON')
    .action((ours: string, theirs: string, opts: { tolerance: string; metricTolerance: string; tasks?: string; maxDocs: string; json?: string }) => {
      const options = {
        tolerance: positiveNumber('--tolerance', opts.tolerance),
        metricTolerance: positiveNumber('--metric-tolerance', opts.metricTolerance),
        tasks: opts.tasks ? opts.tasks.split(',').map((t) => t.trim()).filter(Boolean) : undefined,
      };
      const report = compareRuns(loadParityRun(ours), loadParityRun(theirs), options);
      if (options.tasks && report.tasks.length === 0) {
        throw new YardstickError('usage', `none of --tasks ${opts.tasks} is in either run`, { hint: 'check the task names in results_<date>.json' });
      }
      process.stdout.write(formatParityReport(report, { maxDocs: Math.max(0, Math.floor(positiveNumber('--max-docs', opts.maxDocs))) }));
      if (opts.json) writeFileSync(opts.json, parityReportJson(report));
      if (!report.ok) process.exitCode = 1;
    });
};
