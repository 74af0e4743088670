// Acceptance for the comparison report (issue 16): report.html from two tiny-model runs (the offline demo:
// generated models, bundled documents, every seed task) in headless Chromium. The summary states who wins
// how many comparisons; perplexity is drawn on a log axis with positive intervals; no chart is drawn for
// nothing; MMLU is drawn once; no label is cut. Writes test-artifacts/report-acceptance/report.png.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_MODELS, runDemo } from '../../../src/demo/demo.js';
import { skipNote } from '../../helpers/skip.js';

const CHROMIUM = '/usr/bin/chromium';
const OUT = resolve('test-artifacts', 'report-acceptance');

/** Task and metric pairs of the benchmarks themselves: results entries that are no group's subtask. */
function topLevelMetrics(resultsFile: string): Array<[string, string]> {
  const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
  const children = new Set(Object.values(r.group_subtasks as Record<string, string[]>).flat());
  return Object.entries(r.results as Record<string, Record<string, unknown>>)
    .filter(([task]) => !children.has(task))
    .flatMap(([task, entry]) =>
      Object.keys(entry)
        .filter((k) => k.includes(',') && !k.includes('_stderr'))
        .map((k): [string, string] => [task, k.split(',')[0]!]),
    );
}

describe.skipIf(!existsSync(CHROMIUM))(
  `report.html of two tiny-model runs in headless Chromium${skipNote(existsSync(CHROMIUM), `${CHROMIUM} not found; apt-get install -y chromium fonts-dejavu-core (README: Tests)`)}`,
  () => {
    let browser: Browser;
    let page: Page;
    let resultsFiles: string[];
    const labels = DEMO_MODELS.map((m) => m.label);

    beforeAll(async () => {
      rmSync(OUT, { recursive: true, force: true });
      mkdirSync(OUT, { recursive: true });
      const demo = await runDemo({ outDir: join(OUT, 'demo') });
      resultsFiles = demo.runs.map((r) => r.resultsFile);
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
      });
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(pathToFileURL(demo.reportHtml).href, { waitUntil: 'load' });
    }, 300_000);

    afterAll(async () => {
      if (page) await page.screenshot({ path: join(OUT, 'report.png'), fullPage: true });
      await browser?.close();
    });

    test('the summary says who wins how many comparisons, counting each benchmark once', async () => {
      const top = topLevelMetrics(resultsFiles[0]!);
      // the seed suite: LAMBADA acc and perplexity, Winogrande, 11 GLUE rows, the MATH and MMLU groups
      expect(top.length).toBe(16);
      const lead = await page.locator('#summary .lead').innerText();
      const m = /^(?:(\S+) is significantly better on (\d+) of (\d+) comparisons, (\S+) on (none|\d+)|No significant difference on any of (\d+) comparisons)/.exec(lead);
      expect(m, lead).not.toBeNull();
      const total = Number(m![3] ?? m![6]);
      expect(total).toBe(top.length);

      // the counts agree with the verdict column of the benchmarks' own rows in the family tables
      const names = ['LAMBADA', 'Winogrande', 'CoLA', 'MNLI', 'MNLI (mismatched)', 'MRPC', 'QNLI', 'QQP', 'RTE', 'SST-2', 'WNLI', 'MATH', 'MMLU'];
      const verdicts = await page.$$eval(
        'section:not(#family-subtasks) table.cmp tbody tr',
        (trs, wanted) =>
          trs
            .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''))
            .filter((cells) => (wanted as string[]).includes(cells[0]!))
            .map((cells) => cells[cells.length - 1]!),
        names,
      );
      expect(verdicts.length).toBe(top.length);
      const wins = labels.map((l) => verdicts.filter((v) => v.startsWith(`${l} (`)).length);
      if (m![1]) {
        const byLabel = new Map([
          [m![1], Number(m![2])],
          [m![4]!, m![5] === 'none' ? 0 : Number(m![5])],
        ]);
        expect(labels.map((l) => byLabel.get(l))).toEqual(wins);
        expect(lead).toContain(`${verdicts.filter((v) => v.startsWith('Tie')).length} show no significant difference`);
      } else {
        expect(wins).toEqual([0, 0]);
      }
      // largest differences, in words and numbers
      const effects = await page.locator('#summary ul.effects li').allInnerTexts();
      expect(effects.length).toBeGreaterThan(0);
      for (const e of effects) expect(e).toMatch(/^.+: (tiny-64|tiny-96) [\d.]+(× lower| points higher| points lower| higher| lower) \(.+ vs .+; (p[=<][\d.]+|not tested)/);
    });

    test('perplexity: a log axis, no value below zero, positive 95 % intervals in the table', async () => {
      const fig = page.locator('#family-lm figure.chart[data-y-scale="log"]');
      expect(await fig.count()).toBe(1);
      const ticks = (await fig.locator('.role-axis-label text').allTextContents()).map((t) => t.trim());
      const yTicks = ticks.map(Number).filter((x) => !Number.isNaN(x));
      expect(yTicks.length).toBeGreaterThanOrEqual(3);
      for (const t of yTicks) expect(t).toBeGreaterThan(0);
      // a log axis: equal ratios between neighbouring ticks
      const ratios = yTicks.slice(1).map((t, i) => t / yTicks[i]!);
      for (const r of ratios) expect(r).toBeCloseTo(ratios[0]!, 6);
      expect(Math.abs(ratios[0]!)).toBeGreaterThan(1.5);
      for (const t of ticks) expect(t).not.toMatch(/^[-−]/); // no negative label on any axis

      const cells = await page.$$eval('#family-lm table.cmp tbody tr', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')).filter((c) => c[1] === 'perplexity'),
      );
      expect(cells.length).toBe(1);
      for (const cell of cells[0]!.slice(3, 5)) {
        const ci = /^(\S+) \[(\S+), (\S+)\]$/.exec(cell);
        expect(ci, cell).not.toBeNull();
        const [value, lo, hi] = ci!.slice(1).map(Number);
        expect(lo).toBeGreaterThan(0);
        expect(lo!).toBeLessThan(value!);
        expect(hi!).toBeGreaterThan(value!);
      }
    });

    test('every chart draws something; all-zero MATH scores become a note; MMLU is drawn once; no label cut', async () => {
      const figures = page.locator('figure.chart');
      const n = await figures.count();
      expect(n).toBeGreaterThanOrEqual(4);
      let mmluCharts = 0;
      for (let i = 0; i < n; i++) {
        const f = figures.nth(i);
        expect(await f.locator('.mark-rect path, .mark-symbol path').count()).toBeGreaterThan(0);
        const text = (await f.locator('svg text').allTextContents()).join('\n');
        expect(text).not.toContain('…');
        if (text.includes('MMLU Humanities')) mmluCharts++;
      }
      expect(mmluCharts).toBe(1);
      // the demo's random models never solve a MATH problem: named in a note, not drawn as empty bars
      const math = page.locator('#chart-family-math svg');
      const mathText = (await math.locator('text').allTextContents()).join('\n');
      expect(mathText).toMatch(/every model scores exactly 0/);
      const xLabels = await math.locator('.role-axis-label text').allTextContents();
      expect(xLabels.some((t) => t.startsWith('MATH'))).toBe(false);
      expect(xLabels).toContain('MMLU');
    });

    test('tables show documents per task and short model labels', async () => {
      const header = await page.locator('#family-glue table.cmp thead th').allInnerTexts();
      expect(header.slice(0, 5)).toEqual(['Task', 'Metric', 'Docs', 'tiny-64 (95 % CI)', 'tiny-96 (95 % CI)']);
      const rte = await page.locator('#family-glue table.cmp tr', { hasText: 'RTE' }).locator('td').allInnerTexts();
      const samples = readdirSync(join(resultsFiles[0]!, '..')).find((f) => f.startsWith('samples_rte_'))!;
      const docs = readFileSync(join(resultsFiles[0]!, '..', samples), 'utf8').trim().split('\n').length;
      expect(rte[2]).toBe(String(docs));
    });
  },
);
