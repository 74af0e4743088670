// I/O edge of parity: reads a run folder (ours or lm-eval's --output_path with --log_samples) into the
// plain ParityRun the comparison works on.
import { openRunFolder, readSamples, type SampleRecord } from '../report/run-folder.js';
import type { ParityRun } from './types.js';

export function loadParityRun(path: string): ParityRun {
  const folder = openRunFolder(path);
  const samples = new Map<string, SampleRecord[]>();
  for (const task of folder.samplesPaths.keys()) {
    const records = readSamples(folder, task);
    if (records) samples.set(task, records);
  }
  return { label: folder.resultsPath, results: folder.results, samples };
}
