// Access and workflow rules, each in the test named after it (issue 12): a key authenticates only
// with its own secret, compared over every character; publication needs review; the content hash
// covers the frozen scores; a transition made from a stale read of the cycle writes nothing; each
// client address has its own rate limit; answers built from synthetic data carry their notice.
import { beforeAll, describe, expect, it } from 'vitest';
import { SYNTHETIC_NOTICE } from '../../src/http/cycle-context.js';
import { getCycle } from '../../src/store/cycles.js';
import { constantTimeEqual, sha256Hex } from '../../src/store/crypto.js';
import { transition } from '../../src/store/workflow.js';
import { as, freshApp, json, post, put } from './harness.js';

type Api = Awaited<ReturnType<typeof freshApp>>;
// Each describe opens its own year: on Workers the database is shared by the whole file.
const cycleOf = (year: number) => `/v1/cycles/${year}/province`;
const status = (api: Api, year: number, to: string, reason?: string) => api.request(`${cycleOf(year)}/status`, post({ status: to, ...(reason && { reason }) }));
const newCycle = async (api: Api, year: number) => {
  expect((await api.request('/v1/cycles', post({ year, unitType: 'province', methodology: 'par-province-2022' }))).status).toBe(201);
};
const scores = (value: number) => ({ scores: [{ unit: '01', indicator: '1.1.1', source: 'appraisal', value }] });

describe('an API key authenticates only with its own secret', () => {
  let api: Api;
  let key = '';
  beforeAll(async () => {
    api = await freshApp();
    key = (await json(await api.request('/v1/api-keys', post({ role: 'appraiser' })))).key;
  });

  it('accepts the key as issued', async () => {
    expect((await api.request('/v1/cycles/2023/province/results?revision=draft', as({}, key))).status).toBe(200);
  });

  it('refuses the key\'s public id with any other well-formed secret: 401, not the key\'s role', async () => {
    const [, id, secret] = /^par_([a-z0-9]{10})_(.{43})$/.exec(key)!;
    const others = ['A'.repeat(43), `${secret.slice(0, 42)}${secret[42] === 'A' ? 'B' : 'A'}`, `${secret[0] === 'A' ? 'B' : 'A'}${secret.slice(1)}`];
    for (const other of others) {
      const res = await api.request('/v1/cycles/2023/province/results?revision=draft', as({}, `par_${id}_${other}`));
      expect(res.status, other).toBe(401);
      expect((await json(res)).detail).toBe('Unknown key.');
    }
  });

  it('compares the secret\'s hash over every character, wherever the first difference lies', async () => {
    // A string that records which characters were read: the comparison must read them all, equal or not.
    const recorded = (text: string, reads: number[]) => ({ length: text.length, charCodeAt: (i: number) => { reads.push(i); return text.charCodeAt(i); } }) as unknown as string;
    const hash = await sha256Hex('secret');
    const all = [...hash].map((_, i) => i);
    for (const at of [0, 31, 63, -1]) {
      const other = at < 0 ? hash : `${hash.slice(0, at)}${hash[at] === '0' ? '1' : '0'}${hash.slice(at + 1)}`;
      const readsA: number[] = [], readsB: number[] = [];
      expect(constantTimeEqual(recorded(hash, readsA), recorded(other, readsB)), `difference at ${at}`).toBe(at < 0);
      expect([readsA, readsB], `difference at ${at}`).toEqual([all, all]);
    }
    // different lengths: never equal, and the longer one is read to its end
    const readsLong: number[] = [];
    expect(constantTimeEqual(hash.slice(0, 10), recorded(hash, readsLong))).toBe(false);
    expect(readsLong).toEqual(all);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('a', '')).toBe(false);
  });
});

describe('publication needs review', () => {
  const YEAR = 2029;
  let api: Api;
  beforeAll(async () => {
    api = await freshApp();
    await newCycle(api, YEAR);
    expect((await status(api, YEAR, 'appraisal')).status).toBe(200);
  });

  it('is refused from appraisal (409), and the cycle stays in appraisal with no revision', async () => {
    const res = await status(api, YEAR, 'published');
    expect(res.status).toBe(409);
    expect((await json(res)).detail).toMatch(/follows review or correction only/);
    expect((await json(await api.request('/v1/cycles?unitType=province', as()))).cycles.find((c: any) => c.year === YEAR)).toMatchObject({ status: 'appraisal', revision: 0 });
    expect((await json(await api.request(`${cycleOf(YEAR)}/revisions`))).revisions).toEqual([]);
  });

  it('is allowed once the cycle is in review', async () => {
    expect((await status(api, YEAR, 'review')).status).toBe(200);
    expect((await status(api, YEAR, 'published')).status).toBe(200);
  });
});

describe('the content hash covers the frozen scores', () => {
  const YEAR = 2026;
  let api: Api;
  const bundle = async (n: number) => {
    const res = await api.request(`${cycleOf(YEAR)}/revisions/${n}/bundle`);
    expect(res.status).toBe(200);
    return res.text();
  };
  const hashOf = async (n: number) => (await json(await api.request(`${cycleOf(YEAR)}/revisions`))).revisions.find((r: any) => r.revision === n).contentHash as string;

  beforeAll(async () => {
    api = await freshApp();
    await newCycle(api, YEAR);
    expect((await status(api, YEAR, 'appraisal')).status).toBe(200);
    expect((await api.request(`${cycleOf(YEAR)}/scores`, put(scores(0.5)))).status).toBe(200);
    for (const to of ['review', 'published']) expect((await status(api, YEAR, to)).status).toBe(200);
    // a correction that changes that one score
    expect((await status(api, YEAR, 'correction', 'a score')).status).toBe(200);
    expect((await api.request(`${cycleOf(YEAR)}/scores`, put(scores(0.25)))).status).toBe(200);
    expect((await status(api, YEAR, 'published', 'the score corrected')).status).toBe(200);
  });

  it('is the SHA-256 of the bundle, and the bundle holds each score as published', async () => {
    for (const [n, value] of [[1, 0.5], [2, 0.25]] as const) {
      const text = await bundle(n);
      expect(await sha256Hex(text), `revision ${n}`).toBe(await hashOf(n));
      const frozen = JSON.parse(text).scores.filter((s: any) => s.unit === '01' && s.indicator === '1.1.1' && s.source === 'appraisal');
      expect(frozen.map((s: any) => s.value), `revision ${n}`).toEqual([value]);
    }
  });

  it('changes when a score changes', async () => {
    expect(await hashOf(2)).not.toBe(await hashOf(1));
    // the two bundles differ in their scores: with the scores left out, what remains would differ only in the metadata
    const [one, two] = [JSON.parse(await bundle(1)), JSON.parse(await bundle(2))];
    expect(one.scores).not.toEqual(two.scores);
  });
});

describe('a transition made from a stale read of the cycle writes nothing', () => {
  const YEAR = 2027;
  let api: Api;
  const ctx = { actorKey: 'env-admin', actorRole: 'admin', requestId: 'stale-read-test' };
  const auditCount = async () => (await api.sql<{ n: number }>('select count(*) n from audit'))[0].n;
  beforeAll(async () => {
    api = await freshApp();
    await newCycle(api, YEAR);
  });

  it('fails when the phase changed since the read', async () => {
    const stale = (await getCycle(api.driver, YEAR, 'province'))!;
    expect((await status(api, YEAR, 'appraisal')).status).toBe(200);
    const audited = await auditCount();
    await expect(transition(api.driver, ctx, stale, 'appraisal', null)).rejects.toThrow(/write_guards/);
    expect(await auditCount()).toBe(audited);
    expect((await getCycle(api.driver, YEAR, 'province'))!.status).toBe('appraisal');
  });

  it('fails when the data changed since the read, then succeeds from a fresh read', async () => {
    const stale = (await getCycle(api.driver, YEAR, 'province'))!;
    expect((await api.request(`${cycleOf(YEAR)}/scores`, put(scores(0.5)))).status).toBe(200);
    const audited = await auditCount();
    await expect(transition(api.driver, ctx, stale, 'review', null)).rejects.toThrow(/write_guards/);
    expect(await auditCount()).toBe(audited);
    expect((await getCycle(api.driver, YEAR, 'province'))!.status).toBe('appraisal');
    await transition(api.driver, ctx, (await getCycle(api.driver, YEAR, 'province'))!, 'review', null);
    expect((await getCycle(api.driver, YEAR, 'province'))!.status).toBe('review');
  });
});

describe('each client address has its own rate limit', () => {
  const from = (address: string): RequestInit => ({ headers: { 'cf-connecting-ip': address } });

  it('one address spending its budget leaves another\'s whole', async () => {
    const api = await freshApp({ rateLimit: () => 3 });
    const statuses = async (address: string, n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await api.request('/v1/methodologies', from(address))).status);
      return out;
    };
    expect(await statuses('192.0.2.1', 4)).toEqual([200, 200, 200, 429]);
    expect(await statuses('192.0.2.2', 4)).toEqual([200, 200, 200, 429]);
    // and the first is still spent
    expect(await statuses('192.0.2.1', 1)).toEqual([429]);
  });
});

describe('answers built from synthetic data carry the notice', () => {
  const YEAR = 2028;
  let api: Api;
  beforeAll(async () => {
    api = await freshApp();
    await newCycle(api, YEAR);
    expect((await api.request(`${cycleOf(YEAR)}/scores`, put(scores(0.5)))).status).toBe(200);
  });
  const READS = ['results', 'statistics', 'units/01', 'units/01/strengths', 'units/01/peers', 'scores?unit=01'];

  it('every read of a demo cycle names it synthetic, the scorecard included', async () => {
    for (const read of READS) {
      const body = await json(await api.request(`/v1/cycles/2023/province/${read}`));
      expect([body.notice, body.cycle.synthetic], read).toEqual([SYNTHETIC_NOTICE, true]);
    }
    const uncertainty = await json(await api.request('/v1/cycles/2023/province/uncertainty', post({ draws: 20 }, null)));
    expect(uncertainty.notice).toBe(SYNTHETIC_NOTICE);
    const whatIf = await json(await api.request('/v1/cycles/2023/province/units/01/what-if', post({ changes: [] }, null)));
    expect(whatIf.notice).toBe(SYNTHETIC_NOTICE);
  });

  it('a cycle of real scores carries none', async () => {
    for (const read of READS) {
      const body = await json(await api.request(`${cycleOf(YEAR)}/${read}${read.includes('?') ? '&' : '?'}revision=draft`, as()));
      expect([body.notice, body.cycle.synthetic], read).toEqual([null, false]);
    }
  });
});
