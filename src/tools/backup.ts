// npm run backup -- <file>: a consistent copy of the Node database (PAR_DB, default
// var/par.sqlite) taken while the service runs.
//
// VACUUM INTO from a connection of this process: it reads one WAL snapshot (a read transaction),
// so the copy is the database as of one commit, whatever the service writes meanwhile, and the
// service's writers are never blocked (WAL readers do not block writers). SQLite's backup API
// (better-sqlite3's db.backup()) would restart from the beginning each time another process
// writes, and so might never finish under a steady stream of uploads. The copy is written under
// a temporary name, checked (integrity_check, the migrations table), synced, then renamed: a file
// with the name asked for is always a complete, checked backup.
import Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { migrationsFolder } from '../store/sqlite.js';

export const DEFAULT_DATABASE = 'var/par.sqlite';

export interface DatabaseCheck {
  /** migrations recorded in the file that this code also has, oldest first */
  migrations: number;
  /** migrations of this code the file lacks: applied when the service next opens it */
  pending: number;
  /** rows per table */
  rows: Record<string, number>;
}

/**
 * Checks a database file without changing it: SQLite's integrity_check, and a migrations table
 * that this code knows (a file from newer code, or not this service's, is refused). Throws why not.
 */
export function checkDatabaseFile(file: string): DatabaseCheck {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
    if (integrity.length !== 1 || integrity[0].integrity_check !== 'ok') {
      throw new Error(`${file} fails integrity_check: ${integrity.slice(0, 5).map((r) => r.integrity_check).join('; ')}`);
    }
    const known = readMigrationFiles({ migrationsFolder });
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
    if (!hasTable) throw new Error(`${file} has no migrations table: not a database of this service`);
    const applied = db.prepare('SELECT hash, created_at AS createdAt FROM __drizzle_migrations ORDER BY created_at').all() as { hash: string; createdAt: number }[];
    const unknown = applied.filter((m) => !known.some((k) => k.hash === m.hash && k.folderMillis === Number(m.createdAt)));
    if (unknown.length) throw new Error(`${file} records ${unknown.length} migration(s) this code does not have (a newer version's database?): refused`);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
    const rows = Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
    return { migrations: applied.length, pending: known.length - applied.length, rows };
  } finally {
    db.close();
  }
}

/** Flushes a file, and the directory entry that names it, to the disk. */
export function syncToDisk(file: string): void {
  for (const path of [file, dirname(file)]) {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

export interface BackupReport extends DatabaseCheck { file: string; bytes: number; ms: number }

/** Copies the database at `source` into a new file `target` (which must not exist), consistently and online. */
export function backupDatabase(source: string, target: string): BackupReport {
  const started = performance.now();
  if (!existsSync(source)) throw new Error(`no database at ${source}`);
  if (existsSync(target)) throw new Error(`${target} exists: a backup never overwrites a file; name a new one`);
  const partial = `${target}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  const db = new Database(source, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    db.prepare('VACUUM INTO ?').run(partial);
  } finally {
    db.close();
  }
  try {
    const check = checkDatabaseFile(partial);
    syncToDisk(partial);
    renameSync(partial, target);
    syncToDisk(target);
    return { file: resolve(target), bytes: statSync(target).size, ms: performance.now() - started, ...check };
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  }
}

function main(args: string[]): void {
  const [target] = args;
  if (!target || args.length !== 1) {
    console.error('usage: npm run backup -- <new file>   (backs up PAR_DB, default var/par.sqlite)');
    process.exit(2);
  }
  const source = process.env.PAR_DB ?? DEFAULT_DATABASE;
  const report = backupDatabase(source, target);
  const total = Object.values(report.rows).reduce((a, n) => a + n, 0);
  console.log(`backed up ${source} to ${report.file}: ${(report.bytes / 1024 / 1024).toFixed(1)} MiB, ${total.toLocaleString('en')} rows in `
    + `${Object.keys(report.rows).length} tables, integrity_check ok, ${report.migrations} migrations, in ${report.ms.toFixed(0)} ms`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(`backup failed: ${(e as Error).message}`);
    process.exit(1);
  }
}
