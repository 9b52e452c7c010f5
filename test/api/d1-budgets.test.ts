// D1 query budgets per route (issue 16), counted by the limits wrapper (test/runtime/d1-limits.ts)
// around the Workers project's binding: counts, not times. Each route declares at most how many
// queries and batches one request may make; the same routes are asked of two cycles, 34 units × 10
// leaves and 63 units × 60 leaves, and the counts must be equal: no query per unit or per score.
// Workers only (on Node there is no wrapper to count with).
import { beforeAll, describe, expect, it } from 'vitest';
import { d1Usage } from '#runtime';
import { as, freshApp, json, post, put, runtime } from './harness.js';

interface Budget { queries: number; batches: number }

/** A cycle of the test: its year sets the units assessed (63 provinces before the 2025 mergers, 34 after). */
const SMALL = { year: 2026, leaves: 10 };
const LARGE = { year: 2018, leaves: 60 };

const methodology = (leaves: number) => ({
  id: `d1-budgets-${leaves}`, mode: 'points', missing: 'zero', unitType: 'province', total: leaves,
  nodes: [{ code: 'R' }, { code: 'D1', parent: 'R' }, { code: 'D2', parent: 'R' },
    ...Array.from({ length: leaves }, (_, i) => ({ code: `L${i}`, parent: i % 2 ? 'D2' : 'D1', max: 1, source: 'appraisal' }))],
});

/**
 * The declared budgets. A published read served from the edge cache makes one query (the cycle's
 * row); a write is one batch, whatever its size.
 */
const READS: [string, (c: string, unit: string) => string, Budget][] = [
  ['published results from the edge cache', (c) => `${c}/results`, { queries: 1, batches: 0 }],
  ['published results CSV from the edge cache', (c) => `${c}/results.csv`, { queries: 1, batches: 0 }],
  ['published statistics', (c) => `${c}/statistics`, { queries: 1, batches: 0 }],
  ['published scorecard of a unit', (c, unit) => `${c}/units/${unit}`, { queries: 3, batches: 0 }],
  ['draft results (admin)', (c) => `${c}/results?revision=draft`, { queries: 2, batches: 0 }],
  ['scores, a page (admin)', (c) => `${c}/scores?revision=draft&limit=100`, { queries: 3, batches: 0 }],
  ['revisions of a cycle', (c) => `${c}/revisions`, { queries: 3, batches: 0 }],
];
/**
 * GET /v1/cycles: the cycles joined to their methodologies' content hashes, one query however many
 * are listed (plus one, once per isolate, for the methodologies it has not met yet).
 */
const CYCLE_LIST: Budget = { queries: 1, batches: 0 };
/** An upload: the cycle, the key, the stored rows, then one batch (guard, rows as JSON, audit, version, cache). */
const UPLOAD: Budget = { queries: 11, batches: 1 };
/** A change of phase: one batch. A publication: one batch, its bundle stored in pieces of 256 Ki characters. */
const PHASE: Budget = { queries: 6, batches: 1 };
const PUBLICATION_BASE: Budget = { queries: 15, batches: 1 };
const PIECE = 256 * 1024;

type Cycle = typeof SMALL;
const pathOf = (c: Cycle) => `/v1/cycles/${c.year}/province`;

describe.runIf(runtime === 'd1')('D1 query budgets per route', () => {
  let api: Awaited<ReturnType<typeof freshApp>>;
  const unitsOf = new Map<Cycle, string[]>();
  /** each label's usage, the small cycle's first */
  const usage = new Map<string, Budget[]>();
  const servedFrom = new Map<string, (string | null)[]>();
  const bundleLength = new Map<Cycle, number>();

  /** One request's usage, recorded under its label. */
  async function measured(label: string, request: () => Promise<Response>): Promise<void> {
    const res = await request();
    expect(res.status, `${label}: ${(await res.clone().text()).slice(0, 300)}`).toBe(200);
    usage.set(label, [...(usage.get(label) ?? []), d1Usage()!]);
    servedFrom.set(label, [...(servedFrom.get(label) ?? []), res.headers.get('x-results-cache')]);
  }

  const scoresOf = (c: Cycle, value: (u: number, l: number) => number) => unitsOf.get(c)!.flatMap((unit, u) =>
    Array.from({ length: c.leaves }, (_, l) => ({ unit, indicator: `L${l}`, source: 'appraisal', value: value(u, l) })));

  beforeAll(async () => {
    api = await freshApp();
    for (const c of [SMALL, LARGE]) {
      expect((await api.request('/v1/methodologies', post(methodology(c.leaves)))).status).toBe(201);
      expect((await api.request('/v1/cycles', post({ year: c.year, unitType: 'province', methodology: methodology(c.leaves).id }))).status).toBe(201);
      unitsOf.set(c, (await json(await api.request(`${pathOf(c)}/results?revision=draft`, as()))).results.map((r: any) => r.unit.code));
    }
    for (const c of [SMALL, LARGE]) {
      await measured('upload of every score', () => api.request(`${pathOf(c)}/scores`, put({ scores: scoresOf(c, (u, l) => ((u + l) % 20) / 20) })));
      await measured('upload changing every score', () => api.request(`${pathOf(c)}/scores`, put({ scores: scoresOf(c, (u, l) => ((u * l) % 20) / 20) })));
      for (const status of ['appraisal', 'review']) await measured(`status ${status}`, () => api.request(`${pathOf(c)}/status`, post({ status })));
      await measured('publication', () => api.request(`${pathOf(c)}/status`, post({ status: 'published' })));
      bundleLength.set(c, (await (await api.request(`${pathOf(c)}/revisions/1/bundle`)).text()).length);
      for (const [label, path] of READS) {
        const url = path(pathOf(c), unitsOf.get(c)![0]);
        await api.request(url, as()); // the first read computes and caches; the budget is for the reads after it
        await measured(label, () => api.request(url, as()));
      }
    }
  });

  it('the two cycles differ in units and in scores', () => {
    expect(unitsOf.get(SMALL)).toHaveLength(34);
    expect(unitsOf.get(LARGE)).toHaveLength(63);
  });

  it('an upload is one batch, of any size', () => {
    for (const label of ['upload of every score', 'upload changing every score']) {
      for (const used of usage.get(label)!) expect(used, label).toEqual(UPLOAD);
    }
  });

  it('a change of phase is one batch', () => {
    for (const label of ['status appraisal', 'status review']) for (const used of usage.get(label)!) expect(used, label).toEqual(PHASE);
  });

  it('a publication is one batch; its queries grow only with its bundle\'s pieces', () => {
    const [small, large] = usage.get('publication')!;
    for (const [used, c] of [[small, SMALL], [large, LARGE]] as const) {
      expect(used).toEqual({ queries: PUBLICATION_BASE.queries + Math.ceil(bundleLength.get(c)! / PIECE), batches: 1 });
    }
  });

  it.each(READS)('%s stays within its budget', (label, _, budget) => {
    for (const used of usage.get(label)!) {
      expect(used.queries, `${label}: ${JSON.stringify(used)}`).toBeLessThanOrEqual(budget.queries);
      expect(used.batches, label).toBeLessThanOrEqual(budget.batches);
    }
  });

  it('the list of cycles makes one query, however many cycles it lists', async () => {
    const listed = async () => {
      const res = await api.request('/v1/cycles');
      expect(res.status).toBe(200);
      return { cycles: (await json(res)).cycles.length, used: d1Usage() };
    };
    // The first list in an isolate also reads the methodologies it has not met yet, all in one query.
    expect((await listed()).used!.queries).toBeLessThanOrEqual(CYCLE_LIST.queries + 1);
    const before = await listed();
    // Three more cycles, of the methodologies already listed: a query per cycle would show here.
    for (const year of [2019, 2020, 2021]) {
      expect((await api.request('/v1/cycles', post({ year, unitType: 'province', methodology: methodology(year % 2 ? SMALL.leaves : LARGE.leaves).id }))).status).toBe(201);
    }
    const after = await listed();
    expect(before.cycles).toBeGreaterThan(2);
    expect(after.cycles).toBe(before.cycles + 3);
    expect(before.used).toEqual(CYCLE_LIST);
    expect(after.used).toEqual(CYCLE_LIST);
  });

  it('published results are served from the edge cache', () => {
    for (const label of ['published results from the edge cache', 'published results CSV from the edge cache']) expect(servedFrom.get(label), label).toEqual(['edge', 'edge']);
  });

  it('no read makes more queries for more units or more scores', () => {
    for (const [label] of READS) {
      const [small, large] = usage.get(label)!;
      expect(large, label).toEqual(small);
    }
  });
});
