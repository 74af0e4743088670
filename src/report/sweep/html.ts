// The sweep's report.html: one self-contained page (the report's stylesheet, inline SVG, no script, no URL)
// with the grid's cells, the task × cell table and a score-versus-shots chart per task. The section is
// its own function so another report can embed it.
import { escapeHtml } from '../html/report.js';
import { REPORT_CSS } from '../html/style.js';
import type { Sweep } from './build.js';
import { sweepCells, sweepHeader } from './table.js';

export interface SweepReportChart {
  id: string;
  task: string;
  title: string;
  /** inline SVG markup (no namespace URLs) */
  svg: string;
}

const SWEEP_CSS = `
table.sweep td.missing { color: var(--muted); text-align: center; }
ul.cells { margin: 0 0 12px; padding-left: 20px; color: var(--muted); }
ul.cells b { color: #222; }
`;

/** `<section id="sweep">`: the table, then the charts. */
export function sweepSectionHtml(sweep: Sweep, charts: readonly SweepReportChart[]): string {
  const head = `<tr>${sweepHeader(sweep).map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = sweepCells(sweep).map((cells, i) => {
    const row = sweep.rows[i]!;
    const tds = cells.map((text, j) => {
      if (j < 2) return `<td>${escapeHtml(text)}</td>`;
      const missing = row.values[j - 2] === null;
      return `<td class="${missing ? 'missing' : 'num'}">${escapeHtml(text)}</td>`;
    });
    return `<tr data-task="${escapeHtml(row.task)}" data-metric="${escapeHtml(row.metric)}">${tds.join('')}</tr>`;
  });
  const figs = charts.map(
    (c) => `<figure class="chart" id="chart-${escapeHtml(c.id)}" data-task="${escapeHtml(c.task)}" aria-label="${escapeHtml(c.title)}">${c.svg}</figure>`,
  );
  return (
    `<section id="sweep"><h2>Few-shot sweep</h2>` +
    `<table class="cmp sweep"><thead>${head}</thead><tbody>${body.join('')}</tbody></table>` +
    `<p class="note">Value ± standard error, as in lm-eval's results table; — where a cell has no value.</p>` +
    (figs.length > 0 ? `<div class="charts">${figs.join('')}</div>` : '') +
    `</section>`
  );
}

export function renderSweepReportHtml(input: { sweep: Sweep; charts: readonly SweepReportChart[]; title?: string; missing?: readonly string[] }): string {
  const { sweep } = input;
  const title = input.title ?? `Few-shot sweep: ${sweep.models.join(', ')}`;
  const cells = sweep.columns
    .map((c) => `<li><b>${escapeHtml(c.label)}</b>: <span>${escapeHtml(c.resultsPath)}</span></li>`)
    .join('');
  const missing = input.missing ?? [];
  const warnings =
    missing.length > 0
      ? `<div class="warnings" id="warnings"><b>Cells without results</b> (not in the table):<ul>${missing.map((m) => `<li>${escapeHtml(m)}</li>`).join('')}</ul></div>`
      : '';
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${REPORT_CSS}${SWEEP_CSS}</style></head>\n<body>\n` +
    `<h1>${escapeHtml(title)}</h1>\n<ul class="cells">${cells}</ul>\n${warnings}\n` +
    sweepSectionHtml(sweep, input.charts) +
    `\n</body></html>\n`
  );
}
