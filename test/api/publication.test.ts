// Published numbers never change without a new revision, and anyone can verify them (issue 11 §2):
// every role reads the same frozen publication (change block and scorecard history included)
// after an earlier cycle is corrected; keyed answers are never cached as public; the content
// hash is the SHA-256 of a canonical bundle that anyone can fetch; results, statistics and a
// scorecard of one cycle show one and the same `cycle` block, drafts included.
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/store/crypto.js';
import { ADMIN_TOKEN, as, freshApp, json, post, put } from './harness.js';

let api: Awaited<ReturnType<typeof freshApp>>;
let unit01 = '';
const Y2023 = '/v1/cycles/2023/province';
const Y2024 = '/v1/cycles/2024/province';
const status = (cycle: string, to: string, reason?: string) => api.request(`${cycle}/status`, post({ status: to, ...(reason && { reason }) }));

/** What the public, the admin and unit 01's key get for one read: status, cache policy, ETag and the bytes. */
async function asEveryone(path: string) {
  const read = async (init: RequestInit) => {
    const res = await api.request(path, init);
    expect(res.status, `${path}: ${(await res.clone().text()).slice(0, 300)}`).toBe(200);
    return { cacheControl: res.headers.get('cache-control')!, etag: res.headers.get('etag'), body: await res.text() };
  };
  return { public: await read({}), admin: await read(as()), unit: await read(as({}, unit01)) };
}

/** Moves 2023's unit 01 to another unit's numbers (appraisal and survey rows): a correction that moves 2024's change of 01. */
async function correct2023(): Promise<void> {
  const results = await json(await api.request(`${Y2023}/results?sort=index`));
  const lowest = results.results[0].unit.code;
  expect(lowest).not.toBe('01');
  const scores = (unit: string) => api.request(`${Y2023}/scores?unit=${unit}&limit=10000`).then(json).then((b) => b.scores as any[]);
  const copied = (await scores(lowest)).filter((s) => s.source !== 'self')
    .map((s) => ({ unit: '01', indicator: s.indicator, source: s.source, value: s.value, reason: `as ${lowest}` }));
  expect((await status(Y2023, 'correction', 'Khiếu nại: điểm của 01')).status).toBe(200);
  const upload = await api.request(`${Y2023}/scores`, put({ scores: copied }));
  expect(upload.status, await upload.clone().text()).toBe(200);
  expect((await status(Y2023, 'published', 'điểm của 01 đã sửa')).status).toBe(200);
}

const change01 = async (query: string, key?: string) =>
  (await json(await api.request(`${Y2024}/results${query}`, key ? as({}, key) : {}))).results.find((r: any) => r.unit.code === '01').change;

beforeAll(async () => {
  api = await freshApp();
  unit01 = (await json(await api.request('/v1/api-keys', post({ role: 'unit', unit: '01' })))).key;
});

describe('a later publication after an earlier cycle is corrected', () => {
  const READS = ['results', 'results.csv', 'statistics', 'units/01', 'scores?unit=01', 'scores.csv?unit=01', 'units/01/strengths', 'units/01/peers'];
  let before: Record<string, string> = {};
  let published2024Change: unknown;

  beforeAll(async () => {
    for (const read of READS) before[read] = (await asEveryone(`${Y2024}/${read}`)).public.body;
    published2024Change = await change01('');
    await correct2023();
  });

  it('is served to the public, the admin and the unit alike, byte for byte, as it was published', async () => {
    for (const read of READS) {
      const seen = await asEveryone(`${Y2024}/${read}`);
      expect(seen.admin.body, `${read} as admin`).toBe(seen.public.body);
      expect(seen.unit.body, `${read} as unit 01`).toBe(seen.public.body);
      expect([seen.admin.etag, seen.unit.etag], read).toEqual([seen.public.etag, seen.public.etag]);
      // the scorecard's history follows the latest publication of other cycles; the rest is frozen
      if (read !== 'units/01') expect(seen.public.body, `${read} after the correction of 2023`).toBe(before[read]);
    }
    expect(await change01('', ADMIN_TOKEN)).toEqual(published2024Change);
    expect(await change01('?revision=1', unit01)).toEqual(published2024Change);
  });

  it('keeps the frozen change block; only ?revision=draft shows the change recomputed against the corrected 2023', async () => {
    const corrected = (await json(await api.request(`${Y2023}/results?revision=2`))).results.find((r: any) => r.unit.code === '01').index;
    const draft = await change01('?revision=draft', ADMIN_TOKEN);
    expect(draft.previousIndex).toBe(corrected);
    expect(draft.previousIndex).not.toBe((published2024Change as any).previousIndex);
    const scorecard = await json(await api.request(`${Y2024}/units/01`, as()));
    expect(scorecard.change).toEqual(published2024Change);
  });

  it('never sends a keyed or live answer as public: keys get private, drafts private, no-cache', async () => {
    for (const read of READS) {
      const seen = await asEveryone(`${Y2024}/${read}`);
      expect(seen.public.cacheControl, read).toMatch(/^public\b/);
      expect(seen.admin.cacheControl, `${read} as admin`).toMatch(/^private\b/);
      expect(seen.unit.cacheControl, `${read} as unit`).toMatch(/^private\b/);
    }
    for (const read of ['results', 'statistics', 'scores', 'results.csv', 'revisions/1/bundle', 'revisions/1/diff/1']) {
      const pinned = await api.request(`${Y2024}/${read}${read.startsWith('revisions') ? '' : '?revision=1'}`, as());
      expect(pinned.headers.get('cache-control'), read).toMatch(/^private, max-age=31536000, immutable/);
    }
    for (const read of ['results', 'statistics', 'units/01', 'scores']) {
      const draft = await api.request(`${Y2024}/${read}?revision=draft`, as());
      expect(draft.headers.get('cache-control'), read).toBe('private, no-cache');
    }
    for (const path of ['/v1/cycles', `${Y2024}/revisions`]) {
      expect((await api.request(path)).headers.get('cache-control'), path).toMatch(/^public\b/);
      expect((await api.request(path, as({}, unit01))).headers.get('cache-control'), path).toMatch(/^private\b/);
    }
  });
});


/** SHA-256 of bytes in hex and base64, with WebCrypto: what a third party would run. */
async function digest(bytes: Uint8Array<ArrayBuffer>) {
  const raw = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return { hex: [...raw].map((b) => b.toString(16).padStart(2, '0')).join(''), base64: btoa(String.fromCharCode(...raw)) };
}

/** A canonical JSON writer written here independently of the service's: sorted keys, no whitespace. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

describe('the content hash is over bytes anyone can fetch', () => {
  /** Fetches a revision's bundle and checks it against the hash the API publishes for it. */
  async function verified(cycle: string, revision: number) {
    const listed = (await json(await api.request(`${cycle}/revisions`))).revisions.find((r: any) => r.revision === revision);
    const res = await api.request(`${cycle}/revisions/${revision}/bundle`);
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const { hex, base64 } = await digest(bytes);
    expect(hex).toBe(listed.contentHash);
    expect(res.headers.get('content-digest')).toBe(`sha-256=:${base64}:`);
    expect(res.headers.get('etag')).toBe(`"${hex}"`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable, no-transform');
    const text = new TextDecoder().decode(bytes);
    const bundle = JSON.parse(text);
    expect(canonical(bundle)).toBe(text);
    return { bundle, hex, etag: res.headers.get('etag')! };
  }

  it('verifies a seeded publication and names what it publishes', async () => {
    const { bundle, hex } = await verified('/v1/cycles/2022/province', 1);
    expect(bundle).toMatchObject({ format: 'par-index-publication/1', cycle: { year: 2022, unitType: 'province' }, revision: 1, methodology: { id: 'par-province-2022', version: 1 } });
    const served = await json(await api.request('/v1/cycles/2022/province/results'));
    expect(served.revision.contentHash).toBe(hex);
    const byUnit = new Map(bundle.report.rows.map((r: any) => [r.unit, r]));
    for (const r of served.results) expect((byUnit.get(r.unit.code) as any).index).toBe(r.index);
    expect(bundle.scores.length).toBeGreaterThan(1000);
    expect(new Set(bundle.scores.map((s: any) => s.updatedBy))).toEqual(new Set(['system']));
  });

  it('verifies a correction, whose hash every read of it names, and keeps the first publication verifiable', async () => {
    const second = await verified(Y2023, 2);
    expect(second.bundle.reason).toBe('điểm của 01 đã sửa');
    expect((await json(await api.request(`${Y2023}/statistics`))).revision.contentHash).toBe(second.hex);
    const first = await verified(Y2023, 1);
    expect(first.hex).not.toBe(second.hex);
    expect(first.bundle.report.rows.find((r: any) => r.unit === '01').index)
      .not.toBe(second.bundle.report.rows.find((r: any) => r.unit === '01').index);
  });

  it('answers 304 to its strong ETag and 404 for a revision never published', async () => {
    const { etag } = await verified(Y2023, 1);
    expect((await api.request(`${Y2023}/revisions/1/bundle`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await api.request(`${Y2023}/revisions/3/bundle`)).status).toBe(404);
  });
});

describe('one cycle block for every answer about a cycle', () => {
  const Y2022 = '/v1/cycles/2022/province';
  const blocks = async (query: string) => {
    const read = async (path: string) => (await json(await api.request(`${Y2022}/${path}${query}`, as()))).cycle;
    return { results: await read('results'), statistics: await read('statistics'), scorecard: await read('units/01'), scores: await read('scores') };
  };

  it('is the same in results, statistics, a scorecard and scores, published and draft, through two corrections', async () => {
    const listed = async () => (await json(await api.request('/v1/cycles?unitType=province'))).cycles.find((c: any) => c.year === 2022);
    for (const round of [1, 2]) {
      expect((await status(Y2022, 'correction', `round ${round}`)).status).toBe(200);
      const draft = await blocks('?revision=draft');
      expect(draft.statistics).toEqual(draft.results);
      expect(draft.scorecard).toEqual(draft.results);
      expect(draft.scores).toEqual(draft.results);
      // a draft's block is the cycle as it is now: in correction, its latest publication named
      expect(draft.results).toEqual(await listed());
      expect(draft.results).toMatchObject({ status: 'correction', revision: round });
      // republished as it is: same data, a new revision
      expect((await status(Y2022, 'published', `round ${round}`)).status).toBe(200);
      const published = await blocks('');
      expect(published.statistics).toEqual(published.results);
      expect(published.scorecard).toEqual(published.results);
      expect(published.scores).toEqual(published.results);
      expect(published.results).toMatchObject({ status: 'published', revision: round + 1 });
    }
  });
});

describe('canonical JSON (what bundles and methodology hashes are computed over)', () => {
  it('is one text for a value whatever the order of its keys, sorted by UTF-16 code units, integer-like keys included', () => {
    const a = { b: [1, { z: null, a: 'é\n"' }], '10': true, '2': -0, a: 0.1 + 0.2 };
    const b = { a: 0.1 + 0.2, '2': 0, b: [1, { a: 'é\n"', z: null }], '10': true };
    expect(canonicalJson(a)).toBe('{"10":true,"2":0,"a":0.30000000000000004,"b":[1,{"a":"é\\n\\"","z":null}]}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
    expect(canonicalJson(JSON.parse(JSON.stringify(a)))).toBe(canonicalJson(a));
  });

  it('writes what JSON.stringify writes for undefined and non-finite values, and nests 100,000 deep', () => {
    expect(canonicalJson({ u: undefined, list: [undefined, NaN, Infinity], d: new Date(0) })).toBe('{"d":"1970-01-01T00:00:00.000Z","list":[null,null,null]}');
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = i % 2 ? [deep] : { k: deep };
    // 50,000 levels of {"k":…} and 50,000 of […] around 1 (JSON.stringify itself overflows here)
    const text = canonicalJson(deep);
    expect(text).toHaveLength(1 + 50_000 * '{"k":}'.length + 50_000 * '[]'.length);
    expect(text.startsWith('[{"k":[{"k":')).toBe(true);
  });
});
