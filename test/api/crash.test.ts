// Crash safety of the real service process: SIGKILL it in the middle of a large upload, then open
// the database file directly. The file must pass SQLite's integrity check and the cycle being
// written must hold all of the batch or none of it, with a data version to match — never a part.
// Node only (spawns `node --import tsx src/node.ts`); loopback addresses only.
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './free-port.js';
import { loadCatalog } from '../../src/catalog/index.js';
import { unitsAssessedIn } from '../../src/engine/index.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const HOST = '127.0.0.1';
const METHODOLOGY = 'par-province-2022';
const CONTROL_YEAR = 2005;
/**
 * Where each kill lands, after the upload's body has been sent: at the first write to the WAL
 * file (the commit writing its pages), or at a time before the commit (inside the transaction's
 * inserts, or the validation before them), the commit's time being the latest seen in the same
 * conditions (a fresh process's first upload): the control upload, then the WAL-triggered kills.
 */
const KILLS: ({ at: 'wal'; label: string } | { at: 'before-commit'; ms: number; label: string })[] = [
  { at: 'wal', label: 'at the first write to the WAL (mid-commit)' },
  { at: 'wal', label: 'at the first write to the WAL, again' },
  { at: 'before-commit', ms: 5, label: '5 ms before the commit' },
  { at: 'before-commit', ms: 20, label: '20 ms before the commit' },
  { at: 'before-commit', ms: 45, label: '45 ms before the commit' },
];

let dir: string;
let file: string;

/** Every unit × every leaf of the cycle, values multiples of 0.05 within the leaf's max. */
function batch(year: number): { rows: number; body: string } {
  const catalog = loadCatalog();
  const compiled = catalog.methodologies.find((m) => m.methodology.id === METHODOLOGY)!;
  const scores = unitsAssessedIn(catalog.units.units, 'province', year).flatMap((unit, u) => compiled.leaves.map((leaf, i) => {
    const node = compiled.nodes[leaf];
    const steps = Math.floor(node.max / 0.05 + 1e-9);
    return { unit: unit.code, indicator: node.code, source: node.sources[0], value: Number((((u * 7 + i * 3 + year) % (steps + 1)) * 0.05).toFixed(2)) };
  }));
  return { rows: scores.length, body: JSON.stringify({ scores }) };
}


interface Service { child: ChildProcess; port: number; exited: Promise<void>; output: () => string }

async function startService(): Promise<Service> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/node.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PAR_DB: file, PORT: String(port), PAR_ADMIN_TOKEN: ADMIN_TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => { output = (output + d).slice(-4000); });
  child.stderr!.on('data', (d) => { output = (output + d).slice(-4000); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 40_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the service exited before answering /health:\n${output}`);
    try {
      const res = await fetch(`http://${HOST}:${port}/health`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`no answer from /health within 40 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, port, exited, output: () => output };
}

async function kill(service: Service): Promise<void> {
  if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
  await service.exited;
}

/** Headers of a write, as the admin the service is started with (PAR_ADMIN_TOKEN). */
const ADMIN_TOKEN = randomBytes(24).toString('base64url');
const authorised: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` };

async function openCycle(service: Service, year: number): Promise<void> {
  const res = await fetch(`http://${HOST}:${service.port}/v1/cycles`, {
    method: 'POST', headers: authorised, body: JSON.stringify({ year, unitType: 'province', methodology: METHODOLOGY }),
  });
  if (res.status !== 201) throw new Error(`POST /v1/cycles ${year}: ${res.status} ${await res.text()}`);
}

/** Resolves at the first change of the WAL file (size or modification time) once started. */
function watchWal(): { changed: Promise<number>; stop: () => void } {
  const wal = `${file}-wal`;
  const look = () => {
    try {
      const st = statSync(wal, { bigint: true });
      return `${st.size}@${st.mtimeNs}`;
    } catch {
      return 'none';
    }
  };
  const before = look();
  let timer: NodeJS.Timeout | undefined;
  const changed = new Promise<number>((resolve) => {
    timer = setInterval(() => {
      if (look() !== before) {
        clearInterval(timer);
        resolve(performance.now());
      }
    }, 1);
  });
  return { changed, stop: () => clearInterval(timer) };
}

interface Upload {
  /** resolves when the whole body has been handed to the socket */
  sent: Promise<number>;
  /** the response, or the connection error when the process dies first */
  done: Promise<{ status: number; body: string } | { error: string }>;
}

function upload(service: Service, year: number, body: string): Upload {
  let markSent!: (at: number) => void;
  const sent = new Promise<number>((r) => (markSent = r));
  const done = new Promise<{ status: number; body: string } | { error: string }>((resolve) => {
    const req = request({
      host: HOST, port: service.port, method: 'PUT', path: `/v1/cycles/${year}/province/scores`,
      headers: { ...authorised, 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      res.on('error', (e) => resolve({ error: String(e) }));
    });
    req.on('error', (e) => resolve({ error: String(e) }));
    req.on('finish', () => markSent(performance.now()));
    req.end(body);
  });
  return { sent, done };
}

interface CycleState { scores: number; dataVersion: number; audit: number | null; integrity: string }

/** The database file as the next process would find it, read without the service. */
function inspect(year: number): CycleState {
  const db = new Database(file);
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    const cycle = db.prepare('SELECT id, data_version AS dataVersion FROM cycles WHERE year = ? AND unit_type = ?').get(year, 'province') as { id: number; dataVersion: number } | undefined;
    if (!cycle) throw new Error(`no ${year} province cycle in the database`);
    const scores = (db.prepare('SELECT count(*) AS n FROM scores WHERE cycle_id = ?').get(cycle.id) as { n: number }).n;
    const hasAudit = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit'").get() !== undefined;
    const audit = hasAudit ? (db.prepare("SELECT count(*) AS n FROM audit WHERE cycle_id = ? AND action LIKE 'score%'").get(cycle.id) as { n: number }).n : null;
    return { scores, dataVersion: cycle.dataVersion, audit, integrity };
  } finally {
    db.close();
  }
}

function expectAllOrNothing(state: CycleState, rows: number): 'absent' | 'present' {
  expect(state.integrity).toBe('ok');
  expect([0, rows]).toContain(state.scores);
  if (state.scores === 0) {
    expect(state.dataVersion).toBe(0);
    if (state.audit !== null) expect(state.audit).toBe(0);
    return 'absent';
  }
  expect(state.dataVersion).toBe(1);
  if (state.audit !== null) expect(state.audit).toBe(63); // one entry per unit of the batch
  return 'present';
}

describe('SIGKILL during a large upload (real process, file database)', () => {
  /** the control upload: from the body sent to the first WAL write, and to the response */
  let commitMs = 0;
  let uploadMs = 0;
  const landed: string[] = [];
  /** attempts whose kill came before the service answered: the upload was being written */
  const inProgress: string[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'par-crash-'));
    file = join(dir, 'par.sqlite');
  });

  afterAll(() => {
    if (landed.length) console.log(`crash test:\n  ${landed.join('\n  ')}`);
    rmSync(dir, { recursive: true, force: true });
  });

  it('completes a whole upload when not killed, then survives a kill after it', async () => {
    const { rows, body } = batch(CONTROL_YEAR);
    expect(rows).toBe(63 * 98);
    const service = await startService(); // seeds the new file, as on a first start
    try {
      await openCycle(service, CONTROL_YEAR);
      const wal = watchWal();
      const { sent, done } = upload(service, CONTROL_YEAR, body);
      const result = await done;
      const answered = performance.now();
      wal.stop();
      expect(result, service.output()).toMatchObject({ status: 200 });
      expect(JSON.parse((result as { body: string }).body)).toMatchObject({ inserted: rows, dataVersion: 1 });
      const sentAt = await sent;
      uploadMs = answered - sentAt;
      commitMs = (await Promise.race([wal.changed, Promise.resolve(answered)])) - sentAt;
      landed.push(`control: ${rows} rows answered ${uploadMs.toFixed(0)} ms after the body was sent; first WAL write at ${commitMs.toFixed(0)} ms`);
    } finally {
      await kill(service);
    }
    expect(expectAllOrNothing(inspect(CONTROL_YEAR), rows)).toBe('present');
  });

  for (const [attempt, plan] of KILLS.entries()) {
    it(`keeps the cycle all or nothing when killed ${plan.label} (attempt ${attempt + 1})`, async () => {
      expect(uploadMs, 'the control upload ran').toBeGreaterThan(0);
      const year = CONTROL_YEAR + 1 + attempt;
      const { rows, body } = batch(year);
      const service = await startService(); // reopens the file the previous kill left behind
      let outcome: string;
      try {
        await openCycle(service, year);
        const wal = watchWal();
        const { sent, done } = upload(service, year, body);
        const sentAt = await sent;
        const trigger = plan.at === 'wal'
          ? wal.changed
          : new Promise<number>((resolve) => setTimeout(() => resolve(performance.now()), Math.max(0, sentAt + commitMs - plan.ms - performance.now())));
        const first = await Promise.race([trigger.then(() => 'kill' as const), done.then(() => 'answered' as const)]);
        if (first === 'kill') service.child.kill('SIGKILL');
        const killedAt = performance.now() - sentAt;
        if (plan.at === 'wal' && first === 'kill') commitMs = killedAt;
        const result = await done;
        wal.stop();
        const walWritten = await Promise.race([wal.changed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 0))]);
        if (first === 'kill' && 'error' in result) inProgress.push(`${plan.label}${walWritten ? ' (WAL written)' : ''}`);
        outcome = first === 'kill' && 'error' in result
          ? `killed ${killedAt.toFixed(0)} ms after the body was sent (${walWritten ? 'WAL written before the kill' : 'no WAL write yet'})`
          : `answered before the kill (status ${'status' in result ? result.status : '?'})`;
      } finally {
        await kill(service);
      }
      const state = inspect(year);
      const found = expectAllOrNothing(state, rows);
      landed.push(`attempt ${attempt + 1}, ${plan.label}: ${outcome} → ${found} (${state.scores} rows, data version ${state.dataVersion})`);
      // the earlier cycles are as they were
      expect(expectAllOrNothing(inspect(CONTROL_YEAR), batch(CONTROL_YEAR).rows)).toBe('present');
    });
  }

  // Otherwise every kill could have landed after the answer, and the checks above would prove nothing.
  it('landed at least one kill while an upload was in progress (killed before its answer)', () => {
    expect(inProgress.length, landed.join('\n')).toBeGreaterThan(0);
  });
});
