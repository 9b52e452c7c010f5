// Online backup and restore of the Node database (issue 11 §6), Node only: the service (the app
// over a file database in this process) keeps writing score uploads while `src/tools/backup.ts`
// runs in a child process, as `npm run backup` does. The backup must be one consistent state:
// integrity_check ok, every committed upload wholly there or wholly absent (data version, audit
// entries and score rows agree), and the audit replayed gives exactly the stored scores. Restore
// refuses a database in use, a damaged backup and one from newer code, and keeps what it replaces.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type Catalog } from '../../src/catalog/index.js';
import { unitsAssessedIn } from '../../src/engine/index.js';
import { createApp } from '../../src/http/app.js';
import { openSqlite, type SqliteDriver } from '../../src/store/sqlite.js';
import { seedIfEmpty } from '../../src/store/seed.js';
import { checkDatabaseFile } from '../../src/tools/backup.js';
import { restoreDatabase } from '../../src/tools/restore.js';
import { ADMIN_TOKEN } from './harness.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const METHODOLOGY = 'par-province-2022';
const YEAR = 2030;

let dir: string;
let file: string;
let driver: SqliteDriver;
let catalog: Catalog;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'par-backup-'));
  file = join(dir, 'par.sqlite');
  catalog = loadCatalog();
  driver = openSqlite(file);
  await seedIfEmpty(driver, catalog); // the demo database: reference data and the published demo cycles
  app = createApp({ driver: () => driver, adminToken: () => ADMIN_TOKEN, rateLimit: () => Number.MAX_SAFE_INTEGER });
  const res = await app.request('/v1/cycles', { method: 'POST', headers: headers(), body: JSON.stringify({ year: YEAR, unitType: 'province', methodology: METHODOLOGY }) });
  expect(res.status).toBe(201);
});

afterAll(() => {
  if (driver.sqlite.open) driver.sqlite.close();
  rmSync(dir, { recursive: true, force: true });
});

const headers = () => ({ 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` });

/** Upload n: every leaf of one unit (units in turn), at a value that differs from that unit's previous upload. */
function uploadBody(n: number): string {
  const compiled = catalog.methodologies.find((m) => m.methodology.id === METHODOLOGY)!;
  const units = unitsAssessedIn(catalog.units.units, 'province', YEAR);
  const unit = units[n % units.length].code;
  const pass = Math.floor(n / units.length);
  const scores = compiled.leaves.map((leaf) => {
    const node = compiled.nodes[leaf];
    const top = Number((Math.floor(node.max / 0.05 + 1e-9) * 0.05).toFixed(2));
    return { unit, indicator: node.code, source: node.sources[0], value: pass % 2 === 0 ? top : 0 };
  });
  return JSON.stringify({ scores });
}

/** Runs `node --import tsx src/tools/backup.ts <target>` on the database, as `npm run backup -- <target>`. */
function backupTool(target: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/tools/backup.ts', target], {
      cwd: repoRoot, env: { ...process.env, PAR_DB: file }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

interface Snapshot { dataVersion: number; uploads: number; scores: number; units: number; replayMatches: boolean }

/** What a database file holds of the stream cycle, and whether its audit, replayed, gives its scores. */
function snapshot(path: string): Snapshot {
  const db = new Database(path, { readonly: true });
  try {
    const cycle = db.prepare('SELECT id, data_version AS v FROM cycles WHERE year = ? AND unit_type = ?').get(YEAR, 'province') as { id: number; v: number };
    const audits = db.prepare("SELECT unit, changes FROM audit WHERE cycle_id = ? AND action = 'scores.upsert' ORDER BY id").all(cycle.id) as { unit: string; changes: string }[];
    const replayed = new Map<string, unknown>();
    for (const a of audits) for (const [indicator, source, , after] of JSON.parse(a.changes)) replayed.set(`${a.unit}|${indicator}|${source}`, after[0]);
    const stored = db.prepare('SELECT unit, indicator, source, value FROM scores WHERE cycle_id = ?').all(cycle.id) as { unit: string; indicator: string; source: string; value: string }[];
    const replayMatches = stored.length === replayed.size && stored.every((s) => replayed.get(`${s.unit}|${s.indicator}|${s.source}`) === JSON.parse(s.value));
    return { dataVersion: cycle.v, uploads: audits.length, scores: stored.length, units: new Set(stored.map((s) => s.unit)).size, replayMatches };
  } finally {
    db.close();
  }
}

describe('an online backup', () => {
  let target: string;
  let during: { before: number; after: number };

  it('is taken while uploads keep being committed', async () => {
    target = join(dir, 'backup.sqlite');
    let committed = 0;
    let stop = false;
    const writer = (async () => {
      for (let n = 0; !stop; n++) {
        const res = await app.request(`/v1/cycles/${YEAR}/province/scores`, { method: 'PUT', headers: headers(), body: uploadBody(n) });
        expect(res.status, await res.clone().text()).toBe(200);
        committed++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    while (committed < 3) await new Promise((r) => setTimeout(r, 5));
    const before = committed;
    const tool = await backupTool(target);
    const after = committed;
    stop = true;
    await writer;
    expect(tool.code, tool.output).toBe(0);
    expect(tool.output).toMatch(/integrity_check ok/);
    expect(after).toBeGreaterThan(before); // uploads were committed while the tool ran
    during = { before, after };
  });

  it('is one consistent state: integrity ok, whole uploads only, the audit matching the scores', () => {
    const db = new Database(target, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const leaves = catalog.methodologies.find((m) => m.methodology.id === METHODOLOGY)!.leaves.length;
    const s = snapshot(target);
    expect(s.uploads).toBeGreaterThanOrEqual(during.before);
    expect(s.uploads).toBeLessThanOrEqual(during.after);
    expect(s.dataVersion).toBe(s.uploads); // every upload bumps the data version once, from 0
    expect(s.scores).toBe(s.units * leaves);
    expect(s.replayMatches).toBe(true);
    expect(checkDatabaseFile(target)).toMatchObject({ migrations: expect.any(Number), pending: 0 });
  });

  it('never overwrites an existing file', async () => {
    const again = await backupTool(target);
    expect(again.code).toBe(1);
    expect(again.output).toMatch(/exists/);
  });
});

describe('a restore', () => {
  const backup = () => join(dir, 'backup.sqlite');

  it('refuses a database in use, changing nothing', () => {
    const live = snapshot(file);
    expect(() => restoreDatabase(backup(), file)).toThrow(/in use/);
    expect(snapshot(file)).toEqual(live);
    expect(readdirSync(dir).filter((f) => f.includes('restoring') || f.includes('before-restore'))).toEqual([]);
  });

  it('refuses a damaged backup and one from newer code', () => {
    const damaged = join(dir, 'damaged.sqlite');
    copyFileSync(backup(), damaged);
    const db = new Database(damaged);
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.close();
    const bytes = Buffer.alloc(4096, 0x5a);
    const fd = openSync(damaged, 'r+');
    writeSync(fd, bytes, 0, bytes.length, Math.floor(pages / 2) * 4096); // a page in the middle overwritten
    closeSync(fd);
    expect(() => restoreDatabase(damaged, join(dir, 'elsewhere.sqlite'))).toThrow(/integrity_check|malformed|not a database/);
    const newer = join(dir, 'newer.sqlite');
    copyFileSync(backup(), newer);
    const n = new Database(newer);
    n.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('f'.repeat(64), Date.now() + 1e9);
    n.close();
    expect(() => restoreDatabase(newer, join(dir, 'elsewhere.sqlite'))).toThrow(/migration/);
    expect(existsSync(join(dir, 'elsewhere.sqlite'))).toBe(false);
  });

  it('puts the backup in place once the service is stopped, keeping the database it replaces', async () => {
    const live = snapshot(file);
    const saved = snapshot(backup());
    driver.sqlite.close(); // the service stops
    const report = restoreDatabase(backup(), file);
    expect(report.previous).toMatch(/before-restore-/);
    expect(snapshot(report.previous!)).toEqual(live);
    const restarted = openSqlite(file);
    try {
      expect(snapshot(file)).toEqual(saved);
      const served = createApp({ driver: () => restarted, adminToken: () => ADMIN_TOKEN });
      const res = await served.request(`/v1/cycles/${YEAR}/province/scores?revision=draft&limit=1`, { headers: headers() });
      expect(res.status).toBe(200);
    } finally {
      restarted.sqlite.close();
    }
  });
});
