// Memory of the service as `npm start` runs it (issue 16), read from /proc in its own process:
// peak RSS during an ingest of ~105,000 score rows (17 uploads of a whole provincial cycle over
// HTTP), peak during a load at 50 connections on the published results, RSS after each of two
// identical loads, sampled every 25 ms. Whether loads leave memory behind is measured apart: V8
// lets the old space grow to its limit before collecting it, so RSS after a load climbs by some MiB
// a load while the live heap stays the same (--trace-gc: 24–27 MB after every mark-compact). A
// second service, its old space capped, must collect instead: there RSS after three identical
// loads says whether anything is kept.
import { startNodeServer, type NodeServer } from '../runtime/node-server.js';
import { cycleScores, load, MEASURED_YEARS, METHODOLOGY } from './service.js';
import { record } from './table.js';

const LOAD_SECONDS = 10;
/** The leak check's cap on the old space: above the 24–27 MB live after loads, far below V8's default. */
const CAPPED_OLD_SPACE_MIB = 64;
const LOADED_PATH = '/v1/cycles/2024/province/results';
const TOKEN = 'bench-admin-token-0123456789abcdef';
const headers = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };
const MiB = 1024 * 1024;
const mib = (bytes: number) => `${(bytes / MiB).toFixed(0)} MiB`;

/** The highest RSS of the server while `work` runs. */
async function peakDuring<T>(server: NodeServer, work: () => Promise<T>): Promise<{ peak: number; value: T }> {
  let peak = (await server.memory()).rss;
  let running = true;
  const sampler = (async () => {
    while (running) {
      peak = Math.max(peak, (await server.memory()).rss);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  try {
    const value = await work();
    return { value, peak: await stop() };
  } finally {
    await stop();
  }
  async function stop() {
    running = false;
    await sampler;
    return (peak = Math.max(peak, (await server.memory()).rss));
  }
}

async function ingest(server: NodeServer): Promise<number> {
  let rows = 0;
  for (const year of MEASURED_YEARS) {
    const cycle = await fetch(`${server.base}/v1/cycles`, { method: 'POST', headers, body: JSON.stringify({ year, unitType: 'province', methodology: METHODOLOGY }) });
    if (cycle.status !== 201) throw new Error(`POST /v1/cycles ${year}: ${cycle.status}`);
    const scores = cycleScores(year);
    const res = await fetch(`${server.base}/v1/cycles/${year}/province/scores`, { method: 'PUT', headers, body: JSON.stringify({ scores }) });
    if (res.status !== 200) throw new Error(`PUT ${year}: ${res.status} ${(await res.text()).slice(0, 200)}`);
    rows += scores.length;
  }
  return rows;
}

/** RSS peak during each of `count` identical loads, and RSS 1 s after each. */
async function identicalLoads(server: NodeServer, count: number): Promise<{ peak: number; after: number; rate: number }[]> {
  await load(server.base + LOADED_PATH, 1); // warm-up: the answer cached
  const loads: { peak: number; after: number; rate: number }[] = [];
  for (let i = 0; i < count; i++) {
    const { peak, value } = await peakDuring(server, () => load(server.base + LOADED_PATH, LOAD_SECONDS));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    loads.push({ peak, after: (await server.memory()).rss, rate: value.requests.average });
  }
  return loads;
}

const SERVICE_ENV = { PAR_RATE_LIMIT: String(Number.MAX_SAFE_INTEGER), PAR_ADMIN_TOKEN: TOKEN };

export async function benchMemory(): Promise<void> {
  const server = await startNodeServer(SERVICE_ENV, 'built');
  try {
    const atRest = (await server.memory()).rss;
    const ingested = await peakDuring(server, () => ingest(server));
    const afterIngest = (await server.memory()).rss;
    const loads = await identicalLoads(server, 2);
    console.log(`\nMemory of the service (npm start's build in its own process; RSS sampled every 25 ms): at rest ${mib(atRest)}`);
    console.log(`  ingest of ${ingested.value.toLocaleString('en-US')} rows (${MEASURED_YEARS.length} uploads over HTTP): peak ${mib(ingested.peak)}, after ${mib(afterIngest)}`);
    for (const [i, l] of loads.entries()) console.log(`  load ${i + 1} (GET ${LOADED_PATH}, 50 connections, ${LOAD_SECONDS} s, ${Math.round(l.rate)} req/s): peak ${mib(l.peak)}, 1 s after ${mib(l.after)}`);
    console.log(`  RSS after the second load − after the first: ${((loads[1].after - loads[0].after) / MiB).toFixed(1)} MiB (garbage V8 has not collected yet counts here)`);
    record({ figure: `memory: peak RSS, ${ingested.value.toLocaleString('en-US')}-row ingest`, value: mib(ingested.peak), floor: `${mib(atRest)} at rest`, ratio: ingested.peak / atRest, target: 'reported', met: true });
    record({ figure: `memory: peak RSS, load at 50 connections (${LOAD_SECONDS} s)`, value: mib(Math.max(loads[0].peak, loads[1].peak)), floor: `${mib(atRest)} at rest`, ratio: Math.max(loads[0].peak, loads[1].peak) / atRest, target: 'reported', met: true });
  } finally {
    await server.stop();
  }
  const capped = await startNodeServer({ ...SERVICE_ENV, NODE_OPTIONS: `--max-old-space-size=${CAPPED_OLD_SPACE_MIB}` }, 'built');
  try {
    const after = (await identicalLoads(capped, 3)).map((l) => l.after);
    const growth = after[2] - after[0];
    console.log(`  the same service, old space capped at ${CAPPED_OLD_SPACE_MIB} MiB so that V8 collects: RSS after three identical loads ${after.map(mib).join(', ')}; growth from the first to the third ${(growth / MiB).toFixed(1)} MiB (target: none beyond noise, ≤ 16 MiB)`);
    record({ figure: `memory: growth over three identical loads (old space capped at ${CAPPED_OLD_SPACE_MIB} MiB)`, value: `${(growth / MiB).toFixed(1)} MiB`, floor: `${mib(after[0])} after the first`, target: '≤ 16 MiB', met: growth <= 16 * MiB });
  } finally {
    await capped.stop();
  }
}
