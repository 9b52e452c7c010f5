// D1's production limits (test/runtime/d1-limits.ts wraps the Workers project's binding): the
// wrapper refuses what D1 refuses, and the largest upload the API takes stays one all-or-nothing
// write within them. The upload runs on both runtimes; the wrapper's own checks on Workers only.
import { beforeAll, describe, expect, it } from 'vitest';
import { beginRequest, d1Usage, openTestDatabase } from '#runtime';
import { getCycle } from '../../src/store/cycles.js';
import type { BulkInsert } from '../../src/store/driver.js';
import { METHODOLOGY_DOCUMENT_LIMIT } from '../../src/store/methodologies.js';
import { cycleInputs } from '../../src/store/results.js';
import { ingestScores } from '../../src/store/scores.js';
import { D1_LIMITS } from '../runtime/d1-limits.js';
import { as, freshApp, json, post, put, runtime } from './harness.js';

/** The body limit of PUT …/scores: the largest upload the API takes, in bytes. */
const UPLOAD_LIMIT = 64 * 1024 * 1024;
const LEAVES = 60;
const methodology = {
  id: 'd1-limits-test', mode: 'points', missing: 'zero', unitType: 'province', total: LEAVES,
  nodes: [{ code: 'R' }, ...Array.from({ length: LEAVES }, (_, i) => ({ code: `L${i}`, parent: 'R', max: 1, source: 'appraisal' }))],
};

// On Workers each request starts a new D1 invocation (its query budget and counts restart).
const perRequest = runtime === 'd1' ? { driver: async () => { beginRequest(); return (await openTestDatabase()).driver; } } : {};

let api: Awaited<ReturnType<typeof freshApp>>;
let units: string[];
beforeAll(async () => {
  api = await freshApp(perRequest);
  expect((await api.request('/v1/methodologies', post(methodology))).status).toBe(201);
  expect((await api.request('/v1/cycles', post({ year: 2018, unitType: 'province', methodology: methodology.id }))).status).toBe(201);
  units = (await json(await api.request('/v1/units?unitType=province&activeOn=2018-12-31'))).units.map((u: any) => u.code);
});

/** Text of `n` characters of 3 bytes each in UTF-8 (NFC), unique per tag: the longest a field may be, in bytes. */
const widest = (tag: string, n = 2000) => `${tag}:${'ế'.repeat(n)}`.slice(0, n);

/** Rows with every text field at its longest, as many as fit in `bytes` of JSON body. */
function largestBatch(bytes: number, value: number) {
  const rows: object[] = [];
  let size = '{"scores":[]}'.length;
  for (const unit of units) {
    for (let l = 0; l < LEAVES; l++) {
      const row = { unit, indicator: `L${l}`, source: 'appraisal', value, note: widest(`n${unit}${l}`), evidence: widest(`e${unit}${l}`), reason: widest(`r${unit}${l}`) };
      const length = new TextEncoder().encode(JSON.stringify(row)).length + 1;
      if (size + length > bytes) return rows;
      rows.push(row);
      size += length;
    }
  }
  return rows;
}

/** The JSON body of the rows, padded with whitespace to exactly `bytes`. */
function bodyOf(rows: object[], bytes: number): string {
  const body = JSON.stringify({ scores: rows });
  const length = new TextEncoder().encode(body).length;
  expect(length).toBeLessThanOrEqual(bytes);
  return body + ' '.repeat(bytes - length);
}

const stored = async () => (await api.sql<{ n: number; v: number; a: number }>(
  "select (select count(*) from scores where cycle_id = c.id) n, c.data_version v, (select count(*) from audit where cycle_id = c.id and action = 'scores.upsert') a from cycles c where year = 2018"))[0];

describe('the largest upload the API takes', () => {
  let rows: object[];
  beforeAll(() => { rows = largestBatch(UPLOAD_LIMIT, 0.5); });

  it('is all or nothing: a failure at its last statement leaves nothing written', async () => {
    expect(rows.length).toBeGreaterThan(3000);
    const before = await stored();
    // A trigger refuses the data-version bump, the batch's last write but one (after every score and audit row).
    await api.sql("CREATE TRIGGER refuse_bump BEFORE UPDATE OF data_version ON cycles BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    try {
      const cycle = (await getCycle(api.driver, 2018, 'province'))!;
      const { compiled, units: cycleUnits } = await cycleInputs(api.driver, cycle);
      const ctx = { actorKey: 'test', actorRole: 'admin', requestId: 'd1-limits' };
      await expect(ingestScores(api.driver, cycle, compiled, cycleUnits, rows as never, ctx, false)).rejects.toThrow(/injected failure/);
    } finally {
      await api.sql('DROP TRIGGER refuse_bump');
    }
    expect(await stored()).toEqual(before);
  });

  it(`is accepted at ${UPLOAD_LIMIT / 1024 / 1024} MiB and stored whole, in one batch`, async () => {
    const res = await api.request('/v1/cycles/2018/province/scores', put(bodyOf(rows, UPLOAD_LIMIT)));
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ inserted: rows.length, changed: true });
    const usage = d1Usage();
    if (usage) expect(usage).toMatchObject({ batches: 1 });
    expect(await stored()).toMatchObject({ n: rows.length });
    const notes = await api.sql<{ n: number }>("select count(*) n from scores where length(note) = 2000 and length(evidence) = 2000 and value = '0.5'");
    expect(notes[0].n).toBe(rows.length);
  });

  it('one byte more is refused 413, before any work', async () => {
    const res = await api.request('/v1/cycles/2018/province/scores', put(bodyOf(rows, UPLOAD_LIMIT + 1)));
    expect(res.status).toBe(413);
  });
});

describe('a cycle whose results pass 2 MB (500 nodes × 63 provinces; the budget allows 2,000 nodes)', () => {
  const WIDE = 500;
  const wide = { ...methodology, id: 'd1-limits-wide', total: WIDE, nodes: [{ code: 'R' }, ...Array.from({ length: WIDE }, (_, i) => ({ code: `W${i}`, parent: 'R', max: 1, source: 'appraisal' }))] };
  const cycle = '/v1/cycles/2017/province';

  it('is computed, cached, published and served on D1 too', async () => {
    expect((await api.request('/v1/methodologies', post(wide))).status).toBe(201);
    expect((await api.request('/v1/cycles', post({ year: 2017, unitType: 'province', methodology: wide.id }))).status).toBe(201);
    const scores = units.flatMap((unit, u) => Array.from({ length: WIDE }, (_, l) => ({ unit, indicator: `W${l}`, source: 'appraisal', value: ((u + l) % 20) / 20 })));
    expect((await api.request(`${cycle}/scores`, put({ scores }))).status).toBe(200);
    const draft = await api.request(`${cycle}/results?revision=draft`, as());
    expect(draft.status).toBe(200);
    expect((await draft.text()).length).toBeGreaterThan(2_000_000);
    for (const status of ['appraisal', 'review', 'published']) expect((await api.request(`${cycle}/status`, post({ status }))).status).toBe(200);
    const published = await json(await api.request(`${cycle}/results`));
    expect(published.results).toHaveLength(units.length);
  });
});

describe('the largest methodology document the API takes', () => {
  /** A document of leaves named at the longest (500 characters of 3 bytes each), as large as `bytes` allows. */
  function largestDocument(bytes: number): string {
    const name = (i: number) => ({ vi: `${i} ${'ế'.repeat(500)}`.slice(0, 500), en: `${i} ${'ế'.repeat(500)}`.slice(0, 500) });
    const leaves: object[] = [];
    const document = (n: number) => JSON.stringify({ id: 'd1-limits-largest', mode: 'points', missing: 'zero', unitType: 'province', total: n, nodes: [{ code: 'R' }, ...leaves] });
    const size = (text: string) => new TextEncoder().encode(text).length;
    for (let i = 0; ; i++) {
      leaves.push({ code: `L${i}`, parent: 'R', max: 1, source: 'appraisal', name: name(i) });
      if (size(document(leaves.length)) > bytes) {
        leaves.pop();
        const text = document(leaves.length);
        return text + ' '.repeat(bytes - size(text));
      }
    }
  }

  const postText = (body: string) => as({ method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it(`is stored on D1 too (${METHODOLOGY_DOCUMENT_LIMIT} bytes); one byte more is refused 413`, async () => {
    const body = largestDocument(METHODOLOGY_DOCUMENT_LIMIT);
    const over = await api.request('/v1/methodologies', postText(`${body} `));
    expect(over.status).toBe(413);
    const res = await api.request('/v1/methodologies', postText(body));
    expect(res.status, (await res.clone().text()).slice(0, 300)).toBe(201);
    expect((await json(await api.request('/v1/methodologies/d1-limits-largest'))).document.nodes.length).toBeGreaterThan(400);
  });
});

describe('bulk rows', () => {
  it('keep every number exactly and their order, as D1 receives them in JSON', async () => {
    await api.sql('CREATE TABLE IF NOT EXISTS probe_numbers (i INTEGER, x REAL, s TEXT)');
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const rows = Array.from({ length: 5000 }, (_, i) => [i, i % 2 ? random() * 10 ** Math.floor(random() * 30 - 15) : Math.round(random() * 2000) / 100, `n${i}`]);
    const step: BulkInsert = { head: 'INSERT INTO probe_numbers (i, x, s) VALUES', columns: 3, tail: '', rows };
    await api.driver.atomic([step]);
    expect((await api.sql<{ i: number; x: number; s: string }>('SELECT i, x, s FROM probe_numbers ORDER BY rowid')).map((r) => [r.i, r.x, r.s])).toEqual(rows);
  });
});

describe.runIf(runtime === 'd1')('the D1 limits wrapper', () => {
  const d1 = () => (api.driver.db as unknown as { $client: D1Database }).$client;
  const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

  it('refuses a statement with more than 100 bound parameters', async () => {
    const select = (n: number) => d1().prepare(`SELECT ${placeholders(n)}`).bind(...Array.from({ length: n }, (_, i) => i));
    expect(await select(D1_LIMITS.parameters).raw()).toHaveLength(1);
    expect(() => select(D1_LIMITS.parameters + 1)).toThrow(/101 bound parameters in one statement; D1 allows 100/);
  });

  it('refuses a statement over 100 KB of SQL, and a value over 2 MB', async () => {
    const padded = (bytes: number) => `SELECT 1 /*${' '.repeat(bytes - 'SELECT 1 /**/'.length)}*/`;
    expect(await d1().prepare(padded(D1_LIMITS.statementBytes)).raw()).toEqual([[1]]);
    expect(() => d1().prepare(padded(D1_LIMITS.statementBytes + 1))).toThrow(/statement of 100001 bytes/);
    expect(() => d1().prepare('SELECT length(?)').bind('ế'.repeat(666_667))).toThrow(/2000001-byte value/);
    await expect(d1().prepare('SELECT hex(zeroblob(1000001))').raw()).rejects.toThrow(/2000002-byte value in a result/);
  });

  it('refuses a batch of more than 1,000 statements', async () => {
    const statements = (n: number) => Array.from({ length: n }, () => d1().prepare('SELECT 1'));
    beginRequest();
    expect(await d1().batch(statements(D1_LIMITS.batchStatements))).toHaveLength(D1_LIMITS.batchStatements);
    await expect(d1().batch(statements(D1_LIMITS.batchStatements + 1))).rejects.toThrow(/batch of 1001 statements/);
  });

  it('refuses the 1,001st query of one request, counting each statement of a batch', async () => {
    beginRequest();
    await d1().batch(Array.from({ length: 999 }, () => d1().prepare('SELECT 1')));
    await d1().prepare('SELECT 1').raw();
    expect(d1Usage()).toEqual({ queries: 1000, batches: 1 });
    await expect(d1().prepare('SELECT 1').raw()).rejects.toThrow(/1001 queries in one request/);
    beginRequest();
    expect(await d1().prepare('SELECT 1').raw()).toEqual([[1]]);
  });

  it('counts the queries and batches of each request', async () => {
    expect((await api.request('/v1/cycles/2018/province/scores?revision=draft&limit=1', as())).status).toBe(200);
    const read = d1Usage()!;
    expect(read.batches).toBe(0);
    expect(read.queries).toBeGreaterThan(0);
    const res = await api.request('/v1/cycles/2018/province/scores', put({ scores: [{ unit: units[0], indicator: 'L0', source: 'appraisal', value: 0.25 }] }));
    expect(res.status).toBe(200);
    expect(d1Usage()).toMatchObject({ batches: 1 });
  });
});
