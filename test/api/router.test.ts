// Request schemas parse synchronously (zod's fast path) and fall back to an async parse for a
// schema with an async check or transform: both give the same verdicts.
import { createRoute, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { createApp } from '../../src/http/app.js';
import { ApiProblem } from '../../src/http/problem.js';
import { createRouter } from '../../src/http/router.js';

function appWith(schema: z.ZodType) {
  const route = createRoute({
    method: 'post', path: '/check',
    request: { body: { required: true, content: { 'application/json': { schema } } } },
    responses: { 200: { description: 'valid' } },
  });
  const app = createRouter().openapi(route, (c) => c.json(c.req.valid('json') as object, 200));
  app.onError((e, c) => c.json({ problem: e instanceof ApiProblem ? e.type : String(e) }, 422));
  return (body: unknown) => app.request('/check', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('request validation', () => {
  const sync = appWith(z.object({ code: z.string().min(2) }).strict());
  const asyncCheck = appWith(z.object({ code: z.string().refine(async (v) => v.length >= 2, 'too short') }).strict());
  const asyncTransform = appWith(z.object({ code: z.string().min(2).transform(async (v) => v.toUpperCase()) }).strict());

  it('accepts and refuses alike with and without an async check or transform', async () => {
    for (const send of [sync, asyncCheck, asyncTransform, asyncTransform]) {
      const ok = await send({ code: send === asyncTransform ? 'hn' : 'HN' });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ code: 'HN' });
      for (const bad of [{ code: 'H' }, { code: 'HN', extra: 1 }, { code: 3 }]) {
        const res = await send(bad);
        expect(res.status).toBe(422);
        expect(await res.json()).toEqual({ problem: 'validation-failed' });
      }
    }
  });
});

describe('the app\'s routes', () => {
  // hono's SmartRouter takes its RegExpRouter (one regular expression for every route) unless a
  // single route is one it refuses — a static name beside a parameter, one parameter with two
  // patterns — and then every request of the app goes through the TrieRouter, 5–8 µs slower.
  it('all fit the fast router', () => {
    const app = createApp({ driver: () => { throw new Error('no database needed'); } });
    const refused: string[] = [];
    const router = new RegExpRouter<null>();
    for (const route of app.routes) {
      try { router.add(route.method, route.path, null); } catch { refused.push(`${route.method} ${route.path}`); }
    }
    expect(() => router.match('GET', '/v1/cycles/2024/province/results')).not.toThrow();
    expect(refused).toEqual([]);
  });
});
