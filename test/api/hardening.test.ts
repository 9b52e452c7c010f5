// Hardening on both runtimes: secure headers, the CORS allow-list, a request id on every answer,
// a rate limit per key and per client address answered 429 with Retry-After.
import { beforeAll, describe, expect, it } from 'vitest';
import { as, freshApp, json } from './harness.js';

let api: Awaited<ReturnType<typeof freshApp>>;
beforeAll(async () => {
  api = await freshApp({ corsOrigins: () => ['https://dashboard.example'], rateLimit: () => 5 });
});

describe('hardening', () => {
  it('sends secure headers and a request id, echoing a well-formed one given by the client', async () => {
    const res = await api.request('/v1/units/01', { headers: { 'x-request-id': 'trace-123' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age/);
    expect(res.headers.get('x-request-id')).toBe('trace-123');
    const problem = await api.request('/nowhere', { headers: { 'x-request-id': 'bad id with spaces' } });
    const id = problem.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await json(problem)).requestId).toBe(id);
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
});
