// The served path (issue 16): published reads through the service exactly as `npm start` runs it
// (its own process, pino's request log, every middleware, analysis threads; the rate limit lifted)
// against plain node:http serving the very same bytes from a process of its own; both loaded by
// autocannon from a third process, interleaved rounds, the best of each shown. Beside them, a bare
// Hono app over @hono/node-server with the same bytes: the ceiling of any app on this framework.
// Also the uncached render time of each page (the first request to a fresh server builds it), and
// each server's CPU per request: on 2 cores the load generator takes one, so the rates measure it
// as much as the servers, and the CPU says what each server costs.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load, type LoadResult } from './service.js';
import { record } from './table.js';

const PATHS = ['/v1/cycles/2024/province/results', '/v1/cycles/2024/province/results.csv', '/vi/ranking/2024/province', '/vi/units/01/2024'];
const SECONDS = 5;
const ROUNDS = 3;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

/** The floors: plain node:http, and a bare Hono app over @hono/node-server (the framework's own ceiling), serving the same bytes. */
async function plainServer(body: Uint8Array, type: string, dir: string, name: string, kind: 'node' | 'hono') {
  const file = join(dir, name);
  await writeFile(file, body);
  return listening(['--import', 'tsx', new URL('./plain-server.ts', import.meta.url).pathname, file, type, kind]);
}

/** A child process printing `… http://localhost:<port> …` once it listens: its base URL, and how to stop it. */
async function listening(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      const port = /http:\/\/localhost:(\d+)/.exec(out)?.[1];
      if (port) { child.stdout.removeAllListeners('data'); child.stdout.resume(); resolve(`http://localhost:${port}`); }
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}): ${out.slice(0, 500)}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { base, pid: child.pid, stop: async () => { if (child.exitCode === null && child.signalCode === null) { child.kill(); await exited; } } };
}

/**
 * The CPU time a process has used, in µs (user + system, from /proc: Linux; undefined elsewhere).
 * Per request, it is the server's own cost, steady where the rate moves with the load generator's
 * share of the 2 cores: the ratio a server that needs less of a core would reach when it is the limit.
 */
function cpuMicros(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * (1e6 / CLOCK_TICKS);
  } catch {
    return undefined;
  }
}
const CLOCK_TICKS = 100; // USER_HZ, 100 on Linux

/** A load on one server, with the server's CPU per request beside it. */
async function loadWithCpu(server: { base: string; pid?: number }, path: string): Promise<LoadResult & { cpu?: number }> {
  const before = cpuMicros(server.pid);
  const result = await load(server.base + path, SECONDS);
  const after = cpuMicros(server.pid);
  return { ...result, cpu: before === undefined || after === undefined ? undefined : (after - before) / result.requests.total };
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The service exactly as `npm start` runs it (compiled, src/start.mjs), on a database of its own, the rate limit lifted. */
const startService = (dir: string) => listening(['src/start.mjs'], { PAR_DB: join(dir, 'par.sqlite'), PORT: '0', PAR_RATE_LIMIT: String(Number.MAX_SAFE_INTEGER) });

export async function benchServed(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'par-served-'));
  const service = await startService(dir);
  const plains: { stop: () => Promise<void> }[] = [];
  try {
    console.log(`\nServed path: the service as npm start runs it vs plain node:http with the same bytes; autocannon, 50 connections, ${ROUNDS} interleaved rounds of ${SECONDS} s; best round`);
    for (const [i, path] of PATHS.entries()) {
      const started = performance.now();
      const first = await fetch(service.base + path);
      const body = new Uint8Array(await first.arrayBuffer());
      const uncached = performance.now() - started;
      if (first.status !== 200) throw new Error(`GET ${path}: ${first.status}`);
      const type = first.headers.get('content-type')!;
      const plain = await plainServer(body, type, dir, `body-${i}`, 'node');
      const hono = await plainServer(body, type, dir, `body-${i}`, 'hono');
      plains.push(plain, hono);
      type Run = LoadResult & { cpu?: number };
      const runs: Record<'service' | 'plain' | 'hono', Run[]> = { service: [], plain: [], hono: [] };
      for (const base of [service.base, plain.base, hono.base]) await load(base + path, 1); // warm-up
      for (let round = 0; round < ROUNDS; round++) {
        runs.service.push(await loadWithCpu(service, path));
        runs.plain.push(await loadWithCpu(plain, path));
        runs.hono.push(await loadWithCpu(hono, path));
      }
      const best = (rs: Run[]) => rs.reduce((a, b) => (b.requests.average > a.requests.average ? b : a));
      // The least CPU per request of the rounds: the cost with the least interference.
      const cpu = (rs: Run[]) => Math.min(...rs.map((r) => r.cpu ?? Number.NaN));
      const [cpuService, cpuPlain] = [cpu(runs.service), cpu(runs.plain)];
      const cpuNote = Number.isNaN(cpuService) ? '' : `; server CPU per request: service ${cpuService.toFixed(0)} µs, plain ${cpuPlain.toFixed(0)} µs (${(cpuPlain / cpuService).toFixed(2)}×)`;
      const [s, p, h] = [best(runs.service), best(runs.plain), best(runs.hono)];
      const ratio = s.requests.average / p.requests.average;
      const honoRatio = h.requests.average / p.requests.average;
      console.log(`  GET ${path} (${(body.length / 1024).toFixed(0)} KiB; first answer ${uncached.toFixed(0)} ms): service ${fmt(s.requests.average)} req/s (p99 ${s.latency.p99} ms), `
        + `plain ${fmt(p.requests.average)} req/s (p99 ${p.latency.p99} ms): ${ratio.toFixed(2)}×; target ≥ 0.80× — ${ratio >= 0.8 ? 'met' : 'NOT met'}; `
        + `bare Hono with the same bytes ${fmt(h.requests.average)} req/s: ${honoRatio.toFixed(2)}×${cpuNote}`);
      record({ figure: `served: GET ${path}`, value: `${fmt(s.requests.average)} req/s, p99 ${s.latency.p99} ms`, floor: `${fmt(p.requests.average)} req/s, p99 ${p.latency.p99} ms (node:http; bare Hono ${honoRatio.toFixed(2)}×${Number.isNaN(cpuService) ? '' : `; CPU/request ${cpuService.toFixed(0)} vs ${cpuPlain.toFixed(0)} µs`})`, ratio, target: '≥ 0.8×', met: ratio >= 0.8 });
      await plain.stop();
      await hono.stop();
    }
  } finally {
    for (const p of plains) await p.stop();
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
