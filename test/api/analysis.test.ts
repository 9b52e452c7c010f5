// Analysis routes on both runtimes: uncertainty (the same seed gives the same answer on Node and
// on Workers: one digest asserted by both projects), what-if, strengths and weaknesses, peers;
// each names the cycle and the publication it was computed on.
import { beforeAll, describe, expect, it } from 'vitest';
import { as, freshApp, json, post } from './harness.js';

let api: Awaited<ReturnType<typeof freshApp>>;
beforeAll(async () => { api = await freshApp(); });

const CYCLE = '/v1/cycles/2023/province';

async function digest(value: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

describe('analysis', () => {
  it('rank uncertainty of the published 2023 provinces: deterministic for a seed, the same on both runtimes', async () => {
    const body = { draws: 2000, perturbation: 0.2, seed: 7 };
    const res = await json(await api.request('/v1/cycles/2023/province/uncertainty', post(body, null)));
    expect(res.units).toHaveLength(63);
    expect(res.domains).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    for (const u of res.units) expect(u.p5 <= u.rank && u.rank <= u.p95).toBe(true);
    expect(await json(await api.request('/v1/cycles/2023/province/uncertainty', post(body, null)))).toEqual(res);
    // the numbers, not the provenance (which carries the times of seeding and publication)
    const { options, domains, units, indistinguishable, sensitivity } = res;
    expect(await digest({ options, domains, units, indistinguishable, sensitivity })).toBe(EXPECTED_DIGEST);
    const zero = await json(await api.request('/v1/cycles/2023/province/uncertainty', post({ draws: 100, perturbation: 0 }, null)));
    expect(zero.units.every((u: any) => u.p5 === u.rank && u.p95 === u.rank && u.keepsRank === 1)).toBe(true);
  });

  it('keeps drafts private: an unpublished cycle is analysed only as a draft, asked for, by staff', async () => {
    await api.request('/v1/cycles', post({ year: 2026, unitType: 'province', methodology: 'par-province-2022' }));
    const draft = '/v1/cycles/2026/province/uncertainty?revision=draft';
    expect((await api.request(draft, post({ draws: 10 }, null))).status).toBe(401);
    expect((await json(await api.request(draft, post({ draws: 10 })))).revision).toEqual({ kind: 'draft', dataVersion: expect.any(Number) });
    // without ?revision=draft there is nothing to analyse yet, whoever asks
    for (const key of [null, undefined]) {
      const res = await api.request('/v1/cycles/2026/province/uncertainty', post({ draws: 10 }, key));
      expect(res.status).toBe(404);
      expect((await json(res)).detail).toMatch(/not published yet/);
    }
  });

  it('names the cycle and the publication it analysed, as GET …/revisions lists it, for the public and for keys', async () => {
    const [latest] = (await json(await api.request(`${CYCLE}/revisions`))).revisions;
    const provenance = {
      cycle: {
        year: 2023, unitType: 'province', status: 'published', revision: latest.revision, synthetic: true,
        methodology: { id: 'par-province-2022', version: 1, provisionalNodes: expect.any(Number), rounding: expect.any(Number) },
      },
      revision: { kind: 'publication', revision: latest.revision, contentHash: latest.contentHash, publishedAt: latest.publishedAt, reason: latest.reason, decision: latest.decision },
      notice: expect.stringMatching(/SYNTHETIC/),
    };
    for (const key of [null, undefined]) {
      const answers = [
        await api.request(`${CYCLE}/uncertainty`, post({ draws: 10 }, key)),
        await api.request(`${CYCLE}/units/01/what-if`, post({ changes: [] }, key)),
        await api.request(`${CYCLE}/units/01/strengths`, key === null ? {} : as()),
        await api.request(`${CYCLE}/units/01/peers`, key === null ? {} : as()),
      ];
      for (const res of answers) expect(await json(res)).toMatchObject(provenance);
    }
  });

  it('what-if: nothing is written, and following the path reaches the promised rank', async () => {
    const results = (await json(await api.request('/v1/cycles/2023/province/results'))).results;
    const unit = results[20].unit.code;
    const before = (await api.sql<{ n: number }>('select count(*) n from audit'))[0].n;
    const w = await json(await api.request(`/v1/cycles/2023/province/units/${unit}/what-if`, post({ changes: [] }, null)));
    expect(w.before).toEqual({ index: results[20].index, rank: results[20].rank, group: results[20].group });
    expect(w.nextRank.reachable).toBe(true);
    const changes = w.nextRank.steps.map((s: any) => ({ indicator: s.indicator, value: s.to }));
    const after = await json(await api.request(`/v1/cycles/2023/province/units/${unit}/what-if`, post({ changes }, null)));
    expect(after.after.rank).toBeLessThanOrEqual(w.nextRank.target.rank);
    expect((await api.sql<{ n: number }>('select count(*) n from audit'))[0].n).toBe(before);
    const bad = await api.request(`/v1/cycles/2023/province/units/${unit}/what-if`, post({ changes: [{ indicator: '1.1.1', value: 9 }] }, null));
    expect(bad.status).toBe(422);
    expect((await json(bad)).errors[0]).toMatchObject({ row: 1, pointer: '/changes/0/value', indicator: '1.1.1' });
  });

  it('strengths and weaknesses against national and regional means, and peers side by side', async () => {
    const s = await json(await api.request('/v1/cycles/2023/province/units/01/strengths'));
    expect(s.domains.strengths.length + s.domains.weaknesses.length).toBeGreaterThan(0);
    for (const g of s.domains.strengths) expect(g.vsNational).toBeGreaterThan(0);
    for (const g of s.subCriteria.weaknesses) expect(g.vsNational).toBeLessThan(0);
    expect(s.domains.strengths[0]?.name?.vi ?? s.domains.weaknesses[0].name.vi).toMatch(/\S/);
    const p = await json(await api.request('/v1/cycles/2023/province/units/01/peers?around=1'));
    expect(p.neighbours.map((r: any) => r.unit.code)).toContain('01');
    expect(p.neighbours).toHaveLength(3);
    expect(p.region.every((r: any) => r.unit.region === 'RRD')).toBe(true);
    expect(p.region).toHaveLength(11);
    for (const peer of [...p.neighbours, ...p.region]) {
      expect(Object.keys(peer).sort()).toEqual(['domains', 'group', 'index', 'rank', 'unit']);
      expect(peer.unit).toEqual({ code: expect.any(String), name: { vi: expect.stringMatching(/\S/), en: expect.stringMatching(/\S/) }, region: expect.any(String) });
      expect(Object.keys(peer.domains)).toEqual(p.domains);
    }
    // the same numbers as the results table
    const results = (await json(await api.request('/v1/cycles/2023/province/results'))).results;
    const own = results.find((r: any) => r.unit.code === '01');
    expect(p.neighbours.find((r: any) => r.unit.code === '01')).toMatchObject({ unit: own.unit, index: own.index, rank: own.rank, group: own.group });
  });

  it('POST /v1/compute runs the uncertainty inline', async () => {
    const res = await json(await api.request('/v1/compute', post({
      methodology: { id: 'x', mode: 'points', missing: 'zero', nodes: [{ code: 'R' }, { code: 'a', parent: 'R', max: 50 }, { code: 'b', parent: 'R', max: 50 }] },
      scores: [{ unit: 'P', indicator: 'a', value: 50 }, { unit: 'P', indicator: 'b', value: 0 }, { unit: 'Q', indicator: 'a', value: 0 }, { unit: 'Q', indicator: 'b', value: 45 }],
      uncertainty: { draws: 1000, perturbation: 0.5, seed: 3 },
    }, null)));
    expect(res.results.map((r: any) => r.unit)).toEqual(['P', 'Q']);
    expect(res.uncertainty.indistinguishable).toEqual([['P', 'Q']]);
    expect(res.uncertainty.units[0].keepsRank).toBeGreaterThan(0.4);
    expect(res.uncertainty.units[0].keepsRank).toBeLessThan(0.9);
  });
});

// Computed once; both projects (Node and workerd) must reproduce it from the seeded demo data.
// (Recomputed for issue 10: keepsRank and sensitivity are now snapped to 9 decimals;
// the unsnapped answer of the previous engine differs only below 1e-9.)
// Recomputed for issue 12: the pair scan no longer stops early at a volatile lower unit; units,
// options and sensitivity are byte for byte the previous engine's, and the indistinguishable
// pairs are 62 where it found 61 (the missed pair overlaps, as the brute-force oracle in
// test/engine/rules-analysis-uncertainty.test.ts checks).
const EXPECTED_DIGEST = '0827414c26246f6499bb98beefaed0adf841910a2980fc7b4a789a0f9ce45f44';
