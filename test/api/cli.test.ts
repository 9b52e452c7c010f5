// The par-index command, as a user runs it: the real binary (src/cli/bin.mjs, the package's "bin")
// against the real service started here (`node --import tsx src/node.ts`, a fresh database), its
// effects checked through the API. Node only (spawns processes; loopback addresses only).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './free-port.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(repoRoot, 'src/cli/bin.mjs');
const HOST = '127.0.0.1';
const ADMIN_TOKEN = randomBytes(24).toString('base64url');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const NEW_ID = 'cli-test-2026';
const CYCLE = '/v1/cycles/2026/province';

/** What the service's contract (committed, generated from the routes) says it offers. */
const contract = JSON.parse(readFileSync(join(repoRoot, 'openapi/openapi.json'), 'utf8')) as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> }; responses: Record<string, { content?: Record<string, unknown> }> }>> };
const servesXlsx = (path: string) => XLSX in (contract.paths[`/v1/cycles/{year}/{unitType}${path}`]?.get.responses['200'].content ?? {});
const offersResultsXlsx = servesXlsx('/results.xlsx') || servesXlsx('/results');
const takesScoresXlsx = XLSX in (contract.paths['/v1/cycles/{year}/{unitType}/scores']?.put.requestBody?.content ?? {});
const offersTemplate = '/v1/cycles/{year}/{unitType}/scores/template' in contract.paths;
const hasScript = spawnSync('script', ['--version']).status === 0;

let dir: string;
let service: ChildProcess;
let base: string;
/** Everything the command wrote in these tests without a terminal: checked for control characters. */
const plainOutput: string[] = [];


async function startService(): Promise<void> {
  const port = await freePort();
  base = `http://${HOST}:${port}`;
  service = spawn(process.execPath, ['--import', 'tsx', 'src/node.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PAR_DB: join(dir, 'par.sqlite'), PORT: String(port), PAR_ADMIN_TOKEN: ADMIN_TOKEN, PAR_ANALYSIS_THREADS: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  service.stdout!.on('data', (d) => { output = (output + d).slice(-4000); });
  service.stderr!.on('data', (d) => { output = (output + d).slice(-4000); });
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (service.exitCode !== null) throw new Error(`the service exited before answering /health:\n${output}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`no answer from /health within 120 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface Run { code: number | null; stdout: string; stderr: string }

/** Runs the binary itself (its shebang), as `npx par-index` does, with the admin's key unless told otherwise. */
function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { cwd: dir, env: { ...process.env, PAR_URL: base, PAR_KEY: ADMIN_TOKEN, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      plainOutput.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const api = (path: string) => fetch(`${base}${path}`, { headers: admin });
const json = async <T = Record<string, unknown>>(path: string) => (await (await api(path)).json()) as T;
const draftScores = () => json<{ scores: { unit: string; indicator: string; value: number }[] }>(`${CYCLE}/scores?revision=draft`);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'par-cli-'));
  const started = Date.now();
  await startService();
  console.log(`the service answered /health after ${Date.now() - started} ms`);
}, 150_000);

afterAll(() => {
  if (service && service.exitCode === null) service.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('par-index, the command line, against the real service', () => {
  it('has --help for the tool and for every command, listing each option and the exit codes', async () => {
    const tool = await cli(['--help']);
    expect(tool.code).toBe(0);
    const commands = [...tool.stdout.matchAll(/^ {2}([a-z]+) ([a-z]+) {2,}/gm)].map((m) => [m[1], m[2]]);
    expect(commands).toEqual([
      ['methodology', 'import'], ['methodology', 'export'], ['cycle', 'create'], ['cycle', 'status'],
      ['template', 'download'], ['scores', 'upload'], ['results', 'download'], ['publication', 'export'],
    ]);
    const helps = await Promise.all(commands.map((words) => cli([...words, '--help'])));
    const expected: Record<string, string[]> = {
      'methodology import': ['--dry-run'], 'methodology export': ['--format', '--out', '--methodology-version', '--lang'],
      'cycle create': ['--methodology', '--methodology-version'], 'cycle status': ['--reason', '--decision-number', '--decision-date'],
      'template download': ['--out'], 'scores upload': ['--dry-run'], 'results download': ['--format', '--out', '--revision', '--lang'],
      'publication export': ['--to', '--revision', '--lang'],
    };
    helps.forEach((help, i) => {
      const words = commands[i].join(' ');
      expect(help.code, words).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: par-index ${words} `));
      for (const option of [...expected[words], '--url', '--key', '--json', '--quiet']) expect(help.stdout, `${words} ${option}`).toContain(option);
      expect(help.stdout).toMatch(/^ {2}3 {2}refused/m);
    });
  });

  it('answers usage errors with 2, an unreachable service with 5 and a missing key with 4', async () => {
    const closed = await freePort();
    const [unknown, badOption, missingArg, badYear, unreachable, noKey, missingFile] = await Promise.all([
      cli(['scores', 'download']),
      cli(['methodology', 'export', 'par-province-2022', '--colour']),
      cli(['scores', 'upload', '2026', 'province']),
      cli(['results', 'download', 'twenty', 'province']),
      cli(['results', 'download', '2023', 'province'], { PAR_URL: `http://${HOST}:${closed}` }),
      cli(['cycle', 'create', '2030', 'province', '--methodology', 'par-province-2022'], { PAR_KEY: '' }),
      cli(['scores', 'upload', '2026', 'province', 'nowhere.csv']),
    ]);
    expect([unknown.code, badOption.code, missingArg.code, badYear.code, missingFile.code]).toEqual([2, 2, 2, 2, 2]);
    expect(unknown.stderr).toContain('unknown command scores download');
    expect(badOption.stderr).toContain("'--colour'");
    expect(missingFile.stderr).toContain('cannot read nowhere.csv');
    expect(unreachable.code).toBe(5);
    expect(unreachable.stderr).toContain(`cannot reach the service at http://${HOST}:${closed}`);
    expect(noKey.code).toBe(4);
    expect(noKey.stderr).toMatch(/^error: 401 /m);
    expect((await api('/v1/cycles/2030/province')).status).toBe(404);
  });

  it('imports a methodology from its CSV (dry run first) and exports it with the same content hash', async () => {
    expect((await cli(['methodology', 'export', 'par-province-2017', '--out', 'annex-2017.csv'])).code).toBe(0);
    const annex = readFileSync(join(dir, 'annex-2017.csv'), 'utf8')
      .replace(/^mã phương pháp,par-province-2017$/m, `mã phương pháp,${NEW_ID}`)
      .replace(/^các năm,.*$/m, 'các năm,2026');
    expect(annex).toContain(`mã phương pháp,${NEW_ID}`);
    writeFileSync(join(dir, 'annex-2026.csv'), annex);

    const dry = await cli(['methodology', 'import', 'annex-2026.csv', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`dry run, nothing stored: ${NEW_ID} version 1 (points), new`);
    expect(dry.stdout).toContain('9 nodes, 8 leaves; nodes per level 1, 8; total 100');
    const hash = /content hash ([0-9a-f]{64})/.exec(dry.stdout)![1];
    expect((await api(`/v1/methodologies/${NEW_ID}`)).status).toBe(404);

    const stored = await cli(['methodology', 'import', 'annex-2026.csv']);
    expect(stored.code).toBe(0);
    expect(stored.stdout).toContain(`stored ${NEW_ID} version 1`);
    expect((await json(`/v1/methodologies/${NEW_ID}`)).contentHash).toBe(hash);

    for (const format of ['xlsx', 'csv']) {
      const out = `export.${format}`;
      expect((await cli(['methodology', 'export', NEW_ID, '--out', out])).code).toBe(0);
      const again = await cli(['methodology', 'import', out, '--dry-run', '--json']);
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ dryRun: true, id: NEW_ID, contentHash: hash, stored: 'same' });
    }
  });

  it('refuses a score file with a bad row, naming the file, row and column, and writes nothing; the fixed file is written', async () => {
    const opened = await cli(['cycle', 'create', '2026', 'province', '--methodology', NEW_ID]);
    expect(opened.code).toBe(0);
    expect(opened.stdout).toContain(`opened the 2026 province cycle with ${NEW_ID} version 1; status open`);

    writeFileSync(join(dir, 'scores.csv'), 'unit,indicator,source,value\n01,1,appraisal,8.5\n01,2,appraisal,99\n04,8,survey,12\n');
    const bad = await cli(['scores', 'upload', '2026', 'province', 'scores.csv']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('error: 422 Invalid scores');
    expect(bad.stderr).toContain('scores.csv, row 2, column value (unit 01, indicator 2): value 99 is outside [0, 10]');
    expect(bad.stderr).not.toContain('row 1,');
    expect((await draftScores()).scores).toEqual([]);

    writeFileSync(join(dir, 'scores.csv'), 'unit,indicator,source,value\n01,1,appraisal,8.5\n01,2,appraisal,9\n04,8,survey,12\n');
    const dry = await cli(['scores', 'upload', '2026', 'province', 'scores.csv', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^dry run, nothing written: /);
    expect((await draftScores()).scores).toEqual([]);

    const good = await cli(['scores', 'upload', '2026', 'province', 'scores.csv']);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('3 rows: 3 new, 0 changed, 0 unchanged');
    expect(good.stderr).toContain('uploading scores.csv (');
    const stored = (await draftScores()).scores.map((s) => [s.unit, s.indicator, s.value]);
    expect(stored.sort()).toEqual([['01', '1', 8.5], ['01', '2', 9], ['04', '8', 12]]);
  });

  it.skipIf(!takesScoresXlsx)('sends a .xlsx as a workbook: a file that is not one is refused by the workbook checks, with its name', async () => {
    writeFileSync(join(dir, 'not-a-workbook.xlsx'), 'unit,indicator,source,value\n');
    const run = await cli(['scores', 'upload', '2026', 'province', 'not-a-workbook.xlsx']);
    expect(run.code).toBe(3);
    expect(run.stderr).not.toContain('unsupported-media-type');
    expect(run.stderr).toMatch(/^error: 4\d\d /m);
  });

  it.skipIf(!offersTemplate || !takesScoresXlsx)('downloads the cycle\'s score template, filled with the stored scores, and uploads it back as a workbook', async () => {
    const run = await cli(['template', 'download', '2026', 'province', '--out', 'template.xlsx']);
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'template.xlsx')).subarray(0, 2).toString('latin1')).toBe('PK');
    const back = await cli(['scores', 'upload', '2026', 'province', 'template.xlsx', '--dry-run']);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toContain('3 rows: 0 new, 0 changed, 3 unchanged');
  });

  it('moves the cycle through its phases and publishes it with a decision; a move out of order is refused with 3', async () => {
    const early = await cli(['cycle', 'status', '2026', 'province', 'published']);
    expect(early.code).toBe(3);
    expect(early.stderr).toContain('error: 409 ');
    for (const status of ['appraisal', 'review']) {
      const run = await cli(['cycle', 'status', '2026', 'province', status]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`the 2026 province cycle is now ${status}`);
    }
    const halfDecision = await cli(['cycle', 'status', '2026', 'province', 'published', '--decision-number', '12/QĐ-BNV']);
    expect(halfDecision.code).toBe(2);
    const published = await cli(['cycle', 'status', '2026', 'province', 'published', '--decision-number', '12/QĐ-BNV', '--decision-date', '2026-11-30']);
    expect(published.code).toBe(0);
    expect(published.stdout).toContain('published revision 1 by decision 12/QĐ-BNV of 2026-11-30');
    const { revisions } = await json<{ revisions: { revision: number; decision: unknown }[] }>(`${CYCLE}/revisions`);
    expect(revisions).toEqual([expect.objectContaining({ revision: 1, decision: { number: '12/QĐ-BNV', date: '2026-11-30' } })]);
    const { cycles } = await json<{ cycles: { year: number; status: string }[] }>('/v1/cycles?unitType=province');
    expect(cycles.find((c) => c.year === 2026)?.status).toBe('published');
  });

  it('exports the publication in every format the service offers to a folder, byte for byte, the bundle matching its hash', async () => {
    const run = await cli(['publication', 'export', '2026', 'province', '--to', 'publication']);
    expect(run.code).toBe(0);
    const stem = 'par-index-2026-province-r1';
    const files = readdirSync(join(dir, 'publication')).sort();
    expect(files).toEqual([
      `${stem}-bundle.json`, `${stem}-statistics.json`, ...(offersResultsXlsx ? [`${stem}-vi.xlsx`] : []),
      `${stem}.csv`, `${stem}.csv-metadata.json`, `${stem}.json`,
    ]);
    const saved = (name: string) => readFileSync(join(dir, 'publication', name));
    const served = async (path: string) => Buffer.from(await (await api(path)).arrayBuffer());
    expect(saved(`${stem}.csv`).equals(await served(`${CYCLE}/results.csv?revision=1`))).toBe(true);
    expect(saved(`${stem}.csv-metadata.json`).equals(await served(`${CYCLE}/results.csv-metadata.json?revision=1`))).toBe(true);
    expect(JSON.parse(saved(`${stem}.json`).toString())).toEqual(await json(`${CYCLE}/results?revision=1`));
    const { revisions } = await json<{ revisions: { contentHash: string }[] }>(`${CYCLE}/revisions`);
    expect(createHash('sha256').update(saved(`${stem}-bundle.json`)).digest('hex')).toBe(revisions[0].contentHash);
    expect(run.stdout).toContain(`content hash ${revisions[0].contentHash} (the bundle's SHA-256: checked)`);
    if (offersResultsXlsx) expect(saved(`${stem}-vi.xlsx`).subarray(0, 2).toString('latin1')).toBe('PK');
    else expect(run.stderr).toContain('offers no XLSX of results');
  });

  it.skipIf(!offersResultsXlsx)('downloads results as XLSX in English', async () => {
    const run = await cli(['results', 'download', '2026', 'province', '--out', 'results-en.xlsx', '--lang', 'en']);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(dir, 'results-en.xlsx')).subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('downloads results as CSV to a file and as JSON on stdout', async () => {
    const csv = await cli(['results', 'download', '2026', 'province', '--format', 'csv']);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toMatch(/^wrote par-index-2026-province-r1\.csv \(/);
    expect(readFileSync(join(dir, 'par-index-2026-province-r1.csv')).equals(Buffer.from(await (await api(`${CYCLE}/results.csv`)).arrayBuffer()))).toBe(true);
    const piped = await cli(['results', 'download', '2026', 'province', '--out', '-', '--quiet']);
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('');
    expect(JSON.parse(piped.stdout)).toEqual(await json(`${CYCLE}/results`));
  });

  it('writes no control characters when not on a terminal (every run above)', () => {
    expect(plainOutput.length).toBeGreaterThan(40);
    // eslint-disable-next-line no-control-regex
    for (const text of plainOutput) expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
  });

  it.skipIf(!hasScript)('draws a progress bar on a terminal', async () => {
    // `script` gives the command a pseudo-terminal: stderr is a TTY there.
    const command = `${BIN} methodology import annex-2026.csv --dry-run`;
    const run = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: dir, env: { ...process.env, PAR_URL: base, PAR_KEY: ADMIN_TOKEN }, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('\ruploading annex-2026.csv [########################] 100% ');
    expect(run.stdout).toContain('\x1b[K');
  });

  it('answers a publication export of a cycle never published with 3, writing no folder', async () => {
    const run = await cli(['publication', 'export', '2030', 'ministry', '--to', 'never']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^error: 404 /m);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});

describe('par-index --db, on a local database file with no service', () => {
  const LOCAL_ID = 'cli-local-2026';
  const local = (args: string[]) => cli([...args, '--db', 'local.sqlite'], { PAR_URL: undefined, PAR_KEY: undefined });

  it('refuses --db beside --url or --key with 2', async () => {
    const [withUrl, withKey] = await Promise.all([
      cli(['results', 'download', '2024', 'province', '--db', 'local.sqlite', '--url', base]),
      cli(['results', 'download', '2024', 'province', '--db', 'local.sqlite', `--key=${ADMIN_TOKEN}`]),
    ]);
    expect([withUrl.code, withKey.code]).toEqual([2, 2]);
    expect(withUrl.stderr).toContain('--db and --url');
    expect(withKey.stderr).toContain('--key is not needed with --db');
  });

  it('seeds a new file, imports a methodology, opens a cycle and uploads scores all or nothing, as the administrator', async () => {
    const exported = await local(['methodology', 'export', 'par-province-2017', '--out', 'local-annex.csv']);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain('seeded local.sqlite with the reference data');
    writeFileSync(join(dir, 'local-annex.csv'), readFileSync(join(dir, 'local-annex.csv'), 'utf8')
      .replace(/^mã phương pháp,par-province-2017$/m, `mã phương pháp,${LOCAL_ID}`).replace(/^các năm,.*$/m, 'các năm,2026'));
    expect((await local(['methodology', 'import', 'local-annex.csv'])).stdout).toContain(`stored ${LOCAL_ID} version 1`);
    expect((await local(['cycle', 'create', '2026', 'province', '--methodology', LOCAL_ID])).code).toBe(0);

    writeFileSync(join(dir, 'local-scores.csv'), 'unit,indicator,source,value\n01,1,appraisal,8.5\n01,2,appraisal,99\n');
    const bad = await local(['scores', 'upload', '2026', 'province', 'local-scores.csv']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('local-scores.csv, row 2, column value (unit 01, indicator 2): value 99 is outside [0, 10]');
    writeFileSync(join(dir, 'local-scores.csv'), 'unit,indicator,source,value\n01,1,appraisal,8.5\n01,2,appraisal,9\n');
    const good = await local(['scores', 'upload', '2026', 'province', 'local-scores.csv']);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('2 rows: 2 new, 0 changed, 0 unchanged; data version 1');

    // Read back from the file by a later command; the running service's own database never saw any of it.
    const results = await local(['results', 'download', '2026', 'province', '--revision', 'draft', '--out', '-', '--format', 'json']);
    const hanoi = (JSON.parse(results.stdout) as { results: { unit: { code: string }; domains: Record<string, { points: number }> }[] }).results.find((r) => r.unit.code === '01')!;
    expect([hanoi.domains['1'].points, hanoi.domains['2'].points]).toEqual([8.5, 9]);
    expect((await api(`/v1/methodologies/${LOCAL_ID}`)).status).toBe(404);
  }, 180_000); // seven runs of the binary, each loading the app: about 19 s on a quiet machine
});
