// The map and the profile at a phone's width, in a real browser (Debian's Chromium via
// playwright-core) against the Node server: the map's regions carry their unit codes (34 in 2025,
// 63 in 2024), the archipelagos are there and belong to Đà Nẵng and Khánh Hòa, the legend's
// counts add up, the .svg and the embeddable view stand alone, no console error, no serious axe
// violation; screenshots under var/screenshots/ for a person to look at.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rounded } from '../../src/http/csv.js';
import { axeViolations as axe, getJson, open as openOn, SHOTS, startBrowserSite, type Site } from './browser.js';
import type { SiteServer } from './server.js';

let harness: Site;
let site: SiteServer;
// Desktop and phone contexts that let axe-core in (the pages' CSP refuses inline scripts).
let desktop: BrowserContext;
let phone: BrowserContext;
beforeAll(async () => {
  harness = await startBrowserSite();
  ({ server: site, axeContext: desktop, phoneContext: phone } = harness);
});
afterAll(async () => { await harness?.close(); });

const open = (path: string, ctx = desktop, status = 200) => openOn(harness, path, { ctx, status });
const json = (path: string) => getJson(harness, path);

const regionCodes = (page: Page) => page.locator('svg[data-chart=map] g[data-regions] path').evaluateAll((ps) => ps.map((p) => p.getAttribute('data-unit')));

describe('the map', () => {
  it('2025: 34 regions, one per province of the publication, each with its code and a title with its name and group', async () => {
    const page = await open('/vi/map/2025/province');
    const results = (await json('/v1/cycles/2025/province/results')).results;
    const codes = await regionCodes(page);
    expect(codes).toHaveLength(34);
    expect(new Set(codes)).toEqual(new Set(results.map((r: any) => r.unit.code)));
    const hanoi = results.find((r: any) => r.unit.code === '01');
    expect(await page.locator('path[data-unit="01"] > title').textContent()).toBe(`${hanoi.unit.name.vi}: ${hanoi.group}`);
    // The legend counts every region once; the groups' counts are the JSON's.
    const counts = await page.locator('svg[data-chart=map] g[data-legend] g[data-class]').evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-class'), Number(g.getAttribute('data-count'))]));
    expect(counts.reduce((s, [, n]) => s + (n as number), 0)).toBe(34);
    for (const [group, n] of counts) expect(n).toBe(results.filter((r: any) => r.group === group).length);
    expect(await page.locator('#map-table tbody tr').count()).toBe(34);
    await page.screenshot({ path: `${SHOTS}map-2025-province.png`, fullPage: true });
    expect(await axe(page)).toEqual([]);
  });

  it('2024: 63 regions, coloured by index, the table\'s numbers the JSON\'s', async () => {
    const page = await open('/en/map/2024/province?by=index');
    const results = (await json('/v1/cycles/2024/province/results')).results;
    const codes = await regionCodes(page);
    expect(codes).toHaveLength(63);
    expect(new Set(codes)).toEqual(new Set(results.map((r: any) => r.unit.code)));
    const values = await page.locator('#map-table tbody tr').evaluateAll((trs) => Object.fromEntries(trs.map((tr) => [tr.getAttribute('data-unit'), tr.querySelector('[data-col=value]')!.textContent])));
    for (const r of results) expect(values[r.unit.code]).toBe(rounded(r.index, 2));
    const counts = await page.locator('g[data-legend] g[data-class]').evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-count'))));
    expect(counts.reduce((s, n) => s + n, 0)).toBe(63);
    await page.screenshot({ path: `${SHOTS}map-2024-province-index.png`, fullPage: true });
  });

  it('shows Hoàng Sa and Trường Sa, named, inside the shapes of Đà Nẵng and Khánh Hòa, in both years', async () => {
    for (const [year, daNang, khanhHoa] of [[2025, '48-2025', '56-2025'], [2024, '48', '56']] as const) {
      const page = await open(`/vi/map/${year}/province`);
      for (const [id, unit, name] of [['hoang-sa', daNang, 'Hoàng Sa'], ['truong-sa', khanhHoa, 'Trường Sa']]) {
        expect(await page.locator(`g[data-archipelago=${id}] text`).textContent()).toContain(`Quần đảo ${name}`);
        // The unit's own shape reaches into the archipelago's box: the islands are part of it.
        const overlap = await page.evaluate(([id, unit]) => {
          const box = (document.querySelector(`g[data-archipelago=${id}] > rect`) as SVGGraphicsElement).getBBox();
          const shape = (document.querySelector(`g[data-regions] path[data-unit="${unit}"]`) as SVGGraphicsElement).getBBox();
          return shape.x + shape.width >= box.x && shape.y <= box.y + box.height && shape.y + shape.height >= box.y;
        }, [id, unit]);
        expect(overlap, `${year} ${id}`).toBe(true);
      }
    }
  });

  it('colours by a domain, refuses an unknown measure as the JSON routes do, and has no map of ministries', async () => {
    const page = await open('/vi/map/2025/province?by=d.3');
    expect(await page.locator('h1').textContent()).toContain('lĩnh vực 3');
    expect(await page.locator('select[name=by] option[selected]').getAttribute('value')).toBe('d.3');
    // Every link of the view keeps the measure: the other years, the .svg, the embed, the other language.
    expect(await page.locator('nav.years a', { hasText: '2024' }).getAttribute('href')).toBe('/vi/map/2024/province?by=d.3');
    expect(await page.locator('a[download]').getAttribute('href')).toBe('/vi/map/2025/province.svg?by=d.3');
    expect(await page.locator('a[href^="/embed/"]').getAttribute('href')).toBe('/embed/map/2025/province?lang=vi&by=d.3');
    expect(await page.locator('link[rel=alternate]').getAttribute('href')).toBe('/en/map/2025/province?by=d.3');
    await open('/vi/map/2025/province?by=colour', desktop, 400);
    await open('/vi/map/2025/ministry', desktop, 404);
    await open('/vi/map/1999/province', desktop, 404);
  });

  it('the .svg download stands alone: XML with its namespace, title, description, 34 regions, the archipelagos and the attribution', async () => {
    const res = await fetch(`${site.origin}/en/map/2025/province.svg?by=index`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const text = await res.text();
    const page = await desktop.newPage();
    const parsed = await page.evaluate((xml) => {
      const doc = new DOMParser().parseFromString(xml, 'image/svg+xml');
      const svg = doc.documentElement;
      return {
        error: doc.querySelector('parsererror') !== null, ns: svg.namespaceURI, title: svg.querySelector('title')?.textContent,
        regions: svg.querySelectorAll('g[data-regions] path[data-unit]').length, archipelagos: svg.querySelectorAll('g[data-archipelago]').length,
        attribution: svg.querySelector('[data-attribution]')?.textContent,
      };
    }, text);
    expect(parsed).toEqual({ error: false, ns: 'http://www.w3.org/2000/svg', title: 'PAR INDEX 2025 map: index', regions: 34, archipelagos: 2, attribution: 'Boundaries: Open Development Vietnam' });
    await page.close();
  });

  it('the embeddable view: any site may frame it, in the language asked, with a link to the full page', async () => {
    const res = await fetch(`${site.origin}/embed/map/2025/province?lang=en&by=index`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect((await fetch(`${site.origin}/en/map/2025/province`)).headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    const page = await open('/embed/map/2025/province?lang=en&by=index');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await regionCodes(page)).toHaveLength(34);
    expect(await page.locator('a[target=_top]').getAttribute('href')).toBe('/en/map/2025/province?by=index');
    expect(await axe(page)).toEqual([]);
  });

  it('at a phone\'s width: nothing scrolls sideways, no serious axe violation', async () => {
    const page = await open('/vi/map/2025/province', phone);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await axe(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}map-2025-province-390.png`, fullPage: true });
  });
});

describe('the profile at a phone\'s width (390 px)', () => {
  it('reads without sideways scrolling: the chart drawn at the phone\'s width, the tables as cards', async () => {
    const page = await open('/vi/units/40/2025', phone);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The phone's chart is shown, the wide one not; its text is drawn at ≥ 11 px on screen.
    expect(await page.locator('svg[data-chart=domains-phone]').isVisible()).toBe(true);
    expect(await page.locator('svg[data-chart=domains]').isVisible()).toBe(false);
    const scale = await page.locator('svg[data-chart=domains-phone]').evaluate((svg: SVGSVGElement) => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width);
    expect(12 * scale).toBeGreaterThanOrEqual(11);
    // The domain table fits its box, and a domain's name takes the card's whole width (not one word per line).
    const fits = await page.locator('#domains').evaluate((t) => { const box = t.closest('.scroll')!; return box.scrollWidth <= box.clientWidth; });
    expect(fits).toBe(true);
    const nameWidth = await page.locator('#domains tbody th').first().evaluate((th) => th.getBoundingClientRect().width);
    expect(nameWidth).toBeGreaterThan(300);
    // The numbers are still the JSON's, labelled.
    const card = await json('/v1/cycles/2025/province/units/40');
    expect(await page.locator('#domains tr[data-domain="1"] [data-col=percent]').textContent()).toBe(rounded(card.domains[0].percent, 2).replace('.', ','));
    expect(await axe(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}profile-40-2025-390.png`, fullPage: true });
  });

  it('names the rank rule: Nghệ An\'s places since 2024 against its restated rank among the 34', async () => {
    const page = await open('/en/units/40/2025');
    const change = (await json('/v1/cycles/2025/province/units/40')).change;
    expect(change.rankRule).toBe('restated-on-current-units');
    const figure = await page.locator('[data-figure=change]').textContent();
    expect(figure).toContain(`${change.rankChange > 0 ? '+' : ''}${change.rankChange} places`);
    expect(await page.locator('[data-restated]').textContent()).toBe(`2024 rank restated: ${change.restatedRank} of ${change.restatedOf}`);
    expect(await page.locator('p[data-rank-rule]').textContent()).toContain('re-ranked on today');
    const ranking = await open('/en/ranking/2025/province');
    expect(await ranking.locator('#rank-rule').getAttribute('data-rank-rule')).toBe('restated-on-current-units');
    const row = await ranking.locator('#ranking tr[data-unit="40"] [data-col=places]').textContent();
    expect(row).toBe(`${change.rankChange > 0 ? '+' : ''}${change.rankChange}`);
  });
});
