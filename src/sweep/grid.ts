// The sweep grid: few-shot counts × chat template off/on, parsed from the CLI's lists, and what each cell
// changes in a `run` (its RunOptions and its folder name). Pure; bad values fail before any compute.
import { YardstickError } from '../errors.js';
import type { RunOptions } from '../run.js';

export interface SweepCell {
  numFewshot: number;
  /** the model's chat template applied (run's --apply-chat-template) */
  chatTemplate: boolean;
}

export interface SweepGrid {
  /** ascending, distinct */
  shots: number[];
  /** off before on, distinct */
  chatTemplate: boolean[];
}

/**
 * Whether `run` can apply a chat template yet. Until RunOptions has the option, the chat axis takes
 * `off` only; wiring it is this flag plus one line in `cellRunOptions`.
 */

/** "--num-fewshot 0,1,5" → [0, 1, 5]; anything but distinct whole numbers ≥ 0 is refused in one line. */
export function parseShotList(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  const shots: number[] = [];
  for (const p of parts) {
    const n = Number(p);
    if (p === '' || !/^\d+$/.test(p) || !Number.isSafeInteger(n)) {
      throw new YardstickError('usage', `--num-fewshot '${text}' has '${p}', which is not a whole number (0 or more)`, {
        hint: 'give a comma-separated list such as --num-fewshot 0,1,5',
      });
    }
    if (shots.includes(n)) {
      throw new YardstickError('usage', `--num-fewshot '${text}' lists ${n} twice`, { hint: 'list each few-shot count once' });
    }
    shots.push(n);
  }
  return shots.sort((a, b) => a - b);
}

/** "--chat-template off,on" → [false, true]. */
export function parseChatTemplateList(text: string): boolean[] {
  const values: boolean[] = [];
  for (const p of text.split(',').map((x) => x.trim().toLowerCase())) {
    if (p !== 'off' && p !== 'on') {
      throw new YardstickError('usage', `--chat-template '${text}' has '${p}'; the values are off and on`, {
        hint: 'e.g. --chat-template off,on',
      });
    }
    const on = p === 'on';
    if (values.includes(on)) {
      throw new YardstickError('usage', `--chat-template '${text}' lists ${p} twice`, { hint: 'list off and on at most once each' });
    }
    values.push(on);
  }
  return values.sort((a, b) => Number(a) - Number(b));
}

/** Every cell, chat template off before on, then by few-shot count. */
export function gridCells(grid: SweepGrid): SweepCell[] {
  return grid.chatTemplate.flatMap((chatTemplate) => grid.shots.map((numFewshot) => ({ numFewshot, chatTemplate })));
}

/** The cell's folder under the sweep's output: "fewshot-5", "fewshot-5-chat". */
export function cellName(cell: SweepCell): string {
  return `fewshot-${cell.numFewshot}${cell.chatTemplate ? '-chat' : ''}`;
}

/** "5-shot", "5-shot chat": the cell's column heading. */
export function cellLabel(cell: SweepCell): string {
  return `${cell.numFewshot}-shot${cell.chatTemplate ? ' chat' : ''}`;
}

/** What the cell changes in a run; everything else is the sweep's shared options, passed through unchanged.
 *  A chat cell uses the sweep's --apply-chat-template NAME when given (else the model's default template)
 *  and its --fewshot-as-multiturn; a plain cell uses neither. */
export function cellRunOptions(cell: SweepCell, shared: Pick<RunOptions, 'applyChatTemplate' | 'fewshotAsMultiturn'> = {}): Pick<RunOptions, 'numFewshot' | 'applyChatTemplate' | 'fewshotAsMultiturn'> {
  if (!cell.chatTemplate) return { numFewshot: cell.numFewshot, applyChatTemplate: undefined, fewshotAsMultiturn: undefined };
  return { numFewshot: cell.numFewshot, applyChatTemplate: shared.applyChatTemplate ?? true, fewshotAsMultiturn: shared.fewshotAsMultiturn };
}
