// report.html sections for the views against the first run (src/report/compare/views.ts): accuracy cost with
// log-likelihood drift, and the fine-tuning effect with its flipped documents. Static markup only: the flip
// lists open with <details>, so they need no script and logged text is escaped like every other cell.
import type { Comparison } from '../compare/build.js';
import { DRIFT_NOTE, driftCells, type DriftView } from '../compare/drift.js';
import { FLIP_NOTE, flipCells, type FlipLine, type FlipTable, type FlippedDoc } from '../compare/flips.js';
import { baselineViews } from '../compare/views.js';
import { escapeHtml, type ReportSection } from './report.js';

/** Flipped documents listed per direction and task; the rest are counted. */
const MAX_LISTED = 50;

const NUMERIC_FROM = 2;
const VERDICT_COLUMN = 5;

function tableHtml(cls: string, other: string, header: string[], body: string[][], tasks: string[], verdicts: Array<string | null>): string {
  const head = `<tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const rows = body.map((cells, i) => {
    const tds = cells.map((text, j) => {
      const cls = j === VERDICT_COLUMN ? (verdicts[i] ?? 'tie') : j >= NUMERIC_FROM ? 'num' : '';
      return `<td${cls ? ` class="${cls}"` : ''}>${escapeHtml(text)}</td>`;
    });
    return `<tr data-task="${escapeHtml(tasks[i]!)}">${tds.join('')}</tr>`;
  });
  return `<table class="view ${cls}" data-other="${escapeHtml(other)}"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

function driftHtml(view: DriftView): string {
  const tables = view.tables.map((t) => {
    const { header, body } = driftCells(t);
    const tasks = t.lines.map((l) => l.effect.row.task);
    const verdicts = t.lines.map((l) => l.effect.significant);
    return (
      `<h3>${escapeHtml(t.other)} against ${escapeHtml(t.base)}</h3><p class="lead">${escapeHtml(t.summary)}</p>` +
      tableHtml('drift', t.other, header, body, tasks, verdicts)
    );
  });
  return (
    `<section id="drift"><h2>Accuracy cost and log-likelihood drift</h2>${tables.join('')}` +
    `<p class="note">${escapeHtml(`${DRIFT_NOTE} ${view.modelNote}`)}</p></section>`
  );
}

function flipItem(d: FlippedDoc, base: string, other: string, multiTask: boolean): string {
  const answers =
    d.baseAnswer !== null || d.otherAnswer !== null
      ? `<span class="answers">${escapeHtml(`${base}: ${d.baseAnswer ?? '?'} → ${other}: ${d.otherAnswer ?? '?'}`)}</span>`
      : '';
  return (
    `<li data-doc-id="${d.docId}"><b>${escapeHtml(`${multiTask ? `${d.taskName} ` : ''}doc ${d.docId}`)}</b> ` +
    `<span class="target">${escapeHtml(`target: ${d.target}`)}</span> ${answers}` +
    `<pre class="snippet">${escapeHtml((d.cut > 0 ? '…' : '') + d.prompt)}</pre></li>`
  );
}

function flipList(cls: string, title: string, docs: FlippedDoc[], t: FlipTable, multiTask: boolean): string {
  const shown = docs.slice(0, MAX_LISTED);
  const more = docs.length > shown.length ? `<p class="note">and ${docs.length - shown.length} more, not listed</p>` : '';
  return (
    `<div class="flip-group"><h4>${escapeHtml(`${title} (${docs.length})`)}</h4>` +
    `<ol class="${cls}">${shown.map((d) => flipItem(d, t.base, t.other, multiTask)).join('')}</ol>${more}</div>`
  );
}

function flipDetails(line: FlipLine, t: FlipTable): string {
  const r2w = line.rightToWrong!;
  const w2r = line.wrongToRight!;
  const multiTask = line.effect.leaves.length > 1;
  return (
    `<details class="flips" data-task="${escapeHtml(line.effect.row.task)}">` +
    `<summary>${escapeHtml(`${line.effect.row.taskName}: ${r2w.length} right → wrong, ${w2r.length} wrong → right`)}</summary>` +
    flipList('right-to-wrong', 'Right → wrong', r2w, t, multiTask) +
    flipList('wrong-to-right', 'Wrong → right', w2r, t, multiTask) +
    `</details>`
  );
}

function flipsHtml(tables: readonly FlipTable[]): string {
  const parts = tables.map((t) => {
    const { header, body } = flipCells(t);
    const tasks = t.lines.map((l) => l.effect.row.task);
    const verdicts = t.lines.map((l) => l.effect.significant);
    const withFlips = t.lines.filter((l) => l.rightToWrong && l.wrongToRight && l.rightToWrong.length + l.wrongToRight.length > 0);
    const flips = withFlips.length
      ? `<h4>Documents that flipped</h4><div class="flip-lists">${withFlips.map((l) => flipDetails(l, t)).join('')}</div>`
      : '<p class="note">No document flipped between right and wrong.</p>';
    return `<h3>${escapeHtml(t.other)} against ${escapeHtml(t.base)}</h3>${tableHtml('effect', t.other, header, body, tasks, verdicts)}${flips}`;
  });
  return `<section id="finetune"><h2>Fine-tuning effect, largest first</h2>${parts.join('')}<p class="note">${escapeHtml(FLIP_NOTE)}</p></section>`;
}

export const BASELINE_CSS = `
table.view { border-collapse: collapse; margin: 8px 0 4px; font-variant-numeric: tabular-nums; }
table.view th, table.view td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; }
table.view th { background: #f5f6f8; }
table.view td.num { text-align: right; white-space: nowrap; }
table.view td.worse { color: var(--bad); font-weight: bold; }
table.view td.better { color: var(--ok); font-weight: bold; }
table.view td.tie { color: var(--muted); }
#drift .lead { font-size: 15px; margin: 6px 0 8px; }
details.flips { margin: 4px 0; }
details.flips ol { margin: 4px 0 8px; padding-left: 24px; }
details.flips li { margin: 4px 0; }
details.flips .target, details.flips .answers { color: var(--muted); margin-left: 8px; }
pre.snippet { white-space: pre-wrap; word-break: break-word; background: #fff; border: 1px solid #eee; padding: 4px 6px;
  margin: 2px 0 0; font-size: 12px; max-height: 160px; overflow: auto; }
`;

/** The sections for report.html, in reading order; none when there is nothing to show. */
export function baselineSections(c: Comparison): ReportSection[] {
  const v = baselineViews(c);
  const out: ReportSection[] = [];
  if (v.drift) out.push({ html: driftHtml(v.drift), css: BASELINE_CSS });
  if (v.flips.some((t) => t.lines.length > 0)) out.push({ html: flipsHtml(v.flips), css: v.drift ? '' : BASELINE_CSS });
  return out;
}
