// What the README promises, held to: a self-assessment comes with evidence (or a note saying
// why there is none), whoever writes it; an audit filter by date means the whole day.
import { beforeAll, describe, expect, it } from 'vitest';
import { as, freshApp, json, post, put } from './harness.js';

let api: Awaited<ReturnType<typeof freshApp>>;
let unit01 = '';
const CYCLE = '/v1/cycles/2026/province';
const scoreCount = async () => (await api.sql<{ n: number }>('select count(*) n from scores'))[0].n;

beforeAll(async () => {
  api = await freshApp();
  unit01 = (await json(await api.request('/v1/api-keys', post({ role: 'unit', unit: '01' })))).key;
  expect((await api.request('/v1/cycles', post({ year: 2026, unitType: 'province', methodology: 'par-province-2022' }))).status).toBe(201);
});

describe('a self-assessed score comes with evidence', () => {
  const self = (indicator: string, extra: Record<string, unknown> = {}) => ({ unit: '01', indicator, source: 'self', value: 0.5, ...extra });

  it('refuses a self row with neither evidence nor a note, row by row, and writes nothing', async () => {
    const before = await scoreCount();
    const res = await api.request(`${CYCLE}/scores`, put({ scores: [self('1.1.1', { evidence: 'Báo cáo 12/BC-UBND' }), self('1.1.2'), self('1.1.3', { evidence: ' ', note: '' })] }, 'application/json', unit01));
    expect(res.status).toBe(422);
    const problem = await json(res);
    expect(problem.type).toBe('/problems/validation-failed');
    expect(problem.errors).toEqual([
      expect.objectContaining({ row: 2, field: 'evidence', unit: '01', indicator: '1.1.2' }),
      expect.objectContaining({ row: 3, field: 'evidence', unit: '01', indicator: '1.1.3' }),
    ]);
    expect(await scoreCount()).toBe(before);
  });

  it('holds for admins too, and for CSV', async () => {
    expect((await api.request(`${CYCLE}/scores`, put({ scores: [self('1.1.1')] }))).status).toBe(422);
    const csv = 'unit,indicator,source,value,note,evidence\r\n01,1.1.1,self,0.5,,Báo cáo 12/BC-UBND\r\n01,1.1.2,self,0.5,,\r\n';
    const res = await api.request(`${CYCLE}/scores`, put(csv, 'text/csv', unit01));
    expect(res.status).toBe(422);
    expect((await json(res)).errors).toEqual([expect.objectContaining({ row: 2, field: 'evidence' })]);
  });

  it('accepts evidence, or a note that explains its absence, and a null value (no data) without either', async () => {
    const res = await api.request(`${CYCLE}/scores`, put({ scores: [
      self('1.1.1', { evidence: 'Báo cáo 12/BC-UBND' }),
      self('1.1.2', { note: 'Chưa có văn bản: nhiệm vụ phát sinh trong năm' }),
      self('1.1.3', { value: null }),
    ] }, 'application/json', unit01));
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await json(res)).toMatchObject({ inserted: 3 });
  });

  it('asks nothing of rows from other sources', async () => {
    const res = await api.request(`${CYCLE}/scores`, put({ scores: [{ unit: '04', indicator: '1.1.1', source: 'appraisal', value: 0.5 }] }));
    expect(res.status, await res.clone().text()).toBe(200);
  });
});

describe('an audit date means the whole day', () => {
  let entry: { id: number; at: string; actorKey: string };
  const day = (offset: number) => new Date(Date.parse(entry.at.slice(0, 10)) + offset * 86_400_000).toISOString().slice(0, 10);
  // the admin's entries only: the seed's score uploads are large to read back
  const ids = async (query: string) => (await json(await api.request(`/v1/audit?actor=${entry.actorKey}&${query}`, as()))).entries.map((e: { id: number }) => e.id);

  beforeAll(async () => {
    expect((await api.request('/v1/api-keys', post({ role: 'appraiser', label: 'audit dates' }))).status).toBe(201);
    [entry] = (await json(await api.request('/v1/audit?limit=1', as()))).entries;
  });

  it('to=<that day> includes the day\'s entries; to=<the day before> does not', async () => {
    expect(await ids(`to=${day(0)}`)).toContain(entry.id);
    expect(await ids(`to=${day(-1)}`)).not.toContain(entry.id);
  });

  it('from=<that day> starts at midnight; from=<the day after> is after it', async () => {
    expect(await ids(`from=${day(0)}`)).toContain(entry.id);
    expect(await ids(`from=${day(1)}`)).not.toContain(entry.id);
    expect(await ids(`from=${day(0)}&to=${day(0)}`)).toContain(entry.id);
  });

  it('a time names its whole minute or second, and a bound before it excludes it', async () => {
    const minute = entry.at.slice(0, 16); // YYYY-MM-DDThh:mm
    expect(await ids(`from=${minute}&to=${minute}`)).toContain(entry.id);
    expect(await ids(`to=${entry.at.slice(0, 19)}Z`)).toContain(entry.id);
    expect(await ids(`to=${new Date(Date.parse(entry.at) - 1).toISOString()}`)).not.toContain(entry.id);
  });
});
