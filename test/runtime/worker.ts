// The Worker runtime for API tests: the local D1 binding inside workerd, migrations applied by
// the setup file, storage isolated per test file. The app is given the binding through
// LimitedD1 (d1-limits.ts): what production D1 refuses fails here too, and queries are counted.
import { env } from 'cloudflare:workers';
import { openD1 } from '../../src/store/d1.js';
import { LimitedD1, type D1Usage } from './d1-limits.js';

export const runtime: 'sqlite' | 'd1' = 'd1';

const raw = (env as unknown as { DB: D1Database }).DB;
// One wrapper per test file (one module instance, one storage): openD1 keeps one driver per binding.
const limited = new LimitedD1(raw);

export async function openTestDatabase() {
  // `sql` reads around the wrapper: a test's own look at the tables is not the app's usage.
  return { driver: openD1(limited as unknown as D1Database), sql: async <T = Record<string, unknown>>(query: string) => (await raw.prepare(query).all<T>()).results };
}

/** Marks the start of a request: D1's per-invocation limit and the counts below restart. */
export function beginRequest(): void {
  limited.beginRequest();
}

/** D1 queries (every statement, batched or not) and batches of the current or last request. */
export function d1Usage(): D1Usage | undefined {
  return limited.current();
}
