// Builds the app over a fresh, seeded database of the runtime under test (#runtime: Node's
// better-sqlite3 or the Worker's D1, chosen by the vitest project), with typed helpers.
import { beginRequest, openTestDatabase, runtime } from '#runtime';
import { loadCatalog } from '../../src/catalog/index.js';
import { createApp, type AppOptions } from '../../src/http/app.js';
import { seedIfEmpty } from '../../src/store/seed.js';
import { checkedAgainstContract } from '../contract/checked-request.js';

export { runtime };

/** The bootstrap admin key of the test apps (PAR_ADMIN_TOKEN in production). */
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** Adds a bearer key to a request (the admin's unless another is given). */
export function as(init: RequestInit = {}, key: string = ADMIN_TOKEN): RequestInit {
  return { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${key}` } };
}

/**
 * The app over a fresh database, reached only through `request`, which checks every response against
 * openapi/openapi.json (status, body schema, headers): one the contract does not declare fails the
 * test that asked for it. (No `app`: a test cannot go around the contract.)
 */
export async function freshApp(options: Partial<AppOptions> = {}) {
  const { driver, sql } = await openTestDatabase();
  await seedIfEmpty(driver, loadCatalog());
  // beginRequest: on Workers, D1's per-invocation limits are counted per request (test/runtime/d1-limits.ts).
  const app = createApp({ driver: () => { beginRequest(); return driver; }, adminToken: () => ADMIN_TOKEN, ...options });
  const request = checkedAgainstContract((input: string | Request, init?: RequestInit) => app.request(input, init));
  // The public pages are HTML for people, outside the contract: reached without its check.
  const page = (path: string, init?: RequestInit) => Promise.resolve(app.request(path, init));
  return { driver, sql, runtime, request, page };
}

export async function json<T = any>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** A PUT with a body, as the admin unless another key (or null, for none) is given. */
export const put = (body: unknown, type = 'application/json', key: string | null = ADMIN_TOKEN): RequestInit => withKey({
  method: 'PUT', headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body),
}, key);
/** A POST of JSON, as the admin unless another key (or null) is given. */
export const post = (body: unknown, key: string | null = ADMIN_TOKEN): RequestInit => withKey({
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
}, key);

const withKey = (init: RequestInit, key: string | null) => (key === null ? init : as(init, key));
