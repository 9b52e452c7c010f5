// The real Node server for the browser tests: createApp with the site mounted (as the lead will
// mount it in app.ts), over a fresh seeded SQLite file in a temp folder, on a free port.
import { serve, type ServerType } from '@hono/node-server';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog, type Catalog } from '../../src/catalog/index.js';
import { generateDemoScores } from '../../src/demo/generate.js';
import { unitsAssessedIn } from '../../src/engine/index.js';
import { createApp } from '../../src/http/app.js';
import { cycleInsert, getCycle } from '../../src/store/cycles.js';
import type { Driver } from '../../src/store/driver.js';
import { ingestScores } from '../../src/store/scores.js';
import { seedIfEmpty } from '../../src/store/seed.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { transition } from '../../src/store/workflow.js';

export interface SiteServer { origin: string; close(): Promise<void> }

/** The bootstrap admin key of the test server: to open a cycle that is never published. */
export const ADMIN = 'web-test-admin-token-0123456789';

export async function startSite(): Promise<SiteServer> {
  const dir = mkdtempSync(join(tmpdir(), 'par-web-'));
  const driver = openSqlite(join(dir, 'par.sqlite'));
  const catalog = loadCatalog();
  await seedIfEmpty(driver, catalog);
  await publishMerged(driver, catalog);
  const app = createApp({ driver: () => driver, adminToken: () => ADMIN });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => {
      driver.sqlite.close();
      rmSync(dir, { recursive: true, force: true });
      resolve();
    })),
  };
}

/**
 * A published 2025 provincial cycle over the 34 provinces of 2025-07-01, made as the seed makes
 * its demo cycles, unless the demo data already has one: the pages must show the mergers.
 */
async function publishMerged(d: Driver, catalog: Catalog): Promise<void> {
  if (await getCycle(d, 2025, 'province')) return;
  const compiled = catalog.methodologies.find((m) => m.methodology.id === 'par-province-2022')!;
  const context = { actorKey: 'test', actorRole: 'system', requestId: 'test' };
  await d.atomic([cycleInsert(d, { year: 2025, unitType: 'province', methodologyId: compiled.methodology.id, methodologyVersion: compiled.methodology.version, status: 'review', synthetic: true })]);
  const assessed = unitsAssessedIn(catalog.units.units, 'province', 2025);
  const scores = generateDemoScores(compiled, assessed.map((u) => u.code), { year: 2025, unitType: 'province', methodology: compiled.methodology.id, meanIndex: 89.1 }, catalog.demo.seed);
  await ingestScores(d, (await getCycle(d, 2025, 'province'))!, compiled, assessed.map((u) => ({ code: u.code, ranked: u.ranked })), scores, context, false);
  await transition(d, context, (await getCycle(d, 2025, 'province'))!, 'published', 'synthetic demo data for the browser tests');
}
