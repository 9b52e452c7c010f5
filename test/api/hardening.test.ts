// Hardening on both runtimes: secure headers, the CORS allow-list, the server's own request id on
// every answer (and in the audit), a rate limit per key and per client address answered 429 with
// Retry-After.
import { beforeAll, describe, expect, it } from 'vitest';
import { as, freshApp, json, post } from './harness.js';

let api: Awaited<ReturnType<typeof freshApp>>;
beforeAll(async () => {
  api = await freshApp({ corsOrigins: () => ['https://dashboard.example'], rateLimit: () => 5 });
});

describe('hardening', () => {
  it('sends secure headers and its own request id; a client\'s x-request-id is echoed apart, never taken as the id', async () => {
    const res = await api.request('/v1/units/01', { headers: { 'x-request-id': 'trace-123' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age/);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-client-request-id')).toBe('trace-123');
    const problem = await api.request('/nowhere', { headers: { 'x-request-id': 'bad id with spaces' } });
    const id = problem.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(problem.headers.get('x-client-request-id')).toBeNull();
    expect((await json(problem)).requestId).toBe(id);
  });

  it('audits and logs the server\'s request id, the client\'s beside it in the log only', async () => {
    const lines: Record<string, unknown>[] = [];
    const h = await freshApp({ log: (line) => lines.push(line) });
    const created = await h.request('/v1/api-keys', { ...post({ role: 'appraiser', label: 'request ids' }), headers: { ...post({}).headers as Record<string, string>, 'x-request-id': 'forged-id' } });
    expect(created.status).toBe(201);
    const serverId = created.headers.get('x-request-id')!;
    expect(serverId).not.toBe('forged-id');
    const { entries } = await json(await h.request('/v1/audit?actor=env-admin', as()));
    expect(entries.filter((e: { requestId: string }) => e.requestId === serverId).map((e: { action: string }) => e.action)).toEqual(['api-key.create']);
    expect((await h.sql<{ n: number }>("select count(*) n from audit where request_id = 'forged-id'"))[0].n).toBe(0);
    expect(lines.find((l) => l.requestId === serverId)).toMatchObject({ clientRequestId: 'forged-id', path: '/v1/api-keys', status: 201 });
  });

  it('allows CORS for listed origins only', async () => {
    const allowed = await api.request('/health', { headers: { origin: 'https://dashboard.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dashboard.example');
    const other = await api.request('/health', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('limits requests per key and per client address: 429 with Retry-After as problem+json', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await api.request('/v1/methodologies', as())).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await api.request('/v1/methodologies', as());
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await json(limited)).type).toBe('/problems/rate-limited');
    // another identity has its own budget
    expect((await api.request('/v1/methodologies')).status).toBe(200);
  });

  it('does not count a revalidation answered 304 against the rate limit', async () => {
    const h = await freshApp({ rateLimit: () => 3 });
    const first = await h.request('/v1/units/01');
    const etag = first.headers.get('etag')!;
    for (let i = 0; i < 5; i++) expect((await h.request('/v1/units/01', { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await h.request('/v1/units/01')).status).toBe(200);
  });
});

describe('HTTP behaviour tools expect', () => {
  let web: Awaited<ReturnType<typeof freshApp>>;
  beforeAll(async () => { web = await freshApp(); });

  it('answers a wrong method on a known path with 405 and Allow', async () => {
    const res = await web.request('/v1/cycles/2023/province/results', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect((await json(res)).type).toBe('/problems/method-not-allowed');
    expect((await web.request('/v1/nothing-here')).status).toBe(404);
  });

  it('refuses unknown query parameters and impossible values with 400', async () => {
    for (const path of ['/v1/units?activeOn=2025-13-45', '/v1/units?region=NOWHERE', '/v1/units?colour=red', '/health?x=1',
      '/v1/cycles/2023/province/results?region=NOWHERE', '/v1/cycles/2023/province/results?group=Z', '/v1/cycles/2023.0/province/results',
      '/v1/cycles/0x7e7/province/results', '/v1/cycles/2023/province/results?revision=0', '/v1/audit?to=2025-02-30']) {
      const res = await web.request(path, as());
      expect([path, res.status]).toEqual([path, 400]);
      expect((await json(res)).type).toBe('/problems/invalid-request');
    }
  });

  it('answers 406 for an Accept the route cannot serve', async () => {
    expect((await web.request('/v1/units/01', { headers: { accept: 'text/csv' } })).status).toBe(406);
    expect((await web.request('/v1/units/01', { headers: { accept: 'text/html;q=0.9, */*;q=0.1' } })).status).toBe(200);
    expect((await web.request('/v1/units/01', { headers: { accept: 'application/json;q=0' } })).status).toBe(406);
  });

  it('refuses a malformed or unknown key on a public read (401), and reads without one', async () => {
    expect((await web.request('/v1/cycles/2023/province/results', as({}, 'par_nope_nope'))).status).toBe(401);
    expect((await web.request('/v1/cycles/2023/province/results', { headers: { authorization: 'Basic x' } })).status).toBe(401);
    expect((await web.request('/v1/cycles/2023/province/results')).status).toBe(200);
  });
});

