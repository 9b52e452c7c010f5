// The Worker entry itself (src/worker.ts), as Cloudflare calls it: its default export's fetch with
// the env bindings. The rest of the Workers suite builds the app with the harness (freshApp), so
// without this file nothing would notice the entry reading a binding wrongly. Workers only.
import { describe, expect, it } from 'vitest';
import { runtime } from './harness.js';

describe.runIf(runtime === 'd1')('the Worker entry (src/worker.ts) with its env bindings', () => {
  // Loaded only inside workerd; variable specifiers keep the Node project from resolving them.
  const workers = 'cloudflare:workers';
  const test = 'cloudflare:test';
  type Entry = { fetch(request: Request, env: object, ctx: ExecutionContext): Promise<Response> };
  const load = async () => {
    const { env } = await import(/* @vite-ignore */ workers) as { env: { DB: D1Database } & Record<string, unknown> };
    const { createExecutionContext, waitOnExecutionContext } = await import(/* @vite-ignore */ test) as {
      createExecutionContext(): ExecutionContext; waitOnExecutionContext(ctx: ExecutionContext): Promise<void>;
    };
    const worker = (await import('../../src/worker.js')).default as unknown as Entry;
    /** One request through the entry with the file's bindings plus `extra` (string vars, as wrangler passes them). */
    const call = async (path: string, init: RequestInit, extra: Record<string, string> = {}) => {
      const ctx = createExecutionContext();
      const res = await worker.fetch(new Request(`https://par.example${path}`, init), { ...env, ...extra }, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    };
    return { env, call };
  };
  const address = () => `198.18.9.${crypto.randomUUID()}`;

  it('PAR_ADMIN_TOKEN: the admin it names may write, into the DB binding; without it there is no admin', async () => {
    const { env, call } = await load();
    const token = `worker-admin-${crypto.randomUUID()}`;
    const init = (key: string): RequestInit => ({ method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'cf-connecting-ip': address() }, body: JSON.stringify({ role: 'appraiser', label: token }) });
    const created = await call('/v1/api-keys', init(token), { PAR_ADMIN_TOKEN: token });
    expect(created.status, await created.clone().text()).toBe(201);
    const { id } = await created.json() as { id: string };
    const stored = await env.DB.prepare('select label from api_keys where id = ?').bind(id).first<{ label: string }>();
    expect(stored?.label).toBe(token);
    expect((await call('/v1/api-keys', init(token))).status).toBe(401);
  });

  it('PAR_CORS_ORIGINS: only the origins it lists are allowed', async () => {
    const { call } = await load();
    const origins = { PAR_CORS_ORIGINS: 'https://dashboard.example, https://other.example' };
    const from = (origin: string) => call('/health', { headers: { origin, 'cf-connecting-ip': address() } }, origins);
    expect((await from('https://other.example')).headers.get('access-control-allow-origin')).toBe('https://other.example');
    expect((await from('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('PAR_RATE_LIMIT: its number is the limit, counted in the RATE_LIMITER Durable Object', async () => {
    const { call } = await load();
    const from = address();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('/health', { headers: { 'cf-connecting-ip': from } }, { PAR_RATE_LIMIT: '2' })).status);
    expect(statuses).toEqual([200, 200, 429]);
    // a limit of 600 from the same address: the count is the Durable Object's, 3 so far
    const res = await call('/health', { headers: { 'cf-connecting-ip': from } }, { PAR_RATE_LIMIT: '600' });
    expect(res.headers.get('ratelimit')).toMatch(/^limit=600, remaining=596,/);
  });
});
