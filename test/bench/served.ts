// The served path (issue 16): published reads through the service exactly as `npm start` runs it
// (its own process, pino's request log, every middleware, analysis threads; the rate limit lifted)
// against plain node:http serving the very same bytes from a process of its own; both loaded by
// autocannon from a third process, interleaved rounds, the best of each shown. Also the uncached
// render time of each page (the first request to a fresh server builds it).
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodeServer } from '../runtime/node-server.js';
import { load, type LoadResult } from './service.js';
import { record } from './table.js';

const PATHS = ['/v1/cycles/2024/province/results', '/v1/cycles/2024/province/results.csv', '/vi/ranking/2024/province', '/vi/units/01/2024'];
const SECONDS = 5;
const ROUNDS = 3;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

async function plainServer(body: Uint8Array, type: string, dir: string, name: string) {
  const file = join(dir, name);
  await writeFile(file, body);
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./plain-server.ts', import.meta.url).pathname, file, type], { stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(/(http:\/\/\S+)/.exec(String(d))![1]));
    child.on('exit', (code) => reject(new Error(`plain server exited (${code})`)));
  });
  return { base, stop: () => { child.kill(); } };
}

export async function benchServed(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'par-served-'));
  const service = await startNodeServer({ PAR_RATE_LIMIT: String(Number.MAX_SAFE_INTEGER) });
  const plains: { stop: () => void }[] = [];
  try {
    console.log(`\nServed path: the service as npm start runs it vs plain node:http with the same bytes; autocannon, 50 connections, ${ROUNDS} interleaved rounds of ${SECONDS} s; best round`);
    for (const [i, path] of PATHS.entries()) {
      const started = performance.now();
      const first = await fetch(service.base + path);
      const body = new Uint8Array(await first.arrayBuffer());
      const uncached = performance.now() - started;
      if (first.status !== 200) throw new Error(`GET ${path}: ${first.status}`);
      const plain = await plainServer(body, first.headers.get('content-type')!, dir, `body-${i}`);
      plains.push(plain);
      const runs: { service: LoadResult[]; plain: LoadResult[] } = { service: [], plain: [] };
      await load(service.base + path, 1); // warm-up
      await load(plain.base + path, 1);
      for (let round = 0; round < ROUNDS; round++) {
        runs.service.push(await load(service.base + path, SECONDS));
        runs.plain.push(await load(plain.base + path, SECONDS));
      }
      const best = (rs: LoadResult[]) => rs.reduce((a, b) => (b.requests.average > a.requests.average ? b : a));
      const [s, p] = [best(runs.service), best(runs.plain)];
      const ratio = s.requests.average / p.requests.average;
      console.log(`  GET ${path} (${(body.length / 1024).toFixed(0)} KiB; first answer ${uncached.toFixed(0)} ms): service ${fmt(s.requests.average)} req/s (p99 ${s.latency.p99} ms), `
        + `plain ${fmt(p.requests.average)} req/s (p99 ${p.latency.p99} ms): ${ratio.toFixed(2)}×; target ≥ 0.80× — ${ratio >= 0.8 ? 'met' : 'NOT met'}`);
      record({ figure: `served: GET ${path}`, value: `${fmt(s.requests.average)} req/s, p99 ${s.latency.p99} ms`, floor: `${fmt(p.requests.average)} req/s, p99 ${p.latency.p99} ms (node:http)`, ratio, target: '≥ 0.8×', met: ratio >= 0.8 });
      plain.stop();
    }
  } finally {
    for (const p of plains) p.stop();
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
