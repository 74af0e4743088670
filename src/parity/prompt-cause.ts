// Names the likely cause of a prompt (context) difference: BOS text, whitespace, description, few-shot
// count or selection, truncation, else the template. Pure string analysis; order of checks matters.
import type { LikelyCause } from './types.js';
import { commonSuffixLength, firstDifference, visible } from './text-diff.js';

export interface PromptContext {
  /** each side's task description (configs[task].description), when known */
  descriptions?: [string | null, string | null];
  fewshotDelimiter?: string;
  /** each side's n-shot for the task */
  nShot?: [number | null, number | null];
  /** each side's BOS token text */
  bosTokens?: [string | null, string | null];
  /** each side's task version */
  versions?: [unknown, unknown];
  /** the runs' chat-template and system-instruction differences in words (settings.chatDifferences) */
  chat?: { template?: string; systemInstruction?: string };
}

export interface CauseExplanation {
  cause: LikelyCause;
  explanation: string;
}

function collapseWhitespace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function clipText(s: string, n = 60): string {
  return s.length > n ? visible(s.slice(0, n - 1)) + '…' : visible(s);
}

function describeWhitespace(a: string, b: string): string {
  const at = firstDifference(a, b)!;
  const ta = a.length - a.trimEnd().length;
  const tb = b.length - b.trimEnd().length;
  if (a.trimEnd() === b.trimEnd()) {
    return `only trailing whitespace differs: ours ends with ${visible(a.slice(a.length - ta))}, theirs with ${visible(b.slice(b.length - tb))}`;
  }
  if (a.trimStart() === b.trimStart()) {
    return `only leading whitespace differs: ours starts with ${visible(a.slice(0, a.length - a.trimStart().length))}, theirs with ${visible(b.slice(0, b.length - b.trimStart().length))}`;
  }
  const wsRun = (s: string): string => /^\s*/.exec(s.slice(at.index))![0];
  return `whitespace differs at line ${at.line}, column ${at.column}: ours has ${visible(wsRun(a))}, theirs ${visible(wsRun(b))}`;
}

/** Where the final (evaluated) part starts: the longest common suffix, moved to just after a delimiter in both. */
function sharedTail(a: string, b: string, delimiter: string): { headA: string; headB: string; tail: string } | null {
  const k = commonSuffixLength(a, b);
  for (let len = k; len > 0; len--) {
    const sa = a.length - len;
    const sb = b.length - len;
    const boundary = (head: string): boolean => head === '' || head.endsWith(delimiter);
    if (boundary(a.slice(0, sa)) && boundary(b.slice(0, sb)) && (sa > 0 || sb > 0)) {
      return { headA: a.slice(0, sa), headB: b.slice(0, sb), tail: a.slice(sa) };
    }
  }
  return null;
}

function blocks(head: string, delimiter: string): string[] {
  return head.split(delimiter).filter((x) => x !== '');
}

/**
 * Explains why two prompts differ. `null` when they are equal. The checks go from the most specific
 * signature (a BOS string glued to the front) to the least (some other template).
 */
export function explainPromptDifference(ours: string, theirs: string, ctx: PromptContext = {}): CauseExplanation | null {
  if (ours === theirs) return null;
  const D = ctx.fewshotDelimiter ?? '\n\n';

  // a chat template (or its absence) changes the whole prompt, so no text analysis below would name it
  if (ctx.chat?.template) return { cause: 'chat-template', explanation: ctx.chat.template };
  if (ctx.chat?.systemInstruction) return { cause: 'system-instruction', explanation: ctx.chat.systemInstruction };

  for (const bos of new Set(ctx.bosTokens ?? [])) {
    if (!bos) continue;
    if (ours === bos + theirs) return { cause: 'bos', explanation: `ours starts with the BOS text ${visible(bos)} in the prompt string itself; theirs does not` };
    if (theirs === bos + ours) return { cause: 'bos', explanation: `theirs starts with the BOS text ${visible(bos)} in the prompt string itself; ours does not` };
  }

  if (collapseWhitespace(ours) === collapseWhitespace(theirs)) {
    return { cause: 'whitespace', explanation: describeWhitespace(ours, theirs) };
  }

  // description: each prompt starts with its own description and the rest is the same
  const [dOurs, dTheirs] = ctx.descriptions ?? [null, null];
  if (dOurs !== null && dTheirs !== null && dOurs !== dTheirs && ours.startsWith(dOurs) && theirs.startsWith(dTheirs)) {
    if (ours.slice(dOurs.length) === theirs.slice(dTheirs.length)) {
      const how = collapseWhitespace(dOurs) === collapseWhitespace(dTheirs) ? ' (whitespace only, e.g. the trailing "\\n\\n")' : '';
      return { cause: 'description', explanation: `description differs${how}: ours ${clipText(dOurs)}, theirs ${clipText(dTheirs)}` };
    }
  }
  const restOurs = dOurs && ours.startsWith(dOurs) ? ours.slice(dOurs.length) : ours;
  const restTheirs = dTheirs && theirs.startsWith(dTheirs) ? theirs.slice(dTheirs.length) : theirs;

  const [nOurs, nTheirs] = ctx.nShot ?? [null, null];
  if (nOurs !== null && nTheirs !== null && nOurs !== nTheirs) {
    return { cause: 'fewshot-count', explanation: `ours is ${nOurs}-shot, theirs ${nTheirs}-shot (--num_fewshot differs)` };
  }

  const tail = sharedTail(restOurs, restTheirs, D);
  if (tail) {
    const bo = blocks(tail.headA, D);
    const bt = blocks(tail.headB, D);
    const shots = Math.max(nOurs ?? 0, nTheirs ?? 0);
    if (shots > 0 || (bo.length > 0 && bt.length > 0 && dOurs === null && dTheirs === null && bo.length > 1)) {
      if (bo.length !== bt.length && shots > 0) {
        return { cause: 'fewshot-count', explanation: `the examples before the question differ in number: ours ${bo.length} blocks, theirs ${bt.length} (few-shot sampler or delimiter)` };
      }
      const sameSet = [...bo].sort().join(D) === [...bt].sort().join(D);
      if (sameSet) {
        return { cause: 'fewshot-selection', explanation: `same ${bo.length} few-shot examples in a different order (sampler order or seed)` };
      }
      const theirSet = new Set(bt);
      const changed = bo.filter((x) => !theirSet.has(x)).length;
      const firstChanged = bo.findIndex((x, i) => x !== bt[i]);
      return {
        cause: 'fewshot-selection',
        explanation: `${changed} of ${bo.length} few-shot examples differ, first at example ${firstChanged + 1} (few-shot split, sampler or seed); the evaluated question is the same`,
      };
    }
    if (shots === 0 && dOurs === null && dTheirs === null && bo.length === 1 && bt.length === 1) {
      return { cause: 'description', explanation: `the text before the question differs (description?): ours ${clipText(bo[0]!)}, theirs ${clipText(bt[0]!)}` };
    }
    if (bo.length === 0 || bt.length === 0) {
      const extra = bo.length === 0 ? tail.headB : tail.headA;
      const who = bo.length === 0 ? 'theirs' : 'ours';
      return { cause: shots > 0 ? 'fewshot-count' : 'description', explanation: `${who} has extra text before the shared question: ${clipText(extra)}` };
    }
  }

  if (ours.endsWith(theirs) || theirs.endsWith(ours)) {
    const [longer, who] = ours.length > theirs.length ? [ours, 'theirs'] : [theirs, 'ours'];
    const cut = longer.length - Math.min(ours.length, theirs.length);
    return { cause: 'truncation', explanation: `${who} is the other's prompt with its first ${cut} characters cut off (left truncation)` };
  }
  if (ours.startsWith(theirs) || theirs.startsWith(ours)) {
    const [longer, who] = ours.length > theirs.length ? [ours, 'theirs'] : [theirs, 'ours'];
    const cut = longer.length - Math.min(ours.length, theirs.length);
    return { cause: 'truncation', explanation: `${who} is the other's prompt with its last ${cut} characters cut off (truncated document text?)` };
  }

  const [vOurs, vTheirs] = ctx.versions ?? [undefined, undefined];
  const at = firstDifference(ours, theirs)!;
  const version =
    vOurs !== undefined && vTheirs !== undefined && String(vOurs) !== String(vTheirs)
      ? `; task versions differ (ours ${String(vOurs)}, theirs ${String(vTheirs)}): a different prompt version`
      : '';
  return { cause: 'template', explanation: `prompt text differs from line ${at.line}, column ${at.column} (task template)${version}` };
}

/** Explains a continuation (arg_1 of a loglikelihood request) difference. */
export function explainContinuationDifference(ours: string, theirs: string): CauseExplanation | null {
  if (ours === theirs) return null;
  if (ours.trim() === theirs.trim()) {
    return { cause: 'target-delimiter', explanation: `continuation ours ${visible(ours)}, theirs ${visible(theirs)}: target_delimiter differs` };
  }
  if (collapseWhitespace(ours) === collapseWhitespace(theirs)) {
    return { cause: 'whitespace', explanation: `continuation whitespace differs: ours ${visible(ours)}, theirs ${visible(theirs)}` };
  }
  return { cause: 'template', explanation: `continuation ours ${clipText(ours)}, theirs ${clipText(theirs)} (choices or target differ)` };
}
