// The real Node server for the browser tests: createApp with the site mounted (as the lead will
// mount it in app.ts), over a fresh seeded SQLite file in a temp folder, on a free port.
import { serve, type ServerType } from '@hono/node-server';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../../src/catalog/index.js';
import { createApp } from '../../src/http/app.js';
import { seedIfEmpty } from '../../src/store/seed.js';
import { openSqlite } from '../../src/store/sqlite.js';

export interface SiteServer { origin: string; close(): Promise<void> }

/** The bootstrap admin key of the test server: to open a cycle that is never published. */
export const ADMIN = 'web-test-admin-token-0123456789';

export async function startSite(): Promise<SiteServer> {
  const dir = mkdtempSync(join(tmpdir(), 'par-web-'));
  const driver = openSqlite(join(dir, 'par.sqlite'));
  const catalog = loadCatalog();
  await seedIfEmpty(driver, catalog);
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
