// The browser harness of the site's tests: Debian's headless Chromium (playwright-core) against
// the Node server of server.ts, opening pages that must not log an error, and axe-core on them.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { rounded } from '../../src/http/csv.js';
import { startSite, type SiteServer } from './server.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const SHOTS = new URL('../../var/screenshots/', import.meta.url).pathname;
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const DESKTOP = { width: 1280, height: 900 };
/** A phone: 390 CSS pixels wide (iPhone 12–15). */
export const PHONE = { width: 390, height: 844 };

export interface Site {
  server: SiteServer;
  browser: Browser;
  context: BrowserContext;
  /** only to inject axe-core (an inline script, which the pages' CSP rightly refuses) */
  axeContext: BrowserContext;
  /** a phone's width, axe-core injectable as in axeContext */
  phoneContext: BrowserContext;
  close(): Promise<void>;
}

export async function startBrowserSite(): Promise<Site> {
  mkdirSync(SHOTS, { recursive: true });
  const server = await startSite();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const context = await browser.newContext({ locale: 'vi-VN', viewport: DESKTOP });
  const axeContext = await browser.newContext({ bypassCSP: true, viewport: DESKTOP });
  const phoneContext = await browser.newContext({ bypassCSP: true, viewport: PHONE });
  return { server, browser, context, axeContext, phoneContext, close: async () => { await browser.close(); await server.close(); } };
}

/** Opens a page, failing on any console error or warning, page error or failed request. */
export async function open(site: Site, path: string, options: { status?: number; ctx?: BrowserContext } = {}): Promise<Page> {
  const page = await (options.ctx ?? site.context).newPage();
  const problems: string[] = [];
  const status = options.status ?? 200;
  page.on('console', (m) => {
    // An error page's own status is logged by the browser as a failed load: that one is expected.
    const ownStatus = status !== 200 && m.location().url === site.server.origin + path && m.text().includes(`status of ${status}`);
    if ((m.type() === 'error' || m.type() === 'warning') && !ownStatus) problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  const response = await page.goto(site.server.origin + path);
  expect(response?.status(), path).toBe(status);
  await page.waitForLoadState('load');
  expect(problems, path).toEqual([]);
  return page;
}

export async function getJson<T = any>(site: Site, path: string): Promise<T> {
  const res = await fetch(site.server.origin + path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

/** No serious or critical axe-core violation on the page. */
export async function axe(site: Site, path: string, status = 200): Promise<void> {
  const page = await open(site, path, { ctx: site.axeContext, status });
  expect(await axeViolations(page), path).toEqual([]);
  await page.close();
}

/** The serious and critical axe-core violations of an open page (of a context that bypasses its CSP). */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () => (window as any).axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
    .map((v: any) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n: any) => n.target.join(' ')).join('; ')}`);
}

/** Full-page screenshots at desktop and phone width, under var/screenshots/, for a person to look at. */
export async function photograph(page: Page, name: string): Promise<void> {
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: `${SHOTS}${name}-phone.png`, fullPage: true });
  await page.setViewportSize(DESKTOP);
}

/** Whether anything is wider than the phone's viewport (a page a reader must scroll sideways), tables in their scroll boxes excepted. */
export async function overflowsPhone(page: Page): Promise<string[]> {
  await page.setViewportSize(PHONE);
  const wide = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return Array.from(document.querySelectorAll('body *'))
      .filter((e) => !e.closest('.scroll, details:not([open])') && e.getBoundingClientRect().right > width + 1)
      .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className && typeof e.className === 'string' ? `.${e.className}` : ''}`);
  });
  await page.setViewportSize(DESKTOP);
  return wide;
}

/** The reader's format, written independently of the site's code: decimal comma in Vietnamese. */
export const vi = (x: number | null, decimals = 2) => (x === null ? '—' : rounded(x, decimals).replace('.', ','));
export const en = (x: number | null, decimals = 2) => (x === null ? '—' : rounded(x, decimals));
export const texts = (page: Page, selector: string) => page.locator(selector).allTextContents();
