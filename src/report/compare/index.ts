// Library entry point for comparing finished runs: reads the run folders, writes comparison.md, the charts
// (SVG and PNG) and report.html. Used by `yardstick compare` and the demo.
import { reportFolder } from '../atomic-write.js';
import { join, resolve } from 'node:path';
import { YardstickError } from '../../errors.js';
import { inlineSvg, renderSvg, svgToPng } from '../charts/render.js';
import { comparisonChartSpecs } from '../charts/specs.js';
import { buildDrilldown, type DrilldownOptions } from '../html/drilldown.js';
import { renderReportHtml, type ReportChart } from '../html/report.js';
import { baselineSections } from '../html/baseline-sections.js';
import { openRunFolder } from '../run-folder.js';
import { buildComparison, type CompareOptions, type Comparison } from './build.js';
import { comparisonMarkdown, comparisonTablesMarkdown, type TableStyle } from './markdown.js';
import { buildHeadline, headlineText } from './headline.js';

export type { Comparison, ComparisonRow, CompareOptions } from './build.js';
export { buildComparison } from './build.js';
export { comparisonMarkdown, comparisonTablesMarkdown, type TableStyle } from './markdown.js';
export { buildHeadline, headlineText, type Headline } from './headline.js';
export { baselineViews, baselineViewsMarkdown, type BaselineViews } from './views.js';

export interface CompareRunsOptions extends CompareOptions {
  /** run folders (lm-eval --output_path layout) or results JSON files, two or more */
  runs: readonly string[];
  outputDir: string;
  /** table columns in comparison.md: "full" (default) or "seed" (Task | Metric | models | Better model) */
  style?: TableStyle;
  drilldown?: DrilldownOptions;
}

export interface CompareRunsResult {
  /** the summary printed above the tables (headline.ts) */
  summary: string;
  /** the family tables (full style), as printed by `yardstick compare` */
  tablesMarkdown: string;
  /** absolute paths of the files written */
  files: string[];
  warnings: string[];
  comparison: Comparison;
}

/** Reads the run folders and builds the comparison without writing anything. */
export function compareRunFolders(runs: readonly string[], options: CompareOptions = {}): Comparison {
  if (runs.length < 2) {
    throw new YardstickError('usage', `compare needs at least two runs (got ${runs.length})`, {
      hint: 'yardstick compare RUN_A RUN_B [RUN_C ...]',
    });
  }
  if (options.labels && options.labels.length > 0 && options.labels.length !== runs.length) {
    throw new YardstickError('usage', `${options.labels.length} --label value(s) for ${runs.length} runs`, {
      hint: 'give one --label per run, in the same order, or none',
    });
  }
  const labels = options.labels && options.labels.length > 0 ? options.labels : undefined;
  return buildComparison(runs.map(openRunFolder), { ...options, labels });
}

export async function compareRuns(options: CompareRunsOptions): Promise<CompareRunsResult> {
  const comparison = compareRunFolders(options.runs, options);
  const outDir = resolve(options.outputDir);
  const { write, files } = reportFolder(outDir);

  write('comparison.md', comparisonMarkdown(comparison, options.style ?? 'full'));
  const charts: ReportChart[] = [];
  for (const chart of comparisonChartSpecs(comparison)) {
    const svg = await renderSvg(chart.spec);
    write(`${chart.id}.svg`, svg);
    write(`${chart.id}.png`, svgToPng(svg));
    charts.push({ id: chart.id, title: chart.title, family: chart.family, yScale: chart.yScale, svg: inlineSvg(svg) });
  }
  const drilldown = buildDrilldown(comparison, options.drilldown);
  write('report.html', renderReportHtml({ comparison, charts, drilldown, sections: baselineSections(comparison) }));
  return {
    summary: headlineText(buildHeadline(comparison)),
    tablesMarkdown: comparisonTablesMarkdown(comparison, 'full'),
    files,
    warnings: comparison.warnings,
    comparison,
  };
}
