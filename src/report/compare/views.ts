// The views of every run against the first that follow the family tables: accuracy cost with log-likelihood
// drift (drift.ts) and the fine-tuning effect with flipped documents (flips.ts). Built once per comparison,
// for comparison.md, the terminal and report.html alike.
import type { Comparison } from './build.js';
import { buildDriftView, driftMarkdown, type DriftView } from './drift.js';
import { buildFlipTables, flipsMarkdown, type FlipTable } from './flips.js';

export interface BaselineViews {
  /** null when no task has log-likelihoods logged by every run */
  drift: DriftView | null;
  /** one table per run after the first; empty without rows */
  flips: FlipTable[];
}

const built = new WeakMap<Comparison, BaselineViews>();

export function baselineViews(c: Comparison): BaselineViews {
  let v = built.get(c);
  if (!v) {
    v = { drift: buildDriftView(c), flips: c.rows.length > 0 ? buildFlipTables(c) : [] };
    built.set(c, v);
  }
  return v;
}

/** Both views as markdown sections ("" when there is nothing to show). */
export function baselineViewsMarkdown(c: Comparison): string {
  const v = baselineViews(c);
  const parts: string[] = [];
  if (v.drift) parts.push(driftMarkdown(v.drift));
  if (v.flips.some((t) => t.lines.length > 0)) parts.push(flipsMarkdown(v.flips));
  return parts.join('\n');
}
