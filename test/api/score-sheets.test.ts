// The score template and XLSX score uploads, on both runtimes: a key's template holds what it may
// write (locked reference columns, validated value cells, a read-me, stored values filled in); a
// filled template uploads through the same path as CSV and the stored scores equal what was typed.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, test } from 'vitest';
import { as, freshApp, json, post } from './harness.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CYCLE = '/v1/cycles/2027/province';

let api: Awaited<ReturnType<typeof freshApp>>;
let unitKey = '';
let appraiserKey = '';

beforeAll(async () => {
  api = await freshApp();
  expect((await api.request('/v1/cycles', post({ year: 2027, unitType: 'province', methodology: 'par-province-2022' }))).status).toBe(201);
  unitKey = (await json(await api.request('/v1/api-keys', post({ role: 'unit', unit: '01' })))).key;
  appraiserKey = (await json(await api.request('/v1/api-keys', post({ role: 'appraiser' })))).key;
});

async function template(key?: string, query = ''): Promise<ExcelJS.Workbook> {
  const res = await api.request(`${CYCLE}/scores/template${query}`, key ? as({}, key) : as());
  expect(res.status, await res.clone().text().then((t) => t.slice(0, 300))).toBe(200);
  expect(res.headers.get('content-type')).toBe(XLSX);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(await res.arrayBuffer());
  return book;
}
const upload = async (book: ExcelJS.Workbook, key?: string, query = '') =>
  api.request(`${CYCLE}/scores${query}`, as({ method: 'PUT', headers: { 'content-type': XLSX }, body: await book.xlsx.writeBuffer() as ArrayBuffer }, key));
const header = (ws: ExcelJS.Worksheet) => (ws.getRow(1).values as unknown[]).slice(1);
const stored = async (unit: string, source: string) => (await api.sql<{ indicator: string; value: string; evidence: string | null; note: string | null }>(
  `select indicator, value, evidence, note from scores where cycle_id = (select id from cycles where year = 2027) and unit = '${unit}' and source = '${source}' order by indicator`));

describe('the template', () => {
  test('a unit key gets its own unit × every sub-criterion it self-assesses, reference columns locked, values validated, a read-me', async () => {
    const book = await template(unitKey);
    expect(book.worksheets.map((w) => w.name)).toEqual(['hướng dẫn', 'điểm']);
    const ws = book.getWorksheet('điểm')!;
    expect(header(ws)).toEqual(['mã đơn vị', 'tên đơn vị', 'tên đơn vị (tiếng Anh)', 'mã tiêu chí', 'tiêu chí thành phần', 'tiêu chí thành phần (tiếng Anh)', 'điểm tối đa', 'cách chấm', 'nguồn điểm', 'giá trị', 'tài liệu kiểm chứng', 'ghi chú', 'lý do điều chỉnh']);
    const rows = ws.getRows(2, ws.rowCount - 1)!;
    expect(rows).toHaveLength(87); // the appraised sub-criteria of par-province-2022 (the survey's 11 are not self-assessed)
    expect(new Set(rows.map((r) => r.getCell(1).value))).toEqual(new Set(['01']));
    expect(new Set(rows.map((r) => r.getCell(9).value))).toEqual(new Set(['self']));
    const first = rows[0];
    expect(first.getCell(4).value).toBe('1.1.1');
    expect(first.getCell(8).value).toMatch(/^Chấm điểm trực tiếp: nhập số điểm đạt được, từ 0 đến 0,5\.$/);
    expect(first.getCell(1).protection?.locked).not.toBe(false);
    expect(first.getCell(10).protection).toMatchObject({ locked: false });
    expect(first.getCell(10).dataValidation).toMatchObject({ type: 'decimal', operator: 'between', formulae: [0, first.getCell(7).value] });
    expect((ws as unknown as { sheetProtection: { sheet: boolean } }).sheetProtection.sheet).toBe(true);
    const readMe = book.getWorksheet('hướng dẫn')!;
    expect(readMe.getCell('B2').value).toBe('2027 province');
    expect(readMe.getCell('B3').value).toBe('par-province-2022 v1');
    expect(readMe.getCell('B4').value).toBe(87);
  });

  test('English on request; an admin gets every unit × every sub-criterion; an appraiser the appraised ones', async () => {
    const admin = await template(undefined, '?lang=en');
    expect(admin.worksheets.map((w) => w.name)).toEqual(['read me', 'scores']);
    const ws = admin.getWorksheet('scores')!;
    expect(header(ws).slice(0, 4)).toEqual(['unit', 'unit name (vi)', 'unit name (en)', 'indicator']);
    const units = new Set(ws.getRows(2, ws.rowCount - 1)!.map((r) => r.getCell(1).value));
    expect(ws.rowCount - 1).toBe(units.size * 98);
    expect(new Set(ws.getRows(2, ws.rowCount - 1)!.map((r) => r.getCell(9).value))).toEqual(new Set(['appraisal', 'survey']));
    const appraiser = (await template(appraiserKey)).getWorksheet('điểm')!;
    expect(appraiser.rowCount - 1).toBe(units.size * 87);
  });

  test('without a key: 401; an unknown cycle: 404', async () => {
    expect((await api.request(`${CYCLE}/scores/template`)).status).toBe(401);
    expect((await api.request('/v1/cycles/1999/province/scores/template', as())).status).toBe(404);
  });
});

describe('a filled template uploads, and the stored scores equal what was typed', () => {
  test('round trip: dry run, write, stored, pre-filled in the next template, re-upload changes nothing', async () => {
    const book = await template(unitKey);
    const ws = book.getWorksheet('điểm')!;
    const typed: Record<string, { value: number | null; evidence: string | null; note: string | null }> = {};
    // the first ten rows filled, two with a note instead of evidence, one "no data"; the rest left empty (not sent)
    for (let r = 2; r <= 11; r++) {
      const row = ws.getRow(r);
      const max = row.getCell(7).value as number;
      const value = r === 5 ? null : Math.round((max * (r - 1)) / 10 * 100) / 100;
      row.getCell(10).value = value === null ? 'null' : value;
      if (r % 4 === 0) row.getCell(12).value = `Chưa có văn bản ${r}`; else row.getCell(11).value = `Báo cáo ${r}/BC-UBND`;
      typed[row.getCell(4).value as string] = { value, evidence: r % 4 === 0 ? null : `Báo cáo ${r}/BC-UBND`, note: r % 4 === 0 ? `Chưa có văn bản ${r}` : null };
    }
    const dry = await upload(book, unitKey, '?dryRun=true');
    expect(await json(dry)).toMatchObject({ dryRun: true, received: 10, inserted: 10 });
    expect(await stored('01', 'self')).toEqual([]);
    const res = await upload(book, unitKey);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ dryRun: false, received: 10, inserted: 10, changed: true });
    const rows = await stored('01', 'self');
    expect(Object.fromEntries(rows.map((r) => [r.indicator, { value: JSON.parse(r.value), evidence: r.evidence, note: r.note }]))).toEqual(typed);

    const again = (await template(unitKey)).getWorksheet('điểm')!;
    const filled = again.getRows(2, 10)!.map((r) => [r.getCell(4).value, r.getCell(10).value]);
    expect(filled).toEqual(Object.entries(typed).map(([k, t]) => [k, t.value === null ? 'null' : t.value]));
    const same = await upload(await template(unitKey), unitKey);
    expect(await json(same)).toMatchObject({ received: 10, unchanged: 10, changed: false });
  });

  test('a workbook written by hand: English headers in any order, numbers typed as text with a point', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Scores').addRows([
      ['Value', 'Indicator', 'unit', 'Source'],
      ['0.25', '1.1.1', '04', 'appraisal'],
      ['1.5', '1.6', '04', 'survey'],
    ]);
    const res = await upload(book, undefined, '?dryRun=true');
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await json(res)).toMatchObject({ received: 2, inserted: 2 });
  });

  test('a unit key uploading another unit\'s rows: 403 naming sheet, row and column; nothing written', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('điểm').addRows([['mã đơn vị', 'mã tiêu chí', 'nguồn điểm', 'giá trị', 'tài liệu kiểm chứng'], ['01', '1.1.1', 'self', 0.5, 'BC 1'], ['04', '1.1.2', 'self', 0.5, 'BC 2']]);
    const res = await upload(book, unitKey);
    expect(res.status).toBe(403);
    const body = await json(res);
    expect(body.errors).toEqual([{ sheet: 'điểm', row: 3, column: 'A', field: 'unit', unit: '04', message: 'your key writes for unit 01 only' }]);
    expect(body.detail).toBe('1 row(s) of the workbook refused; nothing was written. First: điểm!A3: your key writes for unit 01 only.');
  });

  test('a self-assessment without evidence: 422 on its evidence column', async () => {
    const book = await template(unitKey);
    const ws = book.getWorksheet('điểm')!;
    ws.getCell('J30').value = 0.1;
    const body = await json(await upload(book, unitKey));
    expect(body.errors).toEqual([expect.objectContaining({ sheet: 'điểm', row: 30, column: 'K', field: 'evidence' })]);
  });
});
