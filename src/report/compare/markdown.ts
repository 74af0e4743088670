// Markdown tables of a comparison, one per benchmark family. The "seed" style has exactly the columns and
// 4-decimal numbers of the hand-made tables users wrote before (Task | Metric | models… | Better model);
// "full" adds the documents, each model's 95 % interval, the difference and the paired-test verdict, with
// numbers formatted by magnitude.
import { FAMILIES, type Family } from './families.js';
import type { Comparison, ComparisonRow } from './build.js';
import { formatFixed, formatInterval, formatNumber, formatSigned } from '../format.js';
import { buildHeadline, headlineText } from './headline.js';
import { baselineViewsMarkdown } from './views.js';

export type TableStyle = 'full' | 'seed';

export function differenceHeader(labels: readonly string[]): string {
  return labels.length === 2 ? `Δ (${labels[1]} − ${labels[0]})` : 'Δ (best − runner-up)';
}

export type CellKind = 'text' | 'num' | 'verdict';

export interface TableCell {
  text: string;
  /** a model's 95 % interval, "[lo, hi]" */
  interval?: string;
  kind: CellKind;
}

/** Header and body cells of one family's table (shared by the markdown and HTML renderers). */
export function tableCells(c: Comparison, rows: readonly ComparisonRow[], style: TableStyle): {
  header: string[];
  body: TableCell[][];
} {
  const full = style === 'full';
  const header = full
    ? ['Task', 'Metric', 'Docs', ...c.labels.map((l) => `${l} (95 % CI)`), 'Better model', differenceHeader(c.labels), 'Verdict (paired test)']
    : ['Task', 'Metric', ...c.labels, 'Better model'];
  const text = (t: string, kind: CellKind = 'text'): TableCell => ({ text: t, kind });
  const body = rows.map((r) => {
    const cells = [text(r.taskName + (r.recomputed ? ' *' : '')), text(r.filter === 'none' ? r.metric : `${r.metric} (${r.filter})`)];
    if (full) cells.push(text(r.docs === null ? '—' : String(r.docs), 'num'));
    cells.push(
      ...r.values.map((v, i): TableCell => {
        if (v === null) return text('—', 'num');
        if (!full) return text(formatFixed(v, 4), 'num');
        const ci = r.intervals[i];
        return ci ? { text: formatNumber(v), interval: formatInterval(ci.lo, ci.hi, v), kind: 'num' } : text(formatNumber(v), 'num');
      }),
      text(r.better),
    );
    if (full) cells.push(text(r.difference === null ? '—' : formatSigned(r.difference), 'num'), text(r.verdict, 'verdict'));
    return cells;
  });
  return { header, body };
}

export function familyRows(c: Comparison, family: Family): ComparisonRow[] {
  return c.rows.filter((r) => r.family === family.id);
}

function mdRow(cells: readonly string[]): string {
  return `| ${cells.map((x) => x.replace(/\|/g, '\\|')).join(' | ')} |`;
}

export function familyTableMarkdown(c: Comparison, family: Family, style: TableStyle): string {
  const rows = familyRows(c, family);
  if (rows.length === 0) return '';
  const { header, body } = tableCells(c, rows, style);
  const cells = body.map((row) => row.map((cell) => (cell.interval ? `${cell.text} ${cell.interval}` : cell.text)));
  const lines = [mdRow(header), `|${header.map(() => '---').join('|')}|`, ...cells.map(mdRow)];
  return lines.join('\n') + '\n';
}

/** The family tables, each under a "## <family>" heading. */
export function comparisonTablesMarkdown(c: Comparison, style: TableStyle = 'full'): string {
  const parts: string[] = [];
  for (const family of FAMILIES) {
    const table = familyTableMarkdown(c, family, style);
    if (table) parts.push(`## ${family.title}\n\n${table}`);
  }
  return parts.join('\n');
}

export function methodNote(c: Comparison): string {
  return (
    `95 % CI: value ± 1.96 × the stderr in the results file (where it has none, e.g. "N/A" for a group, that ` +
    `of the per-document values), within the metric's range; perplexity on the log ` +
    `scale, exp(mean NLL ± 1.96 × its stderr) from the per-document log-likelihoods (the logged stderr by the ` +
    `delta method without sample logs), so it stays positive. Docs: documents evaluated (a group: its tasks'). ` +
    `Verdict: the better model only when a paired test on the same documents is significant at α = ${c.alpha} ` +
    `(McNemar's exact test for per-document 0/1 metrics; paired bootstrap, ${c.bootstrapIters} resamples, ` +
    `seed ${c.seed}, for f1, mcc, perplexity and other corpus-level metrics; groups pool their tasks' documents). ` +
    `With more than two models the test compares the best and the runner-up. No correction for multiple ` +
    `comparisons is applied. "Better model" compares the values to 4 decimals, respecting lower-is-better metrics.`
  );
}

/** The whole comparison.md. */
export function comparisonMarkdown(c: Comparison, style: TableStyle = 'full'): string {
  const runs = c.runs
    .map((r, i) => `- **${c.labels[i]}**: \`${r.modelId}\` (${r.resultsPath})`)
    .join('\n');
  const out = [`# Model comparison\n`, `${runs}\n`];
  if (style === 'full') out.push(headlineText(buildHeadline(c)));
  out.push(comparisonTablesMarkdown(c, style));
  if (style === 'full') {
    const views = baselineViewsMarkdown(c);
    if (views) out.push(views);
  }
  if (c.rows.some((r) => r.recomputed)) {
    out.push('\\* values computed from the sample logs on the documents every run evaluated.\n');
  }
  if (style === 'full') out.push(`${methodNote(c)}\n`);
  if (c.warnings.length > 0) out.push(`## Warnings\n\n${c.warnings.map((w) => `- ${w}`).join('\n')}\n`);
  return out.join('\n');
}
