// `yardstick sweep`: run's options, with --num-fewshot (and --chat-template) as lists; each cell of the grid
// is evaluated exactly as `run` evaluates (same options, same response cache, same printing), then the
// sweep's table, charts and report.html are written.
import { join } from 'node:path';
import type { RegisterCommand } from './index.js';
import { YardstickError } from '../../errors.js';
import { runSweep } from '../../sweep/run.js';
import { cellLabel, parseChatTemplateList, parseShotList } from '../../sweep/grid.js';
import { writeSweepReport } from '../../report/sweep/index.js';
import { addEvaluationOptions, evaluationOptionsFrom, runOne, stopOnSignals } from './run.js';

export const registerSweep: RegisterCommand = (program) => {
  addEvaluationOptions(
    program
      .command('sweep')
      .description('evaluate a model over a grid of few-shot counts (and chat template off/on); one run folder per cell, a table and a chart per task'),
  )
    .requiredOption('--num-fewshot <list>', 'few-shot counts to sweep, comma-separated, e.g. 0,1,5', (v: string) => parseShotList(v))
    .option('--chat-template <list>', 'chat template settings to sweep: off, on or off,on (default off; on needs run --apply-chat-template support)', (v: string) => parseChatTemplateList(v))
    .action(async (opts) => {
      const { models, base } = evaluationOptionsFrom(opts);
      if (!opts.outputPath) {
        throw new YardstickError('usage', 'sweep needs --output-path (each cell is a run folder there, beside the report)', { hint: 'add --output-path sweep' });
      }
      const outputPath = String(opts.outputPath);
      const stop = stopOnSignals();
      let outcome;
      try {
        outcome = await runSweep({
          models,
          grid: { shots: opts.numFewshot as number[], chatTemplate: (opts.chatTemplate as boolean[] | undefined) ?? [false] },
          outputPath,
          base: { ...base, signal: stop.signal },
          runCell: runOne,
          onCell: (entry, i, count) => {
            const model = models.length > 1 ? `${entry.model} ` : '';
            process.stderr.write(`== cell ${i + 1}/${count}: ${model}${cellLabel(entry.cell)} → ${entry.folder}\n`);
          },
        });
      } finally {
        stop.dispose();
      }
      const completed = outcome.cells.filter((c) => c.resultsFile !== undefined);
      if (completed.length === 0) {
        throw new YardstickError('task', 'no cell of the sweep completed; no report written', { hint: 'see the errors above' });
      }
      const report = await writeSweepReport(outcome.cells, outputPath);
      process.stdout.write(`\n== sweep: ${completed.length} of ${outcome.cells.length} cells\n${report.markdown}`);
      if (report.missing.length > 0) {
        process.stderr.write(`yardstick: ${report.missing.length} cell(s) without results, left out of the report: ${report.missing.join(', ')}\n`);
        process.exitCode = 1;
      }
      process.stderr.write(`sweep report: ${join(outputPath, 'report.html')}\n`);
    });
};
