// compareRuns, the library entry point the demo calls: which files it writes and what they hold.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { compareRuns, type CompareRunsResult } from '../../../src/report/compare/index.js';
import { tempDir } from './run-writer.js';

const F = 'tests/fixtures/runs/family';

describe('two runs', () => {
  let result: CompareRunsResult;
  let outDir: string;
  beforeAll(async () => {
    outDir = tempDir();
    result = await compareRuns({ runs: [`${F}/tiny-135m`, `${F}/tiny-360m`], labels: ['135M', '360M'], outputDir: outDir, bootstrapIters: 1000 });
  });

  test('writes comparison.md, one SVG and PNG per chart, and report.html', () => {
    const names = result.files.map((f) => basename(f)).sort();
    expect(names).toEqual(
      [
        'comparison.md',
        'family-glue.png',
        'family-glue.svg',
        'family-lm-perplexity.png',
        'family-lm-perplexity.svg',
        'family-lm.png',
        'family-lm.svg',
        'family-math.png',
        'family-math.svg',
        'family-other.png',
        'family-other.svg',
        'report.html',
      ].sort(),
    );
    for (const f of result.files.filter((x) => x.endsWith('.png'))) {
      expect([...readFileSync(f).subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    }
    for (const f of result.files.filter((x) => x.endsWith('.svg'))) {
      expect(readFileSync(f, 'utf8')).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    }
  });

  test('comparison.md holds the tables returned as tablesMarkdown, the method and the run list', () => {
    const md = readFileSync(`${outDir}/comparison.md`, 'utf8');
    expect(md).toContain(result.tablesMarkdown);
    expect(result.tablesMarkdown).toMatch(
      /^## Language modeling & reasoning\n\n\| Task \| Metric \| Docs \| 135M \(95 % CI\) \| 360M \(95 % CI\) \| Better model \|/,
    );
    expect(md).toContain(result.summary);
    expect(md.indexOf(result.summary)).toBeLessThan(md.indexOf(result.tablesMarkdown));
    expect(md).toMatch(/McNemar's exact test/);
    expect(md).toMatch(/- \*\*135M\*\*: `example\/tiny-135M`/);
  });

  test('report.html is self-contained: no URL, no external resource', () => {
    const html = readFileSync(`${outDir}/report.html`, 'utf8');
    expect(html).not.toMatch(/https?:|\/\/[a-z]/i);
    expect(html).not.toMatch(/<(link|img|iframe)\b|\bsrc=/i);
    expect(html.match(/<svg\b/g)!.length).toBe(5); // lm, lm perplexity, glue, math (MMLU included), other
    expect(html).toContain('id="yardstick-data"');
  });
});

test('three models with parameter counts also get score-against-size charts', async () => {
  const outDir = tempDir();
  const r = await compareRuns({
    runs: [`${F}/tiny-135m`, `${F}/tiny-360m`, `${F}/tiny-1.7b`],
    outputDir: outDir,
    bootstrapIters: 500,
  });
  const names = r.files.map((f) => basename(f));
  expect(names).toContain('scaling-glue.svg');
  expect(names).toContain('scaling-lm.png');
  expect(r.comparison.labels).toEqual(['example/tiny-135M', 'example/tiny-360M', 'example/tiny-1.7B']);
  const svg = readFileSync(`${outDir}/scaling-glue.svg`, 'utf8');
  // log-scale axis labelled in B/M units
  expect(svg).toMatch(/>1B</);
  expect(svg).toMatch(/>200M</);
});
