// Methodologies as spreadsheets through the API, on both runtimes: export and import back (same
// content hash), every problem named by sheet, row and column, untrusted workbooks refused before
// they are read, and an annex-shaped workbook that goes all the way to a cycle's results.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, test } from 'vitest';
import { as, freshApp, json, put } from './harness.js';
import { zip } from './zip.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const IDS = ['par-ministry-2022', 'par-province-2017', 'par-province-2022'];

let api: Awaited<ReturnType<typeof freshApp>>;
beforeAll(async () => { api = await freshApp(); });

const upload = (body: BodyInit, type: string, query = '') => api.request(`/v1/methodologies${query}`, as({ method: 'POST', headers: { 'content-type': type }, body }));
const stored = async (id: string) => (await json(await api.request(`/v1/methodologies/${id}`))).contentHash as string;

/** The problem's errors as "sheet!A1 message" lines. */
const placed = (body: any) => body.errors.map((e: any) => `${e.sheet}${e.column || e.row ? '!' : ''}${e.column ?? ''}${e.row ?? ''}${e.indicator ? ` [${e.indicator}]` : ''} ${e.message}`);

describe('export → import gives the same content hash', () => {
  test.each(IDS)('%s as CSV (Vietnamese headers) and XLSX (English headers)', async (id) => {
    const hash = await stored(id);
    const csv = await api.request(`/v1/methodologies/${id}?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="${id}-v1.csv"`);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.slice(0, 30)).startsWith('\ufefftrường,giá trị')).toBe(true);
    const fromCsv = await upload(bytes, 'text/csv');
    expect(fromCsv.status).toBe(200); // this version is stored with the same content
    expect((await json(fromCsv)).contentHash).toBe(hash);

    const xlsx = await api.request(`/v1/methodologies/${id}?lang=en`, { headers: { accept: XLSX } });
    expect(xlsx.headers.get('content-type')).toBe(XLSX);
    const fromXlsx = await upload(await xlsx.arrayBuffer(), XLSX, '?dryRun=true');
    expect(await json(fromXlsx)).toMatchObject({ dryRun: true, id, contentHash: hash, stored: 'same' });
  });

  test('a weighted methodology using every field of the pipeline (screening, imputation, treatment, denominators, power means) as CSV and XLSX', async () => {
    const doc = {
      id: 'sheet-pipeline', mode: 'weighted', missing: 'skip', unitType: 'province',
      screening: { minAvailability: 0.5 }, imputation: { method: 'interpolate' }, treatment: { skewness: 2.5, transform: 'logSkew' },
      aggregation: { method: 'power', p: 2 }, normalisation: { method: 'distanceToTarget', target: 80, cap: false },
      nodes: [
        { code: 'R', name: { vi: 'Chỉ số', en: 'Index' } },
        { code: '1', parent: 'R', weight: 2, denominator: 'population', treatment: false },
        { code: '2', parent: 'R', weight: 1, aggregation: 'geometric' },
        { code: '2.1', parent: '2', weight: 1, normalisation: { method: 'minmax' }, treatment: { winsoriseMax: 3 } },
        { code: '2.2', parent: '2', weight: 1, normalisation: { method: 'minmax' }, treatment: {} },
      ],
    };
    const created = await upload(JSON.stringify(doc), 'application/json');
    expect(created.status, await created.clone().text()).toBe(201);
    const hash = await stored('sheet-pipeline');
    const csv = await (await api.request('/v1/methodologies/sheet-pipeline?format=csv')).text();
    expect(csv).toContain('ngưỡng sàng lọc đơn vị,0.5');
    expect(csv).toContain('cách điền giá trị thiếu,interpolate');
    expect(csv).toContain('xử lý ngoại lai,skewness=2.5; transform=logSkew');
    expect(csv).toMatch(/\r\n1,,,,,2,.*,population,none,/);
    expect(await json(await upload(csv, 'text/csv', '?dryRun=true'))).toMatchObject({ contentHash: hash, stored: 'same' });
    const xlsx = await api.request('/v1/methodologies/sheet-pipeline?format=xlsx&lang=en');
    expect(await json(await upload(await xlsx.arrayBuffer(), XLSX, '?dryRun=true'))).toMatchObject({ contentHash: hash, stored: 'same' });
  });

  test('Accept: text/csv gives the CSV; an ETag per format', async () => {
    const csv = await api.request('/v1/methodologies/par-province-2022', { headers: { accept: 'text/csv' } });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const jsonEtag = (await api.request('/v1/methodologies/par-province-2022')).headers.get('etag');
    expect(csv.headers.get('etag')).not.toBe(jsonEtag);
    expect((await api.request('/v1/methodologies/par-province-2022?format=csv', { headers: { 'if-none-match': csv.headers.get('etag')! } })).status).toBe(304);
  });
});

describe('import from CSV', () => {
  const csv = (nodes: string) => `id,sheet-test\nmode,points\nmissing,zero\n\ncode,parent,name_vi,name_en,max,source,rule,bands,target\n${nodes}`;

  test('a dry run answers the tree and its totals, and stores nothing; the POST then stores it', async () => {
    const body = csv('R,,Chỉ số,Index,,,,,\n1,,Một,One,,,,,\n1.1,,a,a,2,appraisal,bands,≥100:2; ≥50:50%; else:0,\n1.2,,b,b,3,appraisal,proportional,,100\n2,,Hai,Two,5,survey,survey,,\n');
    const dry = await upload(body, 'text/csv', '?dryRun=true');
    expect(await json(dry)).toMatchObject({ dryRun: true, stored: 'new', nodes: 5, leaves: 3, levels: [1, 2, 2], total: 10, domains: [{ code: '1', max: 5, leaves: 2 }, { code: '2', max: 5, leaves: 1 }] });
    expect((await api.request('/v1/methodologies/sheet-test')).status).toBe(404);
    const res = await upload(body, 'text/csv');
    expect(res.status).toBe(201);
    expect((await json(res)).contentHash).toBe(await stored('sheet-test'));
  });

  test('every problem at once, with sheet, row, column and node; nothing stored', async () => {
    const res = await upload(csv([
      'R,,Chỉ số,Index,,,,,', '1,,Một,One,5,,,,',
      '1.1,,a,a,"2,5",appraisal,points,,', '1.1,,b,b,1,appraisal,stars,,',
      '1.2,,c,c,two,appraisal,bands,>80:1,', '9.1,,d,d,1,appraisal,,,',
    ].join('\n')), 'text/csv');
    expect(res.status).toBe(422);
    const body = await json(res);
    expect(body.type).toBe('/problems/invalid-methodology');
    expect(placed(body)).toEqual(expect.arrayContaining([
      'nodes!E8 [1.1] 2,5 has a decimal comma: write it with a point (2.5)',
      'nodes!G9 [1.1] unknown rule stars: one of points, binary, bands, proportional, linear, survey',
      'nodes!E10 [1.2] two is not a number',
      expect.stringMatching(/^nodes!H10 \[1\.2\] band ">80:1" .* write ≥ or >=$/),
      'nodes!A9 [1.1] duplicate code 1.1',
      'nodes!B11 [9.1] parent 9 does not exist',
    ]));
    expect(body.detail).toMatch(/problem\(s\) in the spreadsheet; nothing was written/);
    expect((await api.request('/v1/methodologies/sheet-bad')).status).toBe(404);
  });

  test('children not summing to the domain\'s max are named on the domain\'s row', async () => {
    const body = await json(await upload(csv('R,,Chỉ số,Index,,,,,\n1,,Một,One,5,,,,\n1.1,,a,a,2,,,,\n'), 'text/csv'));
    expect(placed(body)).toEqual(['nodes!E7 [1] children\'s max sum to 2, not the node\'s max 5']);
  });

  test('a CSV without the blank row between the blocks is a 400', async () => {
    const res = await upload('id,x\ncode,name_vi\n', 'text/csv');
    expect(res.status).toBe(400);
  });
});

describe('untrusted workbooks', () => {
  test('not a ZIP: 422 at once', async () => {
    const res = await upload('this is not a workbook', XLSX);
    expect(res.status).toBe(422);
    expect((await json(res)).detail).toMatch(/not an XLSX workbook: it does not begin as a ZIP archive does/);
  });

  test('a directory declaring more than the limit is 413 without inflating anything', async () => {
    const bytes = await zip([['[Content_Types].xml', 'x'], ['xl/workbook.xml', 'y']]);
    const view = new DataView(bytes.buffer);
    const dir = view.getUint32(bytes.length - 6, true);
    view.setUint32(dir + 24, 0x7fff0000, true); // the first entry's uncompressed size
    const res = await upload(bytes, XLSX);
    expect(res.status).toBe(413);
    expect((await json(res)).detail).toMatch(/declares 2047\.9 MiB uncompressed/);
  });

  test('a zip bomb that lies about its size is cut off where it passes what it declared', async () => {
    const res = await upload(await zip([['xl/workbook.xml', 'A'.repeat(4 * 1024 * 1024), 1000]]), XLSX);
    expect(res.status).toBe(413);
    expect((await json(res)).detail).toMatch(/inflates past the 1000 bytes its directory declares/);
  });

  test('too many parts: 413; external links: 422', async () => {
    const many = Array.from({ length: 201 }, (_, i) => [`p${i}`, ''] as [string, string]);
    expect((await upload(await zip(many), XLSX)).status).toBe(413);
    const linked = await upload(await zip([['xl/workbook.xml', '<x/>'], ['xl/externalLinks/externalLink1.xml', '<x/>']]), XLSX);
    expect(linked.status).toBe(422);
    expect((await json(linked)).detail).toMatch(/links to other files \(xl\/externalLinks\/externalLink1\.xml\)/);
  });

  test('a worksheet of more rows than a methodology can have is refused as it inflates, before exceljs reads it', async () => {
    const rows = Array.from({ length: 5001 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`).join('');
    const res = await upload(await zip([['xl/workbook.xml', '<x/>'], ['xl/worksheets/sheet1.xml', `<worksheet><sheetData>${rows}</sheetData></worksheet>`]]), XLSX);
    expect(res.status).toBe(422);
    expect((await json(res)).detail).toMatch(/^The worksheet xl\/worksheets\/sheet1\.xml has 5,001 rows and 5,001 cells: a methodology sheet has at most 5,000 rows/);
  });

  test('formulas: a stored result is read and its cell named; without one, 422; merged cells, a date for a number, a missing sheet named', async () => {
    const good = await workbook((m, n) => {
      n.getCell('E3').value = { formula: '2+3', result: 5 } as ExcelJS.CellFormulaValue;
      void m;
    });
    const read = await upload(good, XLSX, '?dryRun=true');
    expect(await json(read)).toMatchObject({ total: 5, formulas: ['nodes!E3'] });

    const bad = await workbook((m, n) => {
      n.getCell('E3').value = { formula: '2+3' } as ExcelJS.CellFormulaValue;
      n.getCell('E2').value = new Date(Date.UTC(2024, 4, 1));
      m.mergeCells('C1:D1');
    });
    const res = await upload(bad, XLSX);
    expect(res.status).toBe(422);
    expect(placed(await json(res))).toEqual(expect.arrayContaining([
      'methodology merged cells C1:D1: unmerge them (one value per cell)',
      'nodes!E3 a formula without a stored value: type the value (formulas are not computed here)',
    ]));

    const dated = await workbook((_, n) => { n.getCell('E3').value = new Date(Date.UTC(2024, 4, 1)); });
    expect(placed(await json(await upload(dated, XLSX)))).toContain('nodes!E3 [1] a date (2024-05-01) where a number belongs');

    const book = new ExcelJS.Workbook();
    book.addWorksheet('Sheet1').getCell('A1').value = 'x';
    const missing = await upload(await book.xlsx.writeBuffer(), XLSX);
    expect(placed(await json(missing))).toEqual([
      'methodology no sheet named methodology or phương pháp (the workbook has Sheet1)',
      'nodes no sheet named nodes or chỉ tiêu (the workbook has Sheet1)',
    ]);
  });
});

describe('an annex-shaped workbook (8 domains, 37 criteria, 88 sub-criteria, mixed rules) computes a cycle', () => {
  test('import, open a cycle with it, upload scores, read the results', async () => {
    const { bytes, expected } = await annex();
    const res = await upload(bytes, XLSX);
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ id: 'annex-876', nodes: 1 + 8 + 37 + 88, leaves: 88 });
    const dry = await json(await upload(bytes, XLSX, '?dryRun=true'));
    expect(dry).toMatchObject({ stored: 'same', levels: [1, 8, 37, 88], total: 100 });

    const cycle = await api.request('/v1/cycles', as({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ year: 2031, unitType: 'province', methodology: 'annex-876' }) }));
    expect(cycle.status).toBe(201);
    const scores = expected.leaves.flatMap((leaf) => ['01', '04'].map((unit) => ({ unit, indicator: leaf.code, source: leaf.source, value: unit === '01' ? leaf.value : null })));
    const written = await api.request('/v1/cycles/2031/province/scores', put({ scores }));
    expect(written.status, (await written.clone().text()).slice(0, 300)).toBe(200);
    const results = await json(await api.request('/v1/cycles/2031/province/results?revision=draft', as()));
    const row = results.results.find((r: any) => r.unit.code === '01');
    expect(row.index).toBeCloseTo(expected.index, 9);
    expect(results.results.find((r: any) => r.unit.code === '04').index).toBe(0);
  });
});

/** A workbook of the small methodology used above, after `edit` (methodology and nodes sheets). */
async function workbook(edit: (m: ExcelJS.Worksheet, n: ExcelJS.Worksheet) => void): Promise<ArrayBuffer> {
  const book = new ExcelJS.Workbook();
  const m = book.addWorksheet('methodology');
  m.addRows([['field', 'value'], ['id', 'book-test'], ['mode', 'points'], ['missing', 'zero']]);
  const n = book.addWorksheet('nodes');
  n.addRows([['code', 'parent', 'name_vi', 'name_en', 'max'], ['R', null, 'Chỉ số', 'Index', null], ['1', null, 'Một', 'One', 1]]);
  edit(m, n);
  return book.xlsx.writeBuffer() as Promise<ArrayBuffer>;
}

/** The annex: leaves in five kinds of rule, and the index of a unit whose scores are known. */
async function annex() {
  const criteriaPer = [5, 4, 5, 4, 5, 4, 5, 5];
  const book = new ExcelJS.Workbook();
  book.addWorksheet('phương pháp').addRows([
    ['trường', 'giá trị', 'ngày', 'tiêu đề'], ['mã phương pháp', 'annex-876'], ['tên tiếng Việt', 'Phụ lục Quyết định 876/QĐ-BNV (cấp tỉnh)'],
    ['tên tiếng Anh', 'Annex of Decision 876'], ['loại đơn vị', 'province'], ['các năm', '2031'],
    ['căn cứ pháp lý', 'Quyết định 876/QĐ-BNV', '2022-11-10'], ['cách tính', 'points'], ['thiếu dữ liệu', 'zero'],
    ['tổng điểm', 100], ['xếp nhóm', 'A≥90; B≥80; C≥70; D≥0'],
  ]);
  const nodes = book.addWorksheet('chỉ tiêu');
  nodes.addRow(['mã', 'mã cha', 'tên tiếng Việt', 'tên tiếng Anh', 'điểm tối đa', 'nguồn điểm', 'cách chấm', 'thang điểm', 'mục tiêu', 'phương án trả lời', 'nguồn gốc', 'văn bản']);
  nodes.addRow(['PAR', null, 'Chỉ số cải cách hành chính', 'PAR Index', 100, null, null, null, null, null, 'official', 'Quyết định 876/QĐ-BNV']);
  const leaves: { code: string; source: string; value: unknown }[] = [];
  let index = 0, leaf = 0, criterion = 0;
  for (let d = 1; d <= 8; d++) {
    const domainRow = nodes.addRow([`${d}`, null, `Lĩnh vực ${d}`, `Domain ${d}`]);
    let domainMax = 0;
    for (let c = 1; c <= criteriaPer[d - 1]; c++, criterion++) {
      nodes.addRow([`${d}.${c}`, null, `Tiêu chí ${d}.${c}`, `Criterion ${d}.${c}`]);
      for (let s = 1; s <= (criterion < 14 ? 3 : 2); s++, leaf++) {
        const max = leaf < 12 ? 2 : 1;
        const kind = leaf % 5;
        const [rule, bands, target, options, value, share] = [
          ['points', null, null, null, max / 2, 0.5], ['binary', null, null, null, 1, 1],
          ['bands', '≥100:100%; ≥80:50%; else:0', null, null, 90, 0.5], ['proportional', null, 100, null, 50, 0.5],
          ['survey', null, null, 'A=1; B=0.6; C=0.2; D=0', { A: 10, B: 10 }, 0.8],
        ][kind] as [string, string | null, number | null, string | null, unknown, number];
        const source = kind === 4 ? 'survey' : 'appraisal';
        nodes.addRow([`${d}.${c}.${s}`, null, `Tiêu chí thành phần ${d}.${c}.${s}`, `Sub-criterion ${d}.${c}.${s}`, max, source, rule, bands, target, options, 'provisional']);
        leaves.push({ code: `${d}.${c}.${s}`, source, value });
        index += max * share;
        domainMax += max;
      }
    }
    domainRow.getCell(5).value = domainMax;
  }
  expect([criterion, leaf]).toEqual([37, 88]);
  return { bytes: await book.xlsx.writeBuffer() as ArrayBuffer, expected: { leaves, index } };
}
