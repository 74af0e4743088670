// `yardstick sweep` as a library call: every (model, cell) of the grid is one `run` (runEvaluation, with the
// sweep's shared options and the cell's few-shot count), written where `run --output-path <out>/<cell>`
// writes it; then the sweep report is derived from the results files. Every cell is pre-flighted before
// the first forward pass, so a grid value a task cannot take (or a model without the chat template a chat
// cell needs) fails before any compute. Each model is opened once for all its cells.
import { join } from 'node:path';
import { YardstickError, isYardstickError } from '../errors.js';
import { parseModelSpec } from '../engines/registry.js';
import { PreflightError, preflight } from '../preflight.js';
import { openCheckingChatTemplates, openRunEngine, runEvaluation, type RunOptions } from '../run.js';
import type { Engine } from '../engines/types.js';
import { TaskRegistry } from '../tasks/registry.js';
import { cellLabel, cellName, cellRunOptions, gridCells, type SweepCell, type SweepGrid } from './grid.js';

export type { SweepCell, SweepGrid } from './grid.js';

export interface SweepOptions {
  /** --model specs, each swept over the whole grid */
  models: readonly string[];
  grid: SweepGrid;
  /** the sweep's folder: one run folder per cell, then the report */
  outputPath: string;
  /** the options every cell shares (run's options but the model, few-shot count and output path) */
  base: Omit<RunOptions, 'model' | 'numFewshot' | 'outputPath'>;
  /** evaluates one cell; returns its results file, or undefined when it did not complete (default: runEvaluation) */
  runCell?: (options: RunOptions) => Promise<string | undefined>;
  /** told before each cell starts */
  onCell?: (cell: SweepCellRun, index: number, count: number) => void;
}

export interface SweepCellRun {
  /** the --model spec */
  model: string;
  cell: SweepCell;
  /** the cell's --output-path: <outputPath>/fewshot-<k>[-chat] */
  folder: string;
}

export interface SweepCellResult extends SweepCellRun {
  /** absent when the cell did not complete (a failed task, an interruption) */
  resultsFile?: string;
}

export interface SweepOutcome {
  cells: SweepCellResult[];
}

/** Every (model, cell) pair in run order: one model at a time, through its whole grid. */
export function sweepPlan(models: readonly string[], grid: SweepGrid, outputPath: string): SweepCellRun[] {
  return models.flatMap((model) => gridCells(grid).map((cell) => ({ model, cell, folder: join(outputPath, cellName(cell)) })));
}

export async function runSweep(options: SweepOptions): Promise<SweepOutcome> {
  if (options.outputPath.endsWith('.json')) {
    throw new YardstickError('usage', `--output-path ${options.outputPath} names a file, but a sweep writes a folder per cell`, {
      hint: 'give a folder, e.g. --output-path sweep',
    });
  }
  const plan = sweepPlan(options.models, options.grid, options.outputPath);
  await preflightCells(plan, options.base);
  // chat cells need every model's template: looked up before any cell runs (the first model stays open)
  const chatCell = gridCells(options.grid).find((c) => c.chatTemplate);
  const chat = chatCell && cellRunOptions(chatCell, options.base).applyChatTemplate;
  let engine: Engine | undefined =
    chat === undefined
      ? undefined
      : await openCheckingChatTemplates(options.models, options.base, chat).catch((e: unknown) => {
          throw isYardstickError(e) ? new YardstickError(e.kind, `the chat cells: ${e.message}`, { hint: e.hint }) : e;
        });
  let engineModel = engine ? options.models[0] : undefined;
  const runCell = options.runCell ?? (async (o: RunOptions) => (await runEvaluation(o)).resultsFile);
  const cells: SweepCellResult[] = [];
  try {
    // the plan runs one model at a time: each is opened once for all its cells
    for (const [i, entry] of plan.entries()) {
      if (entry.model !== engineModel) {
        await engine?.close();
        engine = undefined;
        engine = await openRunEngine({ ...options.base, model: entry.model });
        engineModel = entry.model;
      }
      options.onCell?.(entry, i, plan.length);
      const resultsFile = await runCell({ ...options.base, ...cellRunOptions(entry.cell, options.base), model: entry.model, engine, outputPath: entry.folder });
      cells.push({ ...entry, resultsFile });
    }
  } finally {
    await engine?.close();
  }
  return { cells };
}

/**
 * The pre-flight check run does, for every cell at once: a task without few-shot documents, say, fails
 * the 5-shot cell here rather than after the 0-shot cell has been computed.
 */
async function preflightCells(plan: readonly SweepCellRun[], base: SweepOptions['base']): Promise<void> {
  const registry = TaskRegistry.load(base.includePaths ?? []);
  const several = new Set(plan.map((p) => p.model)).size > 1;
  for (const entry of plan) {
    const { numFewshot } = cellRunOptions(entry.cell);
    const inCell = (e: YardstickError): YardstickError =>
      new YardstickError(e.kind, `${plan.length > 1 ? `${cellLabel(entry.cell)} cell${several ? ` of ${entry.model}` : ''}: ` : ''}${e.message}`, { hint: e.hint });
    await preflight({
      registry,
      taskNames: base.tasks,
      data: base.data,
      model: parseModelSpec(entry.model, base.modelArgs),
      limit: base.limit,
      numFewshot,
      outputPath: entry.folder,
      logSamples: base.logSamples,
      skipMissing: base.skipMissing,
      prompt: { systemInstruction: base.systemInstruction },
    }).catch((e: unknown) => {
      if (e instanceof PreflightError) throw new PreflightError(e.problems.map(inCell), /--skip-missing/.test(e.hint ?? ''));
      throw isYardstickError(e) ? inCell(e) : e;
    });
  }
}
