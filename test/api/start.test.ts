// Node only: the service as `npm start` runs it, the bundle src/start.mjs builds (packages bundled
// in, better-sqlite3, pino and exceljs loaded from node_modules). The rest of the suite runs the
// TypeScript through tsx, so a package that breaks when bundled would otherwise go unseen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeServer } from '../runtime/node-server.js';
import { runtime } from './harness.js';

describe.runIf(runtime === 'sqlite')('npm start: the built service', () => {
  let server: NodeServer;
  beforeAll(async () => {
    const { startNodeServer } = await import('../runtime/node-server.js');
    server = await startNodeServer({ PAR_ANALYSIS_THREADS: '1', PAR_RATE_LIMIT: '100000' }, 'built');
  }, 120_000);
  afterAll(async () => { await server?.stop(); });

  const get = (path: string, init?: RequestInit) => fetch(`${server.base}${path}`, init);

  it('answers /health and serves the seeded demo publication as JSON, CSV and a workbook', async () => {
    expect(await (await get('/health')).json()).toMatchObject({ status: 'ok', runtime: 'sqlite' });
    const results = await (await get('/v1/cycles/2023/province/results')).json() as { results: { unit: { code: string }; index: number }[] };
    expect(results.results).toHaveLength(63);
    const csv = await get('/v1/cycles/2023/province/results.csv');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).split('\r\n').filter(Boolean)).toHaveLength(64);
    const xlsx = await get('/v1/cycles/2023/province/results.xlsx');
    expect(xlsx.status).toBe(200);
    expect([...new Uint8Array(await xlsx.arrayBuffer()).slice(0, 2)]).toEqual([0x50, 0x4b]); // a ZIP: "PK"
  });

  it('renders the pages, in Vietnamese with the decimal comma: Hà Nội\'s index as the JSON gives it', async () => {
    const results = await (await get('/v1/cycles/2023/province/results')).json() as { results: { unit: { code: string }; index: number }[] };
    const hanoi = results.results.find((r) => r.unit.code === '01')!.index;
    const shown = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(hanoi);
    expect(shown).toMatch(/^\d+,\d{2}$/);
    const page = await get('/vi/ranking/2023/province');
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(new RegExp(`Hà Nội[\\s\\S]*${shown}`));
  });

  it('runs an analysis on its thread (the thread is bundled too)', async () => {
    const res = await get('/v1/cycles/2023/province/uncertainty', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ draws: 100, seed: 3 }) });
    expect(res.status).toBe(200);
    const body = await res.json() as { units: unknown[] };
    expect(body.units).toHaveLength(63);
  });
});
