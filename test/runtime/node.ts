// The Node runtime for API tests: better-sqlite3 in memory.
import { openSqlite } from '../../src/store/sqlite.js';

export const runtime: 'sqlite' | 'd1' = 'sqlite';

export async function openTestDatabase() {
  const driver = openSqlite(':memory:');
  return { driver, sql: async <T = Record<string, unknown>>(query: string) => driver.sqlite.prepare(query).all() as T[] };
}
