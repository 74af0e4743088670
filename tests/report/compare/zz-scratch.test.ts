import { test } from 'vitest';
import { openRunFolder } from '../../../src/report/run-folder.js';
import { buildComparison } from '../../../src/report/compare/build.js';
import { comparisonMarkdown } from '../../../src/report/compare/markdown.js';
test('scratch', () => {
  const F = 'tests/fixtures/runs/';
  for (const set of [['seed/smollm-135m', 'seed/smollm-360m'], ['family/tiny-135m', 'family/tiny-360m', 'family/tiny-1.7b'], ['mismatch/variant', 'family/tiny-360m']]) {
    const t0 = Date.now();
    const c = buildComparison(set.map((p) => openRunFolder(F + p)));
    console.log(comparisonMarkdown(c), Date.now() - t0);
  }
});
