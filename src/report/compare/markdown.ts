// Markdown tables of a comparison, one per benchmark family. The "seed" style has exactly the columns of
// the hand-made tables users wrote before (Task | Metric | models… | Better model); "full" adds the
// difference and the paired-test verdict.
import { FAMILIES, type Family } from './families.js';
import type { Comparison, ComparisonRow } from './build.js';
import { formatDifference, formatFixed } from '../format.js';

export type TableStyle = 'full' | 'seed';

export function differenceHeader(labels: readonly string[]): string {
  return labels.length === 2 ? `Δ (${labels[1]} − ${labels[0]})` : 'Δ (best − runner-up)';
}

/** Header and body cells of one family's table (shared by the markdown and HTML renderers). */
export function tableCells(c: Comparison, rows: readonly ComparisonRow[], style: TableStyle): {
  header: string[];
  body: string[][];
} {
  const header = ['Task', 'Metric', ...c.labels, 'Better model'];
  if (style === 'full') header.push(differenceHeader(c.labels), 'Verdict (paired test)');
  const body = rows.map((r) => {
    const cells = [
      r.taskName + (r.recomputed ? ' *' : ''),
      r.filter === 'none' ? r.metric : `${r.metric} (${r.filter})`,
      ...r.values.map((v) => (v === null ? '—' : formatFixed(v, 4))),
      r.better,
    ];
    if (style === 'full') cells.push(r.difference === null ? '—' : formatDifference(r.difference), r.verdict);
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
  const lines = [mdRow(header), `|${header.map(() => '---').join('|')}|`, ...body.map(mdRow)];
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
    `Verdict: the better model only when a paired test on the same documents is significant at α = ${c.alpha} ` +
    `(McNemar's exact test for per-document 0/1 metrics; paired bootstrap, ${c.bootstrapIters} resamples, ` +
    `seed ${c.seed}, for f1, mcc, perplexity and other corpus-level metrics; groups pool their tasks' documents). ` +
    `With more than two models the test compares the best and the runner-up. No correction for multiple ` +
    `comparisons is applied. "Better model" compares the values as printed, respecting lower-is-better metrics.`
  );
}

/** The whole comparison.md. */
export function comparisonMarkdown(c: Comparison, style: TableStyle = 'full'): string {
  const runs = c.runs
    .map((r, i) => `- **${c.labels[i]}**: \`${r.modelId}\` (${r.resultsPath})`)
    .join('\n');
  const out = [`# Model comparison\n`, `${runs}\n`, comparisonTablesMarkdown(c, style)];
  if (c.rows.some((r) => r.recomputed)) {
    out.push('\\* values computed from the sample logs on the documents every run evaluated.\n');
  }
  if (style === 'full') out.push(`${methodNote(c)}\n`);
  if (c.warnings.length > 0) out.push(`## Warnings\n\n${c.warnings.map((w) => `- ${w}`).join('\n')}\n`);
  return out.join('\n');
}
