// compare states every task one run has and another lacks, unabbreviated, and which run holds it.
import { describe, expect, it } from 'vitest';
import { compareRunFolders } from '../../../src/report/compare/index.js';
import { tempDir, writeRun } from './run-writer.js';

describe('compare: tasks missing from a run', () => {
  it('names every one of them', () => {
    const names = Array.from({ length: 12 }, (_, i) => `task_${String(i).padStart(2, '0')}`);
    const all = Object.fromEntries(names.map((n) => [n, { metrics: { acc: 0.5 } }]));
    const a = writeRun(tempDir(), { modelName: 'org/model-a', tasks: all });
    const b = writeRun(tempDir(), { modelName: 'org/model-b', tasks: { task_00: all.task_00!, task_11: all.task_11! } });
    const c = compareRunFolders([a, b], { labels: ['A', 'B'], bootstrapIters: 10 });
    const missing = c.warnings.find((w) => w.startsWith('not in every run'));
    expect(missing).toBe(`not in every run, left out: ${names.slice(1, 11).join(', ')} (only in A)`);
  });
});
