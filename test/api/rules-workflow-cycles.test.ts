// Cycle rules (issue 12), each in the test named after it, through POST /v1/cycles and …/status
// (http/cycle-writes.ts, store/workflow.ts): a cycle is opened by an admin, once per year and unit
// type, with a stored methodology of its unit type; each phase follows one phase only, made by the
// roles it names; a correction needs a reason, a decision goes with a publication only; every
// refused move writes nothing, and every accepted one is audited with the state before and after.
// Each test opens its own year (on Workers the database is shared by the file) and does its writes
// inside the test, so that Stryker's per-test coverage sees the code run by the test that checks it.
import { beforeAll, describe, expect, it } from 'vitest';
import { CycleIn, StatusIn, validated } from '../../src/http/cycle-writes.js';
import { ApiProblem } from '../../src/http/problem.js';
import { as, freshApp, json, post } from './harness.js';

type Api = Awaited<ReturnType<typeof freshApp>>;
let api: Api;
const keys = { appraiser: '', unit01: '' };
beforeAll(async () => {
  api = await freshApp();
  keys.appraiser = (await json(await api.request('/v1/api-keys', post({ role: 'appraiser' })))).key;
  keys.unit01 = (await json(await api.request('/v1/api-keys', post({ role: 'unit', unit: '01' })))).key;
});

/** Rows of the tables a cycle write touches, counted: a refused write changes none. */
const tally = async () => (await api.sql<Record<string, number>>(
  'select (select count(*) from cycles) cycles, (select count(*) from audit) audit, (select count(*) from revisions) revisions, (select count(*) from revision_parts) parts',
))[0];
const open = (year: number, body: Record<string, unknown> = {}, key?: string) =>
  api.request('/v1/cycles', post({ year, unitType: 'province', methodology: 'par-province-2022', ...body }, key));
const move = (year: number, body: Record<string, unknown>, key?: string) => api.request(`/v1/cycles/${year}/province/status`, post(body, key));
const cycleOf = async (year: number) => (await json(await api.request('/v1/cycles?unitType=province', as()))).cycles.find((c: any) => c.year === year);

/** Asserts a refusal (status, type, detail, and errors when given) that changed no table. */
async function refused(request: () => Promise<Response>, status: number, detail: string, errors?: unknown) {
  const before = await tally();
  const res = await request();
  const p = await json(res);
  expect([res.status, p.detail]).toEqual([status, detail]);
  if (errors) expect(p.errors).toEqual(errors);
  expect(await tally()).toEqual(before);
}

/** The audit entries of one cycle's year, oldest first. */
const auditOf = async (year: number) => (await api.sql<{ action: string; actor_role: string; before: string | null; after: string; reason: string | null }>(
  `select a.action, a.actor_role, a.before, a.after, a.reason from audit a join cycles c on c.id = a.cycle_id where c.year = ${year} and c.unit_type = 'province' order by a.id`,
)).map((e) => ({ ...e, before: e.before && JSON.parse(e.before), after: JSON.parse(e.after) }));

describe('a cycle is opened by an admin, once, with a stored methodology of its unit type', () => {
  it('opens as open, revision 0, with the methodology\'s latest version, and audits what it opened', async () => {
    const res = await open(2041);
    expect(res.status).toBe(201);
    const created = await json(res);
    expect(created).toMatchObject({ year: 2041, unitType: 'province', status: 'open', revision: 0, methodology: { id: 'par-province-2022', version: 1 } });
    expect(await auditOf(2041)).toEqual([
      { action: 'cycle.create', actor_role: 'admin', before: null, reason: null, after: { year: 2041, unitType: 'province', methodology: { id: 'par-province-2022', version: 1 } } },
    ]);
  });

  it('refuses an appraiser and a unit key (403), and the public (401)', async () => {
    await refused(() => open(2042, {}, keys.appraiser), 403, 'This needs the role admin; your key has the role appraiser.');
    await refused(() => open(2042, {}, keys.unit01), 403, 'This needs the role admin; your key has the role unit.');
    await refused(() => api.request('/v1/cycles', post({ year: 2042, unitType: 'province', methodology: 'par-province-2022' }, null)), 401, 'This needs an API key: Authorization: Bearer <key>.');
  });

  it('refuses a methodology that is not stored, or not in that version (422 at /methodology)', async () => {
    const unknown = [{ pointer: '/methodology', field: 'methodology', message: 'unknown methodology' }];
    await refused(() => open(2043, { methodology: 'par-nowhere' }), 422, 'No methodology par-nowhere.', unknown);
    await refused(() => open(2043, { methodologyVersion: 99 }), 422, 'No methodology par-province-2022 version 99.', unknown);
  });

  it('refuses a methodology of another unit type (422 at /unitType, naming the type it ranks)', async () => {
    await refused(() => open(2044, { unitType: 'ministry' }), 422, 'Methodology par-province-2022 ranks province units, not ministry.',
      [{ pointer: '/unitType', field: 'unitType', message: 'must be province for this methodology' }]);
  });

  it('refuses a second cycle of the same year and unit type (409), leaving the first as it was', async () => {
    expect((await open(2045)).status).toBe(201);
    await refused(() => open(2045, { methodology: 'par-province-2017' }), 409, 'A province cycle for 2045 already exists.');
    expect((await cycleOf(2045)).methodology.id).toBe('par-province-2022');
  });
});

describe('each phase follows one phase only, made by the roles it names', () => {
  it('walks open → appraisal (admin) → review (appraiser) → published (admin) → correction (admin, with a reason), each move audited', async () => {
    expect((await open(2051)).status).toBe(201);
    expect((await move(2051, { status: 'appraisal' })).status).toBe(200);
    expect((await move(2051, { status: 'review' }, keys.appraiser)).status).toBe(200);
    const published = await json(await move(2051, { status: 'published' }));
    expect(published).toMatchObject({ status: 'published', revision: 1, published: { revision: 1, publishedBy: 'admin', reason: null, decision: null } });
    const corrected = await json(await move(2051, { status: 'correction', reason: 'Sửa điểm 1.1.1' }));
    expect(corrected).toMatchObject({ status: 'correction', revision: 1, published: null });
    const entries = await auditOf(2051);
    expect(entries.map((e) => [e.action, e.actor_role, e.before, e.reason])).toEqual([
      ['cycle.create', 'admin', null, null],
      ['cycle.status', 'admin', { status: 'open', revision: 0 }, null],
      ['cycle.status', 'appraiser', { status: 'appraisal', revision: 0 }, null],
      ['cycle.publish', 'admin', { status: 'review', revision: 0 }, null],
      ['cycle.status', 'admin', { status: 'published', revision: 1 }, 'Sửa điểm 1.1.1'],
    ]);
    expect(entries.map((e) => e.after)).toEqual([
      expect.anything(), { status: 'appraisal', revision: 0 }, { status: 'review', revision: 0 },
      { status: 'published', revision: 1, contentHash: published.published.contentHash }, { status: 'correction', revision: 1 },
    ]);
  });

  it('refuses a move from any other phase (409, naming the phases it follows), writing nothing', async () => {
    expect((await open(2052)).status).toBe(201);
    await refused(() => move(2052, { status: 'review' }), 409, 'The cycle is open; review follows appraisal only.');
    await refused(() => move(2052, { status: 'published' }), 409, 'The cycle is open; published follows review or correction only.');
    await refused(() => move(2052, { status: 'correction', reason: 'x' }), 409, 'The cycle is open; correction follows published only.');
    expect((await move(2052, { status: 'appraisal' })).status).toBe(200);
    await refused(() => move(2052, { status: 'appraisal' }), 409, 'The cycle is appraisal; appraisal follows open only.');
    expect((await cycleOf(2052)).status).toBe('appraisal');
  });

  it('never goes back to open (409), whoever asks', async () => {
    expect((await open(2053)).status).toBe(201);
    await refused(() => move(2053, { status: 'open' }), 409, 'A cycle opens when it is created; it cannot go back to open.');
  });

  it('lets an appraiser make only the review move (403 for the others); a unit key none (403)', async () => {
    expect((await open(2054)).status).toBe(201);
    await refused(() => move(2054, { status: 'appraisal' }, keys.appraiser), 403, 'This needs the role admin; your key has the role appraiser.');
    await refused(() => move(2054, { status: 'appraisal' }, keys.unit01), 403, 'This needs the role admin or appraiser; your key has the role unit.');
    expect((await move(2054, { status: 'appraisal' })).status).toBe(200);
    await refused(() => move(2054, { status: 'review' }, keys.unit01), 403, 'This needs the role admin or appraiser; your key has the role unit.');
    expect((await move(2054, { status: 'review' })).status).toBe(200); // an admin may too
    await refused(() => move(2054, { status: 'published' }, keys.appraiser), 403, 'This needs the role admin; your key has the role appraiser.');
  });

  it('asks an admin for a reason to open a correction (422 at /reason), and a decision goes with a publication only', async () => {
    expect((await open(2055)).status).toBe(201);
    const decision = { number: '268/QĐ-BNV', date: '2041-03-28' };
    await refused(() => move(2055, { status: 'appraisal', decision }), 422, 'A decision goes with a publication (status published) only.',
      [{ pointer: '/decision', field: 'decision', message: 'only with status published' }]);
    expect((await move(2055, { status: 'appraisal' })).status).toBe(200);
    expect((await move(2055, { status: 'review' })).status).toBe(200);
    const published = await json(await move(2055, { status: 'published', decision }));
    expect(published.published).toMatchObject({ revision: 1, decision });
    await refused(() => move(2055, { status: 'correction' }), 422, 'Moving to correction needs a reason.', [{ pointer: '/reason', field: 'reason', message: 'required' }]);
    expect((await move(2055, { status: 'correction', reason: 'Quyết định sửa đổi' })).status).toBe(200);
    const [publish] = (await auditOf(2055)).filter((e) => e.action === 'cycle.publish');
    expect(publish.after).toEqual({ status: 'published', revision: 1, contentHash: published.published.contentHash, decision });
  });
});

describe('a workspace form is checked by the route\'s own schema, and refused as the API refuses it', () => {
  const thrown = (call: () => unknown) => { try { call(); } catch (e) { return e; } return undefined; };

  it('throws the 422 the API answers for the same body, errors and all', async () => {
    for (const [path, schema, body] of [
      ['/v1/cycles/2056/province/status', StatusIn, { status: 'archived', reason: 'x' }],
      ['/v1/cycles', CycleIn, { year: 1989, unitType: 'province', methodology: '' }],
    ] as const) {
      const answer = await json(await api.request(path, post(body)));
      const e = thrown(() => validated(schema, body));
      expect(e).toBeInstanceOf(ApiProblem);
      const p = e as ApiProblem;
      expect([`/problems/${p.type}`, p.detail, p.errors], path).toEqual([answer.type, answer.detail, answer.errors]);
      expect(answer.type).toBe('/problems/validation-failed');
    }
  });

  it('answers the parsed body when it passes', () => {
    expect(validated(CycleIn, { year: 2057, unitType: 'province', methodology: 'par-province-2022' })).toEqual({ year: 2057, unitType: 'province', methodology: 'par-province-2022' });
    expect(validated(StatusIn, { status: 'review' })).toEqual({ status: 'review' });
  });
});
