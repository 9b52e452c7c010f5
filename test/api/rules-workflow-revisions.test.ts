// Publication rules (issue 12), each in the test named after it: a diff between revisions lists
// exactly what changed (scores by key, units by index, rank or group); a revision published before
// bundles is served as a bundle built from the same content, with the digest of those bytes; a
// revision, which never changes, is parsed once; a bundle too long for one row is stored in pieces.
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../src/store/crypto.js';
import { getCycle } from '../../src/store/cycles.js';
import { diffRevisions, getRevision, listRevisions, revisionBundle, type FrozenRevision, type FrozenScore } from '../../src/store/workflow.js';
import { freshApp, json, post, runtime } from './harness.js';

const score = (unit: string, indicator: string, value: unknown, source = 'appraisal'): FrozenScore =>
  ({ unit, indicator, source, value, points: null, note: null, evidence: null, updatedAt: '2026-01-01T00:00:00.000Z', updatedBy: 'admin' });
const row = (unit: string, index: number | null, rank: number | null, group: string | null) => ({ unit, index, rank, group });
type Api = Awaited<ReturnType<typeof freshApp>>;
const frozen = (scores: FrozenScore[], rows: ReturnType<typeof row>[]) => ({ revision: {}, report: { rows }, scores }) as unknown as FrozenRevision;

describe('a diff between revisions lists exactly what changed', () => {
  it('lists changed, added and removed scores by unit, indicator and source, in key order; equal values (objects too) are not listed', () => {
    const a = frozen([score('02', '1.1', 1), score('01', '1.1', 0.5), score('01', '1.1', 2, 'self'), score('01', '4.2', { A: 1, B: 2 }), score('03', '1.1', 1)], []);
    const b = frozen([score('01', '1.1', 0.25), score('01', '1.1', 2, 'self'), score('01', '4.2', { A: 1, B: 2 }), score('02', '1.1', 1), score('04', '1.1', null), score('00', '2.1', 3)], []);
    expect(diffRevisions(a, b).scores).toEqual([
      { unit: '00', indicator: '2.1', source: 'appraisal', from: null, to: 3 },
      { unit: '01', indicator: '1.1', source: 'appraisal', from: 0.5, to: 0.25 },
      { unit: '03', indicator: '1.1', source: 'appraisal', from: 1, to: null },
      { unit: '04', indicator: '1.1', source: 'appraisal', from: null, to: null },
    ]);
    expect(diffRevisions(a, a)).toEqual({ scores: [], units: [] });
  });

  it('lists a unit whose index, rank or group changed, or that is new, with before and after', () => {
    const a = frozen([], [row('01', 80, 1, 'A'), row('02', 70, 2, 'B'), row('03', 60, 3, 'B'), row('04', 50, 4, 'C'), row('05', 40, 5, 'C')]);
    const b = frozen([], [row('01', 80, 1, 'A'), row('02', 70.5, 2, 'B'), row('03', 60, 4, 'B'), row('04', 50, 4, 'B'), row('06', 30, null, null)]);
    expect(diffRevisions(a, b).units).toEqual([
      { unit: '02', index: { from: 70, to: 70.5 }, rank: { from: 2, to: 2 }, group: { from: 'B', to: 'B' } },
      { unit: '03', index: { from: 60, to: 60 }, rank: { from: 3, to: 4 }, group: { from: 'B', to: 'B' } },
      { unit: '04', index: { from: 50, to: 50 }, rank: { from: 4, to: 4 }, group: { from: 'C', to: 'B' } },
      { unit: '06', index: { from: null, to: 30 }, rank: { from: null, to: null }, group: { from: null, to: null } },
    ]);
  });
});

// Node only: on Workers the database, and the driver's cache of parsed revisions, are shared by the whole file,
// and these tests rewrite a publication's stored rows.
describe.skipIf(runtime === 'd1')('a revision published before bundles is served as a bundle of the same content', () => {
  /** The stored bundle of a revision 1, read with SQL (no read of the revision, which would be kept parsed). */
  const storedBundle = async (api: Api, cycleId: number) =>
    (await api.sql<{ body: string }>(`select body from revision_parts where cycle_id = ${cycleId} and revision = 1 and part = 'bundle' order by seq`)).map((p) => p.body).join('');
  /** The latest seeded publication: no later cycle's report has read it (and kept it parsed) while seeding. */
  const latest = async (api: Api) => {
    const [{ year }] = await api.sql<{ year: number }>("select year from cycles where unit_type = 'province' and revision > 0 order by year desc limit 1");
    return (await getCycle(api.driver, year, 'province'))!;
  };
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const insertPart = (api: Api, cycleId: number, part: string, seq: number, body: string) =>
    api.sql(`insert into revision_parts (cycle_id, revision, part, seq, body) values (${cycleId}, 1, '${part}', ${seq}, ${quote(body)})`);

  it('rebuilds the very bytes a bundle would have, with their own digest, not the legacy hash', async () => {
    const api = await freshApp();
    const cycle = await latest(api);
    const original = await storedBundle(api, cycle.id);
    // Revision 1 as stored before bundles: its report and scores as separate parts, the report in
    // two pieces (inserted last piece first), its hash computed over other bytes.
    const bundle = JSON.parse(original);
    const report = JSON.stringify(bundle.report);
    const half = Math.floor(report.length / 2);
    await api.sql(`delete from revision_parts where cycle_id = ${cycle.id} and revision = 1`);
    await insertPart(api, cycle.id, 'report', 1, report.slice(half));
    await insertPart(api, cycle.id, 'scores', 0, JSON.stringify(bundle.scores));
    await insertPart(api, cycle.id, 'report', 0, report.slice(0, half));
    await api.sql(`update revisions set content_hash = 'legacy-hash' where cycle_id = ${cycle.id} and revision = 1`);

    const frozenRevision = (await getRevision(api.driver, cycle.id, 1))!;
    expect([frozenRevision.report, frozenRevision.scores]).toEqual([bundle.report, bundle.scores]);
    const rebuilt = await revisionBundle(api.driver, cycle, frozenRevision);
    expect(rebuilt).toEqual({ text: original, sha256: await sha256Hex(original) });
    expect(rebuilt.sha256).not.toBe('legacy-hash');
    const res = await api.request(`/v1/cycles/${cycle.year}/province/revisions/1/bundle`);
    expect([res.status, await res.text()]).toEqual([200, original]);
  });

  it('rebuilds the decision a revision was published with, byte for byte', async () => {
    const api = await freshApp();
    const year = 2081;
    expect((await api.request('/v1/cycles', post({ year, unitType: 'province', methodology: 'par-province-2022' }))).status).toBe(201);
    for (const status of ['appraisal', 'review']) expect((await api.request(`/v1/cycles/${year}/province/status`, post({ status }))).status).toBe(200);
    const decision = { number: '12/QĐ-UBND', date: '2081-01-15' };
    expect((await api.request(`/v1/cycles/${year}/province/status`, post({ status: 'published', decision }))).status).toBe(200);
    const cycle = (await getCycle(api.driver, year, 'province'))!;
    const original = await storedBundle(api, cycle.id);
    const bundle = JSON.parse(original);
    expect(bundle.decision).toEqual(decision);
    await api.sql(`delete from revision_parts where cycle_id = ${cycle.id} and revision = 1`);
    await insertPart(api, cycle.id, 'report', 0, JSON.stringify(bundle.report));
    await insertPart(api, cycle.id, 'scores', 0, JSON.stringify(bundle.scores));
    const rebuilt = await revisionBundle(api.driver, cycle, (await getRevision(api.driver, cycle.id, 1))!);
    expect(rebuilt).toEqual({ text: original, sha256: await sha256Hex(original) });
  });

  it('reads a legacy revision without a scores part as no scores', async () => {
    const api = await freshApp();
    const cycle = await latest(api);
    const bundle = JSON.parse(await storedBundle(api, cycle.id));
    await api.sql(`delete from revision_parts where cycle_id = ${cycle.id} and revision = 1`);
    await insertPart(api, cycle.id, 'report', 0, JSON.stringify(bundle.report));
    const f = (await getRevision(api.driver, cycle.id, 1))!;
    expect([f.scores, f.report]).toEqual([[], bundle.report]);
  });
});

describe('a published revision never changes, so it is parsed once', () => {
  it('answers the same object to every read, and nothing for a revision never published', async () => {
    const api = await freshApp();
    const cycle = (await getCycle(api.driver, 2023, 'province'))!;
    const first = await getRevision(api.driver, cycle.id, 1);
    expect(first?.revision.revision).toBe(1);
    expect(await getRevision(api.driver, cycle.id, 1)).toBe(first);
    expect(await getRevision(api.driver, cycle.id, 2)).toBeUndefined();
  });
});

describe('a bundle too long for one row is stored in pieces of 256 K characters, and read back whole', () => {
  it('stores the seeded publication (past 512 K characters) in full pieces that join to the hashed bytes', async () => {
    const api = await freshApp();
    const cycle = (await getCycle(api.driver, 2023, 'province'))!;
    const parts = await api.sql<{ seq: number; n: number }>(`select seq, length(body) n from revision_parts where cycle_id = ${cycle.id} and part = 'bundle' order by seq`);
    const text = await (await api.request('/v1/cycles/2023/province/revisions/1/bundle')).text();
    expect(text.length).toBeGreaterThan(2 * 256 * 1024);
    expect(parts.map((p) => p.seq)).toEqual(parts.map((_, i) => i));
    expect(parts.slice(0, -1).every((p) => p.n === 256 * 1024)).toBe(true);
    expect(parts.reduce((s, p) => s + p.n, 0)).toBe(text.length);
    const listed = (await json(await api.request('/v1/cycles/2023/province/revisions'))).revisions;
    expect(listed[0].contentHash).toBe(await sha256Hex(text));
    expect(canonicalJson(JSON.parse(text))).toBe(text);
  });

  it('lists revisions latest first', async () => {
    const api = await freshApp();
    const base = '/v1/cycles/2023/province';
    expect((await api.request(`${base}/status`, post({ status: 'correction', reason: 'kiểm tra' }))).status).toBe(200);
    expect((await api.request(`${base}/status`, post({ status: 'published', reason: 'đã sửa' }))).status).toBe(200);
    const cycle = (await getCycle(api.driver, 2023, 'province'))!;
    expect((await listRevisions(api.driver, cycle.id)).map((r) => r.revision)).toEqual([2, 1]);
  });
});
