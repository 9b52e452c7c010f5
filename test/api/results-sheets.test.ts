// Results as XLSX, on both runtimes: read back, each sheet equals the JSON answer at the
// methodology's display rounding; Vietnamese headers by default, English on request; the
// metadata sheet carries the publication's revision, hash, decision and notice.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, test } from 'vitest';
import { rounded } from '../../src/http/csv.js';
import { as, freshApp, json, post } from './harness.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let api: Awaited<ReturnType<typeof freshApp>>;
beforeAll(async () => { api = await freshApp(); });

async function workbook(path: string, init: RequestInit = {}): Promise<{ book: ExcelJS.Workbook; res: Response }> {
  const res = await api.request(path, init);
  expect(res.status, await res.clone().text().then((t) => t.slice(0, 300))).toBe(200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(await res.clone().arrayBuffer());
  return { book, res };
}
const values = (ws: ExcelJS.Worksheet) => ws.getRows(1, ws.rowCount)!.map((r) => (r.values as unknown[]).slice(1).map((v) => v ?? null));
/** Metadata rows as an object (label → value). */
const metadata = (ws: ExcelJS.Worksheet) => Object.fromEntries(values(ws).map(([k, v]) => [k, v]));

describe('results.xlsx of a published cycle', () => {
  test('the index and domains sheet equals the JSON at display rounding, numbers stored as numbers with the rounding\'s format', async () => {
    const body = await json(await api.request('/v1/cycles/2023/province/results'));
    const decimals = body.cycle.methodology.rounding;
    expect(decimals).toBe(2);
    const { book, res } = await workbook('/v1/cycles/2023/province/results.xlsx');
    expect(res.headers.get('content-type')).toBe(XLSX);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="par-index-2023-province-r${body.revision.revision}.xlsx"`);
    expect(book.worksheets.map((w) => w.name)).toEqual(['chỉ số và lĩnh vực', 'tiêu chí thành phần', 'thông tin']);
    const ws = book.worksheets[0];
    const [header, ...rows] = values(ws);
    expect(header.slice(0, 7)).toEqual(['xếp hạng', 'mã đơn vị', 'tên đơn vị', 'tên đơn vị (tiếng Anh)', 'vùng', 'chỉ số', 'nhóm']);
    expect(header[11]).toBe(`${body.domains[0].name.vi}: điểm`);
    expect(rows).toHaveLength(body.results.length);
    const display = (x: number | null) => (x === null ? null : Number(rounded(x, decimals)));
    rows.forEach((row, i) => {
      const r = body.results[i];
      expect(row.slice(0, 7)).toEqual([r.rank, r.unit.code, r.unit.name.vi, r.unit.name.en, r.unit.region, display(r.index), r.group]);
      const first = body.domains[0].code;
      expect(row.slice(11, 14)).toEqual([display(r.domains[first].points), display(r.domains[first].percent), r.domains[first].rank]);
    });
    expect(typeof rows[0][5]).toBe('number');
    expect(ws.getColumn(6).numFmt).toBe('0.00');
  });

  test('the sub-criteria sheet: one row per unit × sub-criterion, whose points add up to each domain\'s', async () => {
    const body = await json(await api.request('/v1/cycles/2023/province/results'));
    const { book } = await workbook('/v1/cycles/2023/province/results.xlsx?lang=en');
    expect(book.worksheets.map((w) => w.name)).toEqual(['index and domains', 'sub-criteria', 'metadata']);
    const [header, ...rows] = values(book.worksheets[1]);
    expect(header).toEqual(['unit code', 'unit name', 'indicator', 'sub-criterion', 'points', 'maximum']);
    expect(rows).toHaveLength(body.results.length * 98);
    const first = body.results[0];
    const domain = body.domains[0].code;
    const sum = rows.filter((r) => r[0] === first.unit.code && String(r[2]).startsWith(`${domain}.`)).reduce((s, r) => s + (r[4] as number), 0);
    expect(Math.abs(sum - first.domains[domain].points)).toBeLessThan(0.005 * 30);
    expect(rows[0][1]).toBe(first.unit.name.en);
  });

  test('metadata: revision, content hash, the notice for synthetic data; Vietnamese and English', async () => {
    const body = await json(await api.request('/v1/cycles/2023/province/results'));
    const vi = metadata((await workbook('/v1/cycles/2023/province/results.xlsx')).book.getWorksheet('thông tin')!);
    expect(vi).toMatchObject({ 'kỳ đánh giá': '2023 province', 'lần công bố': body.revision.revision, 'mã băm nội dung': body.revision.contentHash, 'lưu ý': body.notice, 'làm tròn (chữ số thập phân)': 2 });
    const en = metadata((await workbook('/v1/cycles/2023/province/results.xlsx?lang=en')).book.getWorksheet('metadata')!);
    expect(en).toMatchObject({ cycle: '2023 province', methodology: `${body.cycle.methodology.id} v${body.cycle.methodology.version}`, revision: body.revision.revision, 'content hash': body.revision.contentHash, notice: body.notice });
  });

  test('a publication with its decision names the decision; filters and revision apply as in the JSON', async () => {
    expect((await api.request('/v1/cycles', post({ year: 2029, unitType: 'province', methodology: 'par-province-2022' }))).status).toBe(201);
    const cycle = '/v1/cycles/2029/province';
    expect((await api.request(`${cycle}/scores`, as({ method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scores: [{ unit: '01', indicator: '1.1.1', source: 'appraisal', value: 0.5 }] }) }))).status).toBe(200);
    for (const status of ['appraisal', 'review']) expect((await api.request(`${cycle}/status`, post({ status }))).status).toBe(200);
    const published = await api.request(`${cycle}/status`, post({ status: 'published', decision: { number: '268/QĐ-BNV', date: '2030-03-28' } }));
    expect(published.status, await published.clone().text()).toBe(200);
    const meta = metadata((await workbook(`${cycle}/results.xlsx`)).book.getWorksheet('thông tin')!);
    expect(meta).toMatchObject({ 'số quyết định': '268/QĐ-BNV', 'ngày quyết định': '2030-03-28', 'lần công bố': 1 });
    const region = (await json(await api.request(`${cycle}/results?region=RRD`))).results.map((r: any) => r.unit.code);
    const sheet = values((await workbook(`${cycle}/results.xlsx?region=RRD`)).book.worksheets[0]).slice(1).map((r) => r[1]);
    expect(sheet).toEqual(region);
  });

  test('a draft only for staff; an unknown cycle 404; an ETag per language', async () => {
    expect((await api.request('/v1/cycles/2023/province/results.xlsx?revision=draft')).status).toBe(401);
    expect((await api.request('/v1/cycles/1999/province/results.xlsx')).status).toBe(404);
    const vi = await api.request('/v1/cycles/2023/province/results.xlsx');
    const en = await api.request('/v1/cycles/2023/province/results.xlsx?lang=en');
    expect(vi.headers.get('etag')).not.toBe(en.headers.get('etag'));
    expect((await api.request('/v1/cycles/2023/province/results.xlsx', { headers: { 'if-none-match': vi.headers.get('etag')! } })).status).toBe(304);
  });
});
