// The public pages in a real browser: Debian's headless Chromium driven by playwright-core,
// against the Node server (createApp + the site) over a fresh seeded SQLite file. Each page opens
// without a console error, orders and filters as the JSON does, shows the JSON's numbers in the
// reader's format, has no serious accessibility violation (axe-core), and is photographed under var/.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rounded } from '../../src/http/csv.js';
import { axe as axeOn, getJson, open as openOn, SHOTS, startBrowserSite, type Site } from './browser.js';
import { ADMIN, type SiteServer } from './server.js';

let harness: Site;
let site: SiteServer;
beforeAll(async () => { harness = await startBrowserSite(); site = harness.server; });
afterAll(async () => { await harness?.close(); });

const open = (path: string, options?: Parameters<typeof openOn>[2]) => openOn(harness, path, options);
const json = <T = any>(path: string) => getJson<T>(harness, path);
const axe = (path: string, status?: number) => axeOn(harness, path, status);

/** The reader's format, written independently of the site's code: decimal comma in Vietnamese. */
const vi = (x: number | null, decimals = 2) => (x === null ? '—' : rounded(x, decimals).replace('.', ','));
const en = (x: number | null, decimals = 2) => (x === null ? '—' : rounded(x, decimals));

const texts = (page: Page, selector: string) => page.locator(selector).allTextContents();
const unitOrder = (page: Page, table = '#ranking') => page.locator(`${table} tbody tr`).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unit')));

/** The JSON's order for a query, ranked units only (the page shows the unranked apart). */
async function jsonOrder(year: number, unitType: string, query: string): Promise<string[]> {
  const body = await json(`/v1/cycles/${year}/${unitType}/results${query}`);
  return body.results.filter((r: any) => r.ranked).map((r: any) => r.unit.code);
}


describe('ranking page', () => {
  it('opens in Vietnamese with the notices, the chart, the revision served and Vietnamese numbers', async () => {
    const page = await open('/vi/ranking/2023/province');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect(await page.locator('h1').textContent()).toContain('2023');
    await expect(page.locator('[data-notice=synthetic]').isVisible()).resolves.toBe(true);
    await expect(page.locator('[data-notice=provisional]').isVisible()).resolves.toBe(true);
    const body = await json('/v1/cycles/2023/province/results');
    expect(await page.locator('[data-hash]').textContent()).toBe(body.revision.contentHash);
    expect(await page.getAttribute('[data-revision]', 'data-revision')).toBe(String(body.revision.revision));
    const ranked = body.results.filter((r: any) => r.ranked);
    // Every row's numbers are the JSON's at the methodology's rounding, with a decimal comma.
    const rows = await page.locator('#ranking tbody tr').evaluateAll((trs) => trs.map((tr) => ({
      unit: tr.getAttribute('data-unit'),
      cells: Object.fromEntries(Array.from(tr.querySelectorAll('[data-col]')).map((c) => [c.getAttribute('data-col'), c.textContent])),
    })));
    expect(rows).toHaveLength(ranked.length);
    for (const row of rows) {
      const r = ranked.find((x: any) => x.unit.code === row.unit);
      expect(row.cells.index).toBe(vi(r.index));
      expect(row.cells.rank).toBe(String(r.rank));
      expect(row.cells.name).toBe(r.unit.name.vi.normalize('NFC'));
      for (const code of Object.keys(r.domains)) expect(row.cells[`d.${code}`]).toBe(vi(r.domains[code].percent));
    }
    expect(rows[0].cells.index).toMatch(/^\d{2,3},\d{2}$/);
    // The chart draws the same ranked units, with a title and a description.
    const svg = page.locator('svg[data-chart=ranking]');
    expect(await svg.getAttribute('role')).toBe('img');
    expect(await svg.locator('title').textContent()).toContain('2023');
    expect(await svg.locator('desc').textContent()).toContain(String(ranked.length));
    expect(await svg.locator('g[data-unit]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-unit')))).toEqual(await jsonOrder(2023, 'province', ''));
    // Regional means are the JSON statistics'.
    const means = body.statistics.by.region;
    for (const code of Object.keys(means)) {
      expect(await page.locator(`#regional-means tr[data-region=${code}] td`).last().textContent()).toBe(vi(means[code].index.mean));
    }
    await page.screenshot({ path: `${SHOTS}ranking-vi.png`, fullPage: true });
    await page.close();
  });

  it('opens in English at the same path under /en, numbers with a decimal point', async () => {
    const page = await open('/en/ranking/2023/province');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    const body = await json('/v1/cycles/2023/province/results');
    const first = body.results.find((r: any) => r.rank === 1);
    expect(await page.locator(`#ranking tr[data-unit="${first.unit.code}"] [data-col=index]`).textContent()).toBe(en(first.index));
    // The language link leads to the same view in Vietnamese.
    await page.click('header nav a[hreflang=vi]');
    expect(new URL(page.url()).pathname).toBe('/vi/ranking/2023/province');
    await page.close();
  });

  it.each(['-index', 'name', '-name', 'region', '-rank', 'unit'])('sorted by %s, lists the units in the JSON order', async (sort) => {
    const page = await open(`/vi/ranking/2024/province?sort=${sort}`);
    expect(await unitOrder(page)).toEqual(await jsonOrder(2024, 'province', `?sort=${sort}`));
    await page.close();
  });

  it('sorts by a column heading, and again the other way, as the JSON does', async () => {
    const page = await open('/vi/ranking/2024/province');
    await page.click('#ranking thead th[data-col=index] a');
    expect(new URL(page.url()).searchParams.get('sort')).toBe('-index');
    expect(await page.getAttribute('#ranking th[data-col=index]', 'aria-sort')).toBe('descending');
    expect(await unitOrder(page)).toEqual(await jsonOrder(2024, 'province', '?sort=-index'));
    await page.click('#ranking thead th[data-col=index] a');
    expect(await unitOrder(page)).toEqual(await jsonOrder(2024, 'province', '?sort=index'));
    await page.close();
  });

  it('sorts by a domain, best first, and the order follows the domain\'s %', async () => {
    const page = await open('/vi/ranking/2024/province');
    await page.click('#ranking thead th[data-col="d.3"] a');
    const body = await json('/v1/cycles/2024/province/results');
    const expected = [...body.results].sort((a: any, b: any) => b.domains['3'].percent - a.domains['3'].percent || a.unit.code.localeCompare(b.unit.code)).map((r: any) => r.unit.code);
    expect(await unitOrder(page)).toEqual(expected);
    await page.close();
  });

  it('filters by region and group through the form, as the JSON does', async () => {
    const page = await open('/en/ranking/2024/province?sort=-index');
    await page.selectOption('select[name=region]', 'RRD');
    await page.click('form.filters button[type=submit]');
    const url = new URL(page.url());
    expect(url.searchParams.get('region')).toBe('RRD');
    expect(url.searchParams.get('sort')).toBe('-index');
    const rrd = await jsonOrder(2024, 'province', '?region=RRD&sort=-index');
    expect(rrd.length).toBeGreaterThan(3);
    expect(await unitOrder(page)).toEqual(rrd);
    const body = await json('/v1/cycles/2024/province/results?region=RRD');
    const group = body.results[0].group;
    await page.selectOption('select[name=group]', group);
    await page.click('form.filters button[type=submit]');
    expect(await unitOrder(page)).toEqual(await jsonOrder(2024, 'province', `?region=RRD&group=${group}&sort=-index`));
    await page.close();
  });

  it('shows unranked units apart, and filters ranked and unranked', async () => {
    const page = await open('/vi/ranking/2024/ministry');
    const body = await json('/v1/cycles/2024/ministry/results');
    const unranked = body.results.filter((r: any) => !r.ranked).map((r: any) => r.unit.code);
    expect(unranked.length).toBeGreaterThan(0);
    expect(await unitOrder(page, '#unranked')).toEqual(unranked);
    expect(await unitOrder(page)).toEqual(await jsonOrder(2024, 'ministry', ''));
    await page.selectOption('select[name=ranked]', 'false');
    await page.click('form.filters button[type=submit]');
    expect(await page.locator('#ranking').count()).toBe(0);
    expect(await unitOrder(page, '#unranked')).toEqual(unranked);
    await page.close();
  });

  it('answers a bad filter with a 400 page, not an empty table', async () => {
    const page = await open('/vi/ranking/2024/province?region=NOWHERE', { status: 400 });
    expect(await page.locator('[data-problem]').getAttribute('data-problem')).toBe('invalid-request');
    await page.close();
  });
});

describe('unit profile', () => {
  it('shows the JSON scorecard\'s numbers in the reader\'s format', async () => {
    const page = await open('/vi/units/01/2023');
    const card = await json('/v1/cycles/2023/province/units/01');
    const figure = (key: string) => page.locator(`[data-figure=${key}] .v`).textContent();
    expect(await figure('index')).toBe(vi(card.index));
    expect(await figure('rank')).toBe(`${card.rank}/${card.of}`);
    expect(await figure('group')).toBe(card.group);
    expect((await figure('rankInRegion'))?.startsWith(`${card.rankInRegion}/`)).toBe(true);
    for (const d of card.domains) {
      const cell = (col: string) => page.locator(`#domains tr[data-domain="${d.code}"] [data-col=${col}]`).textContent();
      expect(await cell('points')).toBe(vi(d.points));
      expect(await cell('max')).toBe(vi(d.max));
      expect(await cell('percent')).toBe(vi(d.percent));
      expect(await cell('nationalMean')).toBe(vi(d.nationalMean));
      expect(await cell('regionalMean')).toBe(vi(d.regionalMean));
      expect(await cell('rank')).toBe(String(d.rank));
    }
    // Where it lost points: the scorecard's list, in its order.
    expect(await page.locator('#lost tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-indicator')))).toEqual(card.lostPoints.map((x: any) => x.indicator));
    expect(await texts(page, '#lost [data-col=lost]')).toEqual(card.lostPoints.map((x: any) => vi(x.lost)));
    // History: every year of the scorecard, same index and rank.
    for (const h of card.history) {
      expect(await page.locator(`#history tr[data-year="${h.year}"] [data-col=index]`).textContent()).toBe(vi(h.index));
      expect(await page.locator(`#history tr[data-year="${h.year}"] [data-col=rank]`).textContent()).toBe(`${h.rank}/${h.of}`);
    }
    // The drill-down's leaves add up to the domain: the points lost per domain equal max − points.
    const domain1 = await page.locator('#drill tr[data-node="1"] [data-col=lost]').textContent();
    const d1 = card.domains.find((d: any) => d.code === '1');
    expect(domain1).toBe(vi(d1.max - d1.points));
    const svg = page.locator('svg[data-chart=domains]');
    expect(await svg.locator('g[data-domain]').count()).toBe(card.domains.length);
    expect(await svg.locator('title').textContent()).toContain('Hà Nội');
    await page.screenshot({ path: `${SHOTS}profile-vi.png`, fullPage: true });
    await page.close();
  });

  it('opens in English for a ministry, numbers with a decimal point', async () => {
    const page = await open('/en/units/MOFA/2024');
    const card = await json('/v1/cycles/2024/ministry/units/MOFA');
    expect(await page.locator('[data-figure=index] .v').textContent()).toBe(en(card.index));
    expect(await page.locator('h1 [lang=vi]').textContent()).toBe('Bộ Ngoại giao');
    await page.close();
  });
});

describe('the 2025 mergers (34 provinces)', () => {
  it('ranks the 34 provinces and marks a merged province\'s change as measured against its predecessors', async () => {
    const page = await open('/vi/ranking/2025/province');
    const body = await json('/v1/cycles/2025/province/results');
    expect(body.results).toHaveLength(34);
    expect(await unitOrder(page)).toEqual(await jsonOrder(2025, 'province', ''));
    const merged = body.results.find((r: any) => r.change?.rule === 'mean-of-predecessors');
    const kept = body.results.find((r: any) => r.change?.rule === 'same-unit');
    const changeCell = (code: string) => page.locator(`#ranking tr[data-unit="${code}"] [data-col=change]`);
    expect(await changeCell(merged.unit.code).textContent()).toBe(`${vi(merged.change.indexChange).replace(/^(?=\d)/, '+')} *`);
    expect(await changeCell(kept.unit.code).locator('a').count()).toBe(0);
    expect(await page.locator('#ranking-lineage').isVisible()).toBe(true);
    await page.close();
  });

  it('shows a merged province\'s history through its predecessors, with the rule named and no rank', async () => {
    const page = await open('/vi/units/08-2025/2025');
    const results = async (year: number) => (await json(`/v1/cycles/${year}/province/results`)).results;
    const now = (await results(2025)).find((r: any) => r.unit.code === '08-2025');
    expect(now.change.predecessors).toEqual(['08', '02']);
    const row = (year: number) => page.locator(`#history tr[data-year="${year}"]`);
    // 2024: the JSON's previous index (the engine's rule); 2022: the same rule on that year's indexes.
    expect(await row(2024).locator('[data-col=index]').textContent()).toBe(vi(now.change.previousIndex));
    const y2022 = (await results(2022)).filter((r: any) => ['08', '02'].includes(r.unit.code)).map((r: any) => r.index);
    expect(await row(2022).locator('[data-col=index]').textContent()).toBe(vi((y2022[0] + y2022[1]) / 2));
    expect(await row(2022).locator('[data-col=rank]').textContent()).toBe('—');
    expect(await row(2022).locator('td').last().textContent()).toBe('trung bình các đơn vị tiền thân: Tuyên Quang, Hà Giang');
    await page.close();
  });
});

describe('publications only', () => {
  it('answers a cycle never published with a 404 page, for the public and for a key alike', async () => {
    const created = await fetch(`${site.origin}/v1/cycles`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ year: 2026, unitType: 'ministry', methodology: 'par-ministry-2022' }),
    });
    expect(created.status).toBe(201);
    const page = await open('/vi/ranking/2026/ministry', { status: 404 });
    expect(await page.locator('[data-problem]').getAttribute('data-problem')).toBe('not-found');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await page.close();
    const keyed = await fetch(`${site.origin}/en/ranking/2026/ministry`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(keyed.status).toBe(404);
    const draft = await fetch(`${site.origin}/en/units/MOFA/2024?revision=draft`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(draft.status).toBe(400);
  });

  it('carries an ETag and Cache-Control, answers 304 to a current copy, and a pinned revision is immutable', async () => {
    const latest = await fetch(`${site.origin}/vi/ranking/2023/province?sort=-index`);
    const etag = latest.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"/);
    expect(latest.headers.get('cache-control')).toBe('public, max-age=60, must-revalidate');
    expect(latest.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const again = await fetch(`${site.origin}/vi/ranking/2023/province?sort=-index`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const other = await fetch(`${site.origin}/vi/ranking/2023/province?sort=index`);
    expect(other.headers.get('etag')).not.toBe(etag);
    const pinned = await fetch(`${site.origin}/vi/ranking/2023/province?revision=1`);
    expect(pinned.status).toBe(200);
    expect(pinned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const missing = await fetch(`${site.origin}/vi/ranking/2023/province?revision=9`);
    expect(missing.status).toBe(404);
    const keyed = await fetch(`${site.origin}/vi/units/01/2023`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(keyed.headers.get('cache-control')).toMatch(/^private/);
  });
});

describe('accessibility (axe-core): no serious or critical violation', () => {
  it.each([
    // One of each page type and variant: a ranking (Vietnamese), one with merged units and lineage marks (English),
    // one with unranked units apart, a profile, a merged unit's profile, an error page.
    ['/vi/ranking/2024/province', 200], ['/en/ranking/2025/province?sort=-d.2', 200], ['/vi/ranking/2024/ministry', 200],
    ['/vi/units/01/2024', 200], ['/en/units/08-2025/2025', 200], ['/vi/ranking/1999/province', 404],
  ] as const)('%s', async (path, status) => {
    await axe(path, status);
  });
});
