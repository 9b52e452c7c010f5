// A load of the heaviest anonymous requests the budgets admit, sent concurrently to the real server
// while /health is asked every few milliseconds: how long /health waits, what the heavy requests
// got, and the server's memory before, at its peak and once the load is over. The acceptance test
// (test/api/load.test.ts) asserts generous bounds on these figures; `npm run bench load` prints them.
import type { NodeServer } from '../runtime/node-server.js';
import { heavyCases } from './budgets.js';
import { record } from './table.js';

export interface LoadFigures {
  heavy: { sent: number; statuses: Record<number, number>; seconds: number };
  health: { count: number; failed: number; p50: number; p95: number; max: number };
  /** resident bytes: at rest before any heavy request, at the peak, and the lowest in the `settleMs` after the load */
  memory: { before: number; peak: number; after: number };
}

export interface LoadOptions {
  /** heavy requests in flight at once */
  concurrency?: number;
  /** times each case is sent */
  rounds?: number;
  /** pause between two /health requests, ms */
  healthEvery?: number;
  /** wait after the load before the last memory reading, ms (past the pool's idle time: its threads exit) */
  settleMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

export async function heavyLoad(server: NodeServer, options: LoadOptions = {}): Promise<LoadFigures> {
  const { concurrency = 8, rounds = 2, healthEvery = 20, settleMs = 3000 } = options;
  const cases = heavyCases().map((c) => ({ ...c, text: JSON.stringify(c.body) }));
  /** The answer's status, or 0 when the connection failed (counted, not thrown: the figures tell). */
  const send = async (c: (typeof cases)[number]) => {
    try {
      const res = await fetch(server.base + c.path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: c.text });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 0;
    }
  };
  await fetch(`${server.base}/health`);
  const before = (await server.memory()).rss;
  for (const c of cases) await send(c); // warm: threads started, code compiled, caches filled

  let running = true;
  const latencies: number[] = [];
  let failed = 0;
  const probe = (async () => {
    while (running) {
      const started = performance.now();
      const ok = await fetch(`${server.base}/health`).then((r) => r.ok, () => false);
      latencies.push(performance.now() - started);
      if (!ok) failed++;
      await sleep(healthEvery);
    }
  })();

  const queue = Array.from({ length: rounds }, () => cases).flat();
  const statuses: Record<number, number> = {};
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const status = await send(c);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  running = false;
  await probe;
  const peak = (await server.memory()).peak;
  // The lowest reading over the settling time: a thread exiting and its fresh one starting pass through it.
  let after = Infinity;
  for (const end = performance.now() + settleMs; performance.now() < end; await sleep(250)) after = Math.min(after, (await server.memory()).rss);

  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    heavy: { sent: cases.length * rounds, statuses, seconds },
    health: { count: sorted.length, failed, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted[sorted.length - 1] ?? NaN },
    memory: { before, peak, after },
  };
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;
const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;

/** `npm run bench load`: the same load on the server as `npm start` runs it, then with analyses on the event loop. */
export async function benchLoad(): Promise<void> {
  const { startNodeServer } = await import('../runtime/node-server.js');
  console.log('\nLoad: the heaviest anonymous requests (every budget at its edge, twice each), 8 at a time, against the real server; /health asked every 20 ms');
  const rows: [string, LoadFigures][] = [];
  for (const [label, env] of [['analysis threads (default)', {}], ['on the event loop (PAR_ANALYSIS_THREADS=0)', { PAR_ANALYSIS_THREADS: '0' }]] as const) {
    const server = await startNodeServer({ PAR_RATE_LIMIT: '100000', PAR_ANALYSIS_IDLE_MS: '1000', ...env });
    try {
      const f = await heavyLoad(server, { concurrency: 8, rounds: 2, settleMs: 2500 });
      rows.push([label, f]);
      const statuses = Object.entries(f.heavy.statuses).map(([s, n]) => `${n}× ${s}`).join(', ');
      console.log(`  ${label}: ${f.heavy.sent} heavy requests in ${f.heavy.seconds.toFixed(1)} s (${statuses})`);
      console.log(`    /health: ${f.health.count} answers, ${f.health.failed} failed; p50 ${ms(f.health.p50)}, p95 ${ms(f.health.p95)}, max ${ms(f.health.max)} (goal: under 100 ms)`);
      console.log(`    memory (RSS): ${mib(f.memory.before)} at rest, peak ${mib(f.memory.peak)}, ${mib(f.memory.after)} 2.5 s after`);
    } finally {
      await server.stop();
    }
  }
  const [pool, loop] = rows.map(([, f]) => f);
  console.log(`  /health p95 on the event loop / with threads: ${(loop.health.p95 / pool.health.p95).toFixed(0)}×`);
  record({ figure: 'load: /health p50 under the heaviest requests', value: ms(pool.health.p50), floor: `${ms(loop.health.p50)} on the event loop`, ratio: pool.health.p50 / loop.health.p50, target: '≤ 100 ms', met: pool.health.p50 <= 100 });
}
