// Who may do what (issue 12), each rule in the test named after it, through the functions every
// route calls (src/http/auth.ts, permissions.ts, visibility.ts) and through app.request() for the
// Authorization header: the phase decides who writes, a unit writes its own self-assessment, a
// self-assessed score names its evidence, an adjustment names its reason, a draft is seen by its
// readers only, and an answer to a key is never stored by a shared cache.
import type { Context } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireRole, seesDraftsOf } from '../../src/http/auth.js';
import { IMMUTABLE, PRIVATE, REVALIDATE } from '../../src/http/conditional.js';
import type { Actor, AppEnv } from '../../src/http/env.js';
import {
  authorizePhase, authorizeWriter, capped, MAX_LISTED_ERRORS, requireAdjustmentReasons, requireSelfEvidence, rowProblem, selfEvidenceErrors,
} from '../../src/http/permissions.js';
import { ApiProblem, type FieldError } from '../../src/http/problem.js';
import { cachePolicy, forCaller, privately, revisionOf, viewFor } from '../../src/http/visibility.js';
import { getCycle, type CycleRow } from '../../src/store/cycles.js';
import { as, freshApp, json } from './harness.js';

const ADMIN: Actor = { keyId: 'k-admin', role: 'admin', unit: null };
const APPRAISER: Actor = { keyId: 'k-appr', role: 'appraiser', unit: null };
const UNIT_01: Actor = { keyId: 'k-01', role: 'unit', unit: '01' };
const PUBLIC: Actor = { keyId: 'public', role: 'public', unit: null };

/** A request context as the routes see it: who asks, and the database. */
const ctx = (actor: Actor, driver?: unknown) => ({ get: (k: string) => (k === 'actor' ? actor : k === 'driver' ? driver : undefined) }) as unknown as Context<AppEnv>;
/** The problem a call throws (an ApiProblem), or undefined when it throws none. */
function problemOf(call: () => unknown): ApiProblem | undefined {
  try { call(); } catch (e) { if (e instanceof ApiProblem) return e; throw e; }
  return undefined;
}
async function asyncProblemOf(call: () => Promise<unknown>): Promise<ApiProblem | undefined> {
  try { await call(); } catch (e) { if (e instanceof ApiProblem) return e; throw e; }
  return undefined;
}
const cycle = (status: string, revision = 1) => ({ id: -1, year: 2031, unitType: 'province', status, revision }) as unknown as CycleRow;

describe('a route needs a key of one of its roles: 401 without a key, 403 for another role', () => {
  it('answers the public 401 with a Bearer challenge, whatever the roles', () => {
    const p = problemOf(() => requireRole(ctx(PUBLIC), 'admin', 'appraiser', 'unit'))!;
    expect([p.type, p.detail, p.headers]).toEqual(['unauthorized', 'This needs an API key: Authorization: Bearer <key>.', { 'www-authenticate': 'Bearer realm="par-index"' }]);
  });

  it('answers a key of another role 403, naming the roles needed and the key\'s own', () => {
    const p = problemOf(() => requireRole(ctx(UNIT_01), 'admin', 'appraiser'))!;
    expect([p.type, p.detail]).toEqual(['forbidden', 'This needs the role admin or appraiser; your key has the role unit.']);
    expect(requireRole(ctx(APPRAISER), 'admin', 'appraiser')).toBe(APPRAISER);
  });
});

describe('drafts are seen by admins and appraisers, and by a unit key for its own unit', () => {
  // Named in plain words (a printed actor object made names hard to read in reports).
  it.each([
    ['admin', undefined, true, ADMIN], ['admin', '02', true, ADMIN], ['appraiser', undefined, true, APPRAISER], ['appraiser', '02', true, APPRAISER],
    ['unit 01', '01', true, UNIT_01], ['unit 01', '02', false, UNIT_01], ['unit 01', undefined, false, UNIT_01],
    ['public', '01', false, PUBLIC], ['public', undefined, false, PUBLIC],
    // a unit key without a unit (never issued so) sees no unit's draft, not the drafts "of no unit"
    ['a unit key without its unit', undefined, false, { keyId: 'k', role: 'unit', unit: null } as Actor],
  ] as const)('%s, drafts of unit %s: %s', (_, unit, sees, actor) => {
    expect(seesDraftsOf(actor, unit)).toBe(sees);
  });
});

describe('the phase decides who writes scores', () => {
  const phase = (actor: Actor, status: string) => problemOf(() => authorizePhase(ctx(actor), cycle(status, 3)));

  it('a published cycle is frozen for everyone, admins included (409, naming the revision)', () => {
    for (const actor of [ADMIN, APPRAISER, UNIT_01]) {
      const p = phase(actor, 'published')!;
      expect(p.type).toBe('conflict');
      expect(p.detail).toMatch(/^The 2031 province cycle is published \(revision 3\): its numbers are frozen\. An admin opens a correction first/);
    }
  });

  it('a cycle in review takes no scores from anyone (409)', () => {
    for (const actor of [ADMIN, APPRAISER, UNIT_01]) {
      expect([phase(actor, 'review')?.type, phase(actor, 'review')?.detail]).toEqual(['conflict', 'The 2031 province cycle is in review: scores are closed.']);
    }
  });

  it('admins write in open, appraisal and correction', () => {
    for (const status of ['open', 'appraisal', 'correction']) expect(authorizePhase(ctx(ADMIN), cycle(status))).toBe(ADMIN);
  });

  it('a correction is for admins only (403)', () => {
    for (const actor of [APPRAISER, UNIT_01]) {
      expect([phase(actor, 'correction')?.type, phase(actor, 'correction')?.detail]).toEqual(['forbidden', 'Only admins write scores during a correction.']);
    }
  });

  it('units write in open only, appraisers in appraisal only (409 naming the phase)', () => {
    expect(authorizePhase(ctx(UNIT_01), cycle('open'))).toBe(UNIT_01);
    expect(authorizePhase(ctx(APPRAISER), cycle('appraisal'))).toBe(APPRAISER);
    expect([phase(UNIT_01, 'appraisal')?.type, phase(UNIT_01, 'appraisal')?.detail]).toEqual(['conflict', 'The cycle is in appraisal; self-assessment happens in the open phase.']);
    expect([phase(APPRAISER, 'open')?.type, phase(APPRAISER, 'open')?.detail]).toEqual(['conflict', 'The cycle is in open; appraisal happens in the appraisal phase.']);
  });

  it('the public is asked for a key (401) before any phase is looked at', () => {
    for (const status of ['open', 'published', 'review']) expect(phase(PUBLIC, status)?.type).toBe('unauthorized');
  });
});

describe('a unit writes its own self-assessment; an appraiser appraised scores; admins anything', () => {
  const row = (unit: unknown, source: unknown) => ({ unit, indicator: '1.1.1', source, value: 1 });
  const refused = (actor: Actor, rows: unknown[]) => problemOf(() => authorizeWriter(actor, rows));

  it('lets each write its own kind of row, and leaves rows that are not objects to the schema', () => {
    expect(refused(ADMIN, [row('02', 'appraisal'), row('01', 'self'), 5, null])).toBeUndefined();
    expect(refused(UNIT_01, [row('01', 'self'), null, 'x', 7])).toBeUndefined();
    expect(refused(APPRAISER, [row('02', 'appraisal'), row('01', 'appraisal'), null])).toBeUndefined();
  });

  it('names each field a unit key may not write, row by row (403)', () => {
    const p = refused(UNIT_01, [row('01', 'self'), row('02', 'self'), row('01', 'appraisal'), row('03', undefined), row(4, 'self')])!;
    expect(p.type).toBe('forbidden');
    expect(p.detail).toBe('4 row(s) are outside what your key may write; nothing was written.');
    expect(p.errors).toEqual([
      { row: 2, field: 'unit', unit: '02', message: 'your key writes for unit 01 only' },
      { row: 3, field: 'source', unit: '01', message: 'units submit their self-assessment: source self (named on every row)' },
      { row: 4, field: 'unit', unit: '03', message: 'your key writes for unit 01 only' },
      { row: 4, field: 'source', unit: '03', message: 'units submit their self-assessment: source self (named on every row)' },
      { row: 5, field: 'unit', unit: undefined, message: 'your key writes for unit 01 only' },
    ]);
  });

  it('names each row where an appraiser\'s source is not appraisal (403)', () => {
    const p = refused(APPRAISER, [row('01', 'appraisal'), row('01', 'self'), row('02', undefined)])!;
    expect(p.detail).toBe('2 row(s) are outside what your key may write; nothing was written.');
    expect(p.errors).toEqual([
      { row: 2, field: 'source', unit: '01', message: 'appraisers write source appraisal (named on every row)' },
      { row: 3, field: 'source', unit: '02', message: 'appraisers write source appraisal (named on every row)' },
    ]);
  });

  it('lists the first 100 errors and gives the total in the detail', () => {
    // 120 rows of another unit with the wrong source: 240 errors in 120 rows; the first 100 are rows 1-50
    const rows = Array.from({ length: 120 }, () => row('02', 'appraisal'));
    const p = refused(UNIT_01, rows)!;
    expect(p.detail).toBe('120 row(s) are outside what your key may write; nothing was written. 240 errors in all; the first 100 are listed.');
    expect(p.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(p.errors!.at(-1)).toMatchObject({ row: 50, field: 'source' });
    // exactly 100 errors: all listed, no count added
    const fifty = refused(UNIT_01, rows.slice(0, 50))!;
    expect([fifty.detail, fifty.errors!.length]).toEqual(['50 row(s) are outside what your key may write; nothing was written.', 100]);
  });
});

describe('a self-assessed score names its evidence, or a note saying why there is none', () => {
  const self = (o: Record<string, unknown>) => ({ unit: '01', indicator: '1.1.1', source: 'self', value: 1, ...o });

  it('accepts evidence or a note with text; a row without a value claims nothing; other sources need neither', () => {
    expect(selfEvidenceErrors([self({ evidence: 'Báo cáo 12' }), self({ note: 'no document: verbal order' }), self({ value: null }),
      { unit: '01', indicator: '1.1.1', source: 'appraisal', value: 1 }, { unit: '01', indicator: '1.1.1', value: 1 }])).toEqual([]);
  });

  it('refuses missing, null, empty or blank evidence and note, naming the row (422)', () => {
    const rows = [self({}), self({ evidence: '  ', note: null }), self({ evidence: null, note: '\t' }), self({ evidence: '', note: '' }), self({ evidence: 'ok' }), self({ value: 0 })];
    const p = problemOf(() => requireSelfEvidence(rows))!;
    expect(p.type).toBe('validation-failed');
    expect(p.detail).toBe('5 self-assessed score(s) without evidence or a note explaining its absence; nothing was written.');
    expect(p.errors!.map((e) => e.row)).toEqual([1, 2, 3, 4, 6]);
    expect(p.errors![0]).toEqual({ row: 1, field: 'evidence', unit: '01', indicator: '1.1.1', message: 'a self-assessed score names its evidence, or says in note why there is none' });
    expect(problemOf(() => requireSelfEvidence([self({ evidence: 'x' })]))).toBeUndefined();
  });
});

describe('an appraised score that differs from the self-assessment names its reason', () => {
  const selfValues = new Map<string, string | null>([['01\u00001.1.1', '0.5'], ['01\u00001.1.2', 'null']]);
  const appraised = (o: Record<string, unknown>) => ({ unit: '01', indicator: '1.1.1', source: 'appraisal', value: 0.5, ...o });

  it('accepts the self-assessed value as it is, a reason, or a row of another source', () => {
    expect(problemOf(() => requireAdjustmentReasons([
      appraised({}), appraised({ value: 1, reason: 'the decree was late' }), appraised({ indicator: '1.1.2', value: null }),
      { unit: '01', indicator: '1.1.1', source: 'survey', value: 3 }, { unit: '01', indicator: '1.1.1', source: 'self', value: 3 },
    ], selfValues))).toBeUndefined();
  });

  it('takes a row without a source as appraisal', () => {
    expect(problemOf(() => requireAdjustmentReasons([{ unit: '01', indicator: '1.1.1', value: 0.5 }], selfValues))).toBeUndefined();
    expect(problemOf(() => requireAdjustmentReasons([{ unit: '01', indicator: '1.1.1', value: 1 }], selfValues))?.errors).toHaveLength(1);
  });

  it('refuses an adjustment or a score with no self-assessment without a reason (422), naming the self-assessed value', () => {
    const p = problemOf(() => requireAdjustmentReasons([appraised({}), appraised({ value: 1 }), appraised({ unit: '02' }), appraised({ value: 1, reason: '' })], selfValues))!;
    expect(p.type).toBe('validation-failed');
    expect(p.detail).toBe('3 adjustment(s) without a reason; nothing was written.');
    expect(p.errors).toEqual([
      { row: 2, field: 'reason', unit: '01', indicator: '1.1.1', message: 'adjusts the self-assessed 0.5: a reason is required' },
      { row: 3, field: 'reason', unit: '02', indicator: '1.1.1', message: 'no self-assessment to accept: an appraised score needs a reason' },
      { row: 4, field: 'reason', unit: '01', indicator: '1.1.1', message: 'adjusts the self-assessed 0.5: a reason is required' },
    ]);
  });
});

describe('a problem about rows lists the first 100 errors in row order, the total in its detail', () => {
  const errors = (rows: number[]): FieldError[] => rows.map((row) => ({ row, message: `row ${row}` }));

  it('sorts by row and counts the rows at fault', () => {
    const p = rowProblem('validation-failed', [...errors([3, 1, 2]), { row: 1, message: 'again' }, { message: 'no row' }], (n) => `${n} rows`);
    // a problem without a row sorts as row 0: first
    expect(p.errors!.map((e) => e.row)).toEqual([undefined, 1, 1, 2, 3]);
    expect([p.type, p.detail]).toEqual(['validation-failed', '4 rows']);
  });

  it('cuts a list of more than 100 and says how many there are', () => {
    const p = rowProblem('invalid-scores', errors(Array.from({ length: 150 }, (_, i) => 150 - i)), (n) => `${n} rows.`);
    expect(p.detail).toBe('150 rows. 150 errors in all; the first 100 are listed.');
    expect(p.errors!.map((e) => e.row)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(rowProblem('invalid-scores', errors(Array.from({ length: 100 }, (_, i) => i + 1)), (n) => `${n}.`).detail).toBe('100.');
  });

  it('caps a problem built elsewhere the same way, keeping its type and headers', () => {
    const long = new ApiProblem('invalid-scores', 'Bad.', errors(Array.from({ length: 101 }, (_, i) => i + 1)), { 'x-h': '1' });
    const cut = capped(long);
    expect([cut.type, cut.detail, cut.errors!.length, cut.headers]).toEqual(['invalid-scores', 'Bad. 101 errors in all; the first 100 are listed.', 100, { 'x-h': '1' }]);
    const short = new ApiProblem('invalid-scores', 'Bad.', errors(Array.from({ length: 100 }, (_, i) => i + 1)));
    expect(capped(short)).toBe(short);
    const none = new ApiProblem('invalid-scores', 'Bad.');
    expect(capped(none)).toBe(none);
  });
});

describe('an answer to a key is never stored by a shared cache; drafts never; pinned revisions are immutable', () => {
  it('gives each view its policy', () => {
    const frozen = {} as never;
    expect(cachePolicy({ kind: 'live' }, undefined)).toBe(PRIVATE);
    expect(cachePolicy({ kind: 'live' }, 'draft')).toBe(PRIVATE);
    expect(cachePolicy({ kind: 'revision', frozen }, '2')).toBe(IMMUTABLE);
    expect(cachePolicy({ kind: 'revision', frozen }, undefined)).toBe(REVALIDATE);
    expect(cachePolicy({ kind: 'revision', frozen, keyed: true }, '2')).toBe('private, max-age=31536000, immutable');
    expect(cachePolicy({ kind: 'revision', frozen, keyed: true }, undefined)).toBe('private, max-age=60, must-revalidate');
    expect(cachePolicy({ kind: 'revision', frozen, keyed: false }, undefined)).toBe(REVALIDATE);
  });

  it('makes only a leading "public" private, the lifetime kept', () => {
    expect(privately('public, max-age=60')).toBe('private, max-age=60');
    expect(privately('no-store, public')).toBe('no-store, public');
    expect(privately('publicity')).toBe('publicity');
    expect(forCaller(ctx(PUBLIC), IMMUTABLE)).toBe(IMMUTABLE);
    for (const actor of [ADMIN, APPRAISER, UNIT_01]) expect(forCaller(ctx(actor), IMMUTABLE)).toBe('private, max-age=31536000, immutable');
  });
});

describe('a reader gets the latest publication unless they pin one or may read the draft', () => {
  let api: Awaited<ReturnType<typeof freshApp>>;
  let published: CycleRow;
  beforeAll(async () => {
    api = await freshApp();
    published = (await getCycle(api.driver, 2023, 'province'))!; // seeded, published once
  });
  const view = (actor: Actor, c: CycleRow, options?: { revision?: string; unit?: string }) => viewFor(ctx(actor, api.driver), c, options);

  it('serves the latest publication to the public and to keys alike, keyed for keys', async () => {
    const pub = await view(PUBLIC, published);
    expect(pub).toMatchObject({ kind: 'revision', keyed: false });
    expect(pub.kind === 'revision' && pub.frozen.revision.revision).toBe(1);
    expect(await view(ADMIN, published)).toMatchObject({ kind: 'revision', keyed: true });
    expect(await view(UNIT_01, published, { revision: '1' })).toMatchObject({ kind: 'revision', keyed: true });
  });

  it('serves the draft to who may read it; 403 to other keys naming why; 401 to the public', async () => {
    expect(await view(APPRAISER, published, { revision: 'draft' })).toEqual({ kind: 'live' });
    expect(await view(UNIT_01, published, { revision: 'draft', unit: '01' })).toEqual({ kind: 'live' });
    const other = (await asyncProblemOf(() => view(UNIT_01, published, { revision: 'draft', unit: '02' })))!;
    expect([other.type, other.detail]).toEqual(['forbidden', 'Your key may read the draft of unit 01 only.']);
    const compare = (await asyncProblemOf(() => view(UNIT_01, published, { revision: 'draft' })))!;
    expect([compare.type, compare.detail]).toEqual(['forbidden', 'Drafts that compare units are for admins and appraisers; a unit key reads its own unit\'s draft (scorecard, scores).']);
    expect((await asyncProblemOf(() => view(PUBLIC, published, { revision: 'draft', unit: '01' })))?.type).toBe('unauthorized');
  });

  it('answers 404 for a revision never published, and for revision 0', async () => {
    for (const revision of ['2', '0']) {
      const p = (await asyncProblemOf(() => view(PUBLIC, published, { revision })))!;
      expect([p.type, p.detail]).toEqual(['not-found', `The 2023 province cycle has no published revision ${revision} (latest: 1).`]);
    }
    const never = { ...published, revision: 0 };
    const p = (await asyncProblemOf(() => revisionOf(ctx(PUBLIC, api.driver), never, 5)))!;
    expect(p.detail).toBe('The 2023 province cycle has no published revision 5 (latest: none).');
  });

  it('treats a cycle never published as not there yet, pointing those who may read its draft to it', async () => {
    const never = { ...published, revision: 0 };
    const msg = async (actor: Actor, unit?: string) => (await asyncProblemOf(() => view(actor, never, { unit })))!;
    expect([(await msg(PUBLIC)).type, (await msg(PUBLIC)).detail]).toEqual(['not-found', 'The 2023 province cycle is not published yet.']);
    expect((await msg(APPRAISER)).detail).toBe('The 2023 province cycle is not published yet. Its draft is readable with ?revision=draft.');
    expect((await msg(UNIT_01, '01')).detail).toBe('The 2023 province cycle is not published yet. Its draft is readable with ?revision=draft.');
    expect((await msg(UNIT_01, '02')).detail).toBe('The 2023 province cycle is not published yet.');
  });
});

describe('the Authorization header is "Bearer <key>"; anything else is 401 and counts against the address', () => {
  let api: Awaited<ReturnType<typeof freshApp>>;
  beforeAll(async () => { api = await freshApp(); });
  const read = (authorization: string) => api.request('/v1/cycles/2023/province/results?revision=draft', { headers: { authorization } });

  it('takes the scheme in any case, and the token as one run of visible ASCII', async () => {
    expect((await read('bearer test-admin-token-0123456789')).status).toBe(200);
    expect((await read('BEARER test-admin-token-0123456789')).status).toBe(200);
    for (const header of ['Bearer', 'Bearer ', 'Basic dGVzdA==', 'Bearer  test-admin-token-0123456789', 'xBearer test-admin-token-0123456789',
      'Bearer test-admin-token-0123456789 x', 'Bearer test-admin-token-0123456789\u00e9', 'Bearer test-admin-token-012345678 9']) {
      const res = await read(header);
      expect(res.status, header).toBe(401);
      expect(res.headers.get('www-authenticate'), header).toBe('Bearer realm="par-index"');
      expect((await json(res)).detail, header).toBe('The Authorization header must be "Bearer <key>".');
    }
  });

  it('names why a well-formed token is refused: not a key, unknown, revoked', async () => {
    expect((await json(await read('Bearer not-a-key'))).detail).toBe('The key is not a PAR Index API key (par_<id>_<secret>).');
    expect((await json(await read(`Bearer par_abc123xyz0_${'A'.repeat(43)}`))).detail).toBe('Unknown key.');
    const { key, id } = await json(await api.request('/v1/api-keys', { method: 'POST', ...as({ headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'appraiser' }) }) }));
    expect((await read(`Bearer ${key}`)).status).toBe(200);
    expect((await api.request(`/v1/api-keys/${id}`, as({ method: 'DELETE' }))).status).toBe(200);
    expect((await json(await read(`Bearer ${key}`))).detail).toBe('This key has been revoked.');
  });

  it('counts failed authentications against the address, not good ones', async () => {
    const limited = await freshApp({ rateLimit: () => 2 });
    const from = (authorization: string) => limited.request('/v1/methodologies', { headers: { authorization, 'cf-connecting-ip': '198.51.100.7' } });
    expect((await from('Bearer wrong-token')).status).toBe(401);
    expect((await from('Bearer wrong-token')).status).toBe(401);
    // the address spent its budget on failures: even the right key is refused before it is checked
    expect((await from('Bearer test-admin-token-0123456789')).status).toBe(429);
  });
});

describe('the bootstrap admin token is the one the app is given now', () => {
  it('stops working once the token changes, and never works when there is none', async () => {
    let token: string | undefined = 'first-admin-token-000000000';
    const api = await freshApp({ adminToken: () => token });
    const read = (t: string) => api.request('/v1/cycles/2023/province/results?revision=draft', { headers: { authorization: `Bearer ${t}` } });
    expect((await read('first-admin-token-000000000')).status).toBe(200);
    token = 'second-admin-token-00000000';
    expect((await read('first-admin-token-000000000')).status).toBe(401);
    expect((await read('second-admin-token-00000000')).status).toBe(200);
    token = undefined;
    expect((await read('second-admin-token-00000000')).status).toBe(401);
  });
});
