// The Node runtime for API tests: better-sqlite3 in memory.
import { openSqlite } from '../../src/store/sqlite.js';
import type { D1Usage } from './d1-limits.js';

export const runtime: 'sqlite' | 'd1' = 'sqlite';

export async function openTestDatabase() {
  const driver = openSqlite(':memory:');
  // A statement that returns no rows (DDL, a write) is run, as D1's all() runs it.
  const sql = async <T = Record<string, unknown>>(query: string) => {
    const statement = driver.sqlite.prepare(query);
    if (statement.reader) return statement.all() as T[];
    statement.run();
    return [] as T[];
  };
  return { driver, sql };
}

/** D1's per-request counting (worker.ts); nothing to count on Node. */
export function beginRequest(): void {}

/** D1 queries and batches of the last request: none on Node. */
export function d1Usage(): D1Usage | undefined {
  return undefined;
}
