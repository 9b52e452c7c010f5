// Builds the app over a fresh, seeded in-memory database for API tests, and typed helpers.
import { loadCatalog } from '../../src/catalog/index.js';
import { createApp } from '../../src/http/app.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { seedIfEmpty } from '../../src/store/seed.js';

export async function freshApp() {
  const driver = openSqlite(':memory:');
  await seedIfEmpty(driver, loadCatalog());
  const app = createApp({ driver: () => driver });
  return { app, driver, request: (path: string, init?: RequestInit) => app.request(path, init) };
}

export async function json<T = any>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

export const put = (body: unknown, type = 'application/json'): RequestInit => ({
  method: 'PUT', headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body),
});
export const post = (body: unknown): RequestInit => ({
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
});
