// CSV rules, each in the test named after it (issue 12): numbers are decimals only (no 0x1A, no
// Infinity); the decimal comma is read only in semicolon files; the delimiter is decided by the
// header line alone; downloads round to the methodology's own rounding, to the nearest (never
// truncating), checked cell by cell against the unrounded JSON.
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScoresCsv } from '../../src/http/csv.js';
import { as, freshApp, json, post, put } from './harness.js';

const one = (text: string) => parseScoresCsv(text);

describe('a CSV value is a decimal number, or null, or JSON', () => {
  it.each(['0x1A', '0b11', '0o7', 'Infinity', '-Infinity', 'NaN', '1_000', '', ' ', '1e400', '.', '1.2.3', '١'])('refuses %j', (raw) => {
    const { rows, errors } = one(`unit,indicator,source,value\n01,1.1.1,appraisal,"${raw}"\n`);
    expect(errors.map((e) => [e.row, e.field]), raw).toEqual([[1, 'value']]);
    expect(rows[0].value).toBeUndefined();
  });

  it.each([['0.5', 0.5], ['+2', 2], ['-0.25', -0.25], ['.5', 0.5], ['5.', 5], ['1e-2', 0.01], ['2E3', 2000], ['null', null], ['NULL', null]])('reads %j as %j', (raw, value) => {
    const { rows, errors } = one(`unit,indicator,source,value\n01,1.1.1,appraisal,${raw}\n`);
    expect(errors).toEqual([]);
    expect(rows[0].value).toBe(value);
  });

  it('refuses a hexadecimal value in an upload, naming the row (422), and stores nothing', async () => {
    const api = await freshApp();
    expect((await api.request('/v1/cycles', post({ year: 2018, unitType: 'province', methodology: 'par-province-2022' }))).status).toBe(201);
    const before = await api.sql<{ n: number }>('select count(*) n from scores');
    const res = await api.request('/v1/cycles/2018/province/scores', put('unit,indicator,source,value\r\n01,1.1.1,appraisal,0x1A\r\n', 'text/csv'));
    expect(res.status).toBe(422);
    expect((await json(res)).errors).toMatchObject([{ row: 1, field: 'value', unit: '01', indicator: '1.1.1' }]);
    expect(await api.sql<{ n: number }>('select count(*) n from scores')).toEqual(before);
  });
});

describe('the decimal comma is read only in semicolon files', () => {
  it('semicolons: "0,5" is 0.5', () => {
    expect(one('unit;indicator;source;value\r\n01;1.1.1;appraisal;0,5\r\n').rows[0].value).toBe(0.5);
  });

  it('commas: a quoted "0,5" is not a number (the comma is not a decimal mark there)', () => {
    const { rows, errors } = one('unit,indicator,source,value\r\n01,1.1.1,appraisal,"0,5"\r\n');
    expect(errors.map((e) => e.message)).toEqual(['value 0,5 is not a finite number']);
    expect(rows[0].value).toBeUndefined();
  });

  it('semicolons: only one decimal comma, and no thousands separators', () => {
    expect(one('unit;indicator;source;value\r\n01;1.1.1;appraisal;1,000,5\r\n').errors).toHaveLength(1);
    expect(one('unit;indicator;source;value\r\n01;1.1.1;appraisal;1.000,5\r\n').errors).toHaveLength(1);
  });
});

describe('the delimiter is decided by the header line alone', () => {
  it('a comma header with semicolons in a later cell stays a comma file', () => {
    const { rows, errors } = one('unit,indicator,source,value,note\r\n01,1.1.1,appraisal,0.5,"Quyết định; số 12"\r\n');
    expect(errors).toEqual([]);
    expect(rows).toEqual([{ unit: '01', indicator: '1.1.1', source: 'appraisal', value: 0.5, note: 'Quyết định; số 12', evidence: undefined, reason: undefined }]);
  });

  it('a semicolon header with commas in a later cell stays a semicolon file', () => {
    const { rows } = one('unit;indicator;source;value;note\r\n01;1.1.1;appraisal;0,5;"a, b"\r\n');
    expect(rows[0]).toMatchObject({ value: 0.5, note: 'a, b' });
  });

  it('a one-line file (no line break) is read by its header too', () => {
    expect(() => one('unit;indicator;source;value')).toThrow(/header but no rows/);
  });
});

describe('downloads round to the methodology\'s rounding, to the nearest', () => {
  const YEAR = 2019; // before the 2025 mergers: the demo's 63 provinces
  const CYCLE = `/v1/cycles/${YEAR}/province`;
  let api: Awaited<ReturnType<typeof freshApp>>;
  let rounding = 0;

  beforeAll(async () => {
    api = await freshApp();
    // the province methodology with 3 decimals of display rounding instead of 2
    const { document } = await json(await api.request('/v1/methodologies/par-province-2022'));
    rounding = 3;
    const created = await api.request('/v1/methodologies', post({ ...document, id: 'par-province-2022-r3', rounding }));
    expect(created.status, await created.clone().text()).toBe(201);
    expect((await api.request('/v1/cycles', post({ year: YEAR, unitType: 'province', methodology: 'par-province-2022-r3' }))).status).toBe(201);
    // the demo 2023 scores (appraisal and survey), as a draft of that cycle
    const page = await json(await api.request('/v1/cycles/2023/province/scores?limit=10000'));
    expect(page.next).toBeNull();
    const demo = page.scores as any[];
    const scores = demo.filter((s) => s.source !== 'self').map(({ unit, indicator, source, value }) => ({ unit, indicator, source, value }));
    const upload = await api.request(`${CYCLE}/scores`, put({ scores }));
    expect(upload.status, await upload.clone().text()).toBe(200);
  });

  it('every decimal cell has the methodology\'s decimals and lies within half a unit of the last place of the JSON value', async () => {
    const meta = await json(await api.request(`${CYCLE}/results.csv-metadata.json?revision=draft`, as()));
    const decimals = (meta.tableSchema.columns as any[]).filter((c) => c.datatype === 'decimal').map((c) => decodeURIComponent(c.name));
    expect(decimals).toContain('index');
    const csv: string[][] = parse(await (await api.request(`${CYCLE}/results.csv?revision=draft`, as())).text(), { bom: true });
    const header = csv[0];
    const rows = (await json(await api.request(`${CYCLE}/results?revision=draft`, as()))).results as any[];
    const byCode = new Map(rows.map((r) => [r.unit.code, r]));
    const half = 0.5 * 10 ** -rounding + 1e-9;
    let checked = 0, truncationDiffers = 0;
    for (const record of csv.slice(1)) {
      const row = byCode.get(record[header.indexOf('unit.code')]);
      for (const name of decimals) {
        const exact = name.split('.').reduce<any>((v, k) => v?.[k], row);
        const text = record[header.indexOf(name)];
        if (exact === null || exact === undefined) { expect(text, name).toBe(''); continue; }
        expect(text, `${name} of ${row.unit.code}`).toMatch(new RegExp(`^-?\\d+\\.\\d{${rounding}}$`));
        expect(Math.abs(Number(text) - exact), `${name} of ${row.unit.code}: ${text} for ${exact}`).toBeLessThanOrEqual(half);
        checked++;
        if (Number(text) !== Math.trunc(exact * 10 ** rounding) / 10 ** rounding) truncationDiffers++;
      }
    }
    // the data has digits past the rounding that round up: truncating would have been caught
    expect(checked).toBeGreaterThan(100);
    expect(truncationDiffers).toBeGreaterThan(10);
  });
});
