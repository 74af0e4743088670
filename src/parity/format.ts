// Renders a parity report as text: one summary line per task, then for each differing task its likely
// causes, differing metrics and the first divergence of its first few documents.
import { fmtDelta, visible } from './text-diff.js';
import type { Counts, DocParity, MetricParity, ParityReport, TaskParity } from './types.js';

const STATUS_TEXT: Record<TaskParity['status'], string> = {
  identical: 'identical',
  within: 'within tolerance',
  differs: 'differs',
  'only-ours': 'only in ours',
  'only-theirs': 'only in theirs',
};

function counts(c: Counts, noun: string, total?: number): string {
  const n = total ?? c.identical + c.within + c.differs;
  return `${n} ${noun}: ${c.identical} identical, ${c.within} within, ${c.differs} differ`;
}

function num(v: number | string | null): string {
  if (v === null) return '—';
  return typeof v === 'number' ? String(v) : visible(v);
}

function metricLine(m: MetricParity): string {
  const delta = typeof m.ours === 'number' && typeof m.theirs === 'number' ? ` (Δ ${fmtDelta(m.ours - m.theirs)})` : '';
  const why = m.explanation ? ` — ${m.explanation}` : '';
  return `    metric ${m.key}: ours ${num(m.ours)}, theirs ${num(m.theirs)}${delta} ${m.status === 'within' ? 'within tolerance' : m.status}${why}`;
}

function docLines(d: DocParity): string[] {
  const f = d.first!;
  const where = d.theirsDocId !== d.docId ? `doc ${d.docId} (theirs ${d.theirsDocId})` : `doc ${d.docId}`;
  const req = f.request !== undefined ? ` request ${f.request}` : '';
  const lines = [`    ${where}:${req} ${f.point} [${f.cause}] ${f.explanation}`];
  for (const l of f.diff ?? []) lines.push(`        ${l}`);
  return lines;
}

export function taskSummaryLine(t: TaskParity): string {
  const parts: string[] = [];
  if (t.docs.matched > 0) parts.push(counts(t.docs, 'docs', t.docs.matched));
  const reqTotal = t.requests.identical + t.requests.within + t.requests.differs;
  if (reqTotal > 0) parts.push(counts(t.requests, 'requests'));
  if (t.maxAbsDelta !== null) parts.push(`max |Δll| ${fmtDelta(t.maxAbsDelta)} nats`);
  const metricsBad = t.metrics.filter((m) => m.status === 'differs' || m.status === 'missing').length;
  if (t.metrics.length > 0) parts.push(`${t.metrics.length} metrics${metricsBad ? `, ${metricsBad} differ` : ''}`);
  const cause = t.status === 'differs' && t.causes.length > 0 ? ` — likely cause: ${t.causes.map((c) => `${c.cause} (${c.count} docs at ${c.point})`).join(', ')}` : '';
  return `${t.task}: ${STATUS_TEXT[t.status]}${parts.length ? ` (${parts.join('; ')})` : ''}${cause}`;
}

export function formatParityReport(report: ParityReport, options: { maxDocs?: number } = {}): string {
  const maxDocs = options.maxDocs ?? 3;
  const out: string[] = [];
  const side = (name: string, s: ParityReport['ours']): string => {
    const set = s.settings;
    const tool = set.tool === 'lm-eval' ? `lm-eval ${set.lmEvalVersion ?? '?'}` : set.tool === 'yardstick' ? 'yardstick' : 'unknown tool';
    return `${name}: ${s.label} (${tool}; BOS: ${set.bos ?? 'unknown'}, ${set.bosSource})`;
  };
  out.push(side('ours  ', report.ours));
  out.push(side('theirs', report.theirs));
  out.push(`tolerance: ${report.options.tolerance} nats per request; metrics ${report.options.metricTolerance} (perplexities: ${report.options.tolerance} relative)`);
  for (const d of report.settingDifferences) out.push(`settings differ: ${d}`);
  out.push('');
  for (const t of report.tasks) {
    out.push(taskSummaryLine(t));
    for (const n of t.notes) out.push(`    note: ${n}`);
    for (const c of t.causes) if (c.reason) out.push(`    ${c.cause} (${c.count} docs at ${c.point}): ${c.reason}`);
    for (const m of t.metrics) if (m.status === 'differs' || m.status === 'missing') out.push(metricLine(m));
    for (const d of t.differing.slice(0, maxDocs)) out.push(...docLines(d));
    if (t.differing.length > maxDocs) out.push(`    … ${t.differing.length - maxDocs} more differing documents`);
  }
  const s = report.summary;
  out.push('');
  out.push(`summary: ${report.tasks.length} tasks/groups: ${s.identical} identical, ${s.within} within tolerance, ${s.differs} differ${s.missing ? `, ${s.missing} only on one side` : ''}`);
  return out.join('\n') + '\n';
}

/** Report as JSON (for scripts): the same data, numbers as numbers. */
export function parityReportJson(report: ParityReport): string {
  return JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2) + '\n';
}
