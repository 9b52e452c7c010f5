// The Worker runtime for API tests: the local D1 binding inside workerd, migrations applied by
// the setup file. Storage is isolated per test file.
import { env } from 'cloudflare:workers';
import { openD1 } from '../../src/store/d1.js';

export const runtime: 'sqlite' | 'd1' = 'd1';

export async function openTestDatabase() {
  const db = (env as unknown as { DB: D1Database }).DB;
  return { driver: openD1(db), sql: async <T = Record<string, unknown>>(query: string) => (await db.prepare(query).all<T>()).results };
}
