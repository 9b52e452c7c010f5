// The site's other pages in a real browser (issue 13): home, methodology, compare, and the
// downloads of a publication (XLSX, standalone SVG, the embeddable chart). Each page opens
// without a console error, shows the JSON's numbers in the reader's format, has no serious
// accessibility violation, fits a phone, and is photographed under var/screenshots/.
import ExcelJS from 'exceljs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rounded } from '../../src/http/csv.js';
import { axe, axeViolations, en, getJson, open, overflowsPhone, photograph, texts, vi, type Site, startBrowserSite } from './browser.js';
import { ADMIN } from './server.js';

let site: Site;
const json = <T = any>(path: string) => getJson<T>(site, path);

beforeAll(async () => {
  site = await startBrowserSite();
});

afterAll(async () => {
  await site?.close();
});

/** The latest published year of a unit type, from the JSON's list of cycles. */
async function latestYear(unitType: string): Promise<number> {
  const { cycles } = await json('/v1/cycles');
  return Math.max(...cycles.filter((c: any) => c.unitType === unitType && c.revision > 0).map((c: any) => c.year));
}

const ranked = (results: any[]) => results.filter((r: any) => r.rank !== null).sort((a: any, b: any) => a.rank - b.rank || a.unit.code.localeCompare(b.unit.code));

describe('home', () => {
  it('shows the latest publication of provinces and of ministries with the JSON\'s key figures, in Vietnamese format', async () => {
    const page = await open(site, '/vi');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    for (const type of ['province', 'ministry']) {
      const year = await latestYear(type);
      const section = page.locator(`section[data-type=${type}]`);
      expect(await section.getAttribute('data-year')).toBe(String(year));
      expect(await section.locator('[data-notice=synthetic]').isVisible()).toBe(true);
      expect(await section.locator('[data-notice=provisional]').isVisible()).toBe(true);
      const body = await json(`/v1/cycles/${year}/${type}/results`);
      const previous = await json(`/v1/cycles/${year - 1}/${type}/results`);
      const figure = (key: string) => section.locator(`[data-figure="${key}"] .v`).textContent();
      expect(await figure('mean')).toBe(vi(body.statistics.index.mean));
      // Like for like: across the 2025 mergers (34 provinces after 63) the mean of the units' own
      // changes by the change rule, else the difference of the two means.
      const units = (b: any) => b.results.map((r: any) => r.unit.code).sort().join();
      const changes = body.results.filter((r: any) => r.ranked && r.change?.indexChange != null).map((r: any) => r.change.indexChange);
      const expected = units(body) === units(previous) ? body.statistics.index.mean - previous.statistics.index.mean
        : changes.reduce((a: number, b: number) => a + b, 0) / changes.length;
      if (type === 'province') expect(units(body)).not.toBe(units(previous)); // the restated branch is the one checked
      expect(await figure('meanChange')).toBe(vi(expected).replace(/^(?=\d)/, '+'));
      for (const [g, n] of Object.entries(body.statistics.groups)) expect(await figure(`group-${g}`)).toBe(String(n));
      const order = ranked(body.results);
      expect(await section.locator(`#latest-${type}-top tbody tr`).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-unit')))).toEqual(order.slice(0, 5).map((r: any) => r.unit.code));
      expect(await section.locator(`#latest-${type}-bottom tbody tr`).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-unit')))).toEqual(order.slice(-5).reverse().map((r: any) => r.unit.code));
      expect(await texts(page, `#latest-${type}-top [data-col=index]`)).toEqual(order.slice(0, 5).map((r: any) => vi(r.index)));
      // Risers: the largest index changes of the JSON, in its order, each a rise.
      const rises = order.filter((r: any) => r.change?.indexChange > 0).sort((a: any, b: any) => b.change.indexChange - a.change.indexChange || a.unit.code.localeCompare(b.unit.code));
      expect(await texts(page, `#latest-${type}-risers [data-col=change]`)).toEqual(rises.slice(0, 5).map((r: any) => `+${vi(r.change.indexChange)}${r.change.rule === 'same-unit' ? '' : ' *'}`));
      for (const [code, stats] of Object.entries<any>(body.statistics.by.region ?? {})) {
        expect(await section.locator(`#latest-${type}-regions tr[data-region="${code}"] [data-col=mean]`).textContent()).toBe(vi(stats.index.mean));
      }
    }
    // Every published cycle has its link.
    const { cycles } = await json('/v1/cycles');
    const published = cycles.filter((c: any) => c.revision > 0);
    expect(await page.locator('#all-h + nav a, section:has(#all-h) nav a[data-year]').count()).toBe(published.length);
    expect(await overflowsPhone(page)).toEqual([]);
    await photograph(page, 'home-vi');
    await page.close();
  });

  it('opens in English with a decimal point, and links to the ranking', async () => {
    const page = await open(site, '/en');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    const year = await latestYear('province');
    const body = await json(`/v1/cycles/${year}/province/results`);
    expect(await page.locator('section[data-type=province] [data-figure=mean] .v').textContent()).toBe(en(body.statistics.index.mean));
    await page.click('section[data-type=province] h2 a');
    expect(new URL(page.url()).pathname).toBe(`/en/ranking/${year}/province`);
    await page.close();
  });
});

describe('methodology', () => {
  it('shows the legal basis, the points by source and the tree, every provisional number flagged', async () => {
    const page = await open(site, '/vi/methodology/2024/province');
    const m = await json('/v1/methodologies/par-province-2022');
    expect(await page.locator('[data-notice=provisional]').isVisible()).toBe(true);
    expect(await page.locator('[data-notice=synthetic]').isVisible()).toBe(true);
    expect(await page.locator('#legal-basis tbody th').first().textContent()).toBe(m.document.legalBasis[0].document);
    // The tree: one row per node, its maximum in Vietnamese format, provisional ones flagged.
    const nodes = m.document.nodes;
    expect(await page.locator('#tree tbody tr').count()).toBe(nodes.length);
    expect(await page.locator('#tree tr[data-provisional]').count()).toBe(m.provisionalNodes);
    const flagged = await page.locator('#tree tr[data-provisional]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-node')));
    expect(flagged.sort()).toEqual(nodes.filter((n: any) => n.provenance?.status === 'provisional').map((n: any) => n.code).sort());
    const leaf = nodes.find((n: any) => n.code === '1.1.1');
    expect(await page.locator('#tree tr[data-node="1.1.1"] [data-col=max]').textContent()).toBe(`${vi(leaf.max)} †`);
    // Points by source: the leaves' maxima summed by source, from the document.
    const parents = new Set(nodes.map((n: any) => n.parent));
    const bySource: Record<string, number> = {};
    for (const n of nodes.filter((x: any) => !parents.has(x.code))) bySource[n.source] = (bySource[n.source] ?? 0) + n.max;
    for (const [source, max] of Object.entries(bySource)) {
      expect(await page.locator(`#sources tr[data-source="${source}"] [data-col=max]`).textContent()).toBe(vi(max));
    }
    expect(await overflowsPhone(page)).toEqual([]);
    await photograph(page, 'methodology-vi');
    await page.close();
  });

  it('is a 404 page for a cycle never published', async () => {
    const page = await open(site, '/en/methodology/1999/province', { status: 404 });
    expect(await page.locator('[data-problem]').getAttribute('data-problem')).toBe('not-found');
    await page.close();
  });
});

describe('compare', () => {
  const units = ['01', '79', '48'];

  it('puts 2–4 units side by side with the scorecards\' numbers and their differences from the first', async () => {
    const page = await open(site, `/vi/compare/2024/province?${units.map((u) => `units=${u}`).join('&')}`);
    expect(await page.locator('[data-notice=synthetic]').isVisible()).toBe(true);
    const cards = await Promise.all(units.map((u) => json(`/v1/cycles/2024/province/units/${u}`)));
    const cell = (table: string, row: string, attr: string, unit: string) => page.locator(`#${table} tr[${row}] td[${attr}="${unit}"]`).textContent();
    for (const [i, card] of cards.entries()) {
      expect(await cell('overview', 'data-row=index', 'data-unit', card.unit.code)).toBe(vi(card.index));
      expect(await cell('overview', 'data-row=rank', 'data-unit', card.unit.code)).toBe(`${card.rank}/${card.of}`);
      expect(await cell('overview', 'data-row=group', 'data-unit', card.unit.code)).toBe(card.group);
      if (i > 0) expect(await cell('overview', 'data-row=index', 'data-diff', card.unit.code)).toBe(vi(card.index - cards[0].index).replace(/^(?=\d)/, '+'));
      for (const [k, d] of card.domains.entries()) {
        expect(await cell('overview', `data-domain="${d.code}"`, 'data-unit', card.unit.code)).toBe(vi(d.percent));
        expect(await cell('leaves', `data-node="${d.code}"`, 'data-unit', card.unit.code)).toBe(vi(d.points));
        if (i > 0) expect(await cell('leaves', `data-node="${d.code}"`, 'data-diff', card.unit.code)).toBe(vi(d.points - cards[0].domains[k].points).replace(/^(?=\d)/, '+'));
      }
    }
    // Every node of the tree has a row, and every unit a cell in it.
    const m = await json('/v1/methodologies/par-province-2022');
    expect(await page.locator('#leaves tbody tr').count()).toBe(m.nodes - 1);
    await photograph(page, 'compare-vi');
    await page.close();
  });

  it('chooses the units with a form that works without script', async () => {
    const page = await open(site, '/en/compare/2024/province');
    expect(await page.locator('[data-choose-more]').isVisible()).toBe(true);
    const selects = page.locator('form.compare select[name=units]');
    await selects.nth(0).selectOption('79');
    await selects.nth(1).selectOption('01');
    await page.click('form.compare button[type=submit]');
    const url = new URL(page.url());
    expect(url.searchParams.getAll('units').filter(Boolean)).toEqual(['79', '01']);
    expect(await page.locator('#overview thead th[data-unit]').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-unit')))).toEqual(['79', '01']);
    const card = await json('/v1/cycles/2024/province/units/01');
    expect(await page.locator('#overview tr[data-row=index] td[data-unit="01"]').textContent()).toBe(en(card.index));
    expect(await overflowsPhone(page)).toEqual([]);
    await page.close();
  });

  it('answers five units or an unknown unit with a 400 page', async () => {
    for (const query of ['units=01&units=79&units=48&units=31&units=92', 'units=01&units=NOPE']) {
      const page = await open(site, `/vi/compare/2024/province?${query}`, { status: 400 });
      expect(await page.locator('[data-problem]').getAttribute('data-problem')).toBe('invalid-request');
      await page.close();
    }
  });
});

describe('downloads', () => {
  /** A sheet's rows as arrays of cell values (1-based columns dropped to 0-based). */
  const rowsOf = (ws: ExcelJS.Worksheet) => {
    const out: any[][] = [];
    ws.eachRow({ includeEmpty: false }, (row) => out.push((row.values as any[]).slice(1)));
    return out;
  };
  const number = (x: number | null, d = 2) => (x === null ? undefined : Number(rounded(x, d)));

  it('offers the publication as XLSX whose sheets parse back to the JSON at display rounding, headed in Vietnamese', async () => {
    const res = await fetch(`${site.server.origin}/vi/ranking/2024/province/results.xlsx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="par-index-2024-province-r1-vi.xlsx"');
    expect(res.headers.get('etag')).toMatch(/^W\//);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    expect(book.worksheets.map((w) => w.name)).toEqual(['Đọc trước', 'Kết quả', 'Lĩnh vực', 'Tiêu chí thành phần', 'Phương pháp']);
    const body = await json('/v1/cycles/2024/province/results');
    // Read-me: the notice, the revision and the content hash.
    const readme = rowsOf(book.getWorksheet('Đọc trước')!);
    const value = (label: string) => readme.find((r) => r[0] === label)?.[1];
    expect(value('Lưu ý')).toContain('DỮ LIỆU MINH HỌA');
    expect(value('Mã băm nội dung (SHA-256)')).toBe(body.revision.contentHash);
    expect(value('Lần công bố')).toBe(String(body.revision.revision));
    expect(value('Trích dẫn')).toContain(body.revision.contentHash);
    expect(value('Giấy phép')).toBeTruthy();
    // Results: one row per unit, the JSON's numbers at the display rounding.
    const [head, ...results] = rowsOf(book.getWorksheet('Kết quả')!);
    expect(head.slice(0, 7)).toEqual(['Hạng', 'Mã', 'Tên', 'Tên tiếng Anh', 'Vùng', 'Chỉ số', 'Nhóm']);
    expect(results).toHaveLength(body.results.length);
    for (const r of body.results) {
      const row = results.find((x) => x[1] === r.unit.code)!;
      expect(row[0]).toBe(r.rank ?? undefined);
      expect(row[2]).toBe(r.unit.name.vi);
      expect(row[5]).toBe(number(r.index));
      expect(row[6]).toBe(r.group);
      expect(row[9]).toBe(number(r.change?.indexChange ?? null));
    }
    expect(book.getWorksheet('Kết quả')!.getColumn(6).numFmt).toBe('0.00');
    // Domains: points and % of maximum of each domain, as the JSON.
    const [dHead, ...domains] = rowsOf(book.getWorksheet('Lĩnh vực')!);
    const codes = Object.keys(body.results[0].domains);
    for (const r of body.results) {
      const row = domains.find((x) => x[0] === r.unit.code)!;
      codes.forEach((code, k) => {
        expect(row[2 + 3 * k], `${r.unit.code} ${code}`).toBe(number(r.domains[code].points));
        expect(row[3 + 3 * k]).toBe(number(r.domains[code].percent));
        expect(row[4 + 3 * k]).toBe(r.domains[code].rank);
      });
    }
    expect(dHead[2]).toMatch(/^Lĩnh vực 1: điểm/);
    // Sub-criteria: every unit × every leaf; the methodology: every node.
    const m = await json('/v1/methodologies/par-province-2022');
    expect(rowsOf(book.getWorksheet('Tiêu chí thành phần')!).length - 1).toBe(body.results.length * m.leaves);
    expect(rowsOf(book.getWorksheet('Phương pháp')!).length - 1).toBe(m.nodes);
  });

  it('heads the XLSX in English on /en, and a pinned revision is immutable', async () => {
    const res = await fetch(`${site.server.origin}/en/ranking/2024/ministry/results.xlsx?revision=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    expect(book.worksheets.map((w) => w.name)).toEqual(['Read me', 'Results', 'Domains', 'Sub-criteria', 'Methodology']);
    const [head, first] = rowsOf(book.getWorksheet('Results')!);
    expect(head.slice(0, 7)).toEqual(['Rank', 'Code', 'Name', 'English name', 'Region', 'Index', 'Group']);
    const top = (await json('/v1/cycles/2024/ministry/results')).results[0];
    expect(first[1]).toBe(top.unit.code);
    expect(first[5]).toBe(number(top.index));
    const again = await fetch(`${site.server.origin}/en/ranking/2024/ministry/results.xlsx?revision=1`, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('serves the ranking chart as a standalone SVG document with a title, a description and every ranked unit', async () => {
    const res = await fetch(`${site.server.origin}/vi/ranking/2025/province/chart.svg`);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const text = await res.text();
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    // A file shared on its own says it is demo data, and where it comes from.
    expect(text).toContain('DỮ LIỆU MINH HỌA TỔNG HỢP');
    expect(text).toContain(`${site.server.origin}/vi/ranking/2025/province`);
    // Chromium opens it as an SVG document (an XML parse error would show as a parsererror element).
    const page = await open(site, '/vi/ranking/2025/province/chart.svg');
    expect(await page.evaluate(() => document.documentElement.namespaceURI)).toBe('http://www.w3.org/2000/svg');
    expect(await page.evaluate(() => document.getElementsByTagName('parsererror').length)).toBe(0);
    const body = await json('/v1/cycles/2025/province/results');
    expect(await page.evaluate(() => document.querySelector('title')?.textContent)).toContain('2025');
    expect(await page.evaluate(() => document.querySelector('desc')?.textContent)).toContain(String(ranked(body.results).length));
    expect(await page.evaluate(() => Array.from(document.querySelectorAll('g[data-unit]')).map((g) => g.getAttribute('data-unit')))).toEqual(ranked(body.results).map((r: any) => r.unit.code));
    await page.screenshot({ path: `${new URL('../../var/screenshots/', import.meta.url).pathname}chart-2025.png` });
    await page.close();
  });

  it('serves the chart to embed, in the language of ?lang, framable by another site', async () => {
    const res = await fetch(`${site.server.origin}/embed/ranking/2024/province?lang=en`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('content-security-policy')).toContain('frame-ancestors *');
    // The site's other pages stay unframable by others.
    const ranking = await fetch(`${site.server.origin}/en/ranking/2024/province`);
    expect(ranking.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    // Framed by a page of another origin (another port), served by a plain node:http server.
    const src = `${site.server.origin}/embed/ranking/2024/province?lang=en`;
    const other = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(`<!doctype html><html lang="en"><title>host</title><iframe title="chart" width="820" height="700" src="${src}"></iframe></html>`));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const host = await site.context.newPage();
    await host.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`);
    const frame = host.frameLocator('iframe');
    await expect.poll(() => frame.locator('svg[data-chart=ranking]').count()).toBe(1);
    expect(await frame.locator('html').getAttribute('lang')).toBe('en');
    const body = await json('/v1/cycles/2024/province/results');
    const first = ranked(body.results)[0];
    expect(await frame.locator(`details tr[data-unit="${first.unit.code}"] [data-col=index]`).textContent()).toBe(en(first.index));
    expect(await frame.locator('[data-notice=synthetic]').count()).toBe(1);
    await host.close();
    await new Promise((resolve) => other.close(resolve));
    const page = await open(site, '/embed/ranking/2024/province?lang=vi');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await photograph(page, 'embed-vi');
    await page.close();
    const bad = await fetch(`${site.server.origin}/embed/ranking/2024/province?lang=fr`);
    expect(bad.status).toBe(400);
  });

  it('links every download from the ranking page', async () => {
    const page = await open(site, '/vi/ranking/2024/province');
    for (const kind of ['xlsx', 'svg', 'embed']) {
      const href = await page.getAttribute(`#downloads a[data-download=${kind}]`, 'href');
      expect((await fetch(site.server.origin + href!)).status, kind).toBe(200);
    }
    expect(await page.locator('pre.embed code').textContent()).toContain(`src="${site.server.origin}/embed/ranking/2024/province?lang=vi"`);
    await page.close();
  });
});

describe('workspace', () => {
  it('signs in through the form in a real browser (its Origin accepted), lists the cycles, and signs out', async () => {
    const page = await open(site, '/vi/workspace/sign-in');
    await page.fill('#key', 'not-a-key');
    await page.click('form.sign-in button[type=submit]');
    expect(await page.locator('[data-message]').textContent()).toContain('Khóa không hợp lệ');
    await page.fill('#key', ADMIN);
    await page.click('form.sign-in button[type=submit]');
    await page.waitForURL(`${site.server.origin}/vi/workspace`);
    expect(await page.getAttribute('[data-role]', 'data-role')).toBe('admin');
    const cycles = await getJson(site, '/v1/cycles');
    expect(await page.locator('#cycles tbody tr').count()).toBe((cycles.cycles ?? cycles).length);
    expect(await axeViolations(page)).toEqual([]);
    await photograph(page, 'workspace-vi');
    await page.click('form[action="/vi/workspace/sign-out"] button');
    await page.waitForURL(`${site.server.origin}/vi/workspace/sign-in`);
    // The session is gone from this browser: the workspace sends it to sign in again.
    await page.goto(`${site.server.origin}/vi/workspace`);
    expect(page.url()).toBe(`${site.server.origin}/vi/workspace/sign-in`);
    await page.close();
  });
});

describe('accessibility of the new pages (axe-core): no serious or critical violation', () => {
  it.each([
    ['/vi', 200], ['/en', 200], ['/vi/methodology/2024/province', 200], ['/en/methodology/2025/province', 200],
    ['/vi/compare/2024/province?units=01&units=79&units=48&units=31', 200], ['/en/compare/2024/ministry', 200],
    ['/embed/ranking/2024/province?lang=vi', 200], ['/embed/ranking/2024/ministry?lang=en', 200],
    ['/vi/workspace/sign-in', 200], ['/en/workspace/sign-in', 200],
  ] as const)('%s', async (path, status) => {
    await axe(site, path, status);
  });
});

describe('corrections log', () => {
  const Y = '/v1/cycles/2023/ministry';
  const admin = (init: RequestInit = {}) => ({ ...init, headers: { ...(init.headers as Record<string, string>), 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` } });
  const status = (to: string, reason: string) => fetch(`${site.server.origin}${Y}/status`, admin({ method: 'POST', body: JSON.stringify({ status: to, reason }) }));

  it('lists every revision on the ranking page, and what a correction changed as the JSON diff says', async () => {
    // Read without the browser, whose cache would keep this page for its max-age (60 s) after the correction.
    const before = await (await fetch(`${site.server.origin}/vi/ranking/2023/ministry`)).text();
    expect(before.match(/<tr data-revision=/g)).toHaveLength(1);
    // A correction: the lowest unit's appraisal and survey scores given to the first unit, then republished.
    const results = await json(`${Y}/results?sort=index`);
    const [lowest, first] = [results.results[0].unit.code, results.results.at(-1).unit.code];
    const { scores } = await json(`${Y}/scores?unit=${lowest}&limit=10000`);
    const copied = scores.filter((s: any) => s.source !== 'self').map((s: any) => ({ unit: first, indicator: s.indicator, source: s.source, value: s.value, reason: `as ${lowest}` }));
    expect((await status('correction', 'Khiếu nại của đơn vị')).status).toBe(200);
    const upload = await fetch(`${site.server.origin}${Y}/scores`, admin({ method: 'PUT', body: JSON.stringify({ scores: copied }) }));
    expect(upload.status, await upload.clone().text()).toBe(200);
    expect((await status('published', 'Đính chính điểm')).status).toBe(200);
    const diff = await json(`${Y}/revisions/1/diff/2`);
    expect(diff.units.length).toBeGreaterThan(0);
    const page = await open(site, '/vi/ranking/2023/ministry');
    expect(await page.locator('#corrections tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-revision')))).toEqual(['2', '1']);
    expect(await page.locator('#corrections tr[data-revision="2"] td').nth(1).textContent()).toBe('Đính chính điểm');
    expect(await page.locator('#corrections tr[data-revision="2"] [data-col=changed]').textContent()).toBe(`${diff.units.length} đơn vị, ${diff.scores.length} điểm thành phần thay đổi`);
    expect(await page.locator('#diff-2 tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-unit')))).toEqual(diff.units.map((u: any) => u.unit));
    const moved = diff.units.find((u: any) => u.unit === first);
    expect(await page.locator(`#diff-2 tr[data-unit="${first}"] [data-col=index]`).textContent()).toBe(`${vi(moved.index.from)} → ${vi(moved.index.to)}`);
    // A page pinned to the first revision shows the log up to it only.
    const pinned = await open(site, '/vi/ranking/2023/ministry?revision=1');
    expect(await pinned.locator('#corrections tbody tr').count()).toBe(1);
    await pinned.close();
    await photograph(page, 'ranking-corrections-vi');
    await page.close();
  });
});
