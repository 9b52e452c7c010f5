// The service beside its floor, measured side by side in one run (ratios hold where absolute
// numbers drift; other work on the machine moves both sides of a round alike):
//  a. score ingest through the API (app.request PUT …/scores) vs one prepared better-sqlite3
//     INSERT of the same rows, on the same file-backed WAL setup, in one transaction per cycle
//     committed durably as the service commits an upload (and, beside it, in one transaction);
//  b. GET …/results through @hono/node-server vs a bare Hono app returning the same bytes,
//     both loaded by autocannon (programmatic API) running in a child process.
import { serve } from '@hono/node-server';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
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
const RESULTS_PATH = '/v1/cycles/2023/province/results';
const CONNECTIONS = 50;
const SECONDS = 5;
const LOAD_ROUNDS = 3;
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
export const benchServiceResults = () => inTempDir(benchResults);

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

// ── b. GET results ─────────────────────────────────────────────────────────────────────────────

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

async function listen(fetch: (req: Request) => Response | Promise<Response>) {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const close = () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
  });
  return { url: `http://127.0.0.1:${port}${RESULTS_PATH}`, close };
}

interface Target { label: string; url: string; runs: { rate: number; cpuPerRequest: number; r: LoadResult }[] }

async function benchResults(dir: string): Promise<void> {
  const driver = openSqlite(join(dir, 'results.sqlite'));
  // As src/node.ts: one JSON log line per request, written synchronously (console.log to a file or a
  // pipe is synchronous on Linux), here to /dev/null so that no terminal is part of the figure.
  const devNull = openSync('/dev/null', 'w');
  const servers: Awaited<ReturnType<typeof listen>>[] = [];
  try {
    await seedIfEmpty(driver, loadCatalog());
    const app = benchApp({ driver: () => driver, log: (line) => { writeSync(devNull, `${JSON.stringify(line)}\n`); } });
    const sample = await app.request(RESULTS_PATH);
    if (sample.status !== 200) throw new Error(`GET ${RESULTS_PATH}: ${sample.status} ${await sample.text()}`);
    const type = sample.headers.get('content-type')!;
    const text = await sample.text();
    const bytes = new TextEncoder().encode(text);
    const bareBytes = new Hono().get(RESULTS_PATH, (c) => c.body(bytes, 200, { 'content-type': type }));
    const bareString = new Hono().get(RESULTS_PATH, (c) => c.body(text, 200, { 'content-type': type }));

    const targets: Target[] = [];
    for (const [label, fetch] of [
      ['service: createApp as in src/node.ts (a log line per request, rate limit lifted)', app.fetch],
      ['bare Hono, one handler: the same bytes pre-encoded (Uint8Array)', bareBytes.fetch],
      ['bare Hono, one handler: the same JSON as a pre-serialised string', bareString.fetch],
    ] as const) {
      const server = await listen(fetch);
      servers.push(server);
      const first = await globalThis.fetch(server.url);
      if (first.status !== 200 || (await first.text()) !== text) throw new Error(`${label}: GET ${RESULTS_PATH} → ${first.status} or other bytes`);
      await load(server.url, 1); // warm-up
      targets.push({ label, url: server.url, runs: [] });
    }
    // Interleaved rounds: load on the machine from elsewhere falls on every target alike.
    for (let round = 0; round < LOAD_ROUNDS; round++) {
      for (const t of targets) {
        const cpu = process.cpuUsage();
        const r = await load(t.url, SECONDS);
        const used = process.cpuUsage(cpu);
        t.runs.push({ rate: r.requests.average, cpuPerRequest: (used.user + used.system) / r.requests.total, r });
      }
    }

    const best = (t: Target) => t.runs.reduce((a, b) => (b.rate > a.rate ? b : a));
    const minCpu = (t: Target) => Math.min(...t.runs.map((r) => r.cpuPerRequest));
    const [service, floor, floorString] = targets;
    console.log(`\nService: GET ${RESULTS_PATH} (${(bytes.byteLength / 1024).toFixed(1)} KiB, ${type}) over @hono/node-server on 127.0.0.1; `
      + `autocannon in a child process, ${CONNECTIONS} connections, ${LOAD_ROUNDS} interleaved rounds of ${SECONDS} s after a 1 s warm-up; best round shown`);
    for (const t of targets) {
      const b = best(t);
      console.log(`  ${t.label}: ${fmt(b.rate)} req/s (p50 ${b.r.latency.p50} ms, p99 ${b.r.latency.p99} ms; rounds ${t.runs.map((r) => fmt(r.rate)).join(', ')}), `
        + `server CPU ${fmt(minCpu(t))} µs/request`);
    }
    const ratio = best(service).rate / best(floor).rate;
    console.log(`  ratio service / bare (bytes): ${ratio.toFixed(2)}× req/s, ${(minCpu(floor) / minCpu(service)).toFixed(2)}× by server CPU per request; target ≥ 0.80× — ${ratio >= 0.8 ? 'met' : 'NOT met'}`);
    record({ figure: 'results JSON in-process server vs bare Hono', value: `${fmt(best(service).rate)} req/s`, floor: `${fmt(best(floor).rate)} req/s (bare Hono, bytes)`, ratio, target: '≥ 0.8×', met: ratio >= 0.8 });
    console.log(`  ratio service / bare (string): ${(best(service).rate / best(floorString).rate).toFixed(2)}× req/s, ${(minCpu(floorString) / minCpu(service)).toFixed(2)}× by server CPU per request`);
  } finally {
    for (const s of servers) await s.close();
    closeSync(devNull);
    driver.sqlite.close();
  }
}
