// npm run restore -- <backup file>: puts a backup in place of the Node database (PAR_DB, default
// var/par.sqlite). Stop the service first: a database that some process has open is refused.
//
// Order: the backup is copied next to the database and the copy checked (integrity_check, a
// migrations table this code knows), so what is swapped in is exactly what was checked; then the
// database is taken out of WAL mode, which SQLite allows only to its sole connection, so this
// fails while the service (or any process) has it open; then the current database is kept as
// <database>.before-restore-<time> and the copy renamed into its place. Nothing is deleted.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkDatabaseFile, DEFAULT_DATABASE, syncToDisk, type DatabaseCheck } from './backup.js';

export interface RestoreReport extends DatabaseCheck { database: string; previous: string | null }

/** Throws unless no other connection has the database open; leaves it in rollback-journal mode, closed. */
export function takeOutOfService(database: string): void {
  const db = new Database(database, { fileMustExist: true, timeout: 0 });
  try {
    const mode = db.pragma('journal_mode = DELETE', { simple: true });
    if (mode !== 'delete') throw new Error(`journal mode stays ${String(mode)}`);
  } catch (e) {
    throw new Error(`${database} is in use (${(e as Error).message}): stop the service, then restore`);
  } finally {
    db.close();
  }
}

export function restoreDatabase(backup: string, database: string): RestoreReport {
  if (!existsSync(backup)) throw new Error(`no backup at ${backup}`);
  if (resolve(backup) === resolve(database)) throw new Error('the backup is the database itself');
  const incoming = `${database}.restoring-${process.pid}`;
  rmSync(incoming, { force: true });
  copyFileSync(backup, incoming);
  let check: DatabaseCheck;
  try {
    check = checkDatabaseFile(incoming);
    syncToDisk(incoming);
    if (existsSync(database)) takeOutOfService(database);
  } catch (e) {
    rmSync(incoming, { force: true });
    throw e;
  }
  let previous: string | null = null;
  if (existsSync(database)) {
    previous = `${database}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(database, previous);
  }
  // Out of WAL mode the database has no -wal or -shm of its own; any left over from a crash would
  // be read as the restored file's: they go with the previous database.
  for (const suffix of ['-wal', '-shm']) if (existsSync(database + suffix)) renameSync(database + suffix, `${previous ?? database}${suffix}.old`);
  renameSync(incoming, database);
  syncToDisk(database);
  return { database: resolve(database), previous: previous && resolve(previous), ...check };
}

function main(args: string[]): void {
  const [backup] = args;
  if (!backup || args.length !== 1) {
    console.error('usage: npm run restore -- <backup file>   (replaces PAR_DB, default var/par.sqlite; the service must be stopped)');
    process.exit(2);
  }
  const report = restoreDatabase(backup, process.env.PAR_DB ?? DEFAULT_DATABASE);
  console.log(`restored ${backup} as ${report.database} (integrity_check ok, ${report.migrations} migrations`
    + `${report.pending ? `, ${report.pending} more applied at the next start` : ''})${report.previous ? `; the previous database is kept as ${report.previous}` : ''}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(`restore failed: ${(e as Error).message}`);
    process.exit(1);
  }
}
