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
  /**
   * A value that differs whenever the database may have changed since it was last asked, by this
   * connection or another: rows kept in memory are checked against it. None on D1 (rows are read
   * every time; the edge cache keeps whole answers there).
   */
  changeStamp?: () => string;
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

const kept = new WeakMap<Driver, { stamp: string; values: Map<string, unknown> }>();

/**
 * A read kept in memory until the database changes, where the driver can tell (better-sqlite3:
 * changeStamp), read every time otherwise (D1). What is kept is frozen: every request shares it.
 */
export async function keptUntilChanged<T>(d: Driver, key: string, read: () => Promise<T>): Promise<T> {
  const stamp = d.changeStamp?.();
  if (stamp === undefined) return read();
  let memory = kept.get(d);
  if (memory?.stamp !== stamp) kept.set(d, (memory = { stamp, values: new Map() }));
  if (memory.values.has(key)) return memory.values.get(key) as T;
  const value = frozen(await read());
  memory.values.set(key, value);
  return value;
}

/** Rows, or a list of rows, frozen one level down: what the cycle reads return. */
function frozen<T>(value: T): T {
  if (Array.isArray(value)) value.forEach((row) => Object.freeze(row));
  return value === undefined || value === null ? value : Object.freeze(value);
}
