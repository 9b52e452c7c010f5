// One cycle through every phase, on both runtimes: self-assessment, appraisal with reasons,
// survey, review (drafts read with ?revision=draft), publication (frozen numbers and hash, named
// by every read), a correction as revision 2 served by default while revision 1 stays readable,
// with its diff — and an audit row for every accepted write, none for a rejected one.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, as, freshApp, json, post, put } from './harness.js';

let api: Awaited<ReturnType<typeof freshApp>>;
const keys: Record<'unit01' | 'unit04' | 'appraiser', string> = { unit01: '', unit04: '', appraiser: '' };
const CYCLE = '/v1/cycles/2026/province';
const auditCount = async () => (await api.sql<{ n: number }>('select count(*) n from audit'))[0].n;
const status = (to: string, reason?: string, key?: string) => api.request(`${CYCLE}/status`, post({ status: to, ...(reason && { reason }) }, key));

/**
 * Asserts the request is answered with `code` and that the audit grew by `entries` (0 for a
 * rejection): one per change, and for a score upload one per unit whose scores it changed.
 */
async function expectAudited(request: Response | Promise<Response>, code: number, entries: number) {
  const before = await auditCount();
  const res = await request;
  expect(res.status, await res.clone().text()).toBe(code);
  expect(await auditCount()).toBe(before + entries);
  return res;
}

/** Every read of the cycle that names the revision it serves: [method, path after the cycle, body]. */
const READS = [
  ['GET', 'results'], ['GET', 'statistics'], ['GET', 'units/01'], ['GET', 'scores'], ['GET', 'units/01/strengths'],
  ['GET', 'units/01/peers'], ['POST', 'uncertainty', { draws: 20 }], ['POST', 'units/01/what-if', { changes: [] }],
] as const;

/** The `revision` block of every read at `query` (e.g. '?revision=1'), by a key or (null) the public. */
async function servedRevisions(query: string, key: string | null = null): Promise<Record<string, unknown>> {
  const served: Record<string, unknown> = {};
  for (const [method, path, body] of READS) {
    const res = await api.request(`${CYCLE}/${path}${query}`, method === 'POST' ? post(body, key) : key === null ? {} : as({}, key));
    expect(res.status, `${method} ${path}${query}`).toBe(200);
    served[path] = (await json(res)).revision;
  }
  return served;
}
const everyRead = (revision: unknown) => Object.fromEntries(READS.map(([, path]) => [path, revision]));

/** The provenance a read of publication `n` must carry: its entry in GET …/revisions. */
async function publication(n: number) {
  const entry = (await json(await api.request(`${CYCLE}/revisions`))).revisions.find((r: any) => r.revision === n);
  return { kind: 'publication', revision: n, contentHash: entry.contentHash, publishedAt: entry.publishedAt, reason: entry.reason, decision: entry.decision };
}

beforeAll(async () => {
  api = await freshApp();
  for (const [name, body] of [['unit01', { role: 'unit', unit: '01' }], ['unit04', { role: 'unit', unit: '04' }], ['appraiser', { role: 'appraiser' }]] as const) {
    keys[name] = (await json(await expectAudited(api.request('/v1/api-keys', post(body)), 201, 1))).key;
  }
  await expectAudited(api.request('/v1/cycles', post({ year: 2026, unitType: 'province', methodology: 'par-province-2022' })), 201, 1);
});

describe('a cycle through every phase', () => {
  let published: { body: string; hash: string; etag: string | null };

  it('open: a unit submits its own self-assessment with evidence, and nothing for another unit', async () => {
    const own = { scores: [
      { unit: '01', indicator: '1.1.1', source: 'self', value: 0.5, evidence: 'Báo cáo 12/BC-UBND' },
      { unit: '01', indicator: '1.1.2', source: 'self', value: 0.4, evidence: 'Quyết định 3/QĐ-UBND' },
    ] };
    await expectAudited(api.request(`${CYCLE}/scores`, put(own, 'application/json', keys.unit01)), 200, 1);
    const [upload] = (await json(await api.request('/v1/audit?unit=01&limit=1', as()))).entries;
    expect(upload).toMatchObject({ action: 'scores.upsert', unit: '01', actorRole: 'unit', indicator: null, changes: [
      { indicator: '1.1.1', source: 'self', before: null, after: { value: 0.5, note: null, evidence: 'Báo cáo 12/BC-UBND' }, reason: null },
      { indicator: '1.1.2', source: 'self', before: null, after: { value: 0.4, note: null, evidence: 'Quyết định 3/QĐ-UBND' }, reason: null },
    ] });
    await expectAudited(api.request(`${CYCLE}/scores`, put({ scores: [{ unit: '04', indicator: '1.1.1', source: 'self', value: 0.5, evidence: 'Báo cáo 1' }] }, 'application/json', keys.unit01)), 403, 0);
    await expectAudited(api.request(`${CYCLE}/scores`, put({ scores: [{ unit: '01', indicator: '1.1.3', source: 'appraisal', value: 0.5 }] }, 'application/json', keys.unit01)), 403, 0);
    // a row without a source would take the leaf's own (appraisal): units must name self
    await expectAudited(api.request(`${CYCLE}/scores`, put({ scores: [{ unit: '01', indicator: '1.1.3', value: 0.5 }] }, 'application/json', keys.unit01)), 403, 0);
    // never published: a plain read finds nothing, even with the unit's own key
    const unpublished = await api.request(`${CYCLE}/units/01`, as({}, keys.unit01));
    expect(unpublished.status).toBe(404);
    expect((await json(unpublished)).detail).toMatch(/not published yet/);
    // its own draft scorecard compares with nobody: other units' drafts stay theirs
    const draft = await json(await api.request(`${CYCLE}/units/01?revision=draft`, as({}, keys.unit01)));
    expect(draft).toMatchObject({ unit: { code: '01' }, rank: null, of: null, rankInRegion: null, revision: { kind: 'draft' } });
    expect(draft.domains.every((d: any) => d.nationalMean === null && d.regionalMean === null && d.rank === null)).toBe(true);
    expect(draft.change.rankChange).toBeNull();
    for (const path of ['peers', 'strengths']) expect((await api.request(`${CYCLE}/units/01/${path}?revision=draft`, as({}, keys.unit01))).status).toBe(403);
    await expectAudited(status('appraisal', undefined, keys.appraiser), 403, 0);
    await expectAudited(status('review'), 409, 0);
    await expectAudited(status('appraisal'), 200, 1);
  });

  it('appraisal: appraisers accept or adjust self-scores (an adjustment needs a reason); admins load the survey', async () => {
    await expectAudited(api.request(`${CYCLE}/scores`, put({ scores: [{ unit: '01', indicator: '1.1.1', source: 'self', value: 0.3, evidence: 'Báo cáo 12/BC-UBND' }] }, 'application/json', keys.unit01)), 409, 0);
    const accept = { unit: '01', indicator: '1.1.1', source: 'appraisal', value: 0.5 };
    const adjust = { unit: '01', indicator: '1.1.2', source: 'appraisal', value: 0.25 };
    const noReason = await expectAudited(api.request(`${CYCLE}/scores`, put({ scores: [accept, adjust] }, 'application/json', keys.appraiser)), 422, 0);
    expect((await json(noReason)).errors).toEqual([expect.objectContaining({ row: 2, field: 'reason' })]);
    await expectAudited(api.request(`${CYCLE}/scores`, put({ scores: [accept, { ...adjust, reason: 'Thiếu tài liệu kiểm chứng cho 2 quý' }] }, 'application/json', keys.appraiser)), 200, 1);
    const [entry] = (await json(await api.request('/v1/audit?unit=01&limit=1', as()))).entries;
    expect(entry).toMatchObject({ action: 'scores.upsert', actorRole: 'appraiser', unit: '01' });
    expect(entry.changes).toEqual([
      { indicator: '1.1.1', source: 'appraisal', before: null, after: { value: 0.5, note: null, evidence: null }, reason: null },
      { indicator: '1.1.2', source: 'appraisal', before: null, after: { value: 0.25, note: null, evidence: null }, reason: 'Thiếu tài liệu kiểm chứng cho 2 quý' },
    ]);
    await expectAudited(api.request(`${CYCLE}/scores`, put({ scores: [{ unit: '01', indicator: '1.6', source: 'survey', value: 1.5 }, { unit: '04', indicator: '1.6', source: 'survey', value: 1.75 }] }, 'application/json', keys.appraiser)), 403, 0);
    await expectAudited(api.request(`${CYCLE}/scores`, put({ scores: [{ unit: '01', indicator: '1.6', source: 'survey', value: 1.5 }, { unit: '04', indicator: '1.6', source: 'survey', value: 1.75 }] })), 200, 2);
    await expectAudited(status('review', undefined, keys.appraiser), 200, 1);
  });

  it('review: draft results for admins and appraisers; each unit sees its own row only', async () => {
    expect((await api.request(`${CYCLE}/results?revision=draft`, as({}, keys.appraiser))).status).toBe(200);
    expect((await api.request(`${CYCLE}/results?revision=draft`, as({}, keys.unit01))).status).toBe(403);
    expect((await api.request(`${CYCLE}/results?revision=draft`)).status).toBe(401);
    // a plain read is the latest publication, for staff too: there is none yet
    expect((await api.request(`${CYCLE}/results`, as({}, keys.appraiser))).status).toBe(404);
    const own = await json(await api.request(`${CYCLE}/units/01?revision=draft`, as({}, keys.unit01)));
    // appraised 0.5 + 0.25, survey 1.5: the self-assessed 0.4 of 1.1.2 does not count
    expect(own).toMatchObject({ index: 2.25, revision: { kind: 'draft', dataVersion: expect.any(Number) } });
    expect(own.history.at(-1)).toMatchObject({ year: 2026, index: 2.25, revision: null });
    expect((await api.request(`${CYCLE}/units/04?revision=draft`, as({}, keys.unit01))).status).toBe(403);
    // analysis compares units: a unit key gets none of it on a draft, even in review
    expect((await api.request(`${CYCLE}/units/01/peers?revision=draft`, as({}, keys.unit01))).status).toBe(403);
    expect((await api.request(`${CYCLE}/units/01/what-if?revision=draft`, post({ changes: [] }, keys.unit01))).status).toBe(403);
    await expectAudited(api.request(`${CYCLE}/scores`, put({ scores: [{ unit: '01', indicator: '1.1.3', source: 'appraisal', value: 0.5 }] })), 409, 0);
  });

  it('published: a frozen revision with a hash that later writes cannot change, named by every read', async () => {
    const res = await expectAudited(status('published'), 200, 1);
    const body = await json(res);
    expect(body).toMatchObject({ status: 'published', revision: 1, published: { revision: 1, contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    const publicRes = await api.request(`${CYCLE}/results`);
    published = { body: await publicRes.text(), hash: body.published.contentHash, etag: publicRes.headers.get('etag') };
    const first = await publication(1);
    expect(first).toMatchObject({ contentHash: published.hash, publishedAt: body.published.publishedAt, reason: null });
    expect(JSON.parse(published.body)).toMatchObject({
      cycle: { year: 2026, unitType: 'province', status: 'published', revision: 1, methodology: { id: 'par-province-2022', version: 1 } },
      revision: first, notice: null,
    });
    // the same provenance on every read, for the public and for a key alike
    expect(await servedRevisions('')).toEqual(everyRead(first));
    expect(await servedRevisions('', ADMIN_TOKEN)).toEqual(everyRead(first));
    await expectAudited(api.request(`${CYCLE}/scores`, put({ scores: [{ unit: '01', indicator: '1.1.3', source: 'appraisal', value: 0.5 }] })), 409, 0);
    await expectAudited(api.request(`${CYCLE}/scores`, put({ scores: [{ unit: '01', indicator: '1.1.3', source: 'self', value: 0.5, evidence: 'Báo cáo 12/BC-UBND' }] }, 'application/json', keys.unit01)), 409, 0);
    await expectAudited(status('published'), 409, 0);
    await expectAudited(status('appraisal'), 409, 0);
    await expectAudited(status('correction'), 422, 0); // a correction needs a reason
    expect(await (await api.request(`${CYCLE}/results`)).text()).toBe(published.body);
    expect((await json(await api.request(`${CYCLE}/revisions`))).revisions).toEqual([expect.objectContaining({ revision: 1, contentHash: published.hash })]);
  });

  it('correction: an admin changes a score and republishes as revision 2; revision 1 stays readable; the diff lists the change', async () => {
    await expectAudited(status('correction', 'Khiếu nại của tỉnh 04 về điểm điều tra'), 200, 1);
    await expectAudited(api.request(`${CYCLE}/scores`, put({ scores: [{ unit: '04', indicator: '1.6', source: 'survey', value: 2 }] }, 'application/json', keys.appraiser)), 403, 0);
    await expectAudited(api.request(`${CYCLE}/scores`, put({ scores: [{ unit: '04', indicator: '1.6', source: 'survey', value: 2, reason: 'survey recount' }] })), 200, 1);
    // while the correction is open everyone still reads revision 1 (the public byte for byte);
    // the corrected draft only on request
    const during = await api.request(`${CYCLE}/results`);
    expect(await during.text()).toBe(published.body);
    expect(during.headers.get('etag')).toBe(published.etag);
    expect((await json(await api.request(`${CYCLE}/results`, as()))).revision).toEqual(await publication(1));
    const draft = await json(await api.request(`${CYCLE}/results?revision=draft`, as()));
    expect(draft.revision).toEqual({ kind: 'draft', dataVersion: expect.any(Number) });
    expect(draft.results.find((r: any) => r.unit.code === '04').index).toBe(2);
    const republished = await json(await expectAudited(status('published', 'corrected survey of 04'), 200, 1));
    expect(republished).toMatchObject({ status: 'published', revision: 2 });
    expect(republished.published.contentHash).not.toBe(published.hash);
    const second = await publication(2);
    expect(second).toMatchObject({ contentHash: republished.published.contentHash, reason: 'corrected survey of 04' });
    // revision 2 is served by default now; revision 1 on request, as it was
    expect(await servedRevisions('')).toEqual(everyRead(second));
    expect(await servedRevisions('?revision=1')).toEqual(everyRead(await publication(1)));
    expect(await servedRevisions('?revision=2', ADMIN_TOKEN)).toEqual(everyRead(second));
    expect(await (await api.request(`${CYCLE}/results?revision=1`)).text()).toBe(published.body);
    const latest = await json(await api.request(`${CYCLE}/results`));
    expect(latest.cycle).toMatchObject({ status: 'published', revision: 2 });
    expect(latest.results.find((r: any) => r.unit.code === '04').index).toBe(2);
    const diff = await json(await api.request(`${CYCLE}/revisions/1/diff/2`));
    expect(diff).toMatchObject({ from: 1, to: 2, revision: second, notice: null });
    expect(diff.scores).toEqual([{ unit: '04', indicator: '1.6', source: 'survey', from: 1.75, to: 2 }]);
    expect(diff.units.find((u: any) => u.unit === '04')).toMatchObject({ index: { from: 1.75, to: 2 } });
    expect(diff.units.every((u: any) => u.unit === '04' || u.rank.from !== u.rank.to)).toBe(true);
    expect((await json(await api.request(`${CYCLE}/revisions/1/diff/1`)))).toMatchObject({ from: 1, to: 1, scores: [], units: [] });
  });

  it('the audit names actor, time, request, cycle, unit, node, before, after and reason; a unit key sees its own unit\'s', async () => {
    const all = (await json(await api.request('/v1/audit?year=2026&unitType=province', as()))).entries;
    expect(all.map((e: any) => e.action)).toEqual(expect.arrayContaining(['cycle.create', 'cycle.status', 'cycle.publish', 'scores.upsert']));
    const correction = all.find((e: any) => e.action === 'scores.upsert' && e.unit === '04' && e.changes[0].reason === 'survey recount');
    expect(correction).toMatchObject({ actorKey: 'env-admin', actorRole: 'admin', cycle: { year: 2026, unitType: 'province' }, changes: [
      { indicator: '1.6', source: 'survey', before: { value: 1.75, note: null, evidence: null }, after: { value: 2, note: null, evidence: null } },
    ] });
    expect(correction.requestId).toMatch(/./);
    const own = (await json(await api.request('/v1/audit', as({}, keys.unit01)))).entries;
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((e: any) => e.unit === '01')).toBe(true);
    expect((await api.request('/v1/audit?unit=04', as({}, keys.unit01))).status).toBe(403);
    expect((await api.request('/v1/audit', as({}, keys.appraiser))).status).toBe(403);
  });
});

describe('the audit of a score upload', () => {
  it('keeps one entry per unit with exactly the rows that changed, in any row order', async () => {
    const cycle = '/v1/cycles/2019/province';
    await expectAudited(api.request('/v1/cycles', post({ year: 2019, unitType: 'province', methodology: 'par-province-2022' })), 201, 1);
    const row = (unit: string, indicator: string, value: number) => ({ unit, indicator, source: 'appraisal', value });
    await expectAudited(api.request(`${cycle}/scores`, put({ scores: [row('01', '1.1.1', 0.5)] })), 200, 1);
    // 01's first row is unchanged, and its rows are not contiguous
    await expectAudited(api.request(`${cycle}/scores`, put({ scores: [row('01', '1.1.1', 0.5), row('01', '1.1.2', 0.25), row('04', '1.1.1', 0.5), row('01', '1.1.3', 0.125)] })), 200, 2);
    const entries = (await json(await api.request('/v1/audit?year=2019&unitType=province&limit=2', as()))).entries;
    const changed = Object.fromEntries(entries.map((e: any) => [e.unit, e.changes.map((c: any) => [c.indicator, c.before?.value ?? null, c.after.value])]));
    expect(changed).toEqual({ '01': [['1.1.2', null, 0.25], ['1.1.3', null, 0.125]], '04': [['1.1.1', null, 0.5]] });
    // an update keeps what it replaced; text with quotes, a line break and diacritics survives as sent
    const note = 'Ghi chú "bổ sung"\nDòng 2', reason = 'Điều chỉnh theo \\ biên bản';
    await expectAudited(api.request(`${cycle}/scores`, put({ scores: [{ ...row('01', '1.1.2', 0.5), note, reason }] })), 200, 1);
    const [update] = (await json(await api.request('/v1/audit?year=2019&unitType=province&limit=1', as()))).entries;
    expect(update.changes).toEqual([{ indicator: '1.1.2', source: 'appraisal', before: { value: 0.25, note: null, evidence: null }, after: { value: 0.5, note, evidence: null }, reason }]);
  });
});
