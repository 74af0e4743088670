// `yardstick demo` as a library call: two generated tiny models, the bundled sample documents, both models
// evaluated on the whole seed suite (fully offline), then the comparison report. Nothing is downloaded.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { createDataSource } from '../data/source.js';
import { YardstickError } from '../errors.js';
import type { Progress } from '../engines/scheduler.js';
import { makeModel } from '../models/make-model.js';
import { compareRuns, type CompareRunsResult } from '../report/compare/index.js';
import { runEvaluation, type RunOutcome } from '../run.js';
import { writeSampleData } from './sample-docs.js';
import { SEED_TASKS } from './seed-suite.js';

export { SEED_TASKS };

export interface DemoModel {
  /** label in the comparison (and the model's folder name) */
  label: string;
  preset: string;
  seed: number;
}

/** Two random-weight models of different sizes; labels say their hidden size. */
export const DEMO_MODELS: readonly DemoModel[] = [
  { label: 'tiny-64', preset: 'tiny', seed: 1 },
  { label: 'tiny-96', preset: 'tiny-wide', seed: 2 },
];

export type DemoEvent =
  | { kind: 'step'; message: string }
  | { kind: 'requests'; model: string; phase: string; progress: Progress };

export interface DemoOptions {
  /** new or empty folder, or an earlier demo's (whose models/, data/, runs/ and report/ are replaced) */
  outDir: string;
  onProgress?: (event: DemoEvent) => void;
  /** tasks to evaluate (default: the seed suite) */
  tasks?: readonly string[];
}

export interface DemoModelRun {
  model: DemoModel;
  modelDir: string;
  outcome: RunOutcome;
  resultsFile: string;
}

export interface DemoResult {
  outDir: string;
  dataDir: string;
  runs: DemoModelRun[];
  comparison: CompareRunsResult;
  reportHtml: string;
  comparisonMd: string;
  elapsedSeconds: number;
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const say = (message: string): void => options.onProgress?.({ kind: 'step', message });
  const outDir = resolve(options.outDir);
  const folders = { models: join(outDir, 'models'), data: join(outDir, 'data'), runs: join(outDir, 'runs'), report: join(outDir, 'report') };
  prepareOutDir(outDir, options.outDir, Object.values(folders));

  const modelDirs: string[] = [];
  for (const m of DEMO_MODELS) {
    const made = await makeModel({ preset: m.preset, seed: m.seed, outDir: join(folders.models, m.label) });
    say(`made model ${m.label} (preset ${m.preset}, seed ${m.seed}, ${(made.parameters / 1e6).toFixed(2)}M parameters)`);
    modelDirs.push(made.dir);
  }

  const written = writeSampleData(folders.data);
  say(`wrote ${written.documents} sample documents (${written.files.length} splits) to ${folders.data}`);

  const data = createDataSource({ dataDir: folders.data, hub: false });
  const tasks = [...(options.tasks ?? SEED_TASKS)];
  const runs: DemoModelRun[] = [];
  for (const [i, m] of DEMO_MODELS.entries()) {
    say(`evaluating ${m.label} on ${tasks.join(', ')}`);
    const outcome = await runEvaluation({
      model: `onnx:${asTyped(modelDirs[i]!)}`,
      tasks,
      data,
      outputPath: join(folders.runs, m.label),
      logSamples: true,
      onProgress: (e, progress) => options.onProgress?.({ kind: 'requests', model: m.label, phase: `${e.task} ${e.phase}`, progress }),
    });
    for (const f of outcome.run.failed) say(`${m.label}: ${f.error.oneLine()}`);
    runs.push({ model: m, modelDir: modelDirs[i]!, outcome, resultsFile: outcome.resultsFile! });
  }

  say('comparing the runs');
  const comparison = await compareRuns({
    runs: runs.map((r) => r.resultsFile),
    labels: DEMO_MODELS.map((m) => m.label),
    outputDir: folders.report,
  });
  return {
    outDir,
    dataDir: folders.data,
    runs,
    comparison,
    reportHtml: join(folders.report, 'report.html'),
    comparisonMd: join(folders.report, 'comparison.md'),
    elapsedSeconds: (Date.now() - started) / 1000,
  };
}

/** Marks a folder the demo wrote, so a rerun may replace its sub-folders and nothing else is ever deleted. */
const MARKER = '.yardstick-demo';

/** Accepts a new, empty or earlier demo folder; clears the earlier demo's sub-folders so no stale run remains. */
function prepareOutDir(outDir: string, asGiven: string, subFolders: readonly string[]): void {
  if (existsSync(outDir)) {
    if (!statSync(outDir).isDirectory()) {
      throw new YardstickError('usage', `demo output ${asGiven} is a file, not a folder`, { hint: 'choose another --out folder' });
    }
    const entries = readdirSync(outDir);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new YardstickError('usage', `demo output ${asGiven} is a non-empty folder the demo did not create`, {
        hint: 'choose a new or empty --out folder (the demo replaces its models/, data/, runs/ and report/)',
      });
    }
  }
  for (const dir of subFolders) rmSync(dir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, MARKER), 'written by `yardstick demo`; a rerun replaces models/, data/, runs/ and report/\n');
}

/** The path as a user would type it: relative to the working folder when inside it (it names the run folder). */
function asTyped(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
