// The service beside its floor, measured side by side in one run:
//  a. score ingest through the API (app.request PUT …/scores) vs a prepared better-sqlite3 INSERT
//     of the same rows in one transaction, on the same file-backed WAL setup;
//  b. GET …/results through @hono/node-server vs a bare Hono app returning the same bytes,
//     both loaded by autocannon running in a child process.
import { serve } from '@hono/node-server';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { loadCatalog } from '../../src/catalog/index.js';
import { mulberry32 } from '../../src/demo/random.js';
import { unitsAssessedIn } from '../../src/engine/index.js';
import { createApp } from '../../src/http/app.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { seedIfEmpty } from '../../src/store/seed.js';

const METHODOLOGY = 'par-province-2022';
const WARMUP_YEARS = [1990, 1991];
const MEASURED_YEARS = Array.from({ length: 17 }, (_, i) => 2000 + i); // 17 × 6,174 = 104,958 rows
const RESULTS_PATH = '/v1/cycles/2023/province/results';
const CONNECTIONS = 50;
const SECONDS = 5;
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

interface Score { unit: string; indicator: string; source: string; value: number }

export async function benchService(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'par-bench-'));
  try {
    await benchIngest(dir);
    await benchResults(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every unit × every leaf of the cycle, values multiples of 0.05 within the leaf's max. */
function cycleScores(year: number): Score[] {
  const catalog = loadCatalog();
  const compiled = catalog.methodologies.find((m) => m.methodology.id === METHODOLOGY)!;
  const random = mulberry32(year);
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

const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000));
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

async function benchIngest(dir: string): Promise<void> {
  const catalog = loadCatalog();
  const years = [...WARMUP_YEARS, ...MEASURED_YEARS];
  const batches = new Map(years.map((y) => [y, cycleScores(y)]));
  const bodies = new Map(years.map((y) => [y, JSON.stringify({ scores: batches.get(y) })]));
  const measuredRows = MEASURED_YEARS.reduce((n, y) => n + batches.get(y)!.length, 0);
  const perCycle = batches.get(MEASURED_YEARS[0])!.length;

  // Service: the app over a file-backed database with the reference data, cycles opened through the API.
  const service = openSqlite(join(dir, 'ingest-service.sqlite'));
  await seedIfEmpty(service, catalog, { demo: false });
  const app = createApp({ driver: () => service });
  for (const year of years) {
    const res = await app.request('/v1/cycles', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ year, unitType: 'province', methodology: METHODOLOGY }),
    });
    if (res.status !== 201) throw new Error(`POST /v1/cycles ${year}: ${res.status} ${await res.text()}`);
  }
  const put = async (year: number) => {
    const started = performance.now();
    const res = await app.request(`/v1/cycles/${year}/province/scores`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: bodies.get(year)!,
    });
    const outcome = await res.json() as { inserted?: number };
    const ms = performance.now() - started;
    if (res.status !== 200 || outcome.inserted !== batches.get(year)!.length) throw new Error(`PUT ${year}: ${res.status} ${JSON.stringify(outcome).slice(0, 500)}`);
    return ms;
  };
  for (const year of WARMUP_YEARS) await put(year);
  const perRequest: number[] = [];
  for (const year of MEASURED_YEARS) perRequest.push(await put(year));
  const serviceMs = perRequest.reduce((a, b) => a + b, 0);
  service.sqlite.close();

  // Raw: same setup (openSqlite: file, WAL, synchronous=NORMAL, foreign keys, same migrations), the
  // parent rows the foreign keys need, then one prepared INSERT of the same rows in one transaction.
  const raw = openSqlite(join(dir, 'ingest-raw.sqlite'));
  await seedIfEmpty(raw, catalog, { demo: false });
  const db = raw.sqlite;
  const cycleIds = new Map<number, number>();
  for (const year of years) {
    const info = db.prepare('INSERT INTO cycles (year, unit_type, methodology_id, methodology_version) VALUES (?, ?, ?, ?)').run(year, 'province', METHODOLOGY, 1);
    cycleIds.set(year, Number(info.lastInsertRowid));
  }
  const now = new Date().toISOString();
  const tuples = (ys: number[]) => ys.flatMap((y) => batches.get(y)!.map((s) => [cycleIds.get(y), s.unit, s.indicator, s.source, JSON.stringify(s.value), s.value, null, null, now, 'bench']));
  const insert = db.prepare('INSERT INTO scores (cycle_id, unit, indicator, source, value, points, note, evidence, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insertAll = db.transaction((rows: unknown[][]) => { for (const r of rows) insert.run(r); });
  insertAll(tuples(WARMUP_YEARS));
  const rows = tuples(MEASURED_YEARS);
  const started = performance.now();
  insertAll(rows);
  const rawMs = performance.now() - started;
  const stored = (db.prepare('SELECT count(*) AS n FROM scores').get() as { n: number }).n;
  if (stored !== rows.length + tuples(WARMUP_YEARS).length) throw new Error(`raw insert stored ${stored} rows`);
  raw.sqlite.close();

  const sorted = [...perRequest].sort((a, b) => a - b);
  const serviceRate = rate(measuredRows, serviceMs), rawRate = rate(measuredRows, rawMs);
  console.log(`\nService: ingest of ${fmt(measuredRows)} score rows into fresh cycles (file-backed WAL SQLite in a temp dir; after ${WARMUP_YEARS.length} warm-up batches)`);
  console.log(`  service: ${MEASURED_YEARS.length} requests app.request(PUT /v1/cycles/{${MEASURED_YEARS[0]}…${MEASURED_YEARS.at(-1)}}/province/scores), each a JSON body of ${fmt(perCycle)} rows `
    + `(${(bodies.get(MEASURED_YEARS[0])!.length / 1024).toFixed(0)} KiB), time summed from request to parsed response: `
    + `${serviceMs.toFixed(0)} ms → ${fmt(serviceRate)} rows/s (per request: median ${sorted[sorted.length >> 1].toFixed(1)} ms, min ${sorted[0].toFixed(1)} ms)`);
  console.log(`  raw better-sqlite3: one prepared INSERT run for the same ${fmt(measuredRows)} rows (pre-built arrays) in one transaction: `
    + `${rawMs.toFixed(0)} ms → ${fmt(rawRate)} rows/s`);
  console.log(`  ratio service / raw: ${(serviceRate / rawRate).toFixed(2)}× (target ≥ 0.50×) ${serviceRate / rawRate >= 0.5 ? 'met' : 'NOT met'}`);
}

interface LoadResult { requests: { average: number; total: number }; latency: { p50: number; p99: number }; errors: number; timeouts: number; non2xx: number; throughput: { average: number } }

/** autocannon in a child process (its own event loop and core), programmatic API, result as JSON. */
function load(url: string, seconds: number): Promise<LoadResult> {
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

async function measure(name: string, fetch: (req: Request) => Response | Promise<Response>) {
  const server = await listen(fetch);
  try {
    const first = await globalThis.fetch(server.url);
    if (first.status !== 200) throw new Error(`${name}: GET ${RESULTS_PATH} → ${first.status}`);
    await first.arrayBuffer();
    await load(server.url, 1); // warm-up
    return await load(server.url, SECONDS);
  } finally {
    await server.close();
  }
}

async function benchResults(dir: string): Promise<void> {
  const driver = openSqlite(join(dir, 'results.sqlite'));
  await seedIfEmpty(driver, loadCatalog());
  // As src/node.ts: one JSON log line per request, written synchronously (console.log to a file or
  // pipe is synchronous on Linux) — here to /dev/null, so the terminal is not part of the figure.
  const devNull = openSync('/dev/null', 'w');
  const logged = createApp({ driver: () => driver, log: (line) => { writeSync(devNull, `${JSON.stringify(line)}\n`); } });
  const quiet = createApp({ driver: () => driver });

  const sample = await logged.request(RESULTS_PATH);
  const type = sample.headers.get('content-type')!;
  const body = await sample.text();
  const bare = new Hono();
  bare.get(RESULTS_PATH, (c) => c.body(body, 200, { 'content-type': type }));

  const results: [string, LoadResult][] = [];
  try {
    results.push(['service (createApp as in src/node.ts, log line per request to /dev/null)', await measure('service', logged.fetch)]);
    results.push(['service without the per-request log line', await measure('service (no log)', quiet.fetch)]);
    results.push(['bare Hono, one handler returning the same bytes', await measure('bare', bare.fetch)]);
  } finally {
    closeSync(devNull);
    driver.sqlite.close();
  }
  const bareRate = results[2][1].requests.average;
  console.log(`\nService: GET ${RESULTS_PATH} (${(Buffer.byteLength(body) / 1024).toFixed(1)} KiB, ${type}) over @hono/node-server on 127.0.0.1, `
    + `autocannon in a child process, ${CONNECTIONS} connections, ${SECONDS} s after a 1 s warm-up`);
  for (const [label, r] of results) {
    console.log(`  ${label}: ${fmt(r.requests.average)} req/s (p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${fmt(r.requests.total)} requests)`
      + (r === results[2][1] ? '' : ` → ${(r.requests.average / bareRate).toFixed(2)}× bare`));
  }
  const ratio = results[0][1].requests.average / bareRate;
  console.log(`  ratio service / bare: ${ratio.toFixed(2)}× (target ≥ 0.80×) ${ratio >= 0.8 ? 'met' : 'NOT met'}`);
}
