// Large uploads on both runtimes: 10,000+ rows in one request (D1: one batch, chunked within
// its parameter limit), all or nothing; a storage failure part-way leaves nothing written.
import { beforeAll, describe, expect, it } from 'vitest';
import { regions } from '../../schema/tables.js';
import { getCycle } from '../../src/store/cycles.js';
import { cycleInputs } from '../../src/store/results.js';
import { ingestScores } from '../../src/store/scores.js';
import { as, freshApp, json, post, put } from './harness.js';

const LEAVES = 170;
const methodology = {
  id: 'bulk-test', mode: 'points', missing: 'zero', unitType: 'province', total: LEAVES,
  nodes: [{ code: 'R' }, ...Array.from({ length: LEAVES }, (_, i) => ({ code: `L${i}`, parent: 'R', max: 1, source: 'appraisal' }))],
};

let api: Awaited<ReturnType<typeof freshApp>>;
let units: string[];
beforeAll(async () => {
  api = await freshApp();
  expect((await api.request('/v1/methodologies', post(methodology))).status).toBe(201);
  expect((await api.request('/v1/cycles', post({ year: 2019, unitType: 'province', methodology: 'bulk-test' }))).status).toBe(201);
  units = (await json(await api.request('/v1/units?unitType=province&activeOn=2019-12-31'))).units.map((u: any) => u.code);
});

const rows = (value: (i: number) => unknown) => units.flatMap((unit, u) => Array.from({ length: LEAVES }, (_, l) => ({ unit, indicator: `L${l}`, source: 'appraisal', value: value(u * LEAVES + l) })));
const count = async () => (await api.sql<{ n: number }>("select count(*) n from scores where cycle_id = (select id from cycles where year = 2019)"))[0].n;

describe('bulk upload', () => {
  it('rejects 10,710 rows whole when the last one is bad, writing nothing', async () => {
    const batch = rows((i) => (i % 20) / 20);
    batch[batch.length - 1].value = 2;
    const res = await api.request('/v1/cycles/2019/province/scores', put({ scores: batch }));
    expect(res.status).toBe(422);
    expect((await json(res)).errors).toEqual([expect.objectContaining({ row: batch.length, field: 'value' })]);
    expect(await count()).toBe(0);
  });

  it('stores 10,710 rows from one request, then ranks the 63 units', async () => {
    const batch = rows((i) => (i % 20) / 20);
    expect(batch.length).toBeGreaterThanOrEqual(10_000);
    const res = await json(await api.request('/v1/cycles/2019/province/scores', put({ scores: batch })));
    expect(res).toMatchObject({ inserted: batch.length, changed: true });
    expect(await count()).toBe(batch.length);
    const results = await json(await api.request('/v1/cycles/2019/province/results?revision=draft', as()));
    expect(results.results).toHaveLength(63);
  });

  it('audits one unit\'s 170 changes with notes, evidence and reasons of 2,000 characters each, in entries under D1\'s 2 MB', async () => {
    const long = (tag: string) => `${tag} ${'Tài liệu kiểm chứng đầy đủ. '.repeat(80)}`.slice(0, 2000);
    const batch = Array.from({ length: LEAVES }, (_, l) => ({
      unit: units[1], indicator: `L${l}`, source: 'appraisal', value: 0.95, note: long(`N${l}`), evidence: long(`E${l}`), reason: long(`R${l}`),
    }));
    expect(await json(await api.request('/v1/cycles/2019/province/scores', put({ scores: batch })))).toMatchObject({ updated: LEAVES, changed: true });
    const entries = (await json(await api.request(`/v1/audit?unit=${units[1]}&year=2019&unitType=province`, as()))).entries
      .filter((e: any) => e.action === 'scores.upsert' && e.changes.some((c: any) => c.reason));
    expect(entries.length).toBeGreaterThan(1);
    const changes = entries.reverse().flatMap((e: any) => e.changes);
    expect(changes.map((c: any) => c.indicator)).toEqual(batch.map((r) => r.indicator));
    expect(changes[LEAVES - 1]).toEqual({ indicator: `L${LEAVES - 1}`, source: 'appraisal', before: { value: ((LEAVES + LEAVES - 1) % 20) / 20, note: null, evidence: null },
      after: { value: 0.95, note: batch[LEAVES - 1].note, evidence: batch[LEAVES - 1].evidence }, reason: batch[LEAVES - 1].reason });
    const sizes = await api.sql<{ n: number }>(`select length(cast(changes as blob)) n from audit where unit = '${units[1]}' and changes is not null`);
    expect(Math.max(...sizes.map((r) => r.n))).toBeLessThan(1024 * 1024);
  });

  it('refuses a write whose cycle changed since it was read (a guard in the same transaction or batch)', async () => {
    const stale = (await getCycle(api.driver, 2019, 'province'))!;
    const { compiled, units: cycleUnits } = await cycleInputs(api.driver, stale);
    const row = (value: number) => [{ unit: units[0], indicator: 'L0', source: 'appraisal', value }];
    const ctx = { actorKey: 'test', actorRole: 'admin', requestId: 'guard-test' };
    await ingestScores(api.driver, stale, compiled, cycleUnits, row(0.5), ctx, false);
    const before = await api.sql('select count(*) n, max(data_version) v from cycles join scores on scores.cycle_id = cycles.id where year = 2019');
    await expect(ingestScores(api.driver, stale, compiled, cycleUnits, row(0.25), ctx, false)).rejects.toThrow(/write_guards/);
    expect(await api.sql('select count(*) n, max(data_version) v from cycles join scores on scores.cycle_id = cycles.id where year = 2019')).toEqual(before);
  });

  it('leaves nothing written when storage fails part-way through an atomic write', async () => {
    const d = api.driver;
    const step = (code: string) => d.db.insert(regions).values({ code, nameVi: code, nameEn: code });
    await expect(d.atomic([step('ZZ1'), step('ZZ2'), step('ZZ1')])).rejects.toThrow();
    expect(await api.sql("select code from regions where code like 'ZZ%'")).toEqual([]);
  });
});
