// --db <file>: the commands run against a local database file, in this process, through the very
// app the service runs (routes, validation, all-or-nothing writes, audit): no server to start. Who
// can write the file can change anything in it anyway, so the command acts as the administrator,
// with a one-off key that never leaves this process; the audit records the administrator.
import { randomBytes } from 'node:crypto';

export type LocalService = (request: Request) => Promise<Response>;

/** Opens (migrating, and seeding an empty file as `npm start` does) and serves the file in-process. */
export async function localService(file: string, warn: (line: string) => void): Promise<LocalService> {
  // Loaded only here: a command against a remote service does not pay for the app's modules.
  const [{ createApp }, { openSqlite }, { isEmpty, seedIfEmpty }, { loadCatalog }] = await Promise.all([
    import('../http/app.js'), import('../store/sqlite.js'), import('../store/seed.js'), import('../catalog/index.js'),
  ]);
  const driver = openSqlite(file);
  if (await isEmpty(driver) && await seedIfEmpty(driver, loadCatalog())) warn(`seeded ${file} with the reference data and the synthetic demo cycles`);
  const token = randomBytes(32).toString('base64url');
  const app = createApp({ driver: () => driver, adminToken: () => token });
  return async (request) => {
    request.headers.set('authorization', `Bearer ${token}`);
    return app.fetch(request);
  };
}
