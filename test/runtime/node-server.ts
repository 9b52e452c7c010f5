// The real Node server (src/node.ts, as `npm start` runs it) in a child process on a temporary
// database and a free port, for the tests and benchmarks that need sockets, threads and a process
// of their own.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NodeServer {
  base: string;
  pid: number;
  /** the server process's resident memory now (VmRSS) and its peak so far (VmHWM), in bytes (Linux) */
  memory(): Promise<{ rss: number; peak: number }>;
  stop(): Promise<void>;
}

const ROOT = new URL('../..', import.meta.url).pathname;

/**
 * `entry: 'built'` runs what `npm start` runs (src/start.mjs: the bundle, built when stale);
 * the default runs the TypeScript through tsx, as the rest of the suite does.
 */
export async function startNodeServer(env: Record<string, string> = {}, entry: 'source' | 'built' = 'source'): Promise<NodeServer> {
  const dir = await mkdtemp(join(tmpdir(), 'par-server-'));
  const args = entry === 'built' ? ['src/start.mjs'] : ['--import', 'tsx', 'src/node.ts'];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PAR_DB: join(dir, 'par.sqlite'), PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const port = /on http:\/\/localhost:(\d+)/.exec(out)?.[1];
      if (port) { child.stdout!.removeAllListeners('data'); child.stdout!.resume(); resolve(`http://localhost:${port}`); }
    });
    child.on('exit', (code) => reject(new Error(`the server exited (${code}): ${out}`)));
  });
  let exit = '';
  child.on('exit', (code, signal) => { exit = `the server exited (code ${code}, signal ${signal})`; });
  // Read after the server died, /proc says ENOENT: say what happened instead.
  const kB = async (field: string) => {
    if (exit) throw new Error(exit);
    return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(await readFile(`/proc/${child.pid}/status`, 'utf8'))![1]) * 1024;
  };
  return {
    base,
    pid: child.pid!,
    memory: async () => ({ rss: await kB('VmRSS'), peak: await kB('VmHWM') }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
