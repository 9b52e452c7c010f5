// The service's behaviour through app.request(): every route's happy path, CSV both ways,
// dry runs, idempotence, caching headers, and the demo data's consistency.
import { beforeAll, describe, expect, it } from 'vitest';
import { as, freshApp, json, post, put } from './harness.js';

let api: Awaited<ReturnType<typeof freshApp>>;
beforeAll(async () => {
  api = await freshApp();
  expect((await api.request('/v1/cycles', post({ year: 2026, unitType: 'province', methodology: 'par-province-2022' }))).status).toBe(201);
});

const scoresCount = async () => (await api.sql<{ n: number }>('select count(*) n from scores'))[0].n;

describe('service and reference data', () => {
  it('GET /health names the runtime', async () => {
    expect(await json(await api.request('/health'))).toEqual({ status: 'ok', runtime: api.runtime, version: '0.1.0' });
  });

  it('GET /docs serves the reference, rendered on the server, loading nothing from elsewhere', async () => {
    const res = await api.request('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('/openapi.json');
    expect(html).not.toMatch(/<script|<link|\ssrc=/i);
  });

  it('GET / links to the docs, the contract and the health check', async () => {
    const home = await json(await api.request('/', { headers: { accept: 'application/json' } }));
    expect(home).toMatchObject({ docs: '/docs', openapi: '/openapi.json', health: '/health' });
    expect(await (await api.request('/')).text()).toContain('href="/docs"');
  });

  it('lists methodologies and returns one with its document and provenance counts', async () => {
    const list = await json(await api.request('/v1/methodologies'));
    expect(list.methodologies.map((m: any) => m.id).sort()).toEqual(['par-ministry-2022', 'par-province-2017', 'par-province-2022']);
    const one = await json(await api.request('/v1/methodologies/par-province-2022'));
    expect(one).toMatchObject({ id: 'par-province-2022', version: 1, unitType: 'province', mode: 'points', leaves: 98 });
    expect(one.provisionalNodes).toBeGreaterThan(0);
    expect(one.document.nodes[0]).toMatchObject({ code: 'PAR', max: 100 });
  });

  it('searches units ignoring diacritics and case, by type, region and date', async () => {
    const byName = await json(await api.request('/v1/units?q=ha%20noi'));
    expect(byName.units.map((u: any) => u.name.vi)).toEqual(['Hà Nội']);
    expect((await json(await api.request('/v1/units?q=DA%20NANG'))).units.map((u: any) => u.code)).toEqual(['48', '48-2025']);
    const before = await json(await api.request('/v1/units?unitType=province&activeOn=2025-06-30'));
    const after = await json(await api.request('/v1/units?unitType=province&activeOn=2025-07-01'));
    expect([before.units.length, after.units.length]).toEqual([63, 34]);
    const delta = await json(await api.request('/v1/units?unitType=province&region=MD&activeOn=2024-01-01'));
    expect(delta.units).toHaveLength(13);
    expect((await json(await api.request('/v1/units?unitType=ministry&activeOn=2024-12-31'))).units).toHaveLength(19);
  });

  it('gives a unit with its predecessors and successors', async () => {
    const merged = await json(await api.request('/v1/units/31-2025'));
    expect(merged.name.vi).toBe('Hải Phòng');
    expect(merged.predecessors.map((p: any) => p.name.vi)).toEqual(['Hải Phòng', 'Hải Dương']);
    const old = await json(await api.request('/v1/units/30'));
    expect(old.successors.map((s: any) => s.code)).toEqual(['31-2025']);
  });
});

describe('cycles and scores', () => {
  it('lists the seeded cycles and the new one', async () => {
    const { cycles, latestPublication } = await json(await api.request('/v1/cycles?unitType=province'));
    expect(cycles.map((c: any) => [c.year, c.status, c.revision, c.synthetic])).toEqual([[2022, 'published', 1, true], [2023, 'published', 1, true], [2024, 'published', 1, true], [2025, 'published', 1, true], [2026, 'open', 0, false]]);
    expect(latestPublication).toEqual({ province: 2025 });
    expect(cycles[0].methodology).toMatchObject({ id: 'par-province-2022', version: 1, rounding: 2 });
    const open = await json(await api.request('/v1/cycles?status=open'));
    expect(open.cycles.map((c: any) => [c.year, c.unitType])).toEqual([[2026, 'province']]);
    expect((await api.request('/v1/cycles?status=closed')).status).toBe(400);
  });

  it('upserts JSON all or nothing, says when a batch changes nothing, and validates without writing in a dry run', async () => {
    const batch = { scores: [{ unit: '01', indicator: '1.1.1', source: 'appraisal', value: 0.5, evidence: 'QĐ 12/UBND' }, { unit: '31-2025', indicator: '1.6', value: 1.75 }] };
    const dry = await json(await api.request('/v1/cycles/2026/province/scores?dryRun=true', put(batch)));
    expect(dry).toMatchObject({ dryRun: true, inserted: 2, changed: false });
    const count = await scoresCount();
    const first = await json(await api.request('/v1/cycles/2026/province/scores', put(batch)));
    expect(first).toMatchObject({ dryRun: false, received: 2, inserted: 2, updated: 0, unchanged: 0, changed: true, dataVersion: 1 });
    expect(await scoresCount()).toBe(count + 2);
    const again = await json(await api.request('/v1/cycles/2026/province/scores', put(batch)));
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, changed: false, dataVersion: 1 });
    expect(again.message).toMatch(/nothing changed/);
    const update = await json(await api.request('/v1/cycles/2026/province/scores', put({ scores: [{ ...batch.scores[0], value: 0.25 }] })));
    expect(update).toMatchObject({ inserted: 0, updated: 1, dataVersion: 2 });
  });

  it('accepts CSV as spreadsheets write it: BOM, semicolons, decimal comma, CRLF', async () => {
    const csv = '\ufeffunit;indicator;source;value\r\n01;1.1.2;appraisal;0,5\r\n04;1.1.2;appraisal;0.25\r\n';
    const res = await json(await api.request('/v1/cycles/2026/province/scores', put(csv, 'text/csv')));
    expect(res).toMatchObject({ inserted: 2, changed: true });
    const lf = 'unit,indicator,source,value\n11,1.1.2,appraisal,0.5\n';
    expect(await json(await api.request('/v1/cycles/2026/province/scores', put(lf, 'text/csv; charset=utf-8')))).toMatchObject({ inserted: 1 });
  });

  it('reads scores back as JSON, filtered, and as CSV', async () => {
    const { scores, revision, next } = await json(await api.request('/v1/cycles/2026/province/scores?unit=01&revision=draft', as()));
    expect([revision.kind, next]).toEqual(['draft', null]);
    expect(scores.map((s: any) => [s.indicator, s.source, s.value, s.points])).toEqual([['1.1.1', 'appraisal', 0.25, 0.25], ['1.1.2', 'appraisal', 0.5, 0.5]]);
    expect(scores[0]).toMatchObject({ evidence: 'QĐ 12/UBND', updatedBy: 'env-admin' });
    const res = await api.request('/v1/cycles/2026/province/scores.csv?indicator=1.1.2&revision=draft', as());
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="par-index-2026-province-draft-scores.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a BOM, so spreadsheets read UTF-8
    const csv = new TextDecoder().decode(bytes);
    expect(csv.split('\r\n')[0]).toBe('unit,indicator,source,value,points,note,evidence,updatedAt,updatedBy');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(4);
  });
});

describe('results of the demo 2023 province cycle', () => {
  let body: any;
  beforeAll(async () => { body = await json(await api.request('/v1/cycles/2023/province/results')); });

  it('ranks 63 provinces by competition ranking consistent with the unrounded indexes', () => {
    const rows = body.results;
    expect(rows).toHaveLength(63);
    for (const r of rows) expect(r.rank).toBe(1 + rows.filter((o: any) => o.index > r.index).length);
    expect(body.notice).toMatch(/SYNTHETIC/);
    expect(body.revision).toMatchObject({ kind: 'publication', revision: 1, contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(body.cycle.methodology).toMatchObject({ id: 'par-province-2022', version: 1, rounding: 2 });
    expect(body.cycle.methodology.provisionalNodes).toBeGreaterThan(0);
    expect(rows[0].unit.name.vi).toBeTypeOf('string');
    expect(Object.keys(rows[0].domains)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
  });

  it('groups and statistics agree with the rows', () => {
    const rows = body.results;
    const group = (x: number) => (x >= 90 ? 'A' : x >= 80 ? 'B' : x >= 70 ? 'C' : 'D');
    for (const r of rows) expect(r.group).toBe(group(r.index));
    const counts = Object.fromEntries(['A', 'B', 'C', 'D'].map((g) => [g, rows.filter((r: any) => r.group === g).length]));
    expect(body.statistics.groups).toEqual(counts);
    const mean = rows.reduce((s: number, r: any) => s + r.index, 0) / rows.length;
    expect(body.statistics.index.mean).toBeCloseTo(mean, 9);
    expect(body.statistics.aboveMean).toBe(rows.filter((r: any) => r.index > mean).length);
    expect(Object.values(body.statistics.by.region).reduce((s: number, x: any) => s + x.index.n, 0)).toBe(63);
  });

  it('reports the change since 2022 for the same unit', () => {
    const r = body.results[0];
    expect(r.change.rule).toBe('same-unit');
    expect(r.change.previousRank).toBeTypeOf('number');
  });

  it('filters by region and group, sorts, and answers CSV with display rounding', async () => {
    const rrd = await json(await api.request('/v1/cycles/2023/province/results?region=RRD&sort=-index'));
    expect(rrd.results).toHaveLength(11);
    expect(rrd.results.map((r: any) => r.index)).toEqual([...rrd.results.map((r: any) => r.index)].sort((a, b) => b - a));
    const a = await json(await api.request('/v1/cycles/2023/province/results?group=A'));
    expect(a.results.every((r: any) => r.group === 'A')).toBe(true);
    const res = await api.request('/v1/cycles/2023/province/results.csv');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="par-index-2023-province-r1.csv"');
    expect(res.headers.get('link')).toBe('</v1/cycles/2023/province/results.csv-metadata.json>; rel="describedby"; type="application/csvm+json"');
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines).toHaveLength(64);
    expect(lines[0].split(',').slice(0, 6)).toEqual(['rank', 'unit.code', 'unit.name.vi', 'unit.name.en', 'unit.region', 'index']);
    const first = lines[1].split(',');
    expect(Number(first[5])).toBe(Math.round(body.results[0].index * 100) / 100);
    expect(first[5]).toMatch(/^\d+\.\d\d$/);
    const metadata = await json(await api.request('/v1/cycles/2023/province/results.csv-metadata.json'));
    expect(metadata.url).toBe('/v1/cycles/2023/province/results.csv');
    expect(metadata.tableSchema.columns.map((c: any) => c.name)).toContain('domains.1.percent');
    expect((await api.request('/v1/cycles/2023/province/results', { headers: { accept: 'text/csv' } })).status).toBe(406);
    expect((await api.request('/v1/cycles/2023/province/results?format=csv')).status).toBe(400);
  });

  it('carries an ETag; a conditional GET answers 304; a score change changes the ETag', async () => {
    const draft = '/v1/cycles/2026/province/results?revision=draft';
    const res = await api.request(draft, as());
    const etag = res.headers.get('etag')!;
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
    const notModified = await api.request(draft, as({ headers: { 'if-none-match': `"other", ${etag.replace(/^W\//, '')}` } }));
    expect([notModified.status, notModified.headers.get('content-type'), notModified.headers.get('etag')]).toEqual([304, null, etag]);
    expect((await api.request(draft, as({ headers: { 'if-none-match': '*' } }))).status).toBe(304);
    await api.request('/v1/cycles/2026/province/scores', put({ scores: [{ unit: '01', indicator: '1.1.3', source: 'appraisal', value: 0.5 }] }));
    const after = await api.request(draft, as({ headers: { 'if-none-match': etag } }));
    expect(after.status).toBe(200);
    const published = await api.request('/v1/cycles/2023/province/results');
    expect(published.headers.get('cache-control')).toBe('public, max-age=60, must-revalidate');
    expect((await api.request('/v1/cycles/2023/province/results?revision=1')).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // unchanged results are not serialised again: from memory on Node, the Cache API on Workers
    const again = await api.request('/v1/cycles/2023/province/results');
    expect(again.headers.get('x-results-cache')).toBe(api.runtime === 'd1' ? 'edge' : 'memory');
    expect(await again.text()).toBe(await published.text());
  });

  it('every read of versioned data has validators: an ETag and Cache-Control, and 304 for a current copy', async () => {
    const reads = ['/v1/units', '/v1/units/01', '/v1/methodologies/par-province-2022', '/v1/cycles', '/v1/cycles/2023/province/revisions',
      '/v1/cycles/2023/province/revisions/1/diff/1', '/v1/cycles/2023/province/statistics', '/v1/cycles/2023/province/results.csv',
      '/v1/cycles/2023/province/results.csv-metadata.json', '/v1/cycles/2023/province/units/01', '/v1/cycles/2023/province/units/01/strengths',
      '/v1/cycles/2023/province/units/01/peers', '/v1/cycles/2023/province/scores?unit=01', '/v1/cycles/2023/province/scores.csv?unit=01'];
    for (const path of reads) {
      const first = await api.request(path);
      const etag = first.headers.get('etag');
      expect([path, first.status, etag?.startsWith('W/"'), first.headers.get('cache-control')?.startsWith('public')]).toEqual([path, 200, true, true]);
      expect([path, (await api.request(path, { headers: { 'if-none-match': etag! } })).status]).toEqual([path, 304]);
    }
  });

  it('compares a merged unit with the mean of its predecessors', async () => {
    const res = await json(await api.request('/v1/cycles/2025/province/results'));
    const haiPhong = res.results.find((r: any) => r.unit.code === '31-2025');
    const y2024 = (await json(await api.request('/v1/cycles/2024/province/results'))).results;
    const prev = ['31', '30'].map((c) => y2024.find((r: any) => r.unit.code === c).index);
    expect(haiPhong.change).toMatchObject({ rule: 'mean-of-predecessors', predecessors: ['31', '30'], previousRank: null });
    expect(haiPhong.change.previousIndex).toBeCloseTo((prev[0] + prev[1]) / 2, 9);
  });

  it('gives the statistics alone', async () => {
    const st = await json(await api.request('/v1/cycles/2023/province/statistics'));
    expect(st.statistics).toEqual(body.statistics);
    expect([st.cycle, st.revision, st.notice]).toEqual([body.cycle, body.revision, body.notice]);
  });

  it('gives a scorecard: rank of n, domains against national and regional means, lost points, history', async () => {
    const top = body.results[0];
    const card = await json(await api.request(`/v1/cycles/2023/province/units/${top.unit.code}`));
    expect(card).toMatchObject({ rank: top.rank, of: 63, index: top.index, group: top.group });
    expect(card.domains).toHaveLength(8);
    expect(card.domains[0].nationalMean).toBeCloseTo(body.statistics.domains['1'].mean, 9);
    expect(card.lostPoints.length).toBeGreaterThan(0);
    expect(card.lostPoints[0].lost).toBeGreaterThanOrEqual(card.lostPoints[card.lostPoints.length - 1].lost);
    expect(card.history.map((h: any) => [h.year, h.revision])).toEqual([[2022, 1], [2023, 1], [2024, 1]]); // a unit merged away in 2025: no later year
    expect(card.lostPoints.every((p: any) => p.lost === Math.round(p.lost * 1e9) / 1e9)).toBe(true);
    expect(card.unit).toEqual({ code: top.unit.code, name: top.unit.name, region: top.unit.region });
  });
});

describe('POST /v1/compute', () => {
  it('computes the issue\'s points example without storing anything', async () => {
    const before = await scoresCount();
    const res = await json(await api.request('/v1/compute', post({
      methodology: { id: 'x', mode: 'points', missing: 'zero', nodes: [{ code: 'PAR', max: 100 }, { code: 'A', parent: 'PAR', max: 68.5, source: 'appraisal' }, { code: 'S', parent: 'PAR', max: 31.5, source: 'survey' }] },
      scores: [{ unit: 'MOJ', indicator: 'A', value: 61.86 }, { unit: 'MOJ', indicator: 'S', value: 28.1 }, { unit: 'MOIT', indicator: 'A', value: 55 }, { unit: 'MOIT', indicator: 'S', value: 23.03 }],
    })));
    expect(res.results.map((r: any) => [r.unit, r.index, r.rank, r.group])).toEqual([['MOJ', 89.96, 1, 'B'], ['MOIT', 78.03, 2, 'C']]);
    expect(await scoresCount()).toBe(before);
  });

  it('computes the weighted example with units\' regions', async () => {
    const res = await json(await api.request('/v1/compute', post({
      methodology: { id: 'asem', mode: 'weighted', missing: 'skip', normalisation: { method: 'minmax', min: 0, max: 100 }, aggregation: 'arithmetic',
        nodes: [{ code: 'Index' }, { code: 'Conn', parent: 'Index', weight: 1 }, { code: 'Physical', parent: 'Conn', weight: 1 }, { code: 'LPI', parent: 'Physical', weight: 1, direction: 1 }] },
      scores: [{ unit: 'AUT', indicator: 'LPI', value: 4.1 }, { unit: 'BEL', indicator: 'LPI', value: 4.0 }],
      units: [{ code: 'AUT', attributes: { region: 'EU' } }, { code: 'BEL', attributes: { region: 'EU' } }],
    })));
    expect(res.results.map((r: any) => [r.unit, r.index, r.rank, r.rankWithin.region])).toEqual([['AUT', 100, 1, 1], ['BEL', 0, 2, 2]]);
  });
});
