// Node only, against the real server (src/node.ts on a temporary database): an answer given before
// the request body was read (401, 409, 413, 415 on uploads, methodologies, compute) must leave the
// client able to send its next request on its pooled connection, and must reach the client rather
// than a reset; bodies far past every limit must not raise the server's memory. (Workers have no
// sockets of their own: the workers project skips this file.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeServer } from '../runtime/node-server.js';
import { runtime } from './harness.js';

type Http = typeof import('node:http');
const ADMIN = 'connections-admin-token-0123456789';
const KiB = 1024;
const MiB = 1024 * KiB;

describe.runIf(runtime === 'sqlite')('early answers and pooled connections (Node server)', () => {
  let http: Http;
  let base: string;
  let server: NodeServer;

  beforeAll(async () => {
    http = await import('node:http');
    const { startNodeServer } = await import('../runtime/node-server.js');
    server = await startNodeServer({ PAR_ADMIN_TOKEN: ADMIN, PAR_RATE_LIMIT: '100000' });
    base = server.base;
  });
  afterAll(async () => { await server?.stop(); });

  const json = (size: number) => Buffer.from(`{"pad":"${'x'.repeat(size - 10)}"}`);
  const chunks = (size: number) => {
    const block = new Uint8Array(64 * KiB).fill(0x20);
    let sent = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= size) return controller.close();
        sent += block.length;
        controller.enqueue(block.slice());
      },
    });
  };
  const admin = { authorization: `Bearer ${ADMIN}` };
  /** Each kind of early answer, with a body of at least 256 KiB. */
  const EARLY: { name: string; status: number; method: string; path: string; headers: Record<string, string>; body: () => Buffer | ReadableStream<Uint8Array>; chunked?: true }[] = [
    { name: '401 upload without a key', status: 401, method: 'PUT', path: '/v1/cycles/2026/province/scores', headers: { 'content-type': 'application/json' }, body: () => json(300 * KiB) },
    { name: '401 methodology without a key', status: 401, method: 'POST', path: '/v1/methodologies', headers: { 'content-type': 'application/json' }, body: () => json(300 * KiB) },
    { name: '409 upload to a published cycle', status: 409, method: 'PUT', path: '/v1/cycles/2023/province/scores', headers: { ...admin, 'content-type': 'application/json' }, body: () => json(300 * KiB) },
    { name: '413 compute announcing 6 MiB', status: 413, method: 'POST', path: '/v1/compute', headers: { 'content-type': 'application/json' }, body: () => json(6 * MiB) },
    { name: '413 cycle in chunks past 16 KiB', status: 413, method: 'POST', path: '/v1/cycles', headers: { ...admin, 'content-type': 'application/json' }, body: () => chunks(300 * KiB), chunked: true },
    { name: '413 methodology in chunks past 5 MiB', status: 413, method: 'POST', path: '/v1/methodologies', headers: { ...admin, 'content-type': 'application/json' }, body: () => chunks(8 * MiB), chunked: true },
    { name: '415 compute as text/plain', status: 415, method: 'POST', path: '/v1/compute', headers: { 'content-type': 'text/plain' }, body: () => json(300 * KiB) },
    { name: '415 methodology as text/plain', status: 415, method: 'POST', path: '/v1/methodologies', headers: { ...admin, 'content-type': 'text/plain' }, body: () => json(300 * KiB) },
  ];

  it.each(EARLY)('fetch (undici, pooled): $name is received, then the next request succeeds', async ({ status, method, path, headers, body }) => {
    const first = await fetch(`${base}${path}`, { method, headers, body: body(), duplex: 'half' } as RequestInit);
    const answer = { status: first.status, connection: first.headers.get('connection'), problem: (await first.json() as { status: number }).status };
    const next = await fetch(`${base}/health`).then(async (r) => { await r.arrayBuffer(); return r.status; }, (e: Error) => `${e.message}: ${(e.cause as Error)?.message}`);
    expect({ ...answer, next }).toEqual({ status, connection: 'close', problem: status, next: 200 });
  });

  /** A request through node:http with a keep-alive agent: status, Connection and whether the socket was reused. */
  const send = (agent: import('node:http').Agent, method: string, path: string, headers: Record<string, string>, body?: Buffer) =>
    new Promise<{ status: number; connection?: string; reused: boolean }>((resolve, reject) => {
      const req = http.request(`${base}${path}`, { method, headers: { ...headers, ...(body && { 'content-length': String(body.length) }) }, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, reused: req.reusedSocket }));
      });
      req.on('error', reject);
      req.end(body);
    });

  it.each(EARLY.filter((e) => !e.chunked))('node:http keep-alive agent: $name, then the next request succeeds', async ({ status, method, path, headers, body }) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await send(agent, method, path, headers, body() as Buffer);
      const next = await send(agent, 'GET', '/health', {}).then((r) => r.status, (e: Error) => e.message);
      expect({ status: first.status, connection: first.connection, next }).toEqual({ status, connection: 'close', next: 200 });
    } finally {
      agent.destroy();
    }
  });

  it('keeps the connection alive when the body was read before the answer', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const read = await send(agent, 'POST', '/v1/compute', { 'content-type': 'application/json' }, json(300 * KiB));
      expect(read).toMatchObject({ status: 422, connection: 'keep-alive' });
      expect(await send(agent, 'GET', '/health', {})).toMatchObject({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  });

  it('keeps the connection alive after an early answer to a small body (read to its end first)', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const small = await send(agent, 'POST', '/v1/cycles', { 'content-type': 'application/json' }, json(2 * KiB));
      expect(small).toMatchObject({ status: 401, connection: 'keep-alive' });
      expect(await send(agent, 'GET', '/health', {})).toMatchObject({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  });

  it('answers three concurrent 200 MiB bodies 413 without holding them in memory', async () => {
    const peak = async () => (await server.memory()).peak;
    const before = await peak();
    /** Sends up to 200 MiB in chunks, and stops sending once the answer is in. */
    const flood = () => new Promise<number>((resolve, reject) => {
      const block = Buffer.alloc(MiB, 0x20);
      let sent = 0;
      let answered = false;
      const req = http.request(`${base}/v1/cycles/2023/province/uncertainty`, { method: 'POST', headers: { 'content-type': 'application/json' }, agent: false }, (res) => {
        answered = true;
        res.resume();
        res.on('end', () => { req.destroy(); resolve(res.statusCode!); });
      });
      req.on('error', (e) => (answered ? undefined : reject(e)));
      const write = () => {
        while (!answered && sent < 200 * MiB) {
          sent += block.length;
          if (!req.write(block)) { req.once('drain', write); return; }
        }
        if (!answered) req.end();
      };
      write();
    });
    expect(await Promise.all([flood(), flood(), flood()])).toEqual([413, 413, 413]);
    // before the fix each body was read whole: the peak rose by more than 1 GiB
    expect(await peak() - before).toBeLessThan(150 * MiB);
  });
});
