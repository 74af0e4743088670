// The sweep's report.html in headless Chromium (playwright-core, as tests/report/html/report-browser.test.ts):
// loads offline with no console error and no request but the file, the table has a row per task and a
// column per cell, and each task's chart draws a point and a stderr bar per cell. Skipped without Chromium.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { writeSweepReport } from '../../../src/report/sweep/index.js';
import { tempDir, writeRun } from '../compare/run-writer.js';
import { skipNote } from '../../helpers/skip.js';
import { CHROMIUM, openPage } from '../../helpers/browser.js';

const HAS_CHROMIUM = existsSync(CHROMIUM);

if (!HAS_CHROMIUM) {
  test.skip(`sweep report.html in a browser${skipNote(false, `${CHROMIUM} not found; apt-get install -y chromium fonts-dejavu-core (README: Tests)`)}`, () => {});
} else {
  describe('sweep report.html in headless Chromium', () => {
    test('renders the table and a chart per task', async () => {
      const root = tempDir('yardstick-sweep-report-');
      const cells = [0, 1, 5].map((numFewshot, i) => {
        const dir = join(root, `fewshot-${numFewshot}`);
        writeRun(dir, {
          modelName: 'tiny',
          tasks: { winogrande: { metrics: { acc: 0.5 + 0.1 * i }, higherIsBetter: { acc: true } }, mmlu_anatomy: { metrics: { acc: 0.25 + 0.05 * i }, higherIsBetter: { acc: true } } },
        });
        return { model: 'onnx:tiny', cell: { numFewshot, chatTemplate: false }, resultsFile: join(dir, 'tiny', 'results_2025-03-01T12-00-00.000000.json') };
      });
      await writeSweepReport(cells, root);
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
      try {
        const { page, requests, errors, url } = await openPage(browser, join(root, 'report.html'));
        expect(await page.locator('#sweep table.sweep').isVisible()).toBe(true);
        expect(await page.locator('#sweep table.sweep thead th').allInnerTexts()).toEqual(['Task', 'Metric', '0-shot', '1-shot', '5-shot']);
        expect(await page.locator('#sweep tr[data-task="winogrande"] td').allInnerTexts()).toEqual(['winogrande', 'acc', '0.5000 ± 0.0100', '0.6000 ± 0.0100', '0.7000 ± 0.0100']);
        for (const task of ['winogrande', 'mmlu_anatomy']) {
          const chart = page.locator(`#chart-sweep-${task} svg`);
          const box = await chart.boundingBox();
          expect(box!.width).toBeGreaterThan(100);
          expect(box!.height).toBeGreaterThan(100);
          expect(await chart.locator('[aria-roledescription="point"]').count()).toBe(3);
          expect(await chart.locator('[aria-roledescription="rule mark"]').count()).toBe(3);
        }
        expect(errors).toEqual([]);
        expect(requests).toEqual([url]);
      } finally {
        await browser.close();
      }
    });
  });
}
