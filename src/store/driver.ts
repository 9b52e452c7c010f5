// What differs between better-sqlite3 and D1, and nothing else: the drizzle database, and how a
// list of writes runs atomically (a transaction on better-sqlite3, one batch on D1).
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as tables from '../../schema/tables.js';

export type Db = BaseSQLiteDatabase<'sync' | 'async', unknown, typeof tables>;

/** A drizzle query (insert, update, delete): the drivers run its SQL and parameters. */
export interface Query { toSQL(): { sql: string; params: unknown[] } }

/**
 * One insert of many rows. Node runs `${head} (?, …) ${tail}` once per row; D1 sends the rows as
 * JSON to `INSERT INTO t (…) SELECT … FROM json_each(?) … ${tail}` (d1.ts), so `head` must end with VALUES.
 */
export interface BulkInsert {
  head: string; // e.g. INSERT INTO scores (a, b) VALUES
  columns: number;
  tail: string; // e.g. ON CONFLICT (…) DO UPDATE SET …
  rows: unknown[][];
}

export type Step = Query | BulkInsert;

/** Failure message of a guard: the state a request read has changed before its write. */
export const GUARD_FAILED = 'write_guards';

/**
 * A step that fails the whole atomic write unless the cycle is still as the request read it
 * (same status and data version): a NULL into a NOT NULL column when the condition is false.
 */
export function cycleGuard(cycleId: number, status: string, dataVersion: number): Query {
  return {
    toSQL: () => ({
      sql: 'INSERT INTO write_guards (ok) SELECT NULL WHERE NOT EXISTS (SELECT 1 FROM cycles WHERE id = ? AND status = ? AND data_version = ?)',
      params: [cycleId, status, dataVersion],
    }),
  };
}

/** D1 binds at most 100 parameters per statement; writes shared by both drivers stay within it. */
export const D1_MAX_PARAMETERS = 100;
/** D1 runs at most 1,000 statements in one batch, which is its only transaction. */
export const D1_MAX_BATCH_STATEMENTS = 1000;

export interface Driver {
  db: Db;
  /** Runs every step or none. */
  atomic(steps: Step[]): Promise<void>;
  /** Which runtime this is, for health and logs. */
  kind: 'sqlite' | 'd1';
}

export function isBulk(step: Step): step is BulkInsert {
  return 'head' in step && 'rows' in step;
}

export function rowPlaceholders(columns: number): string {
  return `(${new Array(columns).fill('?').join(', ')})`;
}

const caches = new WeakMap<Driver, Map<string, Map<unknown, unknown>>>();

/**
 * A memory cache scoped to one database, so that two databases in one process (tests, tools)
 * never see each other's entries. Entries are keyed by data versions, so they are never stale.
 */
export function driverCache<K, V>(d: Driver, name: string, limit = 500): Map<K, V> {
  let byName = caches.get(d);
  if (!byName) caches.set(d, (byName = new Map()));
  let cache = byName.get(name) as Map<K, V> | undefined;
  if (!cache) byName.set(name, (cache = new Map()) as Map<unknown, unknown>);
  if (cache.size > limit) cache.clear();
  return cache;
}
