// The better-sqlite3 driver: a file (WAL) or memory database, migrations applied at open.
//
// Durability, per transaction: the connection runs with synchronous = NORMAL, under which a WAL
// commit survives a killed process but not an OS crash or power cut (the WAL is synced only at
// checkpoints). Every acknowledged write of the service goes through atomic(), which commits with
// synchronous = FULL: the WAL is synced before the commit returns, so an upload, a publication, a
// key or a cycle that was answered 2xx survives an OS crash too. Writes outside atomic() are
// caches (results) that are rebuilt on demand; they keep NORMAL, and the next FULL commit syncs
// them along with its own frames.
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tables from '../../schema/tables.js';
import { isBulk, rowPlaceholders, type Db, type Driver, type Step } from './driver.js';

export const migrationsFolder = fileURLToPath(new URL('../../schema/migrations', import.meta.url));

/** synchronous level of the connection between writes, and of atomic() commits (SQLite's numbers: 1 NORMAL, 2 FULL). */
export const SYNC_BETWEEN_WRITES = 'NORMAL';
export const SYNC_AT_COMMIT = 'FULL';

export type SqliteDriver = Driver & { sqlite: Database.Database };

export function openSqlite(file: string): SqliteDriver {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${SYNC_BETWEEN_WRITES}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema: tables });
  migrate(db, { migrationsFolder });
  return { kind: 'sqlite', sqlite, db: db as unknown as Db, atomic: atomicWrites(sqlite), changeStamp: changeStamp(sqlite) };
}

/**
 * This connection's changes (total_changes(), which touches no file: 0.1 µs) and other
 * connections' commits (PRAGMA data_version, a read of the WAL index: 4 µs idle, 14–22 µs under
 * load, as much as the reads it saves). The latter is read once per turn of the event loop, which
 * serves many requests under load: another process's commit is seen from the next turn.
 */
function changeStamp(sqlite: Database.Database): () => string {
  const others = sqlite.prepare('PRAGMA data_version').pluck();
  const own = sqlite.prepare('SELECT total_changes()').pluck();
  let seen: unknown;
  return () => {
    if (seen === undefined) {
      seen = others.get();
      setImmediate(() => { seen = undefined; });
    }
    return `${seen}:${own.get()}`;
  };
}

/** Runs a list of steps in one transaction, committed with synchronous = FULL. */
function atomicWrites(sqlite: Database.Database): Driver['atomic'] {
  const prepared = new Map<string, Database.Statement>();
  const statement = (sql: string) => {
    let s = prepared.get(sql);
    if (!s) prepared.set(sql, (s = sqlite.prepare(sql)));
    return s;
  };
  const runStep = (step: Step) => {
    if (!isBulk(step)) {
      const { sql, params } = step.toSQL();
      statement(sql).run(params);
      return;
    }
    const s = statement(`${step.head} ${rowPlaceholders(step.columns)} ${step.tail}`);
    for (const row of step.rows) s.run(row);
  };
  const transaction = sqlite.transaction((steps: Step[]) => { for (const step of steps) runStep(step); });
  // SQLite reads the level when it commits: set before BEGIN, restored after COMMIT or ROLLBACK.
  return async (steps) => {
    sqlite.pragma(`synchronous = ${SYNC_AT_COMMIT}`);
    try {
      transaction(steps);
    } finally {
      sqlite.pragma(`synchronous = ${SYNC_BETWEEN_WRITES}`);
    }
  };
}
