// Node entry: the app over better-sqlite3, seeded with the demo data on first start. `npm start`
// runs it compiled (src/start.mjs); the tests run it through tsx.
import { serve } from '@hono/node-server';
import { loadCatalog } from './catalog/index.js';
import { createApp } from './http/app.js';
import type { AnalysisRunner } from './http/analyses.js';
import { openSqlite } from './store/sqlite.js';
import { isEmpty, seedIfEmpty } from './store/seed.js';
import { nodeLog } from './log.js';
import { analysisPool } from './threads/analysis-pool.js';
import { renderWithoutAsyncContext } from './web/no-async-context.js';

const file = process.env.PAR_DB ?? 'var/par.sqlite';
const port = Number(process.env.PORT ?? 8787);
const driver = openSqlite(file);
// The catalog (compiling every methodology) is built only for a database that needs seeding.
if (await isEmpty(driver) && await seedIfEmpty(driver, loadCatalog())) console.log(`seeded ${file} with reference data and the synthetic demo cycles`);
const origins = (process.env.PAR_CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean);
// PAR_ANALYSIS_THREADS=0 runs analyses on the event loop (as Workers do); default: cores − 1, at least 1.
const numberIn = (name: string) => (process.env[name] === undefined ? undefined : Number(process.env[name]));
const threads = numberIn('PAR_ANALYSIS_THREADS');
// The pool (and its warm thread, which loads the code for a second or more) starts once the server
// listens, so that it does not delay the first answers; an analysis asked before starts it then.
let pool: ReturnType<typeof analysisPool> | undefined;
const startPool = () => (pool ??= analysisPool({ threads, idleMs: numberIn('PAR_ANALYSIS_IDLE_MS') }));
const analyse: AnalysisRunner | undefined = threads === 0 ? undefined : (task) => startPool().run(task);
renderWithoutAsyncContext();
const log = nodeLog();
// Read once: process.env is slow to read (about 1 µs a name), and a request would read it twice.
const adminToken = process.env.PAR_ADMIN_TOKEN;
const rateLimit = numberIn('PAR_RATE_LIMIT') ?? 600;
const app = createApp({
  driver: () => driver,
  adminToken: () => adminToken,
  corsOrigins: () => origins,
  rateLimit: () => rateLimit,
  log,
  analyse,
});
// Work a route leaves for after its answer (a computed report's database cache) runs on after it,
// as waitUntil does on Workers; its failure is logged.
const afterAnswers = {
  waitUntil: (work: Promise<unknown>) => { work.catch((e) => log({ requestId: 'after-response', error: String(e), stack: (e as Error)?.stack }, 'error')); },
  passThroughOnException: () => {},
  props: {},
} as unknown as ExecutionContext;
serve({ fetch: (request, env) => app.fetch(request, env, afterAnswers), port }, (info) => {
  console.log(`PAR Index API on http://localhost:${info.port} (docs: /docs, database: ${file})`);
  if (analyse) setImmediate(startPool);
});
