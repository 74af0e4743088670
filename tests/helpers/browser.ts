// Opening a report file in Debian's chromium (playwright-core) the way the browser tests check it:
// offline, recording every request and every console or page error.
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export interface OpenedPage {
  page: Page;
  /** every URL the page asked for (a self-contained report asks only for itself) */
  requests: string[];
  /** console errors and uncaught page errors */
  errors: string[];
  url: string;
}

export async function openPage(browser: Browser, file: string): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  const url = pathToFileURL(file).href;
  await page.goto(url, { waitUntil: 'load' });
  return { page, requests, errors, url };
}
