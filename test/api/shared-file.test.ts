// Two connections to one database file (Node only): the service keeps the cycles it read until the
// database changes, and a change made through another connection — the command line's `--db`, a
// second process — must be seen by the next request, a cycle that did not exist included. (Another
// connection's commits are looked for once per turn of the event loop: a request that comes over
// the network always starts a turn; here, in process, the test waits for one.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.js';
import { createApp } from '../../src/http/app.js';
import { openSqlite, type SqliteDriver } from '../../src/store/sqlite.js';
import { seedIfEmpty } from '../../src/store/seed.js';
import { ADMIN_TOKEN } from './harness.js';

let dir: string;
let drivers: SqliteDriver[];
let service: ReturnType<typeof createApp>;
let other: ReturnType<typeof createApp>;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const appOver = (driver: SqliteDriver) => createApp({ driver: () => driver, adminToken: () => ADMIN_TOKEN });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'par-shared-'));
  const file = join(dir, 'par.sqlite');
  drivers = [openSqlite(file)];
  await seedIfEmpty(drivers[0], loadCatalog(), { demo: false });
  drivers.push(openSqlite(file));
  [service, other] = drivers.map(appOver);
});

afterAll(() => {
  for (const d of drivers) d.sqlite.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a cycle changed through another connection', () => {
  it('is seen by the next request, its absence no longer kept', async () => {
    const revisions = () => service.request('/v1/cycles/2044/province/revisions');
    expect((await revisions()).status).toBe(404);
    expect((await revisions()).status).toBe(404); // read twice: kept
    const opened = await other.request('/v1/cycles', { method: 'POST', headers: admin, body: JSON.stringify({ year: 2044, unitType: 'province', methodology: 'par-province-2022' }) });
    expect(opened.status).toBe(201);
    await nextTurn();
    expect((await revisions()).status).toBe(200);
  });

  it('is in the phase the other connection moved it to', async () => {
    const move = (app: ReturnType<typeof createApp>, status: string) =>
      app.request('/v1/cycles/2044/province/status', { method: 'POST', headers: admin, body: JSON.stringify({ status }) });
    expect((await move(service, 'review')).status).toBe(409); // open → review is not a move
    expect((await move(other, 'appraisal')).status).toBe(200);
    await nextTurn();
    // appraisal → review is; a service still holding the open cycle would refuse it (409).
    expect((await move(service, 'review')).status).toBe(200);
  });
});
