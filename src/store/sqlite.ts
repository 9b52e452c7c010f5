// The better-sqlite3 driver: a file (WAL) or memory database, migrations applied at open.
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tables from '../../schema/tables.js';
import { isBulk, rowPlaceholders, type Db, type Driver, type Step } from './driver.js';

export const migrationsFolder = fileURLToPath(new URL('../../schema/migrations', import.meta.url));

export function openSqlite(file: string): Driver & { sqlite: Database.Database } {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema: tables });
  migrate(db, { migrationsFolder });
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
  return {
    kind: 'sqlite', sqlite, db: db as unknown as Db,
    atomic: async (steps) => { transaction(steps); },
  };
}
