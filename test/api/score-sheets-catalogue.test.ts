// A catalogue of bad score workbooks, each built here, on both runtimes: every one is a 4xx problem
// naming its place (the part of the ZIP, or sheet!cell), answered quickly, with nothing written
// (the stored scores and the audit unchanged).
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, test } from 'vitest';
import { as, freshApp, json, post } from './harness.js';
import { zip } from './zip.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CYCLE = '/v1/cycles/2028/province';

let api: Awaited<ReturnType<typeof freshApp>>;
beforeAll(async () => {
  api = await freshApp();
  expect((await api.request('/v1/cycles', post({ year: 2028, unitType: 'province', methodology: 'par-province-2022' }))).status).toBe(201);
});

const HEADER = ['unit', 'indicator', 'source', 'value'];
const GOOD = [['01', '1.1.1', 'appraisal', 0.25], ['01', '1.1.2', 'appraisal', 0.5], ['04', '1.1.1', 'appraisal', 0]];

/** A workbook of the good rows on a sheet named scores, after `edit`. */
async function book(edit: (ws: ExcelJS.Worksheet, book: ExcelJS.Workbook) => void = () => {}): Promise<Uint8Array<ArrayBuffer>> {
  const b = new ExcelJS.Workbook();
  const ws = b.addWorksheet('scores');
  ws.addRows([HEADER, ...GOOD]);
  edit(ws, b);
  return new Uint8Array(await b.xlsx.writeBuffer() as ArrayBuffer);
}

/** A minimal workbook written by hand around one worksheet's XML (what no library would write). */
const raw = (sheetData: string, extra: [string, string][] = []) => zip([
  ['[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'],
  ['xl/workbook.xml', '<workbook xmlns:r="r"><sheets><sheet name="scores" sheetId="1" r:id="rId1"/></sheets></workbook>'],
  ['xl/_rels/workbook.xml.rels', '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'],
  ['xl/worksheets/sheet1.xml', `<worksheet><sheetData>${sheetData}</sheetData></worksheet>`],
  ...extra,
]);
const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
const headerRow = `<row r="1">${HEADER.map((h, k) => inline(`${'ABCD'[k]}1`, h)).join('')}</row>`;

const state = async () => JSON.stringify(await api.sql('select (select count(*) from audit) audit, count(*) n, max(updated_at) at, sum(length(value)) v from scores'));

type Case = [name: string, bytes: () => Promise<Uint8Array<ArrayBuffer> | string>, status: number, place: RegExp, type?: string];

const CATALOGUE: Case[] = [
  ['not a ZIP at all', async () => 'unit,indicator,value\n01,1.1.1,1\n', 422, /not an XLSX workbook: it does not begin as a ZIP archive does/],
  ['a truncated ZIP', async () => (await book()).slice(0, 2000), 422, /no ZIP directory at its end \(cut short\?\)/],
  ['a zip bomb that lies about its size', () => zip([['xl/workbook.xml', '<x/>'], ['xl/worksheets/sheet1.xml', 'A'.repeat(8 * 1024 * 1024), 1000]]), 413, /part xl\/worksheets\/sheet1\.xml inflates past the 1000 bytes its directory declares/],
  ['a directory declaring 2 GiB', async () => {
    const bytes = await zip([['xl/workbook.xml', '<x/>']]);
    const view = new DataView(bytes.buffer);
    view.setUint32(view.getUint32(bytes.length - 6, true) + 24, 0x7fff0000, true);
    return bytes;
  }, 413, /declares 2047\.9 MiB uncompressed/],
  ['too many ZIP entries', () => zip(Array.from({ length: 201 }, (_, i) => [`p${i}`, ''] as [string, string])), 413, /has 201 parts/],
  ['a million rows', () => raw(headerRow + '<row/>'.repeat(1_000_000)), 413, /xl\/worksheets\/sheet1\.xml has at least [\d,]+ rows and \d+ cells: a score workbook has at most 25,000 rows/],
  ['a huge sheet dimension (a cell at XFD1048576)', () => raw(`${headerRow}<row r="2">${inline('A2', '01')}</row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>`), 422, /scores!1048576: a cell in row 1,048,576, past the 25,000 rows/],
  ['an encrypted (password-protected) file', async () => new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(600).fill(0)]), 422, /encrypted \(password-protected\)/],
  ['an encrypted ZIP entry', async () => {
    const bytes = await zip([['xl/workbook.xml', '<x/>']]);
    const view = new DataView(bytes.buffer);
    view.setUint16(view.getUint32(bytes.length - 6, true) + 8, 1, true);
    return bytes;
  }, 422, /part xl\/workbook\.xml is encrypted/],
  ['external links', () => zip([['xl/workbook.xml', '<x/>'], ['xl/externalLinks/externalLink1.xml', '<x/>']]), 422, /links to other files \(xl\/externalLinks\/externalLink1\.xml\)/],
  ['macros inside an .xlsx', () => raw(headerRow, [['xl/vbaProject.bin', 'Attribute VB_Name']]), 422, /carries macros \(xl\/vbaProject\.bin\)/],
  ['the wrong sheet name', () => book((ws) => { ws.name = 'Sheet1'; }), 422, /no sheet named điểm or scores \(the workbook has Sheet1\)/],
  ['a missing header', () => book((ws) => { ws.spliceRows(1, 1); }), 422, /scores!A1: unknown column 01/],
  ['a header without the value column', () => book((ws) => { ws.getCell('D1').value = 'points'; }), 422, /scores!D1: unknown column points/],
  ['merged cells', () => book((ws) => { ws.mergeCells('C2:D2'); }), 422, /scores!C2: merged cells C2:D2/],
  ['a hidden sheet', () => book((ws) => { ws.state = 'hidden'; }), 422, /scores: the sheet is hidden/],
  ['a hidden row', () => book((ws) => { ws.getRow(3).hidden = true; }), 422, /scores!3: row 3 is hidden/],
  // one rule with methodology workbooks (methodology-sheets.test.ts): refused where it stands, stored result or not
  ['a formula with its stored result', () => book((ws) => { ws.getCell('D3').value = { formula: '0.2+0.3', result: 0.5 } as ExcelJS.CellFormulaValue; }), 422, /scores!D3: a formula \(=0\.2\+0\.3\): paste values instead/, '/problems/validation-failed'],
  ['a formula without a stored result', () => book((ws) => { ws.getCell('C2').value = { formula: 'A1&"x"' } as ExcelJS.CellFormulaValue; }), 422, /scores!C2: a formula \(=A1&"x"\): paste values instead/, '/problems/validation-failed'],
  ['an error value', () => book((ws) => { ws.getCell('D2').value = { error: '#DIV/0!' } as ExcelJS.CellErrorValue; }), 422, /scores!D2: the cell holds the error #DIV\/0!/],
  ['a date where a number belongs', () => book((ws) => { ws.getCell('D4').value = new Date(Date.UTC(2024, 4, 1)); }), 422, /scores!D4: a date \(2024-05-01\) where a number belongs/],
  ['a decimal comma in a text cell', () => book((ws) => { ws.getCell('D2').value = '0,25'; }), 422, /scores!D2: 0,25 is text with a decimal comma: type it as a number \(0\.25\)/],
  ['text in the value column', () => book((ws) => { ws.getCell('D3').value = 'half'; }), 422, /scores!D3: value half is not a number/],
  ['TRUE where a number belongs', () => book((ws) => { ws.getCell('D3').value = true; }), 422, /scores!D3: TRUE is not a number/],
  ['an empty row in the middle', () => book((ws) => { ws.insertRow(3, []); }), 422, /scores!A3: an empty row between rows with data/],
  ['a duplicate row', () => book((ws) => { ws.addRow(GOOD[0]); }), 422, /scores!B5: duplicate score for unit 01, indicator 1\.1\.1, source appraisal/],
  ['an unknown unit', () => book((ws) => { ws.getCell('A3').value = '99'; }), 422, /scores!A3: unknown unit 99/],
  ['an unknown sub-criterion', () => book((ws) => { ws.getCell('B4').value = '9.9.9'; }), 422, /scores!B4: .*9\.9\.9/],
  ['a value over the maximum', () => book((ws) => { ws.getCell('D2').value = 7; }), 422, /scores!D2: value 7 is outside \[0, 0\.5\]/],
];

describe('the catalogue of bad workbooks', () => {
  test('the good workbook they are made from is accepted (dry run)', async () => {
    const res = await api.request(`${CYCLE}/scores?dryRun=true`, as({ method: 'PUT', headers: { 'content-type': XLSX }, body: await book() }));
    expect(res.status, await res.clone().text()).toBe(200);
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(20);
  });

  test.each(CATALOGUE)('%s: a 4xx naming the place, nothing written', async (_name, bytes, status, place, type) => {
    const body = await bytes();
    const before = await state();
    const started = performance.now();
    const res = await api.request(`${CYCLE}/scores`, as({ method: 'PUT', headers: { 'content-type': XLSX }, body }));
    const took = performance.now() - started;
    const problem = await json(res);
    expect(res.status, JSON.stringify(problem).slice(0, 600)).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const placed = [problem.detail, ...(problem.errors ?? []).map((e: any) => `${e.sheet}${e.column || e.row ? '!' : ''}${e.column ?? ''}${e.row ?? ''}: ${e.message}`)].join('\n');
    expect(placed, placed).toMatch(place);
    if (type) expect(problem.type).toBe(type);
    expect(await state()).toBe(before);
    expect(took).toBeLessThan(15_000); // generous: the test machine is shared; the bench reports real times
  });

  test('rows are counted exactly as the sheet inflates, tags straddling its chunks included: 25,000 rows pass the count, 25,001 do not', async () => {
    // <row/> and <row r="…"> alternate so that tags of different lengths fall across every chunk boundary
    const rows = (n: number) => headerRow + Array.from({ length: n - 1 }, (_, i) => (i % 3 ? '<row/>' : `<row r="${i + 2}"><c r="Z${i + 2}"/></row>`)).join('');
    const put = async (n: number) => json(await api.request(`${CYCLE}/scores?dryRun=true`, as({ method: 'PUT', headers: { 'content-type': XLSX }, body: await raw(rows(n)) })));
    const within = await put(25_000);
    expect(within.type, within.detail).not.toMatch(/payload-too-large/);
    expect(within.detail).toMatch(/no filled row/);
    const past = await put(25_001);
    expect(past.detail, past.detail).toMatch(/has at least 25,001 rows and 8,338 cells/);
  });

  test('hand-written XML as other writers lay it out is read cell by cell: self-closed cells, attributes in any order, a cell without r, rich and preserved shared strings', async () => {
    const shared = '<sst><si><t xml:space="preserve">1.1.1</t></si><si><r><t>appr</t></r><r><rPr/><t>aisal</t></r></si><si/></sst>';
    const row = `<row r="2"><c r="A2" t="inlineStr"><is><t>01</t></is></c><c r="Z2" s="0"/><c t="s" r="B2"><v>0</v></c><c t="s"><v>1</v></c><c s="0" r="D2"><v>0.25</v></c><c r="E2"/></row>`;
    const res = await api.request(`${CYCLE}/scores?dryRun=true`, as({ method: 'PUT', headers: { 'content-type': XLSX }, body: await raw(headerRow + row, [['xl/sharedStrings.xml', shared]]) }));
    const body = await json(res);
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ dryRun: true, received: 1 });
    // the same row with the value past the maximum is refused on D2: the cell after a self-closed one is read where it stands
    const over = await api.request(`${CYCLE}/scores?dryRun=true`, as({ method: 'PUT', headers: { 'content-type': XLSX }, body: await raw(headerRow + row.replace('<v>0.25</v>', '<v>7</v>'), [['xl/sharedStrings.xml', shared]]) }));
    expect((await json(over)).errors).toEqual([expect.objectContaining({ sheet: 'scores', row: 2, column: 'D', message: expect.stringMatching(/value 7 is outside/) })]);
  });

  test('a macro-enabled content type is refused before the body is read (415)', async () => {
    const before = await state();
    const res = await api.request(`${CYCLE}/scores`, as({ method: 'PUT', headers: { 'content-type': 'application/vnd.ms-excel.sheet.macroEnabled.12' }, body: await book() }));
    expect(res.status).toBe(415);
    expect((await json(res)).detail).toMatch(/application\/vnd\.ms-excel\.sheet\.macroenabled\.12 is not accepted here/i);
    expect(await state()).toBe(before);
  });
});
