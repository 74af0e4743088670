// report.html: one self-contained file (inline CSS, SVG and script; no URL of any kind) with the summary,
// the comparison tables, the charts and the per-document drill-down.
import type { Comparison } from '../compare/build.js';
import { FAMILIES, type FamilyId } from '../compare/families.js';
import { buildHeadline, tallySentence, testNote, type Headline, type Tally } from '../compare/headline.js';
import type { ValueScale } from '../compare/intervals.js';
import { familyRows, methodNote, tableCells } from '../compare/markdown.js';
import { zeroNote } from '../charts/specs.js';
import { CLIENT_SCRIPT } from './client.js';
import type { DrillTask } from './drilldown.js';
import { REPORT_CSS } from './style.js';

export interface ReportChart {
  id: string;
  title: string;
  family: FamilyId;
  yScale: ValueScale;
  /** inline SVG markup (no namespace URLs) */
  svg: string;
}

export interface ReportInput {
  comparison: Comparison;
  charts: readonly ReportChart[];
  drilldown: readonly DrillTask[];
  title?: string;
  /** further sections after the family tables, before the drill-down, each with its own CSS */
  sections?: readonly ReportSection[];
}

export interface ReportSection {
  html: string;
  css?: string;
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

function chartsFor(charts: readonly ReportChart[], family: FamilyId): string {
  const picked = charts.filter((c) => c.family === family);
  if (picked.length === 0) return '';
  const figs = picked.map(
    (c) =>
      `<figure class="chart" id="chart-${escapeHtml(c.id)}" data-family="${escapeHtml(c.family)}" ` +
      `data-y-scale="${c.yScale}" aria-label="${escapeHtml(c.title)}">${c.svg}</figure>`,
  );
  return `<div class="charts">${figs.join('')}</div>`;
}

function summaryHtml(h: Headline): string {
  const untested = h.overall.untested > 0;
  const head =
    `<tr><th>Family</th><th>Comparisons</th>${h.labels.map((l) => `<th>${escapeHtml(l)} better</th>`).join('')}` +
    `<th>No significant difference</th>${untested ? '<th>Not tested</th>' : ''}<th>Largest difference</th></tr>`;
  const tr = (t: Tally, cls: string): string =>
    `<tr class="${cls}"><td>${escapeHtml(t.title)}</td><td class="num">${t.rows.length}</td>` +
    t.wins.map((w) => `<td class="num${w > 0 ? ' win' : ''}">${w}</td>`).join('') +
    `<td class="num">${t.ties}</td>${untested ? `<td class="num">${t.untested}</td>` : ''}` +
    `<td>${t.effects[0] ? escapeHtml(t.effects[0].text) : '—'}</td></tr>`;
  const rows = [tr(h.overall, 'total'), ...(h.families.length > 1 ? h.families.map((f) => tr(f, 'family')) : [])];
  const effects = h.overall.effects.slice(0, 3);
  return (
    `<section id="summary"><h2>Summary</h2>` +
    `<p class="lead">${escapeHtml(tallySentence(h.overall, h.labels))}</p>` +
    (effects.length > 0
      ? `<p class="effects-title">Largest differences:</p><ul class="effects">${effects
          .map((e) => `<li class="${e.significant ? 'significant' : 'not-significant'}">${escapeHtml(e.text)}</li>`)
          .join('')}</ul>`
      : '') +
    `<table class="summary"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>` +
    `<p class="note">Counts of ${escapeHtml(testNote(h))}.</p></section>`
  );
}

function tableHtml(c: Comparison, familyId: string): string {
  const family = FAMILIES.find((f) => f.id === familyId)!;
  const rows = familyRows(c, family);
  const { header, body } = tableCells(c, rows, 'full');
  const head = `<tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const trs = body.map((cells, i) => {
    const tds = cells.map((cell) => {
      const cls: string[] = [];
      if (cell.kind === 'num') cls.push('num');
      if (cell.kind === 'verdict') cls.push(rows[i]!.winner !== null ? 'win' : 'tie');
      const ci = cell.interval ? ` <span class="ci">${escapeHtml(cell.interval)}</span>` : '';
      return `<td${cls.length ? ` class="${cls.join(' ')}"` : ''}>${escapeHtml(cell.text)}${ci}</td>`;
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
  if (c.rows.length > 0) parts.push(summaryHtml(buildHeadline(c)));
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
    const charts = chartsFor(input.charts, family.id);
    // with a chart, the note is its subtitle; a family with nothing to draw says why here
    const zero = charts ? null : zeroNote(familyRows(c, family));
    const note = zero ? `<p class="note chart-note">${escapeHtml(zero)}</p>` : '';
    parts.push(`<section id="family-${family.id}"><h2>${escapeHtml(family.title)}</h2>${table}${charts}${note}</section>`);
  }
  if (c.rows.some((r) => r.recomputed)) {
    parts.push('<p class="note">* values computed from the sample logs on the documents every run evaluated.</p>');
  }
  parts.push(`<p class="note">${escapeHtml(methodNote(c))}</p>`);
  for (const section of input.sections ?? []) parts.push(section.html);
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
    `<title>${escapeHtml(title)}</title><style>${REPORT_CSS}${(input.sections ?? []).map((x) => x.css ?? '').join('')}</style></head>\n<body>\n` +
    parts.join('\n') +
    `\n<script type="application/json" id="yardstick-data">${data}</script>\n` +
    `<script>${CLIENT_SCRIPT}</script>\n</body></html>\n`
  );
}
