// Score-writing rules (issue 12), each in the test named after it, through PUT …/scores
// (http/score-writes.ts): an upload carries at most 200,000 rows, counted before any row is read;
// every bad row is listed at once, by its row and pointer, with the methodology's verdict on the
// rows the schema accepted, and nothing is written; a dry run writes nothing and says what would
// change; an upload equal to what is stored changes nothing; an appraiser's adjustment of a
// self-assessment needs a reason, an admin's does not; a CSV names its rows outside the key's reach
// before its cells are read. Each test writes inside the test, so that Stryker's per-test coverage
// sees the code run by the test that checks it; each uses its own year (Workers share the database).
import { beforeAll, describe, expect, it } from 'vitest';
import { beginRequest } from '#runtime';
import { checkRowCount } from '../../src/http/score-writes.js';
import type { Driver } from '../../src/store/driver.js';
import { as, freshApp, json, post, put } from './harness.js';

type Api = Awaited<ReturnType<typeof freshApp>>;
let api: Api;
const keys = { appraiser: '', unit01: '' };
const OPEN = 2061, APPRAISAL = 2062;
const scoresOf = (year: number) => `/v1/cycles/${year}/province/scores`;
beforeAll(async () => {
  api = await freshApp();
  keys.appraiser = (await json(await api.request('/v1/api-keys', post({ role: 'appraiser' })))).key;
  keys.unit01 = (await json(await api.request('/v1/api-keys', post({ role: 'unit', unit: '01' })))).key;
  for (const year of [OPEN, APPRAISAL]) expect((await api.request('/v1/cycles', post({ year, unitType: 'province', methodology: 'par-province-2022' }))).status).toBe(201);
  // 01 self-assesses 1.1.1 at 0.5 in the open phase; the cycle then moves to appraisal
  expect((await api.request(scoresOf(APPRAISAL), put({ scores: [{ unit: '01', indicator: '1.1.1', source: 'self', value: 0.5, evidence: 'https://example.org/qd-1' }] }, 'application/json', keys.unit01))).status).toBe(200);
  expect((await api.request(`/v1/cycles/${APPRAISAL}/province/status`, post({ status: 'appraisal' }))).status).toBe(200);
});

/** The stored scores and audit, counted: a refused or dry upload changes neither. */
const tally = async () => (await api.sql<Record<string, number>>('select (select count(*) from scores) scores, (select count(*) from audit) audit'))[0];
const row = (unit: string, value: unknown, extra: Record<string, unknown> = {}) => ({ unit, indicator: '1.1.1', source: 'appraisal', value, ...extra });

/** Asserts a refusal (status, type, detail) that wrote nothing, and answers its problem. */
async function refused(request: () => Promise<Response>, status: number, type: string, detail: string | RegExp) {
  const before = await tally();
  const res = await request();
  const p = await json(res);
  expect([res.status, p.type]).toEqual([status, `/problems/${type}`]);
  if (typeof detail === 'string') expect(p.detail).toBe(detail);
  else expect(p.detail).toMatch(detail);
  expect(await tally()).toEqual(before);
  return p;
}

describe('an upload carries at most 200,000 rows, counted before any row is read', () => {
  it('refuses 200,001 JSON rows with 413, naming the count, and writes nothing', async () => {
    const over = { scores: Array.from({ length: 200_001 }, () => ({})) };
    await refused(() => api.request(scoresOf(OPEN), put(over)), 413, 'payload-too-large',
      'An upload carries at most 200,000 rows; this one has 200,001. Split it into several uploads (each is all or nothing by itself); nothing was written.');
  });

  it('lets exactly 200,000 rows through the count (the limit is inclusive)', () => {
    // through the API, 200,000 rows would then be validated one by one (a minute here): the count itself is the rule
    expect(() => checkRowCount(200_000, true)).not.toThrow();
    expect(() => checkRowCount(200_001, false)).toThrow(/this one has more\./);
  });

  it('refuses a CSV past 200,000 rows with 413 without counting the rest ("more")', async () => {
    const csv = `unit,indicator,source,value\n${'01,1.1.1,appraisal,0.5\n'.repeat(200_001)}`;
    await refused(() => api.request(scoresOf(OPEN), put(csv, 'text/csv')), 413, 'payload-too-large',
      'An upload carries at most 200,000 rows; this one has more. Split it into several uploads (each is all or nothing by itself); nothing was written.');
  });
});

describe('every bad row is listed at once, and nothing is written', () => {
  it('lists schema errors by row and pointer together with the methodology\'s verdict on the rows the schema accepted', async () => {
    const rows = [row('01', 0.5), row('01', 'high'), { ...row('01', 0.5), indicator: '9.9.9' }, row('04', 0.25)];
    const p = await refused(() => api.request(scoresOf(OPEN), put({ scores: rows })), 422, 'validation-failed', /^2 bad row\(s\); nothing was written\. First: row 2: /);
    expect(p.errors.map((e: any) => [e.row, e.pointer?.slice(0, '/scores/1'.length)])).toEqual([[2, '/scores/1'], [3, '/scores/2']]);
    expect(p.errors[1]).toMatchObject({ row: 3, indicator: '9.9.9' });
  });

  it('lists the methodology\'s verdict on schema-valid rows (invalid-scores), first 100 by row, with the count of all', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => ({ ...row('01', 0.5), indicator: `9.9.${i}` }));
    const p = await refused(() => api.request(scoresOf(OPEN), put({ scores: [row('01', 0.5), ...rows] })), 422, 'invalid-scores',
      /^120 problem\(s\); nothing was written\. First: .+\. 120 errors in all; the first 100 are listed\.$/);
    expect(p.errors).toHaveLength(100);
    expect(p.errors.map((e: any) => e.row)).toEqual(Array.from({ length: 100 }, (_, i) => i + 2));
    expect(p.detail).toContain(`First: ${p.errors[0].message}.`);
  });

  it('names one problem without a count when there are few', async () => {
    const p = await refused(() => api.request(scoresOf(OPEN), put({ scores: [row('01', 0.5), { ...row('01', 0.5), indicator: '9.9.9' }] })), 422, 'invalid-scores',
      '1 problem(s); nothing was written. First: unknown indicator 9.9.9.');
    expect(p.errors).toEqual([expect.objectContaining({ row: 2, indicator: '9.9.9' })]);
  });
});

describe('the detail names the first error of the first bad row, as the list does, and each bad row once', () => {
  it('names row, field and message of the error listed first, when its row has several', async () => {
    const rows = [row('01', 0.5), { ...row('01', 'high'), indicator: '' }, row('04', 'low')];
    const p = await refused(() => api.request(scoresOf(OPEN), put({ scores: rows })), 422, 'validation-failed', /^2 bad row\(s\); nothing was written\. First: row 2: /);
    expect(p.errors.filter((e: any) => e.row === 2).length).toBeGreaterThan(1);
    const [first] = p.errors;
    expect(first).toMatchObject({ row: 2, field: expect.any(String) });
    expect(p.detail).toBe(`2 bad row(s); nothing was written. First: row 2: ${first.field}: ${first.message}`);
  });

  it('names the lowest row even when the methodology, checked after the schema, found it', async () => {
    // row 2 passes the schema but names no indicator of the methodology; row 3 fails the schema
    const rows = [row('01', 0.5), { ...row('01', 0.5), indicator: '9.9.9' }, row('04', 'high')];
    const p = await refused(() => api.request(scoresOf(OPEN), put({ scores: rows })), 422, 'validation-failed', /^2 bad row\(s\); nothing was written\. First: row 2: /);
    const second = p.errors.find((e: any) => e.row === 2);
    expect(second).toMatchObject({ indicator: '9.9.9' });
    expect(p.detail).toBe(`2 bad row(s); nothing was written. First: row 2: ${second.field}: ${second.message}`);
  });

  it('lists a CSV row whose cell the parser refused by that error only, not again by the schema', async () => {
    const csv = 'unit,indicator,source,value\n01,1.1.1,appraisal,0.5\n04,1.1.1,appraisal,abc\n';
    const p = await refused(() => api.request(scoresOf(OPEN), put(csv, 'text/csv')), 422, 'validation-failed', /^1 bad row\(s\); nothing was written\. First: row 2: value: /);
    expect(p.errors).toEqual([expect.objectContaining({ row: 2, field: 'value' })]);
    expect(p.errors[0].pointer).toBeUndefined();
  });
});

describe('a write says what it changed; a dry run and an equal upload write nothing', () => {
  it('dry-runs, writes, then finds the same upload unchanged', async () => {
    const body = { scores: [row('04', 0.25), row('08-2025', 0.5)] };
    const before = await tally();
    const dry = await json(await api.request(`${scoresOf(OPEN)}?dryRun=true`, put(body)));
    expect(dry).toMatchObject({ dryRun: true, received: 2, inserted: 2, updated: 0, unchanged: 0, changed: false,
      message: 'Dry run: every row is valid; 2 would be inserted, 0 updated, 0 unchanged. Nothing was written.' });
    expect(await tally()).toEqual(before);
    const written = await json(await api.request(scoresOf(OPEN), put(body)));
    expect(written).toMatchObject({ dryRun: false, inserted: 2, updated: 0, unchanged: 0, changed: true, message: '2 inserted, 0 updated, 0 unchanged.' });
    const again = await json(await api.request(scoresOf(OPEN), put({ scores: [row('04', 0.25), row('08-2025', 0)] })));
    expect(again).toMatchObject({ inserted: 0, updated: 1, unchanged: 1, changed: true, message: '0 inserted, 1 updated, 1 unchanged.' });
    const same = await json(await api.request(scoresOf(OPEN), put({ scores: [row('04', 0.25), row('08-2025', 0)] })));
    expect(same).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, changed: false, message: 'All 2 rows equal what is stored: nothing changed.' });
  });
});

describe('an appraiser\'s adjustment of a self-assessment needs a reason; an admin\'s does not', () => {
  it('refuses the appraiser without a reason, accepts it with one, and accepts the admin without', async () => {
    await refused(() => api.request(scoresOf(APPRAISAL), put({ scores: [row('01', 0.25)] }, 'application/json', keys.appraiser)), 422, 'validation-failed',
      '1 adjustment(s) without a reason; nothing was written.');
    expect((await api.request(scoresOf(APPRAISAL), put({ scores: [row('01', 0.5)] }, 'application/json', keys.appraiser))).status).toBe(200); // accepts the self-assessment as is
    expect((await api.request(scoresOf(APPRAISAL), put({ scores: [row('01', 0.25, { reason: 'Minh chứng thiếu' })] }, 'application/json', keys.appraiser))).status).toBe(200);
    expect((await api.request(scoresOf(APPRAISAL), put({ scores: [row('01', 0)] }))).status).toBe(200);
  });
});

describe('a CSV upload from a unit key names the rows outside its reach before reading their cells', () => {
  it('answers 403 for another unit\'s row even when its value is not a number, writing nothing; its own rows are read', async () => {
    const csv = 'unit,indicator,source,value,evidence\n01,1.1.1,self,0.5,https://example.org/a\n04,1.1.1,self,abc,https://example.org/b\n';
    const p = await refused(() => api.request(scoresOf(OPEN), put(csv, 'text/csv', keys.unit01)), 403, 'forbidden', '1 row(s) are outside what your key may write; nothing was written.');
    expect(p.errors.map((e: any) => e.row)).toEqual([2]);
    const bad = await refused(() => api.request(scoresOf(OPEN), put('unit,indicator,source,value,evidence\n01,1.1.1,self,abc,https://example.org/a\n', 'text/csv', keys.unit01)), 422, 'validation-failed', /^1 bad row\(s\); nothing was written\. First: row 1: /);
    expect(bad.errors[0]).toMatchObject({ row: 1 });
    expect(bad.errors[0].pointer).toBeUndefined();
    expect(await json(await api.request(scoresOf(OPEN), put('unit,indicator,source,value,evidence\n01,1.1.1,self,0.5,https://example.org/a\n', 'text/csv', keys.unit01))))
      .toMatchObject({ inserted: 1, changed: true });
    expect((await json(await api.request(`${scoresOf(OPEN)}?unit=01&source=self&revision=draft`, as()))).scores).toEqual([expect.objectContaining({ value: 0.5 })]);
  });
});

describe('a write that loses a race with another change of the cycle is refused whole, as a conflict', () => {
  it('answers 409 (not a list of bad rows, not a 500) when the cycle changed between the read and the write, and writes nothing', async () => {
    const RACE = 2064;
    let race = false;
    // The cycle changes (as another request's write would) after this request read it, just before it writes.
    const racing = (d: Driver): Driver => (!race ? d : {
      ...d,
      atomic: async (steps) => {
        race = false;
        await raced.sql(`update cycles set data_version = data_version + 1 where year = ${RACE}`);
        return d.atomic(steps);
      },
    });
    const raced: Api = await freshApp({ driver: () => { beginRequest(); return racing(raced.driver); } });
    expect((await raced.request('/v1/cycles', post({ year: RACE, unitType: 'province', methodology: 'par-province-2022' }))).status).toBe(201);
    const count = async () => (await raced.sql<{ n: number }>('select (select count(*) from scores) + (select count(*) from audit) n'))[0].n;
    const before = await count();
    race = true;
    const res = await raced.request(scoresOf(RACE), put({ scores: [row('01', 0.5)] }));
    const p = await json(res);
    expect([res.status, p.type, race]).toEqual([409, '/problems/conflict', false]);
    expect(p.detail).toMatch(/^The cycle changed \(another write or a change of phase\) while this request was processed; nothing was written\./);
    expect(await count()).toBe(before);
    // the same upload, not raced, is written
    expect((await raced.request(scoresOf(RACE), put({ scores: [row('01', 0.5)] }))).status).toBe(200);
  });
});
