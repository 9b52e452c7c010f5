// Bad input through the public HTTP surface: every case answers problem+json with a stable
// type, the right status, a human detail, no stack trace, per-row errors where a row is at
// fault, and leaves every table exactly as it was (checked on every route that writes; a route
// that never writes, like /v1/compute or a GET, is not asked to prove it).
import { beforeAll, describe, expect, it } from 'vitest';
import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as tables from '../../schema/tables.js';
import { as, freshApp, json, post, put } from './harness.js';

type Harness = Awaited<ReturnType<typeof freshApp>>;
let h: Harness;

const MiB = 1024 * 1024;
const SCORES_2026 = '/v1/cycles/2026/province/scores';
/** A leaf of par-province-2022 taking source appraisal, max 0.5, and its siblings. */
const LEAF = '1.1.1';
const LEAF_2 = '1.1.2';
const LEAF_3 = '1.1.3';
/** A criterion with children: not a leaf. */
const NON_LEAF = '1.1';

const score = (over: Record<string, unknown> = {}) => ({ unit: '01', indicator: LEAF, source: 'appraisal', value: 0.5, ...over });
const csv = (...lines: string[]) => lines.join('\n') + '\n';
const CSV_HEADER = 'unit,indicator,source,value';

interface FieldError { row?: number; field?: string; pointer?: string; unit?: string; indicator?: string; message: string }
interface Problem { type: string; title: string; status: number; detail: string; errors?: FieldError[] }

/** Asserts the response is a well-formed problem with this status (and type, when given); returns it. */
async function expectProblem(res: Response, status: number, type?: string): Promise<Problem> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json\b/);
  expect(text).not.toMatch(/^\s*at\s/m); // stack frames ("    at fn (file:1:2)")
  expect(text).not.toMatch(/\bat\s+\S+\s+\(?[^)\s]*:\d+:\d+/);
  expect(text).not.toContain('.ts:');
  expect(text).not.toContain('"stack"');
  const body = JSON.parse(text) as Problem;
  expect(body.type).toMatch(/^\/problems\/[a-z][a-z-]*$/);
  if (type) expect(body.type).toBe(`/problems/${type}`);
  expect(typeof body.title).toBe('string');
  expect(body.title.length).toBeGreaterThan(0);
  expect(body.status).toBe(status);
  expect(typeof body.detail).toBe('string');
  expect(body.detail.length).toBeGreaterThan(0);
  if (body.errors !== undefined) {
    expect(Array.isArray(body.errors)).toBe(true);
    for (const e of body.errors) expect(typeof e.message).toBe('string');
  }
  return body;
}

/** Asserts errors[] names this 1-based row and field. */
function expectRowError(p: Problem, row: number, field: string): FieldError {
  expect(p.errors, JSON.stringify(p)).toBeDefined();
  const hit = p.errors!.find((e) => e.row === row && e.field === field);
  expect(hit, `no error for row ${row} field ${field} in ${JSON.stringify(p.errors)}`).toBeDefined();
  return hit!;
}

/**
 * Every table the schema declares, row by row (each column quoted, in rowid order), to compare
 * before and after a request: scores, cycles, results, audit, keys, methodologies, revisions …
 * Read in runs of 200 rows, and a text over 1,000 characters (a bundle part, a long audit entry)
 * as its length, head and tail, so that no value read back passes D1's string limit.
 */
const TABLES = (Object.values(tables).filter((t) => is(t, SQLiteTable)) as SQLiteTable[]).map((t) => {
  const { name, columns } = getTableConfig(t);
  const cell = (c: string) => `(CASE WHEN length("${c}") > 1000 THEN length("${c}") || ':' || substr("${c}", 1, 500) || substr("${c}", -500) ELSE quote("${c}") END)`;
  const rows = `select rowid r, ${columns.map((c) => cell(c.name)).join(" || ',' || ")} k from "${name}" order by rowid`;
  return { name, query: `select r / 200 run, count(*) n, group_concat(k, char(30)) d from (${rows}) group by run order by run` };
});

async function snapshot(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const t of TABLES) out[t.name] = await h.sql(t.query);
  return out;
}

/** Sends a request and asserts it changed nothing stored. */
async function unchanged(path: string, init?: RequestInit): Promise<Response> {
  const before = await snapshot();
  const res = await h.request(path, init);
  const after = await snapshot();
  expect(after, `${init?.method ?? 'GET'} ${path} changed stored data; it answered ${res.status} ${(await res.clone().text()).slice(0, 300)}`).toEqual(before);
  return res;
}

const putCsv = (text: string) => put(text, 'text/csv');
const bytes = (text: string) => new TextEncoder().encode(text);

beforeAll(async () => {
  h = await freshApp();
  const created = await h.request('/v1/cycles', post({ year: 2026, unitType: 'province', methodology: 'par-province-2022' }));
  expect(created.status, await created.clone().text()).toBe(201);
  // Stored rows for the bad batches below to (wrongly) update.
  const seeded = await h.request(SCORES_2026, put({ scores: [score({ value: 0.25, note: 'đã thẩm định' }), score({ unit: '31-2025', value: 0.1 })] }));
  expect(seeded.status, await seeded.clone().text()).toBe(200);
  // A results cache for the cycle, which an accepted write would drop.
  expect((await h.request('/v1/cycles/2026/province/results?revision=draft', as())).status).toBe(200);
});

describe('PUT scores (JSON): field values', () => {
  it('rejects a value of the wrong type ("abc")', async () => {
    const p = await expectProblem(await unchanged(SCORES_2026, put({ scores: [score({ value: 'abc' })] })), 422, 'validation-failed');
    expectRowError(p, 1, 'value');
  });

  it('rejects a unit code of the wrong type (number)', async () => {
    const p = await expectProblem(await unchanged(SCORES_2026, put({ scores: [score(), score({ unit: 1, indicator: LEAF_2 })] })), 422, 'validation-failed');
    expectRowError(p, 2, 'unit');
  });

  it('rejects survey answers for a points leaf', async () => {
    const p = await expectProblem(await unchanged(SCORES_2026, put({ scores: [score({ value: { A: 3, B: 1 } })] })), 422, 'invalid-scores');
    expectRowError(p, 1, 'value');
  });

  it('rejects an unknown unit', async () => {
    const p = await expectProblem(await unchanged(SCORES_2026, put({ scores: [score(), score({ unit: '99', indicator: LEAF_2 })] })), 422, 'invalid-scores');
    expect(expectRowError(p, 2, 'unit').unit).toBe('99');
  });

  it('rejects a unit that no longer exists in the cycle year (pre-merger province)', async () => {
    const units = await json(await h.request('/v1/units?unitType=province'));
    const retired = units.units.find((u: { validTo: string | null }) => u.validTo !== null && u.validTo < '2025-07-01');
    expect(retired).toBeDefined();
    const p = await expectProblem(await unchanged(SCORES_2026, put({ scores: [score({ unit: retired.code })] })), 422, 'invalid-scores');
    expectRowError(p, 1, 'unit');
  });

  it('rejects an unknown indicator', async () => {
    const p = await expectProblem(await unchanged(SCORES_2026, put({ scores: [score({ indicator: '9.9.9' })] })), 422, 'invalid-scores');
    expect(expectRowError(p, 1, 'indicator').indicator).toBe('9.9.9');
  });

  it('rejects a non-leaf indicator', async () => {
    const p = await expectProblem(await unchanged(SCORES_2026, put({ scores: [score({ indicator: NON_LEAF, value: 1 })] })), 422, 'invalid-scores');
    const e = expectRowError(p, 1, 'indicator');
    expect(e.message).toMatch(/not a leaf/);
  });

  it('rejects a source the leaf does not take', async () => {
    const p = await expectProblem(await unchanged(SCORES_2026, put({ scores: [score({ source: 'survey' })] })), 422, 'invalid-scores');
    expectRowError(p, 1, 'source');
  });

  it('rejects a value above the leaf maximum', async () => {
    const p = await expectProblem(await unchanged(SCORES_2026, put({ scores: [score({ value: 0.51 })] })), 422, 'invalid-scores');
    expect(expectRowError(p, 1, 'value').message).toMatch(/outside \[0, 0\.5\]/);
  });

  it('rejects a negative value', async () => {
    const p = await expectProblem(await unchanged(SCORES_2026, put({ scores: [score({ value: -0.1 })] })), 422, 'invalid-scores');
    expectRowError(p, 1, 'value');
  });

  it('rejects a non-finite number (1e999 parses to Infinity)', async () => {
    const body = `{"scores":[{"unit":"01","indicator":"${LEAF}","source":"appraisal","value":1e999}]}`;
    const p = await expectProblem(await unchanged(SCORES_2026, put(body)), 422, 'validation-failed');
    expectRowError(p, 1, 'value');
  });

  it('rejects NFD-encoded Vietnamese in a note', async () => {
    const note = 'Hà Nội'.normalize('NFD');
    expect(note).not.toBe('Hà Nội');
    const p = await expectProblem(await unchanged(SCORES_2026, put({ scores: [score({ note })] })), 422, 'validation-failed');
    expect(expectRowError(p, 1, 'note').message).toMatch(/NFC/);
  });

  it('rejects an unknown field in a score object (strict schema), naming the field', async () => {
    const p = await expectProblem(await unchanged(SCORES_2026, put({ scores: [score(), score({ indicator: LEAF_2, colour: 'red' })] })), 422, 'validation-failed');
    expect(expectRowError(p, 2, 'colour').pointer).toBe('/scores/1/colour');
  });

  it('rejects an unknown top-level field', async () => {
    const p = await expectProblem(await unchanged(SCORES_2026, put({ scores: [score()], extra: true })), 422, 'validation-failed');
    expect(p.errors!.some((e) => e.field === 'extra' || e.message.includes('extra')), JSON.stringify(p.errors)).toBe(true);
  });
});

describe('PUT scores (JSON): the batch', () => {
  it('rejects duplicate rows in one batch, naming the repeat', async () => {
    const p = await expectProblem(await unchanged(SCORES_2026, put({ scores: [score({ value: 0.4 }), score({ indicator: LEAF_2 }), score({ value: 0.3 })] })), 422, 'invalid-scores');
    expect(expectRowError(p, 3, 'indicator').message).toMatch(/duplicate/);
  });

  it('rejects the whole batch for one bad row, good rows and updates included', async () => {
    // row 1 updates a stored row, row 2 inserts, row 3 is bad
    const batch = { scores: [score({ value: 0.5 }), score({ indicator: LEAF_2, value: 0.2 }), score({ indicator: LEAF_3, value: 7 })] };
    const p = await expectProblem(await unchanged(SCORES_2026, put(batch)), 422, 'invalid-scores');
    expect(p.errors).toHaveLength(1);
    expectRowError(p, 3, 'value');
  });

  it('lists every bad row of a batch', async () => {
    const batch = {
      scores: [
        score({ value: 0.4 }),
        score({ unit: 'XX' }),
        score({ indicator: LEAF_2, value: 0.1 }),
        score({ indicator: 'nope' }),
        score({ indicator: LEAF_3, value: -1 }),
        score({ unit: '31-2025', source: 'survey' }),
      ],
    };
    const p = await expectProblem(await unchanged(SCORES_2026, put(batch)), 422, 'invalid-scores');
    expectRowError(p, 2, 'unit');
    expectRowError(p, 4, 'indicator');
    expectRowError(p, 5, 'value');
    expectRowError(p, 6, 'source');
    expect(p.errors!.map((e) => e.row).sort()).toEqual([2, 4, 5, 6]);
  });

  it('lists every bad row when schema and methodology problems are mixed', async () => {
    const batch = { scores: [score({ value: 'abc' }), score({ unit: 'XX', indicator: LEAF_2 }), score({ indicator: LEAF_3, value: 9 })] };
    const p = await expectProblem(await unchanged(SCORES_2026, put(batch)), 422);
    expectRowError(p, 1, 'value');
    expectRowError(p, 2, 'unit');
    expectRowError(p, 3, 'value');
  });

  it('rejects an empty body', async () => {
    await expectProblem(await unchanged(SCORES_2026, put('')), 400, 'malformed-body');
  });

  it('rejects an empty scores array', async () => {
    const p = await expectProblem(await unchanged(SCORES_2026, put({ scores: [] })), 422, 'validation-failed');
    expect(p.errors!.some((e) => e.field === 'scores')).toBe(true);
  });

  it('rejects a body without scores', async () => {
    const p = await expectProblem(await unchanged(SCORES_2026, put({})), 422, 'validation-failed');
    expect(p.errors!.some((e) => e.field === 'scores')).toBe(true);
  });

  it('rejects a JSON array body', async () => {
    await expectProblem(await unchanged(SCORES_2026, put([score()])), 422, 'validation-failed');
  });

  it('rejects malformed JSON', async () => {
    await expectProblem(await unchanged(SCORES_2026, put('{"scores":[{"unit":"01",')), 400, 'malformed-body');
  });

  it('rejects text/plain with 415', async () => {
    await expectProblem(await unchanged(SCORES_2026, put(JSON.stringify({ scores: [score()] }), 'text/plain')), 415, 'unsupported-media-type');
  });

  it('rejects a body without content-type with 415', async () => {
    const init: RequestInit = as({ method: 'PUT', body: bytes(JSON.stringify({ scores: [score()] })) });
    const res = await unchanged(SCORES_2026, init);
    await expectProblem(res, 415, 'unsupported-media-type');
  });

  it('rejects a body over 64 MiB with 413', async () => {
    const body = `{"scores":[{"unit":"01","indicator":"${LEAF}","source":"appraisal","value":0.5,"note":"${'x'.repeat(64 * MiB + 1024)}"}]}`;
    await expectProblem(await unchanged(SCORES_2026, put(body)), 413, 'payload-too-large');
  });

  it('writes nothing on a dry run of valid rows', async () => {
    const res = await unchanged(`${SCORES_2026}?dryRun=true`, put({ scores: [score({ value: 0.5 }), score({ indicator: LEAF_2, value: 0.2 })] }));
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ dryRun: true, received: 2, inserted: 1, updated: 1, changed: false });
  });

  it('writes nothing on a dry run of valid CSV rows', async () => {
    const res = await unchanged(`${SCORES_2026}?dryRun=true`, putCsv(csv(CSV_HEADER, `01,${LEAF},appraisal,0.5`, `01,${LEAF_2},appraisal,0.2`)));
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ dryRun: true, inserted: 1, updated: 1, changed: false });
  });
});

describe('PUT scores (CSV)', () => {
  it('rejects a wrong header', async () => {
    const p = await expectProblem(await unchanged(SCORES_2026, putCsv(csv('unit,indicatr,source,value', `01,${LEAF},appraisal,0.5`))), 400, 'malformed-body');
    expect(p.detail).toMatch(/indicatr/);
  });

  it('rejects a header that names a column twice', async () => {
    // which of the two values would be stored is anyone's guess: refuse the file
    const p = await expectProblem(await unchanged(SCORES_2026, putCsv(csv(`${CSV_HEADER},value`, `01,${LEAF},appraisal,0.1,0.4`))), 400, 'malformed-body');
    expect(p.detail).toMatch(/value/);
  });

  it('rejects a header with no rows', async () => {
    await expectProblem(await unchanged(SCORES_2026, putCsv(csv(CSV_HEADER))), 400, 'malformed-body');
  });

  it('rejects an empty CSV body', async () => {
    await expectProblem(await unchanged(SCORES_2026, putCsv('')), 400, 'malformed-body');
  });

  it('rejects a row with the wrong number of cells', async () => {
    await expectProblem(await unchanged(SCORES_2026, putCsv(csv(CSV_HEADER, `01,${LEAF},appraisal,0.5`, `01,${LEAF_2},appraisal`))), 400, 'malformed-body');
  });

  it('rejects the cell NaN', async () => {
    const p = await expectProblem(await unchanged(SCORES_2026, putCsv(csv(CSV_HEADER, `01,${LEAF},appraisal,NaN`))), 422, 'validation-failed');
    expectRowError(p, 1, 'value');
  });

  it('rejects the cell Infinity', async () => {
    const p = await expectProblem(await unchanged(SCORES_2026, putCsv(csv(CSV_HEADER, `01,${LEAF},appraisal,0.1`, `01,${LEAF_2},appraisal,Infinity`))), 422, 'validation-failed');
    expectRowError(p, 2, 'value');
  });

  it('rejects a number too large to be finite (1e999)', async () => {
    const p = await expectProblem(await unchanged(SCORES_2026, putCsv(csv(CSV_HEADER, `01,${LEAF},appraisal,1e999`))), 422, 'validation-failed');
    expectRowError(p, 1, 'value');
  });

  it('rejects the whole file for one bad row among good ones, naming the row', async () => {
    const text = csv(CSV_HEADER,
      `01,${LEAF},appraisal,0.5`, // updates a stored row
      `01,${LEAF_2},appraisal,0.25`,
      `01,${LEAF_3},appraisal,0.9`, // above max 0.5: data row 3
      `31-2025,${LEAF_2},appraisal,0.3`);
    const p = await expectProblem(await unchanged(SCORES_2026, putCsv(text)), 422, 'invalid-scores');
    expect(p.errors).toHaveLength(1);
    const e = expectRowError(p, 3, 'value');
    expect(e).toMatchObject({ unit: '01', indicator: LEAF_3 });
  });

  it('rejects a bad cell among good rows, naming the row', async () => {
    const text = csv(CSV_HEADER, `01,${LEAF},appraisal,0.5`, `01,${LEAF_2},appraisal,abc`, `01,${LEAF_3},appraisal,0.1`);
    const p = await expectProblem(await unchanged(SCORES_2026, putCsv(text)), 422, 'validation-failed');
    expect(p.errors).toHaveLength(1);
    expectRowError(p, 2, 'value');
  });

  it('lists every bad row of a file', async () => {
    const text = csv(CSV_HEADER,
      `01,${LEAF},appraisal,NaN`, // 1: not a number
      `01,${LEAF_2},appraisal,0.1`,
      `,${LEAF_3},appraisal,0.1`, // 3: empty unit
      `31-2025,${LEAF_2},appraisal,`, // 4: empty value
      `31-2025,${LEAF_3},appraisal,0.2`);
    const p = await expectProblem(await unchanged(SCORES_2026, putCsv(text)), 422, 'validation-failed');
    expectRowError(p, 1, 'value');
    expectRowError(p, 3, 'unit');
    expectRowError(p, 4, 'value');
    expect([...new Set(p.errors!.map((e) => e.row))].sort()).toEqual([1, 3, 4]);
  });

  it('lists every bad row when cell and methodology problems are mixed', async () => {
    const text = csv(CSV_HEADER, `01,${LEAF},appraisal,NaN`, `ZZ,${LEAF_2},appraisal,0.1`, `01,${NON_LEAF},appraisal,0.1`);
    const p = await expectProblem(await unchanged(SCORES_2026, putCsv(text)), 422);
    expectRowError(p, 1, 'value');
    expectRowError(p, 2, 'unit');
    expectRowError(p, 3, 'indicator');
  });

  it('rejects NFD-encoded Vietnamese in a note column', async () => {
    const text = csv(`${CSV_HEADER},note`, `01,${LEAF},appraisal,0.5,${'Hà Nội'.normalize('NFD')}`);
    const p = await expectProblem(await unchanged(SCORES_2026, putCsv(text)), 422, 'validation-failed');
    expectRowError(p, 1, 'note');
  });
});

describe('PUT scores: path and query', () => {
  it('answers 404 for an unknown cycle', async () => {
    await expectProblem(await unchanged('/v1/cycles/2031/province/scores', put({ scores: [score()] })), 404, 'not-found');
  });

  it('answers 400 for a unit type the service does not rank (province or ministry)', async () => {
    const p = await expectProblem(await unchanged('/v1/cycles/2026/district/scores', put({ scores: [score()] })), 400, 'invalid-request');
    expect(p.errors!.some((e) => e.field === 'unitType')).toBe(true);
  });

  it('rejects a year that is not a number', async () => {
    const p = await expectProblem(await unchanged('/v1/cycles/abc/province/scores', put({ scores: [score()] })), 400, 'invalid-request');
    expect(p.errors!.some((e) => e.field === 'year')).toBe(true);
  });

  it('rejects a malformed unit type', async () => {
    const p = await expectProblem(await unchanged('/v1/cycles/2026/Province!/scores', put({ scores: [score()] })), 400, 'invalid-request');
    expect(p.errors!.some((e) => e.field === 'unitType')).toBe(true);
  });

  it('rejects ?dryRun=maybe', async () => {
    const p = await expectProblem(await unchanged(`${SCORES_2026}?dryRun=maybe`, put({ scores: [score()] })), 400, 'invalid-request');
    expect(p.errors!.some((e) => e.field === 'dryRun')).toBe(true);
  });

  it('rejects a bad query on GET scores (?format=xml)', async () => {
    await expectProblem(await unchanged(`${SCORES_2026}?format=xml`), 400, 'invalid-request');
  });
});

describe('POST /v1/cycles', () => {
  it('answers 409 for a cycle that exists', async () => {
    const p = await expectProblem(await unchanged('/v1/cycles', post({ year: 2024, unitType: 'province', methodology: 'par-province-2022' })), 409, 'conflict');
    expect(p.detail).toMatch(/2024/);
  });

  it('answers 409 for the cycle created a moment ago', async () => {
    await expectProblem(await unchanged('/v1/cycles', post({ year: 2026, unitType: 'province', methodology: 'par-province-2022' })), 409, 'conflict');
  });

  it('answers 422 for a methodology of another unit type', async () => {
    const p = await expectProblem(await unchanged('/v1/cycles', post({ year: 2026, unitType: 'ministry', methodology: 'par-province-2022' })), 422, 'validation-failed');
    expect(p.errors!.some((e) => e.field === 'unitType')).toBe(true);
  });

  it('answers 422 for an unknown methodology', async () => {
    const p = await expectProblem(await unchanged('/v1/cycles', post({ year: 2026, unitType: 'province', methodology: 'no-such' })), 422, 'validation-failed');
    expect(p.errors!.some((e) => e.field === 'methodology')).toBe(true);
  });

  it('answers 422 for a year out of range', async () => {
    const p = await expectProblem(await unchanged('/v1/cycles', post({ year: 1800, unitType: 'province', methodology: 'par-province-2022' })), 422, 'validation-failed');
    expect(p.errors!.some((e) => e.field === 'year')).toBe(true);
  });
});

describe('POST /v1/compute', () => {
  const valid = {
    id: 'tiny', mode: 'points', missing: 'zero',
    nodes: [{ code: 'R' }, { code: 'A', parent: 'R', max: 1 }, { code: 'B', parent: 'R', max: 1 }],
  };

  it('answers 422 for a child whose parent does not exist, naming the node', async () => {
    const methodology = { ...valid, nodes: [...valid.nodes, { code: 'C', parent: 'MISSING', max: 1 }] };
    const p = await expectProblem(await h.request('/v1/compute', post({ methodology, scores: [{ unit: 'u1', indicator: 'A', value: 1 }] })), 422, 'invalid-methodology');
    const e = p.errors!.find((x) => x.indicator === 'C');
    expect(e, JSON.stringify(p.errors)).toBeDefined();
    expect(e!.message).toMatch(/MISSING/);
  });

  it('answers 422 for a geometric aggregation over zero values', async () => {
    const methodology = {
      id: 'geo', mode: 'weighted', missing: 'skip', aggregation: 'geometric', normalisation: { method: 'none' },
      nodes: [{ code: 'R' }, { code: 'a', parent: 'R' }, { code: 'b', parent: 'R' }],
    };
    const scores = [
      { unit: 'u1', indicator: 'a', value: 0 }, { unit: 'u1', indicator: 'b', value: 2 },
      { unit: 'u2', indicator: 'a', value: 1 }, { unit: 'u2', indicator: 'b', value: 3 },
    ];
    const p = await expectProblem(await h.request('/v1/compute', post({ methodology, scores })), 422, 'computation-failed');
    expect(p.errors!.some((e) => e.unit === 'u1'), JSON.stringify(p.errors)).toBe(true);
  });

  it('answers 422 for scores that do not fit the methodology', async () => {
    const p = await expectProblem(await h.request('/v1/compute', post({ methodology: valid, scores: [{ unit: 'u1', indicator: 'A', value: 1 }, { unit: 'u1', indicator: 'B', value: 5 }] })), 422, 'invalid-scores');
    expectRowError(p, 2, 'value');
  });

  it('answers 413 for a body over 5 MiB', async () => {
    const body = JSON.stringify({ methodology: valid, scores: [], pad: 'x'.repeat(6 * MiB) });
    await expectProblem(await h.request('/v1/compute', { method: 'POST', headers: { 'content-type': 'application/json' }, body }), 413, 'payload-too-large');
  });

  it('answers 415 for a form body', async () => {
    await expectProblem(await h.request('/v1/compute', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' }), 415, 'unsupported-media-type');
  });
});

describe('other routes', () => {
  it('answers 404 for an unknown unit', async () => {
    const p = await expectProblem(await h.request('/v1/units/ZZ-9999'), 404, 'not-found');
    expect(p.detail).toMatch(/ZZ-9999/);
  });

  it('answers 404 for an unknown route', async () => {
    await expectProblem(await h.request('/v1/no-such-thing'), 404, 'not-found');
  });

  it('answers 404 for an unknown methodology', async () => {
    await expectProblem(await h.request('/v1/methodologies/no-such'), 404, 'not-found');
  });

  it('rejects a malformed date on GET /v1/units', async () => {
    const p = await expectProblem(await h.request('/v1/units?activeOn=July'), 400, 'invalid-request');
    expect(p.errors!.some((e) => e.field === 'activeOn')).toBe(true);
  });
});

describe('PUT scores: large bad uploads answer a short problem, who may write checked first', () => {
  const MAX_ROWS = 200_000;
  let unit01 = '';
  beforeAll(async () => {
    unit01 = (await json(await h.request('/v1/api-keys', post({ role: 'unit', unit: '01' })))).key;
  });
  const many = (n: number, row: (i: number) => Record<string, unknown>) => ({ scores: Array.from({ length: n }, (_, i) => row(i)) });

  it('answers a unit key\'s upload naming another unit 403 at once, listing the first 100 rows, the total in the detail', async () => {
    const batch = many(5000, (i) => ({ unit: '04', indicator: LEAF, source: 'self', value: 'not even a number', note: `row ${i}` }));
    const p = await expectProblem(await unchanged(SCORES_2026, put(batch, 'application/json', unit01)), 403, 'forbidden');
    expect(p.errors).toHaveLength(100);
    expect(p.errors!.map((e) => e.row)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(p.errors![0]).toMatchObject({ field: 'unit', unit: '04' });
    expect(p.detail).toMatch(/5000 errors in all; the first 100 are listed/);
  });

  it('does the same for a CSV upload, before reading its cells', async () => {
    const text = csv(`${CSV_HEADER},evidence`, ...Array.from({ length: 3000 }, () => `04,${LEAF},self,NaN,BC`));
    const p = await expectProblem(await unchanged(SCORES_2026, put(text, 'text/csv', unit01)), 403, 'forbidden');
    expect(p.errors).toHaveLength(100);
    expect(p.detail).toMatch(/3000 errors in all/);
  });

  it('lists the first 100 of 3,000 rows the methodology refuses (duplicates), the total in the detail', async () => {
    const p = await expectProblem(await unchanged(SCORES_2026, put(many(3001, () => score({ value: 0.5 })))), 422, 'invalid-scores');
    expect(p.errors).toHaveLength(100);
    expect(p.errors![0]).toMatchObject({ row: 2, field: 'indicator' });
    expect(p.detail).toMatch(/3000 errors in all; the first 100 are listed/);
  });

  it('lists the first 100 of 2,000 rows the schema refuses, in row order', async () => {
    const p = await expectProblem(await unchanged(SCORES_2026, put(many(2000, (i) => score({ value: 'abc', indicator: `x${i}` })))), 422, 'validation-failed');
    expect(p.errors).toHaveLength(100);
    expect(p.errors!.map((e) => e.row)).toEqual([...p.errors!.map((e) => e.row)].sort((a, b) => a! - b!));
    expect(p.errors![0].row).toBe(1);
    expect(p.detail).toMatch(/errors in all; the first 100 are listed/);
  });

  it('refuses more than 200,000 rows with 413 naming the limit, JSON or CSV', async () => {
    const body = `{"scores":[${new Array(MAX_ROWS + 1).fill(`{"unit":"01","indicator":"${LEAF}","value":0}`).join(',')}]}`;
    const json413 = await expectProblem(await unchanged(SCORES_2026, put(body)), 413, 'payload-too-large');
    expect(json413.detail).toMatch(/at most 200,000 rows; this one has 200,001/);
    const text = `${CSV_HEADER}\n${`01,${LEAF},appraisal,0\n`.repeat(MAX_ROWS + 1)}`;
    const csv413 = await expectProblem(await unchanged(SCORES_2026, putCsv(text)), 413, 'payload-too-large');
    expect(csv413.detail).toMatch(/at most 200,000 rows/);
  });
});

describe('stored text is NFC, without control or bidirectional-control characters', () => {
  const RLO = '\u202e', LRI = '\u2066';

  it.each([
    ['a right-to-left override in a note', { note: `Hà Nội ${RLO}fdp.exe` }, 'note', /bidirectional control: U\+202E at position 8/],
    ['an isolate in a reason', { reason: `điều chỉnh ${LRI}x` }, 'reason', /U\+2066/],
    ['a NUL in evidence', { evidence: 'BC\u0000 12' }, 'evidence', /control character: U\+0000/],
    ['a line feed in evidence (one line)', { evidence: 'BC 12\nBC 13' }, 'evidence', /U\+000A.*one line/],
    ['a carriage return in a note', { note: 'dòng 1\r\ndòng 2' }, 'note', /U\+000D.*line feed/],
    ['a tab in a note', { note: '\t=1+1' }, 'note', /U\+0009/],
    ['a C1 control in a note', { note: 'a\u0085b' }, 'note', /U\+0085/],
    ['a line separator in a note', { note: 'a\u2028b' }, 'note', /U\+2028/],
    ['a lone surrogate in a note', { note: 'a\ud800b' }, 'note', /lone surrogate U\+D800/],
  ])('refuses %s (422, naming the field)', async (_, over, field, message) => {
    const p = await expectProblem(await unchanged(SCORES_2026, put({ scores: [score(over)] })), 422, 'validation-failed');
    expect(expectRowError(p, 1, field).message).toMatch(message);
  });

  it('refuses the same in a CSV cell', async () => {
    const p = await expectProblem(await unchanged(SCORES_2026, putCsv(csv(`${CSV_HEADER},note`, `01,${LEAF},appraisal,0.5,x${RLO}y`))), 422, 'validation-failed');
    expectRowError(p, 1, 'note');
  });

  it('accepts a note of several lines (line feeds)', async () => {
    const res = await unchanged(`${SCORES_2026}?dryRun=true`, put({ scores: [score({ note: 'dòng 1\ndòng 2' })] }));
    expect(res.status, await res.clone().text()).toBe(200);
  });

  const keyCount = async () => (await h.sql<{ n: number }>('select count(*) n from api_keys'))[0].n;
  it.each([
    ['a right-to-left override', `Sở Nội vụ ${RLO}`],
    ['NFD', 'Sở Nội vụ'.normalize('NFD')],
    ['a line feed', 'Sở\nNội vụ'],
  ])('refuses a key label with %s, storing no key', async (_, label) => {
    const before = await keyCount();
    const p = await expectProblem(await h.request('/v1/api-keys', post({ role: 'appraiser', label })), 422, 'validation-failed');
    expect(p.errors!.some((e) => e.field === 'label')).toBe(true);
    expect(await keyCount()).toBe(before);
  });

  it('bounds ids: a unit code of 1,000 characters for a key is 422, a key id of 1,000 characters 400', async () => {
    const before = await keyCount();
    await expectProblem(await h.request('/v1/api-keys', post({ role: 'unit', unit: 'x'.repeat(1000) })), 422, 'validation-failed');
    await expectProblem(await h.request(`/v1/api-keys/${'k'.repeat(1000)}`, as({ method: 'DELETE' })), 400, 'invalid-request');
    expect(await keyCount()).toBe(before);
  });

  it('refuses a control character in a status reason', async () => {
    const p = await expectProblem(await unchanged('/v1/cycles/2024/province/status', post({ status: 'correction', reason: `sửa${RLO}` })), 422, 'validation-failed');
    expect(p.errors!.some((e) => e.field === 'reason')).toBe(true);
  });
});

describe('the snapshot that "changed nothing" compares', () => {
  /** The tables a request changed, after asserting it was accepted. */
  async function changedBy(path: string, init: RequestInit): Promise<string[]> {
    const before = await snapshot();
    const res = await h.request(path, init);
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    const after = await snapshot();
    return Object.keys(before).filter((t) => JSON.stringify(before[t]) !== JSON.stringify(after[t])).sort();
  }

  it('notices every kind of accepted write, in each table it writes', async () => {
    expect(await changedBy(SCORES_2026, put({ scores: [score({ value: 0.3 })] }))).toEqual(expect.arrayContaining(['audit', 'cycles', 'scores']));
    expect(await changedBy('/v1/api-keys', post({ role: 'appraiser' }))).toEqual(['api_keys', 'audit']);
    const methodology = { id: 'snapshot-check', mode: 'points', missing: 'zero', unitType: 'province', total: 1, nodes: [{ code: 'R' }, { code: 'L', parent: 'R', max: 1 }] };
    expect(await changedBy('/v1/methodologies', post(methodology))).toEqual(['audit', 'methodologies']);
    expect(await changedBy('/v1/cycles', post({ year: 2040, unitType: 'province', methodology: 'par-province-2022' }))).toEqual(['audit', 'cycles']);
    expect(await changedBy('/v1/cycles/2024/province/status', post({ status: 'correction', reason: 'kiểm tra' }))).toEqual(['audit', 'cycles']);
    expect(await changedBy('/v1/cycles/2024/province/status', post({ status: 'published', reason: 'kiểm tra' }))).toEqual(expect.arrayContaining(['audit', 'cycles', 'revision_parts', 'revisions']));
  });
});
