// The public pages on both runtimes (issue 13): the same suite runs on Node (better-sqlite3) and in
// workerd over D1 (the "workers" project). Every page type answers with its status and content type,
// its key numbers equal the JSON routes' of the same runtime at display rounding, published pages
// revalidate by ETag, and only the embeds may be framed. The browser tests (test/web) look at the
// same pages in Chromium on Node; this suite is what says the Worker serves them too.
import { beforeAll, describe, expect, it } from 'vitest';
import { rounded } from '../../src/http/csv.js';
import { freshApp, json, runtime } from './harness.js';

let app: Awaited<ReturnType<typeof freshApp>>;
beforeAll(async () => { app = await freshApp(); });

/** Vietnamese display of a number, written apart from the site's code: the decimal comma. */
const vi = (x: number, decimals = 2) => rounded(x, decimals).replace('.', ',');

async function html(path: string, status = 200): Promise<string> {
  const res = await app.page(path);
  expect(res.status, `${runtime} ${path}`).toBe(status);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  return res.text();
}

/** Per row of a table's body (keyed by its data-unit), the text of each `data-col` cell. */
function rowCells(page: string, tableId: string): Map<string, Record<string, string>> {
  const table = page.slice(page.indexOf(`id="${tableId}"`));
  const body = table.slice(table.indexOf('<tbody'), table.indexOf('</tbody>'));
  const rows = new Map<string, Record<string, string>>();
  for (const [, unit, cells] of body.matchAll(/<tr data-unit="([^"]+)">(.*?)<\/tr>/g)) {
    rows.set(unit, Object.fromEntries([...cells.matchAll(/data-col="([^"]+)">(?:<a [^>]*>)?([^<]*)</g)].map(([, col, text]) => [col, text])));
  }
  return rows;
}

describe(`the public pages on ${runtime}`, () => {
  it('answers every page type with its status and content type', async () => {
    const pages: Array<[string, number, string]> = [
      ['/vi', 200, 'text/html; charset=utf-8'], ['/en', 200, 'text/html; charset=utf-8'],
      ['/vi/ranking/2025/province', 200, 'text/html; charset=utf-8'], ['/en/ranking/2024/ministry', 200, 'text/html; charset=utf-8'],
      ['/vi/units/01/2023', 200, 'text/html; charset=utf-8'], ['/vi/methodology/2025/province', 200, 'text/html; charset=utf-8'],
      ['/vi/compare/2023/province?units=01&units=79', 200, 'text/html; charset=utf-8'],
      ['/vi/map/2025/province', 200, 'text/html; charset=utf-8'],
      ['/vi/ranking/2023/province/chart.svg', 200, 'image/svg+xml; charset=utf-8'],
      ['/embed/ranking/2023/province?lang=en', 200, 'text/html; charset=utf-8'], ['/embed/map/2025/province', 200, 'text/html; charset=utf-8'],
      ['/vi/ranking/2031/province', 404, 'text/html; charset=utf-8'], ['/vi/units/NOPE/2023', 404, 'text/html; charset=utf-8'],
    ];
    for (const [path, status, type] of pages) {
      const res = await app.page(path);
      expect([path, res.status, res.headers.get('content-type')]).toEqual([path, status, type]);
    }
  });

  it('shows on the ranking page every ranked unit with the JSON\'s rank and index, in Vietnamese format', async () => {
    const body = await json(await app.request('/v1/cycles/2023/province/results'));
    const rows = rowCells(await html('/vi/ranking/2023/province'), 'ranking');
    const ranked = body.results.filter((r: any) => r.ranked);
    expect(rows.size).toBe(ranked.length);
    for (const r of ranked) {
      expect(rows.get(r.unit.code), r.unit.code).toMatchObject({ rank: String(r.rank), index: vi(r.index), name: r.unit.name.vi });
    }
    // The revision served is named by the JSON's content hash.
    expect(await html('/vi/ranking/2023/province')).toContain(`<code data-hash="true">${body.revision.contentHash}</code>`);
  });

  it('shows on a profile the index, rank of n and group of the JSON scorecard', async () => {
    const card = await json(await app.request('/v1/cycles/2023/province/units/01'));
    const page = await html('/vi/units/01/2023');
    const figure = (key: string) => page.match(new RegExp(`data-figure="${key}"><span class="v">([^<]*)<`))?.[1];
    expect(figure('index')).toBe(vi(card.index));
    expect(figure('rank')).toBe(`${card.rank}/${card.of}`);
    expect(figure('group')).toBe(card.group);
  });

  it('draws 34 provinces on the 2025 map and 63 on the 2024 one, each shape carrying its unit code', async () => {
    for (const [year, count] of [[2025, 34], [2024, 63]] as const) {
      const results = await json(await app.request(`/v1/cycles/${year}/province/results`));
      const page = await html(`/vi/map/${year}/province`);
      const drawn = new Set([...page.matchAll(/<path [^>]*data-unit="([^"]+)"/g)].map((m) => m[1]));
      expect(drawn.size).toBe(count);
      expect(drawn).toEqual(new Set(results.results.map((r: any) => r.unit.code)));
      expect(page).toContain('Hoàng Sa');
      expect(page).toContain('Trường Sa');
    }
  });

  it('serves the chart as SVG with a title, a description and one mark per ranked unit', async () => {
    const body = await json(await app.request('/v1/cycles/2023/province/results'));
    const svg = await (await app.page('/vi/ranking/2023/province/chart.svg')).text();
    expect(svg).toMatch(/<title[^>]*>[^<]*2023/);
    expect(svg).toMatch(/<desc[^>]*>/);
    expect(svg.match(/<g [^>]*data-unit=/g)).toHaveLength(body.results.filter((r: any) => r.ranked).length);
  });

  it('offers the publication as an XLSX workbook', async () => {
    const res = await app.page('/vi/ranking/2023/province/results.xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const bytes = new Uint8Array(await res.arrayBuffer());
    // A ZIP file (local file header) of a real size: the workbook, not an error page.
    expect([...bytes.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    expect(bytes.length).toBeGreaterThan(20_000);
  });

  it('answers a compare of units not assessed with a 400 page in the reader\'s language, and reads ?units=a,b', async () => {
    const vi400 = await html('/vi/compare/2025/province?units=01&units=79', 400);
    // Marked as Vietnamese, for screen readers: the JSON routes' problems stay English and are marked so.
    expect(vi400).toContain('<p lang="vi" data-problem="invalid-request">Đơn vị mã 79 không được đánh giá trong kỳ 2025');
    expect(await html('/vi/ranking/2031/province', 404)).toMatch(/<p lang="en" data-problem="not-found">No province cycle for 2031/);
    expect(await html('/en/compare/2025/province?units=01,79', 400)).toContain('Unit 79 is not assessed in the 2025 cycle');
    expect(await html('/vi/compare/2023/province?units=01,79')).toEqual(await html('/vi/compare/2023/province?units=01&units=79'));
  });

  it('lets a published page be revalidated by its ETag, and only embeds be framed by another site', async () => {
    const first = await app.page('/vi/ranking/2023/province');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await app.page('/vi/ranking/2023/province', { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(first.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    expect((await app.page('/embed/ranking/2023/province')).headers.get('content-security-policy')).toContain('frame-ancestors *');
  });
});
