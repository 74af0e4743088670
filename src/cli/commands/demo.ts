// `yardstick demo`: the whole pipeline offline on a fresh machine — two tiny generated models, bundled
// sample documents, every seed task, and the comparison report.
import { relative } from 'node:path';
import { runDemo } from '../../demo/demo.js';
import { ProgressReporter } from '../progress.js';
import type { RegisterCommand } from './index.js';

export const registerDemo: RegisterCommand = (program) => {
  program
    .command('demo')
    .description('offline demo: evaluate two tiny generated models on bundled sample documents and compare them')
    .option('--out <dir>', 'folder for the models, data, runs and report', './yardstick-demo')
    .action(async (opts: { out: string }) => {
      const reporter = new ProgressReporter();
      const result = await runDemo({
        outDir: opts.out,
        onProgress: (event) => {
          if (event.kind === 'step') process.stderr.write(`demo: ${event.message}\n`);
          else reporter.update(`${event.model} ${event.phase}`, event.progress);
        },
      });
      const shown = (p: string): string => {
        const rel = relative(process.cwd(), p);
        return rel && !rel.startsWith('..') ? rel : p;
      };
      for (const w of result.comparison.warnings) process.stderr.write(`note: ${w}\n`);
      const lines = [
        '',
        `Comparison of ${result.runs.map((r) => r.model.label).join(' vs ')} (random-weight models, sample documents):`,
        '',
        result.comparison.summary,
        result.comparison.tablesMarkdown.trimEnd(),
        '',
        `demo finished in ${result.elapsedSeconds.toFixed(1)} s`,
        `comparison: ${shown(result.comparisonMd)}`,
        `report:     ${shown(result.reportHtml)}`,
        '',
      ];
      process.stdout.write(lines.join('\n'));
      if (result.runs.some((r) => r.outcome.run.failed.length > 0)) process.exitCode = 1;
    });
};
