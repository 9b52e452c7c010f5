// The response validator of the test harness, on a small contract: what it accepts and what it refuses.
import { describe, expect, it } from 'vitest';
import type { Contract } from './contract.js';
import { contractChecker } from './response-validator.js';

const problem = { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
const doc: Contract = {
  paths: {
    '/items/{id}': {
      get: {
        responses: {
          200: {
            headers: { ETag: { required: true, schema: { type: 'string' } }, Link: { schema: { type: 'string', pattern: '^<' } }, 'X-Count': { $ref: '#/components/headers/Count' } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } }, 'text/csv': { schema: { type: 'string' } } },
          },
          304: { description: 'Not modified' },
          404: problem,
        },
      },
      delete: { responses: { 200: { content: { 'application/json': { schema: { type: 'object' } } } }, default: problem } },
    },
    '/items/special': { get: { responses: { 200: { content: { 'application/json': { schema: { const: 'special' } } } }, 202: { description: 'Accepted' } } } },
  },
  components: {
    schemas: {
      Item: { type: 'object', required: ['id', 'on'], properties: { id: { type: 'string' }, on: { type: 'string', format: 'date' } }, additionalProperties: false },
      Problem: { type: 'object', required: ['type', 'status'], properties: { type: { type: 'string' }, status: { type: 'integer' } } },
    },
    headers: { Count: { required: true, schema: { type: 'integer' } } },
  },
};

const check = contractChecker(doc);
const headers = { etag: '"1"', 'x-count': '2' };
const json = (body: unknown, status = 200, extra: Record<string, string> = headers, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type, ...extra } });
const answer = (response: Response, path = '/items/7', method = 'GET', requestHeaders: Record<string, string> = {}) =>
  check({ method, url: new URL(path, 'http://localhost'), requestHeaders: new Headers(requestHeaders), response });
const notFound = () => json({ type: '/problems/not-found', status: 404 }, 404, {}, 'application/problem+json');

describe('the contract check of responses', () => {
  it('accepts a response that matches its status, schema (through $ref) and headers', async () => {
    expect(await answer(json({ id: '7', on: '2025-12-31' }))).toEqual([]);
    expect(await answer(new Response('id\n7\n', { headers: { 'content-type': 'text/csv; charset=utf-8', ...headers } }))).toEqual([]);
    expect(await answer(new Response(null, { status: 304 }))).toEqual([]);
    expect(await answer(new Response(null, { headers: { 'content-type': 'application/json', ...headers } }), '/items/7', 'HEAD')).toEqual([]);
  });

  it('names the body fields that do not match, formats included', async () => {
    const [mismatch] = await answer(json({ id: 7, on: '2025-13-45', extra: true }));
    expect(mismatch).toMatch(/application\/json body does not match/);
    expect(mismatch).toMatch(/\/id/);
    expect(mismatch).toMatch(/\/on/);
    expect(mismatch).toMatch(/extra/);
    expect(await answer(json({ on: '2025-12-31' }))).toEqual([expect.stringMatching(/"id"/)]);
    expect(await answer(new Response('{"id":', { headers: { 'content-type': 'application/json', ...headers } }))).toEqual([expect.stringMatching(/not JSON/)]);
  });

  it('refuses an undeclared status, content type or body, and a missing or malformed declared header', async () => {
    expect(await answer(json({}, 418))).toEqual(['status 418 is not declared (declared: 200, 304, 404)']);
    expect(await answer(json({ id: '7', on: '2025-12-31' }, 200, headers, 'text/html'))).toEqual([expect.stringMatching(/text\/html is not declared/)]);
    expect(await answer(json({ id: '7', on: '2025-12-31' }, 200, { 'x-count': '2' }))).toEqual(['header ETag is required but missing']);
    expect(await answer(json({ id: '7', on: '2025-12-31' }, 200, { ...headers, link: 'next' }))).toEqual([expect.stringMatching(/^header Link does not match its schema: \/ = "next"/)]);
    expect(await answer(json({ id: '7', on: '2025-12-31' }, 200, { ...headers, 'x-count': 'two' }))).toEqual([expect.stringMatching(/^header X-Count does not match its schema: \/ = "two"/)]);
    expect(await answer(new Response(null, { status: 304, headers: { 'content-type': 'application/json' } }))).toEqual([expect.stringMatching(/without content/)]);
    expect(await answer(json({}, 202, {}), '/items/special')).toEqual([expect.stringMatching(/a body \(application\/json\) where the contract declares none/)]);
  });

  it('checks a status the operation does not list against its `default`', async () => {
    expect(await answer(json({ type: '/problems/conflict', status: 409 }, 409, {}, 'application/problem+json'), '/items/7', 'DELETE')).toEqual([]);
    expect(await answer(json({ status: 409 }, 409, {}, 'application/problem+json'), '/items/7', 'DELETE')).toEqual([expect.stringMatching(/"type"/)]);
  });

  it('prefers the literal path to the template, as the router does', async () => {
    expect(await answer(json('special', 200, {}), '/items/special')).toEqual([]);
  });

  it('wants a 404 problem for a path outside the contract, and 405 with Allow for a method a path lacks', async () => {
    expect(await answer(notFound(), '/nowhere')).toEqual([]);
    expect(await answer(json({}, 200, {}), '/nowhere')).toEqual([expect.stringMatching(/404 expected, got 200/)]);
    expect(await answer(json({ oops: 1 }, 404, {}), '/nowhere')).toEqual([expect.stringMatching(/application\/json is not declared/)]);
    expect(await answer(notFound(), '/items/7', 'PUT')).toEqual([expect.stringMatching(/it has GET, DELETE\): 405 expected, got 404/)]);
    const wrong = json({ type: '/problems/method-not-allowed', status: 405 }, 405, { allow: 'GET' }, 'application/problem+json');
    expect(await answer(wrong, '/items/7', 'PUT')).toEqual(['the Allow header lacks DELETE']);
  });

  it('lets CORS preflights and the documentation routes through', async () => {
    expect(await answer(new Response(null, { status: 204 }), '/items/7', 'OPTIONS', { 'access-control-request-method': 'GET' })).toEqual([]);
    expect(await answer(new Response('<html>', { headers: { 'content-type': 'text/html; charset=utf-8' } }), '/docs')).toEqual([]);
    expect(await answer(json({ openapi: '3.1.0' }, 200, {}), '/openapi.json')).toEqual([]);
    expect(await answer(json({ type: '/problems/unauthorized', status: 401 }, 401, {}, 'application/problem+json'), '/docs')).toEqual([]);
    expect(await answer(new Response(null, { status: 304 }), '/docs')).toEqual([]);
    expect(await answer(json({}, 200, {}), '/docs')).toEqual([expect.stringMatching(/200 \(text\/html\) or 304 expected/)]);
  });
});
