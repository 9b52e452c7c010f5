// Builds the app over a fresh, seeded database of the runtime under test (#runtime: Node's
// better-sqlite3 or the Worker's D1, chosen by the vitest project), with typed helpers.
import { openTestDatabase, runtime } from '#runtime';
import { loadCatalog } from '../../src/catalog/index.js';
import { createApp } from '../../src/http/app.js';
import { seedIfEmpty } from '../../src/store/seed.js';

export { runtime };

export async function freshApp() {
  const { driver, sql } = await openTestDatabase();
  await seedIfEmpty(driver, loadCatalog());
  const app = createApp({ driver: () => driver });
  return { app, driver, sql, runtime, request: (path: string, init?: RequestInit) => app.request(path, init) };
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
