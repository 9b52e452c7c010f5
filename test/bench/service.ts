// The service beside its floor, measured side by side in one run (ratios hold where absolute
// numbers drift; other work on the machine moves both sides of a round alike): score ingest
// through the API (app.request PUT …/scores) vs one prepared better-sqlite3 INSERT of the same
// rows, on the same file-backed WAL setup, in one transaction per cycle committed durably as the
// service commits an upload (and, beside it, in one transaction). Also the load generator the
// served, load and memory parts share. (Serving results is measured by served.ts, on the service
// as npm start runs it: an in-process server here said 0.85–0.94× where users met 0.36×.)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../../src/catalog/index.js';
import { unitsAssessedIn } from '../../src/engine/index.js';
import { createApp } from '../../src/http/app.js';
import { openSqlite, SYNC_AT_COMMIT, SYNC_BETWEEN_WRITES } from '../../src/store/sqlite.js';
import { seedIfEmpty } from '../../src/store/seed.js';
import { record } from './table.js';

export const METHODOLOGY = 'par-province-2022';
const WARMUP_YEARS = [1990, 1991];
export const MEASURED_YEARS = Array.from({ length: 17 }, (_, i) => 2000 + i); // 17 × 6,174 = 104,958 rows
const INGEST_ROUNDS = 8;
const CONNECTIONS = 50;
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

// Writes may need a key: the bench is its own admin (ignored by an app without authentication),
// and lifts the per-client rate limit, which a load test from one address would otherwise hit.
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
type AppOptions = Parameters<typeof createApp>[0];
const benchApp = (options: AppOptions) => createApp({ adminToken: () => ADMIN_TOKEN, rateLimit: () => Number.MAX_SAFE_INTEGER, ...options } as AppOptions);
const writeHeaders = { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` };

interface Score { unit: string; indicator: string; source: string; value: number }

/** Runs a part of the service bench in a temporary folder, removed afterwards. */
async function inTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'par-bench-'));
  try {
    await run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const benchServiceIngest = () => inTempDir(benchIngest);

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
const rowsPerSecond = (rows: number, ms: number) => rows / (ms / 1000);

// ── a. ingest ──────────────────────────────────────────────────────────────────────────────────

/** A small deterministic generator (xorshift32), so that every run sends the same values. */
function xorshift(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Every unit × every leaf of the cycle, values multiples of 0.05 within the leaf's max. */
export function cycleScores(year: number): Score[] {
  const catalog = loadCatalog();
  const compiled = catalog.methodologies.find((m) => m.methodology.id === METHODOLOGY)!;
  const random = xorshift(year * 2654435761);
  const scores: Score[] = [];
  for (const unit of unitsAssessedIn(catalog.units.units, 'province', year)) {
    for (const leaf of compiled.leaves) {
      const node = compiled.nodes[leaf];
      const steps = Math.floor(node.max / 0.05 + 1e-9);
      const k = Math.floor(random() * (steps + 1));
      scores.push({ unit: unit.code, indicator: node.code, source: node.sources[0], value: Number((k * 0.05).toFixed(2)) });
    }
  }
  return scores;
}

interface Batches { years: number[]; scores: Map<number, Score[]>; bodies: Map<number, string> }

/** The service: a fresh file database with the reference data, cycles opened and scores put through the API. */
async function ingestService(file: string, b: Batches): Promise<number[]> {
  const driver = openSqlite(file);
  try {
    await seedIfEmpty(driver, loadCatalog(), { demo: false });
    const app = benchApp({ driver: () => driver });
    for (const year of b.years) {
      const res = await app.request('/v1/cycles', {
        method: 'POST', headers: writeHeaders, body: JSON.stringify({ year, unitType: 'province', methodology: METHODOLOGY }),
      });
      if (res.status !== 201) throw new Error(`POST /v1/cycles ${year}: ${res.status} ${await res.text()}`);
    }
    const put = async (year: number) => {
      const started = performance.now();
      const body = b.bodies.get(year)!;
      // with the Content-Length an HTTP client sends (the body limit then reads it once, not twice)
      const headers = { ...writeHeaders, 'content-length': String(Buffer.byteLength(body)) };
      const res = await app.request(`/v1/cycles/${year}/province/scores`, { method: 'PUT', headers, body });
      const outcome = await res.json() as { inserted?: number };
      const ms = performance.now() - started;
      if (res.status !== 200 || outcome.inserted !== b.scores.get(year)!.length) throw new Error(`PUT ${year}: ${res.status} ${JSON.stringify(outcome).slice(0, 500)}`);
      return ms;
    };
    for (const year of WARMUP_YEARS) await put(year);
    const perRequest: number[] = [];
    for (const year of MEASURED_YEARS) perRequest.push(await put(year));
    return perRequest;
  } finally {
    driver.sqlite.close();
  }
}

/**
 * Raw better-sqlite3 on the same setup (openSqlite: file, WAL, synchronous=NORMAL, foreign keys on,
 * the same migrations) with the parent rows its foreign keys need, then one prepared INSERT run
 * for the same rows, pre-built as arrays: `one` runs them all in one transaction, `per upload`
 * in one transaction per cycle committed with synchronous=FULL, as the service commits each
 * upload (an answered upload survives a power cut): the same durable work, without the service.
 */
async function ingestRaw(file: string, b: Batches, commits: 'one' | 'per upload'): Promise<number> {
  const driver = openSqlite(file);
  try {
    await seedIfEmpty(driver, loadCatalog(), { demo: false });
    const db = driver.sqlite;
    const addCycle = db.prepare('INSERT INTO cycles (year, unit_type, methodology_id, methodology_version) VALUES (?, ?, ?, ?)');
    const cycleIds = new Map(b.years.map((y) => [y, Number(addCycle.run(y, 'province', METHODOLOGY, 1).lastInsertRowid)]));
    const now = new Date().toISOString();
    const tuples = (years: number[]) => years.flatMap((y) => b.scores.get(y)!.map((s) =>
      [cycleIds.get(y), s.unit, s.indicator, s.source, JSON.stringify(s.value), s.value, null, null, now, 'bench']));
    const insert = db.prepare('INSERT INTO scores (cycle_id, unit, indicator, source, value, points, note, evidence, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const insertAll = db.transaction((rows: unknown[][]) => { for (const row of rows) insert.run(row); });
    const durably = (rows: unknown[][]) => {
      db.pragma(`synchronous = ${SYNC_AT_COMMIT}`);
      try { insertAll(rows); } finally { db.pragma(`synchronous = ${SYNC_BETWEEN_WRITES}`); }
    };
    const warmup = tuples(WARMUP_YEARS);
    insertAll(warmup);
    const batches = commits === 'one' ? [tuples(MEASURED_YEARS)] : MEASURED_YEARS.map((y) => tuples([y]));
    const started = performance.now();
    for (const rows of batches) (commits === 'one' ? insertAll : durably)(rows);
    const ms = performance.now() - started;
    const stored = (db.prepare('SELECT count(*) AS n FROM scores').get() as { n: number }).n;
    if (stored !== warmup.length + batches.reduce((n, rows) => n + rows.length, 0)) throw new Error(`raw insert stored ${stored} rows`);
    return ms;
  } finally {
    driver.sqlite.close();
  }
}

async function benchIngest(dir: string): Promise<void> {
  const years = [...WARMUP_YEARS, ...MEASURED_YEARS];
  const scores = new Map(years.map((y) => [y, cycleScores(y)]));
  const batches: Batches = { years, scores, bodies: new Map(years.map((y) => [y, JSON.stringify({ scores: scores.get(y) })])) };
  const rows = MEASURED_YEARS.reduce((n, y) => n + scores.get(y)!.length, 0);
  const perCycle = scores.get(MEASURED_YEARS[0])!.length;

  const service: number[][] = [], raw: number[] = [], durable: number[] = [];
  for (let round = 0; round < INGEST_ROUNDS; round++) {
    service.push(await ingestService(join(dir, `ingest-service-${round}.sqlite`), batches));
    raw.push(await ingestRaw(join(dir, `ingest-raw-${round}.sqlite`), batches, 'one'));
    durable.push(await ingestRaw(join(dir, `ingest-durable-${round}.sqlite`), batches, 'per upload'));
  }
  const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);
  const serviceMs = Math.min(...service.map(sum)), rawMs = Math.min(...raw), durableMs = Math.min(...durable);
  const perRequest = service.flat().sort((a, b) => a - b);
  const serviceRate = rowsPerSecond(rows, serviceMs), rawRate = rowsPerSecond(rows, rawMs), durableRate = rowsPerSecond(rows, durableMs);
  const ratio = serviceRate / durableRate;
  const roundRatios = service.map((s, i) => (durable[i] / sum(s)).toFixed(2)).join(', ');

  console.log(`\nService: ingest of ${fmt(rows)} score rows into fresh cycles, file-backed WAL SQLite in a temp dir `
    + `(best of ${INGEST_ROUNDS} rounds, each on new database files after ${WARMUP_YEARS.length} warm-up cycles)`);
  console.log(`  service: ${MEASURED_YEARS.length} × app.request(PUT /v1/cycles/{${MEASURED_YEARS[0]}…${MEASURED_YEARS.at(-1)}}/province/scores), `
    + `each a JSON body of one whole cycle, ${fmt(perCycle)} rows (${fmt(batches.bodies.get(MEASURED_YEARS[0])!.length / 1024)} KiB); `
    + `time from request to parsed response, summed: ${serviceMs.toFixed(0)} ms → ${fmt(serviceRate)} rows/s `
    + `(per request: median ${perRequest[perRequest.length >> 1].toFixed(1)} ms, fastest ${perRequest[0].toFixed(1)} ms)`);
  console.log(`  raw better-sqlite3, one prepared single-row INSERT run for the same ${fmt(rows)} rows: in one transaction `
    + `${rawMs.toFixed(0)} ms → ${fmt(rawRate)} rows/s (service ${(serviceRate / rawRate).toFixed(2)}×); in one transaction per cycle, `
    + `committed durably as the service commits an upload, ${durableMs.toFixed(0)} ms → ${fmt(durableRate)} rows/s`);
  console.log(`  ratio service / raw with the service's commits: ${ratio.toFixed(2)}× (rounds: ${roundRatios}); target ≥ 0.70× — ${ratio >= 0.7 ? 'met' : 'NOT met'}`);
  record({ figure: `ingest, ${fmt(rows)} rows (PUT …/scores in-process)`, value: `${fmt(serviceRate)} rows/s`, floor: `${fmt(durableRate)} rows/s (prepared INSERT, a durable commit per cycle; ${fmt(rawRate)} in one transaction: ${(serviceRate / rawRate).toFixed(2)}×)`, ratio, target: '≥ 0.7×', met: ratio >= 0.7 });
}

// ── the load generator ─────────────────────────────────────────────────────────────────────────

export interface LoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number; timeouts: number; non2xx: number;
}

/** autocannon in a child process (its own event loop, so the server keeps a core), result as JSON. */
export function load(url: string, seconds: number): Promise<LoadResult> {
  const script = `import autocannon from 'autocannon';
const r = await autocannon({ url: ${JSON.stringify(url)}, connections: ${CONNECTIONS}, duration: ${seconds} });
process.stdout.write(JSON.stringify(r));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      const r = JSON.parse(out) as LoadResult;
      if (r.errors || r.timeouts || r.non2xx) return reject(new Error(`autocannon ${url}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx`));
      resolve(r);
    });
  });
}
