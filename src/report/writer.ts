// Writes a run's record as it is made: each task's samples as soon as the task is done, a progress
// record while the run is unfinished, and results_<date>.json only when the run is complete. Every
// file is written atomically, and partial progress uses a name compare and parity never pick up.
import { rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { TaskRun } from '../evaluation.js';
import { writeFileAtomic } from './atomic-write.js';
import { runFolderName } from './model-name.js';
import { pyJsonDumps } from './pyjson.js';
import { samplesJsonl } from './samples.js';

/** lm-eval's date_id: local ISO time with microseconds, ':' replaced by '-'. */
export function dateId(d = new Date()): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}-${p(d.getMinutes())}-${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}000`;
}

export class RunWriter {
  /** where results_<date>.json goes once the run is complete */
  readonly resultsFile: string;
  /** the record of an unfinished run: never matches results_*.json */
  readonly progressFile: string;
  readonly sampleFiles: string[] = [];
  readonly dir: string;

  constructor(
    outputPath: string,
    modelName: string,
    private readonly logSamples: boolean,
    readonly id: string = dateId(),
  ) {
    this.resultsFile = outputPath.endsWith('.json')
      ? `${outputPath.slice(0, -'.json'.length)}_${id}.json`
      : join(outputPath, runFolderName(modelName), `results_${id}.json`);
    this.dir = dirname(this.resultsFile);
    this.progressFile = join(this.dir, `partial_${basename(this.resultsFile)}`);
  }

  /** Called as each task finishes, before the next one starts. */
  taskDone(run: TaskRun): void {
    if (!this.logSamples) return;
    const file = join(this.dir, `samples_${run.node.name}_${this.id}.jsonl`);
    writeFileAtomic(file, samplesJsonl(run));
    this.sampleFiles.push(file);
  }

  /** The finished tasks' results so far (an interrupted or failed run). */
  writeProgress(results: Record<string, unknown>): string {
    writeFileAtomic(this.progressFile, pyJsonDumps({ complete: false, ...results }, { indent: 2 }));
    return this.progressFile;
  }

  /** The complete run's results; the progress record, if any, is no longer needed. */
  writeFinal(results: Record<string, unknown>): string {
    writeFileAtomic(this.resultsFile, pyJsonDumps(results, { indent: 2 }));
    rmSync(this.progressFile, { force: true });
    return this.resultsFile;
  }
}
