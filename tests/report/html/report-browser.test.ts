// report.html in a real headless browser (Debian chromium driven by playwright-core): loads offline with
// no console errors and no request but the file itself; tables, charts and the drill-down filter work.
// Writes test-artifacts/report.png. Skipped when /usr/bin/chromium is missing.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compareRuns } from '../../../src/report/compare/index.js';
import { choiceSample, tempDir, writeRun } from '../compare/run-writer.js';
import { skipNote } from '../../helpers/skip.js';
import { CHROMIUM, openPage } from '../../helpers/browser.js';

const HAS_CHROMIUM = existsSync(CHROMIUM);
const F = 'tests/fixtures/runs/family';
const RUNS = [`${F}/tiny-135m`, `${F}/tiny-360m`];

function samplesOf(run: string, task: string): Array<Record<string, any>> {
  const dir = join(run, readdirSync(run)[0]!);
  const file = readdirSync(dir).find((f) => f.startsWith(`samples_${task}_`))!;
  return readFileSync(join(dir, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

/** RUNS[1] relabelled as RUNS[0]'s model in another precision (same parameter count), for the drift view,
 *  which different models do not get. */
function asSameModel(run: string, like: string): string {
  const copy = join(tempDir(), 'same-model');
  cpSync(run, copy, { recursive: true });
  const dir = join(copy, readdirSync(copy)[0]!);
  const file = join(dir, readdirSync(dir).find((f) => f.startsWith('results_'))!);
  const likeDir = join(like, readdirSync(like)[0]!);
  const likeResults = JSON.parse(readFileSync(join(likeDir, readdirSync(likeDir).find((f) => f.startsWith('results_'))!), 'utf8'));
  const results = JSON.parse(readFileSync(file, 'utf8'));
  results.config.model_num_parameters = likeResults.config.model_num_parameters;
  writeFileSync(file, JSON.stringify(results));
  return copy;
}

function resultsOf(run: string): Record<string, Record<string, number>> {
  const dir = join(run, readdirSync(run)[0]!);
  const file = readdirSync(dir).find((f) => f.startsWith('results_'))!;
  return JSON.parse(readFileSync(join(dir, file), 'utf8')).results;
}

function pick(s: Record<string, any>): number {
  const lls = (s.filtered_resps as string[][]).map((r) => Number(r[0]));
  return lls.indexOf(Math.max(...lls));
}

const open = openPage;

if (!HAS_CHROMIUM) {
  test.skip(`report.html in a browser${skipNote(false, `${CHROMIUM} not found; apt-get install -y chromium fonts-dejavu-core (README: Tests)`)}`, () => {});
} else {
  describe('report.html in headless Chromium', () => {
    let browser: Browser;
    let reportFile: string;
    let driftReportFile: string;

    beforeAll(async () => {
      const out = tempDir();
      await compareRuns({ runs: RUNS, labels: ['135M', '360M'], outputDir: out, bootstrapIters: 500 });
      reportFile = join(out, 'report.html');
      const driftOut = tempDir();
      await compareRuns({ runs: [RUNS[0]!, asSameModel(RUNS[1]!, RUNS[0]!)], labels: ['135M', '360M'], outputDir: driftOut, bootstrapIters: 500 });
      driftReportFile = join(driftOut, 'report.html');
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
    });

    afterAll(async () => {
      await browser?.close();
    });

    test('loads offline, shows tables and charts, and the disagreement filter works', async () => {
      const { page, requests, errors, url } = await open(browser, reportFile);

      const tables = page.locator('table.cmp');
      expect(await tables.count()).toBeGreaterThanOrEqual(5); // lm, glue, math, other, subtasks (folded)
      for (const family of ['lm', 'glue', 'math', 'other']) {
        await expect.poll(() => page.locator(`table.cmp[data-family="${family}"]`).isVisible()).toBe(true);
      }
      const sst2Row = page.locator('table.cmp[data-family="glue"] tr', { hasText: 'SST-2' });
      expect(await sst2Row.innerText()).toMatch(/360M \(p<0\.0001\)/);

      const charts = page.locator('figure.chart svg');
      expect(await charts.count()).toBe(5);
      for (let i = 0; i < (await charts.count()); i++) {
        const box = await charts.nth(i).boundingBox();
        expect(box!.width).toBeGreaterThan(100);
        expect(box!.height).toBeGreaterThan(100);
      }
      expect(await page.locator('#chart-family-glue svg .mark-rect path').count()).toBe(5 * 2); // 5 items × 2 models

      // drill-down: SST-2, all documents, then only those where the models pick differently
      const a = samplesOf(RUNS[0]!, 'sst2');
      const b = samplesOf(RUNS[1]!, 'sst2');
      const disagreements = a.filter((s, i) => pick(s) !== pick(b[i]!)).length;
      expect(disagreements).toBeGreaterThan(0);
      const index = await page.$$eval('#drill-task option', (opts) =>
        opts.findIndex((o) => (o.textContent ?? '').startsWith('SST-2 ')),
      );
      await page.selectOption('#drill-task', String(index));
      const rows = page.locator('#drill-body tr.doc');
      expect(await rows.count()).toBe(60);
      await page.check('#drill-disagree');
      expect(await rows.count()).toBe(disagreements);
      expect(await page.locator('#drill-count').innerText()).toBe(
        `${disagreements} documents shown; ${disagreements} of 60 with disagreeing models`,
      );
      await page.uncheck('#drill-disagree');
      expect(await rows.count()).toBe(60);

      // a click opens the document: prompt, choices and both models' log-probabilities
      await rows.first().click();
      const detail = page.locator('#drill-body tr.detail').first();
      expect(await detail.isVisible()).toBe(true);
      expect(await detail.innerText()).toContain(a[0]!.arguments.gen_args_0.arg_0.split('\n')[0]);
      expect(await detail.locator('table.lls tr').count()).toBe(3); // header + 2 choices
      expect(await detail.innerText()).toContain(String(Number(a[0]!.filtered_resps[0][0]).toFixed(4)));

      mkdirSync(resolve('test-artifacts'), { recursive: true });
      await page.screenshot({ path: resolve('test-artifacts/report.png'), fullPage: true });

      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);
      await page.close();
    });

    test('drift and fine-tuning effect: sorted by effect size, flipped documents listed', async () => {
      const { page, requests, errors, url } = await open(browser, reportFile);
      // each benchmark by its main metric, in table order; sizes |Δ| over the metric's range (MCC: 2)
      const main: Array<[string, string, number]> = [
        ['lambada_openai', 'acc', 1],
        ['winogrande', 'acc', 1],
        ['cola', 'mcc', 2],
        ['mrpc', 'acc', 1],
        ['rte', 'acc', 1],
        ['sst2', 'acc', 1],
        ['hendrycks_math', 'exact_match', 1],
        ['mmlu', 'acc', 1],
        ['my_task', 'acc', 1],
      ];
      const [ra, rb] = RUNS.map(resultsOf);
      const size = ([task, metric, range]: [string, string, number]): number =>
        Math.abs(rb![task]![`${metric},none`]! - ra![task]![`${metric},none`]!) / range;
      const expected = main
        .map((m, i) => ({ task: m[0], size: size(m), i }))
        .sort((x, y) => y.size - x.size || x.i - y.i)
        .map((x) => x.task);
      const order = await page.$$eval('#finetune table.effect tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-task')));
      expect(order).toEqual(expected);
      expect(order[0]).toBe('sst2'); // 0.30 → 0.95

      // SST-2's flips, counted from the two sample logs
      const a = samplesOf(RUNS[0]!, 'sst2');
      const b = samplesOf(RUNS[1]!, 'sst2');
      const toWrong = a.filter((s, i) => s.acc === 1 && b[i]!.acc === 0);
      const toRight = a.filter((s, i) => s.acc === 0 && b[i]!.acc === 1);
      expect(toRight.length).toBeGreaterThan(0);
      const cells = await page.locator('#finetune table.effect tr[data-task="sst2"] td').allInnerTexts();
      expect(cells.slice(-2)).toEqual([String(toWrong.length), String(toRight.length)]);
      const details = page.locator('#finetune details.flips[data-task="sst2"]');
      expect((await details.locator('summary').innerText()).trim()).toBe(
        `SST-2: ${toWrong.length} right → wrong, ${toRight.length} wrong → right`,
      );
      expect(await details.locator('ol.wrong-to-right li').first().isVisible()).toBe(false);
      await details.locator('summary').click();
      const items = details.locator('ol.wrong-to-right li');
      expect(await items.count()).toBe(toRight.length);
      expect(await items.first().getAttribute('data-doc-id')).toBe(String(toRight[0]!.doc_id));
      expect(await items.first().locator('pre.snippet').innerText()).toBe(toRight[0]!.arguments.gen_args_0.arg_0);
      expect(await details.locator('ol.right-to-wrong li').count()).toBe(toWrong.length);
      // MMLU pools its subtasks: each flipped document names its task
      const mmlu = page.locator('#finetune details.flips[data-task="mmlu"]');
      await mmlu.locator('summary').click();
      expect(await mmlu.locator('li b').first().innerText()).toMatch(/^mmlu_\w+ doc \d+$/);

      // different models get no drift view (their difference is not a precision's cost)
      expect(await page.locator('#drift').count()).toBe(0);
      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);
      await page.close();
    });

    test('drift, for one model in two precisions: per request |Δ log-lik| from the sample logs', async () => {
      const { page, requests, errors, url } = await open(browser, driftReportFile);
      // drift: LAMBADA's median |Δ| over its one request per document, computed from the sample logs
      const la = samplesOf(RUNS[0]!, 'lambada_openai');
      const lb = samplesOf(RUNS[1]!, 'lambada_openai');
      const d = la.map((s, i) => Math.abs(Number(lb[i]!.filtered_resps[0][0]) - Number(s.filtered_resps[0][0]))).sort((x, y) => x - y);
      const median = (d[d.length / 2 - 1]! + d[d.length / 2]!) / 2; // 24 documents
      const lambada = await page.locator('#drift table.drift tr[data-task="lambada_openai"] td').allInnerTexts();
      expect(Number(lambada[6])).toBeCloseTo(median, 2);
      expect(Number(lambada[7])).toBeCloseTo(d[d.length - 1]!, 2);
      expect(lambada[8]).toBe('24');
      // MATH generates: no log-likelihoods
      const math = await page.locator('#drift table.drift tr[data-task="hendrycks_math"] td').allInnerTexts();
      expect(math.slice(6)).toEqual(['—', '—', '—']);

      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);
      await page.close();
    });

    test('logged text is shown as text, never run as markup', async () => {
      const hostile = '</script><img src="evil.png" onerror="window.__pwned = 1"><b>bold</b>';
      const make = (name: string, pickOf: (i: number) => number): string =>
        writeRun(tempDir(), {
          modelName: name,
          tasks: {
            sst2: {
              metrics: { acc: 0.5 },
              samples: Array.from({ length: 4 }, (_, i) => {
                const s = choiceSample(i, i % 2, pickOf(i));
                (s.arguments as any).gen_args_0.arg_0 = hostile;
                (s.arguments as any).gen_args_1.arg_0 = hostile;
                return s;
              }),
            },
          },
        });
      const out = tempDir();
      await compareRuns({
        runs: [make('x', (i) => i % 2), make('y', () => 0)],
        outputDir: out,
        bootstrapIters: 100,
      });
      const { page, requests, errors, url } = await open(browser, join(out, 'report.html'));
      await page.locator('#drill-body tr.doc').first().click();
      expect(await page.locator('#drill-body tr.detail pre.prompt').first().innerText()).toBe(hostile);
      // the flip lists: x right on every document, y wrong on docs 1 and 3
      const flips = page.locator('#finetune details.flips[data-task="sst2"]');
      await flips.locator('summary').click();
      expect(await flips.locator('ol.right-to-wrong li pre.snippet').allInnerTexts()).toEqual([hostile, hostile]);
      expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
      expect(await page.locator('#drill-body b').count()).toBe(0);
      expect(await page.locator('#finetune pre b').count()).toBe(0);
      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);
      await page.close();
    });
  });
}
