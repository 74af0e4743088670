// report.html: one self-contained file (inline CSS, SVG and script; no URL of any kind) with the comparison
// tables, the charts and the per-document drill-down.
import type { Comparison } from '../compare/build.js';
import { FAMILIES } from '../compare/families.js';
import { familyRows, methodNote, tableCells } from '../compare/markdown.js';
import { CLIENT_SCRIPT } from './client.js';
import type { DrillTask } from './drilldown.js';
import { REPORT_CSS } from './style.js';

export interface ReportChart {
  id: string;
  title: string;
  /** inline SVG markup (no namespace URLs) */
  svg: string;
}

export interface ReportInput {
  comparison: Comparison;
  charts: readonly ReportChart[];
  drilldown: readonly DrillTask[];
  title?: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON safe inside <script>: no "</script", no HTML comment openers, no JS line separators. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function chartsFor(charts: readonly ReportChart[], ids: readonly string[]): string {
  const picked = ids.map((id) => charts.find((c) => c.id === id)).filter((c): c is ReportChart => !!c);
  if (picked.length === 0) return '';
  const figs = picked.map(
    (c) => `<figure class="chart" id="chart-${escapeHtml(c.id)}" aria-label="${escapeHtml(c.title)}">${c.svg}</figure>`,
  );
  return `<div class="charts">${figs.join('')}</div>`;
}

function tableHtml(c: Comparison, familyId: string): string {
  const family = FAMILIES.find((f) => f.id === familyId)!;
  const rows = familyRows(c, family);
  const { header, body } = tableCells(c, rows, 'full');
  const nModels = c.labels.length;
  const numeric = (col: number): boolean => (col >= 2 && col < 2 + nModels) || col === 3 + nModels;
  const verdictCol = 4 + nModels;
  const head = `<tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const trs = body.map((cells, i) => {
    const tds = cells.map((cell, col) => {
      const cls: string[] = [];
      if (numeric(col)) cls.push('num');
      if (col === verdictCol) cls.push(rows[i]!.winner !== null ? 'win' : 'tie');
      return `<td${cls.length ? ` class="${cls.join(' ')}"` : ''}>${escapeHtml(cell)}</td>`;
    });
    return `<tr>${tds.join('')}</tr>`;
  });
  return `<table class="cmp" data-family="${escapeHtml(familyId)}"><thead>${head}</thead><tbody>${trs.join('')}</tbody></table>`;
}

export function renderReportHtml(input: ReportInput): string {
  const c = input.comparison;
  const title = input.title ?? `Model comparison: ${c.labels.join(' vs ')}`;
  const runs = c.runs
    .map((r, i) => `<li><b>${escapeHtml(c.labels[i]!)}</b>: ${escapeHtml(r.modelId)} <span>(${escapeHtml(r.resultsPath)})</span></li>`)
    .join('');
  const parts: string[] = [];
  parts.push(`<h1>${escapeHtml(title)}</h1>`, `<ul class="runs">${runs}</ul>`);
  if (c.warnings.length > 0) {
    parts.push(
      `<div class="warnings" id="warnings"><b>Warnings</b> (only what matches is compared):<ul>${c.warnings
        .map((w) => `<li>${escapeHtml(w)}</li>`)
        .join('')}</ul></div>`,
    );
  }
  for (const family of FAMILIES) {
    if (familyRows(c, family).length === 0) continue;
    const table = tableHtml(c, family.id);
    if (family.id === 'subtasks') {
      parts.push(
        `<section id="family-${family.id}"><h2>${escapeHtml(family.title)}</h2>` +
          `<details><summary>Show ${familyRows(c, family).length} rows</summary>${table}</details></section>`,
      );
      continue;
    }
    const charts = chartsFor(input.charts, [
      `family-${family.id}`,
      `family-${family.id}-lower`,
      ...(family.id === 'math' ? ['mmlu-categories'] : []),
      `scaling-${family.id}`,
    ]);
    parts.push(`<section id="family-${family.id}"><h2>${escapeHtml(family.title)}</h2>${table}${charts}</section>`);
  }
  if (c.rows.some((r) => r.recomputed)) {
    parts.push('<p class="note">* values computed from the sample logs on the documents every run evaluated.</p>');
  }
  parts.push(`<p class="note">${escapeHtml(methodNote(c))}</p>`);
  if (input.drilldown.length > 0) {
    parts.push(
      `<section id="drilldown"><h2>Per-document drill-down</h2>` +
        `<p class="note">Click a row for the prompt, the choices and every model's log-probabilities. ` +
        `✓/✗: the task's per-document metric.</p>` +
        `<div class="drill-controls"><label>Task <select id="drill-task"></select></label>` +
        `<label><input type="checkbox" id="drill-disagree"> disagree only</label>` +
        `<span id="drill-count"></span></div>` +
        `<table class="docs"><thead id="drill-head"></thead><tbody id="drill-body"></tbody></table></section>`,
    );
  } else {
    parts.push('<p class="note">No per-document drill-down: the runs have no shared sample logs (run with --log_samples).</p>');
  }
  const data = scriptJson({ labels: c.labels, tasks: input.drilldown });
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${REPORT_CSS}</style></head>\n<body>\n` +
    parts.join('\n') +
    `\n<script type="application/json" id="yardstick-data">${data}</script>\n` +
    `<script>${CLIENT_SCRIPT}</script>\n</body></html>\n`
  );
}
