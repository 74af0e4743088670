// Library entry point for a sweep's report: reads each cell's results file, writes sweep.md, sweep.json
// (which results file is which cell), a chart per task (SVG and PNG) and report.html. Runs no model.
import { reportFolder } from '../atomic-write.js';
import { join, relative, resolve } from 'node:path';
import { inlineSvg, renderSvg, svgToPng } from '../charts/render.js';
import { modelIdOf, readResultsJson } from '../run-folder.js';
import { shortNames } from '../model-name.js';
import { cellLabel, cellName, type SweepCell } from '../../sweep/grid.js';
import { buildSweep, type Sweep, type SweepRunInput } from './build.js';
import { sweepChartSpecs } from './charts.js';
import { renderSweepReportHtml, type SweepReportChart } from './html.js';
import { sweepMarkdown } from './table.js';

export { buildSweep, type Sweep, type SweepRow, type SweepColumn } from './build.js';
export { sweepMarkdown } from './table.js';
export { sweepChartSpecs } from './charts.js';

export interface SweepReportCell {
  /** the --model spec the cell ran */
  model: string;
  cell: SweepCell;
  /** absent: the cell did not complete; it is listed as missing */
  resultsFile?: string;
}

export interface SweepReportResult {
  sweep: Sweep;
  /** the table, as printed */
  markdown: string;
  /** absolute paths of the files written */
  files: string[];
  /** "model 5-shot" for each cell without results */
  missing: string[];
}

export async function writeSweepReport(cells: readonly SweepReportCell[], outputDir: string): Promise<SweepReportResult> {
  const outDir = resolve(outputDir);
  const done = cells.filter((c): c is SweepReportCell & { resultsFile: string } => c.resultsFile !== undefined);
  const results = done.map((c) => readResultsJson(c.resultsFile));
  // labels from the results' model names, as compare labels runs; one per --model spec
  const specs = [...new Set(cells.map((c) => c.model))];
  const ids = specs.map((s) => {
    const i = done.findIndex((c) => c.model === s);
    return i >= 0 ? (modelIdOf(results[i]!) ?? s) : s;
  });
  const labelOf = new Map(specs.map((s, i) => [s, shortNames(ids)[i]!]));
  const runs: SweepRunInput[] = done.map((c, i) => ({
    model: labelOf.get(c.model)!,
    cell: c.cell,
    resultsPath: relative(outDir, resolve(c.resultsFile)),
    results: results[i]!,
  }));
  const sweep = buildSweep(runs);
  const missing = cells.filter((c) => c.resultsFile === undefined).map((c) => `${labelOf.get(c.model)} ${cellLabel(c.cell)}`);

  const { write, files } = reportFolder(outDir);
  const markdown = sweepMarkdown(sweep);
  write('sweep.md', markdown);
  write(
    'sweep.json',
    `${JSON.stringify(
      {
        cells: cells.map((c) => ({
          model: c.model,
          label: labelOf.get(c.model),
          cell: cellName(c.cell),
          num_fewshot: c.cell.numFewshot,
          chat_template: c.cell.chatTemplate,
          results: c.resultsFile === undefined ? null : relative(outDir, resolve(c.resultsFile)),
        })),
      },
      null,
      2,
    )}\n`,
  );
  const charts: SweepReportChart[] = [];
  for (const chart of sweepChartSpecs(sweep)) {
    const svg = await renderSvg(chart.spec);
    write(`${chart.id}.svg`, svg);
    write(`${chart.id}.png`, svgToPng(svg));
    charts.push({ id: chart.id, task: chart.task, title: chart.title, svg: inlineSvg(svg) });
  }
  write('report.html', renderSweepReportHtml({ sweep, charts, missing }));
  return { sweep, markdown, files, missing };
}
