// The HTTP edges on both runtimes (issue 11): failed authentications count against the client
// address's rate limit; every route with a body has a limit, enforced before more than one chunk
// past it is read; malformed Content-Types are 415, never 500. Simulated clients differ by
// cf-connecting-ip: through app.request() there is no socket, so the address is read as on Workers.
import { beforeAll, describe, expect, it } from 'vitest';
import { addressKey } from '../../src/http/conn-info.js';
import { operations } from '../contract/contract.js';
import { ADMIN_TOKEN, as, freshApp, json, post, runtime } from './harness.js';

type Harness = Awaited<ReturnType<typeof freshApp>>;
const KiB = 1024;
const MiB = 1024 * KiB;
const from = (address: string, init: RequestInit = {}): RequestInit => ({ ...init, headers: { ...(init.headers as Record<string, string>), 'cf-connecting-ip': address } });
const wrongKey = (address: string) => from(address, as({}, 'par_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'));

describe('failed authentications and the rate limit', () => {
  let api: Harness;
  beforeAll(async () => { api = await freshApp({ rateLimit: () => 5 }); });
  const statuses = async (n: number, init: () => RequestInit) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await api.request('/v1/methodologies', init())).status);
    return out;
  };

  it('counts wrong keys against the address: 401 up to the limit, then 429 with Retry-After', async () => {
    expect(await statuses(7, () => wrongKey('198.51.100.1'))).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const limited = await api.request('/v1/methodologies', wrongKey('198.51.100.1'));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await json(limited)).type).toBe('/problems/rate-limited');
  });

  it('then refuses the right key from that address too: a guess cannot be told right from wrong past the limit', async () => {
    expect(await statuses(1, () => from('198.51.100.1', as()))).toEqual([429]);
    expect(await statuses(1, () => from('198.51.100.1'))).toEqual([429]);
  });

  it('counts a malformed Authorization header as a failed authentication', async () => {
    expect(await statuses(6, () => from('198.51.100.3', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }))).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('gives each address its own budget: one address\'s wrong keys do not spend another\'s', async () => {
    expect(await statuses(2, () => wrongKey('198.51.100.2'))).toEqual([401, 401]);
    expect(await statuses(1, () => from('198.51.100.2', as()))).toEqual([200]);
    // the admin key has its own budget, apart from the address's
    expect(await statuses(5, () => from('198.51.100.2', as()))).toEqual([200, 200, 200, 200, 429]);
  });

  it('gives two anonymous addresses separate budgets', async () => {
    expect(await statuses(6, () => from('203.0.113.7'))).toEqual([200, 200, 200, 200, 200, 429]);
    expect(await statuses(1, () => from('203.0.113.8'))).toEqual([200]);
  });

  it('counts an IPv6 client by its /64: rotating addresses inside it buys no fresh budget', async () => {
    const inside = (i: number) => `2001:db8:1:2:${i.toString(16)}::1`;
    const out: number[] = [];
    for (let i = 0; i < 6; i++) out.push((await api.request('/v1/methodologies', from(inside(i)))).status);
    expect(out).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await api.request('/v1/methodologies', from('2001:db8:1:3::1'))).status).toBe(200);
  });
});

describe('addressKey', () => {
  it('keeps IPv4, unwraps IPv4-mapped IPv6 and cuts IPv6 to its /64', () => {
    expect(addressKey('192.0.2.10')).toBe('192.0.2.10');
    expect(addressKey('::ffff:192.0.2.10')).toBe('192.0.2.10');
    expect(addressKey('2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});

/** A body generated as it is read, counting what the app pulled: nothing is built in advance. */
function lazyBody(total: number, chunk = 64 * KiB) {
  const block = new Uint8Array(chunk).fill(0x20);
  block[0] = 0x7b; // '{': a JSON reader starts reading
  const counter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (counter.pulled >= total) return controller.close();
      const n = Math.min(chunk, total - counter.pulled);
      counter.pulled += n;
      controller.enqueue(n === chunk ? block.slice() : block.slice(0, n));
    },
  }, { highWaterMark: 0 });
  return { stream, counter };
}

const streamed = (method: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}): RequestInit =>
  as({ method, headers: { 'content-type': 'application/json', ...headers }, body, duplex: 'half' } as RequestInit);

/** Each operation with a body, at a path where the admin's request is read (an open cycle; a published one for analysis). */
const BODY_PATHS: Record<string, string> = {
  createMethodology: '/v1/methodologies',
  createCycle: '/v1/cycles',
  changeCycleStatus: '/v1/cycles/2026/province/status',
  putScores: '/v1/cycles/2026/province/scores',
  runUncertainty: '/v1/cycles/2023/province/uncertainty',
  runWhatIf: '/v1/cycles/2023/province/units/01/what-if',
  computeIndex: '/v1/compute',
  createApiKey: '/v1/api-keys',
};
/** Those that declare no limit of their own: small JSON. */
const DEFAULT_LIMITED = ['createCycle', 'changeCycleStatus', 'createApiKey'];
/** The limit a 413 names ("exceeds the limit of 16 KiB."), in bytes. */
const namedLimit = (detail: string) => {
  const [, n, unit] = /limit of ([\d.]+) (KiB|MiB)/.exec(detail) ?? [];
  return Number(n) * (unit === 'MiB' ? MiB : KiB);
};

describe('a body limit on every route with a body', () => {
  let api: Harness;
  beforeAll(async () => { api = await freshApp(); });
  const withBody = operations().filter((o) => (o.operation as { requestBody?: object }).requestBody);

  it('knows every operation of the contract that takes a body, and the contract declares 413 and 415 on each', () => {
    expect(withBody.map((o) => o.id).sort()).toEqual(Object.keys(BODY_PATHS).sort());
    for (const { id, operation } of withBody) expect([id, Object.keys(operation.responses)]).toEqual([id, expect.arrayContaining(['413', '415'])]);
  });

  it('answers 413 for a body sent in chunks past the route\'s limit (64 MiB at most), having read at most one chunk more', async () => {
    for (const { id, method } of withBody) {
      const { stream, counter } = lazyBody(80 * MiB);
      const res = await api.request(BODY_PATHS[id], streamed(method.toUpperCase(), stream));
      expect([id, res.status]).toEqual([id, 413]);
      const problem = await json(res);
      expect(problem.type).toBe('/problems/payload-too-large');
      const limit = namedLimit(problem.detail);
      expect([id, limit > 0 && limit <= 64 * MiB]).toEqual([id, true]);
      if (DEFAULT_LIMITED.includes(id)) expect([id, limit]).toEqual([id, 16 * KiB]);
      expect(counter.pulled, id).toBeLessThanOrEqual(limit + 64 * KiB);
    }
  });

  it('answers 413 for a body announcing more than the limit, without reading any of it', async () => {
    for (const { id, method } of withBody) {
      const { stream, counter } = lazyBody(200 * MiB);
      const res = await api.request(BODY_PATHS[id], streamed(method.toUpperCase(), stream, { 'content-length': String(200 * MiB) }));
      expect([id, res.status]).toEqual([id, 413]);
      expect(namedLimit((await json(res)).detail)).toBeGreaterThan(0);
      expect(counter.pulled, id).toBeLessThanOrEqual(64 * KiB);
    }
  });

  it('reads a body within the limit as before', async () => {
    expect((await api.request('/v1/api-keys', post({ role: 'appraiser', label: `edges ${'x'.repeat(190)}` }))).status).toBe(201);
    // 100 KiB: past the default limit, within these routes' own (MiBs): read and validated (422), not refused 413
    for (const path of ['/v1/methodologies', '/v1/compute']) {
      expect([path, (await api.request(path, post({ id: 'padded', pad: 'x'.repeat(100 * KiB) }))).status]).toEqual([path, 422]);
    }
  });
});

describe('Content-Type parameters', () => {
  let api: Harness;
  beforeAll(async () => { api = await freshApp(); });
  const bodyTypes = (o: { operation: object }) => Object.keys((o.operation as { requestBody?: { content?: object } }).requestBody?.content ?? {});
  const jsonOperations = operations().filter((o) => bodyTypes(o).includes('application/json'));

  it('answers 415, never 500, for a trailing ";" or a parameter without a value, on every JSON route', async () => {
    for (const { id, method } of jsonOperations) {
      for (const type of ['application/json;', 'application/json; charset', 'application/json;;', 'application/json; =utf-8']) {
        const res = await api.request(BODY_PATHS[id], as({ method: method.toUpperCase(), headers: { 'content-type': type }, body: '{}' }));
        expect([id, type, res.status]).toEqual([id, type, 415]);
        expect((await json(res)).type).toBe('/problems/unsupported-media-type');
      }
    }
  });

  it('accepts well-formed parameters', async () => {
    for (const type of ['application/json; charset=utf-8', 'application/json;charset="UTF-8"', 'APPLICATION/JSON']) {
      const res = await api.request('/v1/api-keys', as({ method: 'POST', headers: { 'content-type': type }, body: JSON.stringify({ role: 'appraiser' }) }));
      expect([type, res.status]).toEqual([type, 201]);
    }
  });

});

describe.runIf(runtime === 'd1')('Workers: the rate limit in a Durable Object', () => {
  // Loaded only inside workerd; a variable specifier keeps the Node project from resolving it.
  const workers = 'cloudflare:workers';
  const test = 'cloudflare:test';
  const load = async () => {
    const { env } = await import(/* @vite-ignore */ workers) as { env: { RATE_LIMITER: DurableObjectNamespace<import('../../src/rate-limit-object.js').RateLimitCounter> } };
    const { durableCounter } = await import('../../src/rate-limit-object.js');
    return durableCounter(env.RATE_LIMITER);
  };

  it('counts across isolates: two apps (each with its own memory) share one budget per address', async () => {
    const counter = await load();
    const scope = crypto.randomUUID().slice(0, 8); // an address of its own: storage outlives a test
    const address = `192.0.2.${parseInt(scope.slice(0, 2), 16)}-${scope}`;
    const one = await freshApp({ rateLimit: () => 5, rateCounter: () => counter });
    const two = await freshApp({ rateLimit: () => 5, rateCounter: () => counter });
    const out: number[] = [];
    for (const app of [one, two, one, two, one, two]) out.push((await app.request('/health', from(address))).status);
    expect(out).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await counter.take(`ip:${address}`, 0, 60_000)).count).toBe(6);
  });

  it('counts wrong keys across isolates too', async () => {
    const counter = await load();
    const address = `198.18.0.${crypto.randomUUID()}`;
    const one = await freshApp({ rateLimit: () => 3, rateCounter: () => counter });
    const two = await freshApp({ rateLimit: () => 3, rateCounter: () => counter });
    const out: number[] = [];
    for (const app of [one, two, one, two]) out.push((await app.request('/health', wrongKey(address))).status);
    expect(out).toEqual([401, 401, 401, 429]);
    expect((await two.request('/health', from(address, as({}, ADMIN_TOKEN)))).status).toBe(429);
  });

  it('is what the Worker entry counts with (src/worker.ts, binding RATE_LIMITER)', async () => {
    const counter = await load();
    const { SELF } = await import(/* @vite-ignore */ test) as { SELF: Fetcher };
    const address = `198.18.2.${crypto.randomUUID()}`;
    for (let i = 0; i < 2; i++) expect((await SELF.fetch('http://localhost/health', { headers: { 'cf-connecting-ip': address } })).status).toBe(200);
    expect((await counter.take(`ip:${address}`, 0, 60_000)).count).toBe(2);
  });

  it('gives a revalidation answered 304 back', async () => {
    const counter = await load();
    const address = `198.18.1.${crypto.randomUUID()}`;
    const app = await freshApp({ rateLimit: () => 2, rateCounter: () => counter });
    const etag = (await app.request('/v1/units/01', from(address))).headers.get('etag')!;
    for (let i = 0; i < 4; i++) expect((await app.request('/v1/units/01', from(address, { headers: { 'if-none-match': etag } }))).status).toBe(304);
    expect((await counter.take(`ip:${address}`, 0, 60_000)).count).toBe(1);
  });
});
