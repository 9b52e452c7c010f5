// Start (issue 16): time from spawning `npm start` to a healthy GET /health, on an empty database
// (migrations and seeding with the demo cycles) and then on the database that start left; beside
// it, the floor of starting any Node process (`node -e ''`) and tsx's own start.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { record } from './table.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ROUNDS = 3;

/** Spawns a command in its own process group; resolves with the ms until `ready` resolved, then ends the group. */
async function timeUntil(command: string, args: string[], env: Record<string, string>, ready: (out: () => string) => Promise<void>): Promise<number> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.race([ready(() => out), exited.then(() => { if (!out.includes('__done__')) throw new Error(`${command} exited: ${out.slice(0, 500)}`); })]);
    return performance.now() - started;
  } finally {
    if (child.exitCode === null) { process.kill(-child.pid!, 'SIGTERM'); await exited; }
  }
}

/** Ready when the server has printed its port and /health answers 200. */
const healthy = async (out: () => string) => {
  for (;;) {
    const port = /on http:\/\/localhost:(\d+)/.exec(out())?.[1];
    if (port) {
      const res = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
      if (res?.status === 200) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

export async function benchStart(): Promise<void> {
  const empty: number[] = [], existing: number[] = [], bare: number[] = [], tsx: number[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'par-start-'));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const env = { PAR_DB: join(dir, `par-${round}.sqlite`), PORT: '0' };
      empty.push(await timeUntil('npm', ['start', '--silent'], env, healthy));
      existing.push(await timeUntil('npm', ['start', '--silent'], env, healthy));
      const done = async (out: () => string) => { while (!out().includes('__done__')) await new Promise((resolve) => setTimeout(resolve, 2)); };
      bare.push(await timeUntil(process.execPath, ['-e', 'console.log("__done__")'], {}, done));
      tsx.push(await timeUntil(process.execPath, ['--import', 'tsx', '-e', 'console.log("__done__")'], {}, done));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const best = (xs: number[]) => Math.min(...xs);
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  console.log(`\nStart: spawning \`npm start\` until GET /health answers 200; best of ${ROUNDS} (rounds: empty ${empty.map(ms).join(', ')}; existing ${existing.map(ms).join(', ')})`);
  console.log(`  empty database (migrations, seeding the reference and demo data): ${ms(best(empty))} (target ≤ 5,000 ms); existing database: ${ms(best(existing))} (target ≤ 1,000 ms)`);
  console.log(`  floors: node -e '' ${ms(best(bare))}; node --import tsx -e '' ${ms(best(tsx))}`);
  record({ figure: 'start, existing database (npm start → /health 200)', value: ms(best(existing)), floor: `${ms(best(bare))} (node -e '')`, ratio: best(existing) / best(bare), target: '≤ 1,000 ms', met: best(existing) <= 1000 });
  record({ figure: 'start, empty database with seeding', value: ms(best(empty)), floor: `${ms(best(bare))} (node -e '')`, ratio: best(empty) / best(bare), target: '≤ 5,000 ms', met: best(empty) <= 5000 });
}
