// The sweep grid: list parsing (bad values refused in one line), cell order, names and run options.
import { describe, expect, it } from 'vitest';
import { YardstickError } from '../../src/errors.js';
import { cellLabel, cellName, cellRunOptions, gridCells, parseChatTemplateList, parseShotList } from '../../src/sweep/grid.js';
import { sweepPlan } from '../../src/sweep/run.js';

function usageLine(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(YardstickError);
    const line = (e as YardstickError).oneLine();
    expect(line).not.toContain('\n');
    return line;
  }
  throw new Error('expected a YardstickError');
}

describe('--num-fewshot list', () => {
  it('parses whole numbers, sorted ascending', () => {
    expect(parseShotList('0,1,5')).toEqual([0, 1, 5]);
    expect(parseShotList('5, 0 ,25')).toEqual([0, 5, 25]);
    expect(parseShotList('3')).toEqual([3]);
  });

  it.each([
    ['0,x', "'x'"],
    ['0,,1', "''"],
    ['-1', "'-1'"],
    ['1.5', "'1.5'"],
    ['1e2', "'1e2'"],
    ['', "''"],
  ])('refuses %j naming the bad value', (text, bad) => {
    const line = usageLine(() => parseShotList(text));
    expect(line).toContain(`--num-fewshot '${text}' has ${bad}`);
    expect(line).toContain('--num-fewshot 0,1,5');
  });

  it('refuses a count listed twice', () => {
    expect(usageLine(() => parseShotList('0,5,5'))).toContain('lists 5 twice');
  });
});

describe('--chat-template list', () => {
  it('takes off and on, off first', () => {
    expect(parseChatTemplateList('off')).toEqual([false]);
    expect(parseChatTemplateList('on,off')).toEqual([false, true]);
    expect(parseChatTemplateList(' ON ')).toEqual([true]);
  });

  it('refuses other values and repeats', () => {
    expect(usageLine(() => parseChatTemplateList('off,yes'))).toContain("has 'yes'; the values are off and on");
    expect(usageLine(() => parseChatTemplateList('off,off'))).toContain('lists off twice');
  });
});

describe('cells', () => {
  it('orders chat template off before on, then by shots, and names each cell', () => {
    const cells = gridCells({ shots: [0, 1, 5], chatTemplate: [false, true] });
    expect(cells.map(cellName)).toEqual(['fewshot-0', 'fewshot-1', 'fewshot-5', 'fewshot-0-chat', 'fewshot-1-chat', 'fewshot-5-chat']);
    expect(cells.map(cellLabel)).toEqual(['0-shot', '1-shot', '5-shot', '0-shot chat', '1-shot chat', '5-shot chat']);
  });

  it('changes only the few-shot count and whether the chat template applies', () => {
    expect(cellRunOptions({ numFewshot: 5, chatTemplate: false }, { applyChatTemplate: 'tool_use' })).toEqual({ numFewshot: 5, applyChatTemplate: undefined, fewshotAsMultiturn: undefined });
    expect(cellRunOptions({ numFewshot: 1, chatTemplate: true })).toEqual({ numFewshot: 1, applyChatTemplate: true, fewshotAsMultiturn: undefined });
    expect(cellRunOptions({ numFewshot: 1, chatTemplate: true }, { applyChatTemplate: 'tool_use', fewshotAsMultiturn: false })).toEqual({ numFewshot: 1, applyChatTemplate: 'tool_use', fewshotAsMultiturn: false });
  });

  it('plans one model at a time through the whole grid, each cell a run folder under the output', () => {
    const plan = sweepPlan(['a', 'b'], { shots: [0, 5], chatTemplate: [false] }, 'out');
    expect(plan.map((p) => `${p.model} ${p.folder}`)).toEqual(['a out/fewshot-0', 'a out/fewshot-5', 'b out/fewshot-0', 'b out/fewshot-5']);
  });
});
