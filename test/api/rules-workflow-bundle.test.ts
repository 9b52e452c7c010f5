// Publication bundle rules (issue 12), through POST …/status and GET …/revisions/{n}/bundle
// (store/workflow.ts): a publication freezes everything its revision says — format, cycle, number,
// methodology, time, reason, decision, the report as published and each score with its writer's
// role, never a key id — as one canonical JSON text whose SHA-256 is the revision's content hash;
// a bundle published without a decision has no decision member, so that earlier bundles keep their
// bytes. Writes happen inside each test, so that Stryker's per-test coverage sees them.
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../src/store/crypto.js';
import { as, freshApp, json, post, put } from './harness.js';

type Api = Awaited<ReturnType<typeof freshApp>>;
let api: Api;
let unitKey = '';
beforeAll(async () => {
  api = await freshApp();
  unitKey = (await json(await api.request('/v1/api-keys', post({ role: 'unit', unit: '01' })))).key;
});

const base = (year: number) => `/v1/cycles/${year}/province`;
const move = async (year: number, body: Record<string, unknown>) => {
  const res = await api.request(`${base(year)}/status`, post(body));
  expect(res.status, JSON.stringify(body)).toBe(200);
  return json(res);
};
const bundleText = async (year: number, n: number) => {
  const res = await api.request(`${base(year)}/revisions/${n}/bundle`);
  expect(res.status).toBe(200);
  return res.text();
};
const listed = async (year: number) => (await json(await api.request(`${base(year)}/revisions`))).revisions as any[];

/** Opens a cycle with a unit's self-assessment and an admin's appraisal of it, and moves it to review. */
async function reviewed(year: number) {
  expect((await api.request('/v1/cycles', post({ year, unitType: 'province', methodology: 'par-province-2022' }))).status).toBe(201);
  const self = { unit: '01', indicator: '1.1.1', source: 'self', value: 0.5, evidence: 'https://example.org/qd-7' };
  expect((await api.request(`${base(year)}/scores`, put({ scores: [self] }, 'application/json', unitKey))).status).toBe(200);
  await move(year, { status: 'appraisal' });
  expect((await api.request(`${base(year)}/scores`, put({ scores: [{ unit: '01', indicator: '1.1.1', source: 'appraisal', value: 0.25, note: 'Thiếu chữ ký' }] }))).status).toBe(200);
  await move(year, { status: 'review' });
}

describe('a publication freezes everything its revision says, hashed as one canonical text', () => {
  it('holds format, cycle, number, methodology, time, reason, decision, the report as published and the scores by role', async () => {
    const YEAR = 2071;
    await reviewed(YEAR);
    const decision = { number: '268/QĐ-BNV', date: '2071-03-28' };
    const published = (await move(YEAR, { status: 'published', decision })).published;
    const text = await bundleText(YEAR, 1);
    const [row] = await listed(YEAR);
    expect(await sha256Hex(text)).toBe(row.contentHash);
    expect(published.contentHash).toBe(row.contentHash);
    expect(canonicalJson(JSON.parse(text))).toBe(text);

    const bundle = JSON.parse(text);
    expect(Object.keys(bundle)).toEqual(['cycle', 'decision', 'format', 'methodology', 'publishedAt', 'reason', 'report', 'revision', 'scores']);
    expect(bundle).toMatchObject({
      format: 'par-index-publication/1', cycle: { year: YEAR, unitType: 'province' }, revision: 1,
      methodology: { id: 'par-province-2022', version: 1 }, publishedAt: row.publishedAt, reason: null, decision,
    });
    expect(row).toMatchObject({ revision: 1, methodologyId: 'par-province-2022', methodologyVersion: 1, reason: null, decision, publishedBy: 'admin' });
    // the report as every read of revision 1 serves it, its cycle already published
    const results = await json(await api.request(`${base(YEAR)}/results?revision=1`));
    expect(bundle.report.cycle.status).toBe('published');
    const ranked = (rows: any[]) => rows.map((r) => [r.unit, r.index, r.rank]);
    expect(ranked(bundle.report.rows)).toEqual(ranked(results.results.map((r: any) => ({ ...r, unit: r.unit.code }))));
    expect(bundle.report.rows.find((r: any) => r.unit === '01').index).not.toBeNull();
    // each score as written, its writer named by role (the unit's key id never leaves the service)
    const ours = bundle.scores.filter((s: any) => s.unit === '01' && s.indicator === '1.1.1');
    expect(ours.map((s: any) => [s.source, s.value, s.updatedBy, s.evidence, s.note])).toEqual([
      ['appraisal', 0.25, 'admin', null, 'Thiếu chữ ký'], ['self', 0.5, 'unit', 'https://example.org/qd-7', null],
    ]);
    expect(text).not.toContain(unitKey.slice(4, 14));
    expect(ours.every((s: any) => !('cycleId' in s))).toBe(true);
  });

  it('leaves the decision out of a bundle published without one, and numbers a correction 2 with its reason', async () => {
    const YEAR = 2072;
    await reviewed(YEAR);
    await move(YEAR, { status: 'published' });
    const first = JSON.parse(await bundleText(YEAR, 1));
    expect('decision' in first).toBe(false);
    await move(YEAR, { status: 'correction', reason: 'Sửa điểm' });
    expect((await api.request(`${base(YEAR)}/scores`, put({ scores: [{ unit: '01', indicator: '1.1.1', source: 'appraisal', value: 0.5 }] }))).status).toBe(200);
    await move(YEAR, { status: 'published', reason: 'Đã sửa' });
    const text = await bundleText(YEAR, 2);
    const second = JSON.parse(text);
    expect(second).toMatchObject({ revision: 2, reason: 'Đã sửa' });
    expect('decision' in second).toBe(false);
    expect((await listed(YEAR)).map((r) => [r.revision, r.reason, r.decision, r.contentHash])).toEqual([
      [2, 'Đã sửa', null, await sha256Hex(text)], [1, null, null, await sha256Hex(await bundleText(YEAR, 1))],
    ]);
    // the cycle now names revision 2 as its latest publication
    expect((await json(await api.request(`${base(YEAR)}/results`, as()))).revision).toMatchObject({ kind: 'publication', revision: 2 });
  });
});
