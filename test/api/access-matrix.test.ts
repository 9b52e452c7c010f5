// The access matrix: every route × every kind of caller, each answer's status checked against
// the table below. Writes use bodies that are valid for an authorised caller, so a status says
// who may do what, not whether the body parses; each write is idempotent or gets its own target
// per identity (its own cycle year, methodology id, throwaway key), so the order of identities
// does not change later answers.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, as, freshApp, json, post } from './harness.js';

const IDENTITIES = ['noKey', 'malformedKey', 'revokedKey', 'public', 'unitSame', 'unitOther', 'appraiser', 'admin'] as const;
type Identity = (typeof IDENTITIES)[number];
type Row = Record<Identity, number>;

interface Call { method?: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: string; body?: unknown }

let api: Awaited<ReturnType<typeof freshApp>>;
/** The Authorization header of each identity (null: none sent). */
const bearer = {} as Record<Identity, string | null>;
/** One throwaway key per identity, for that identity to try to revoke. */
const throwaway = {} as Record<Identity, string>;

const DRAFT = '/v1/cycles/2025/province';
const PUBLISHED = '/v1/cycles/2023/province';
const ownYear = (base: number, id: Identity) => base + IDENTITIES.indexOf(id);
/** A small valid methodology, with an id of its own per identity. */
const methodology = (id: Identity) => ({
  id: `access-matrix-${id.toLowerCase()}`, mode: 'points', missing: 'zero', unitType: 'province', total: 1,
  nodes: [{ code: 'R' }, { code: 'L', parent: 'R', max: 1, source: 'appraisal' }],
});
const selfScore = { scores: [{ unit: '01', indicator: '1.1.1', source: 'self', value: 0.5 }] };

/** What each route label sends, per identity. */
const CALLS: Record<string, (id: Identity) => Call> = {
  'GET /health': () => ({ path: '/health' }),
  'GET /openapi.json': () => ({ path: '/openapi.json' }),
  'GET /docs': () => ({ path: '/docs' }),
  'GET /v1/methodologies': () => ({ path: '/v1/methodologies' }),
  'GET /v1/methodologies/par-province-2022': () => ({ path: '/v1/methodologies/par-province-2022' }),
  'POST /v1/methodologies (own id)': (id) => ({ method: 'POST', path: '/v1/methodologies', body: methodology(id) }),
  'GET /v1/units': () => ({ path: '/v1/units' }),
  'GET /v1/units/01': () => ({ path: '/v1/units/01' }),
  'GET /v1/cycles': () => ({ path: '/v1/cycles' }),
  'POST /v1/cycles (own year 2030+i)': (id) => ({ method: 'POST', path: '/v1/cycles', body: { year: ownYear(2030, id), unitType: 'province', methodology: 'par-province-2022' } }),
  'GET published results': () => ({ path: `${PUBLISHED}/results` }),
  'GET draft results': () => ({ path: `${DRAFT}/results` }),
  'GET draft statistics': () => ({ path: `${DRAFT}/statistics` }),
  'GET draft scorecard 01': () => ({ path: `${DRAFT}/units/01` }),
  'GET draft scorecard 04': () => ({ path: `${DRAFT}/units/04` }),
  'GET published scorecard 01': () => ({ path: `${PUBLISHED}/units/01` }),
  'GET draft scores ?unit=01': () => ({ path: `${DRAFT}/scores?unit=01` }),
  'GET draft scores ?unit=04': () => ({ path: `${DRAFT}/scores?unit=04` }),
  'GET published scores': () => ({ path: `${PUBLISHED}/scores` }),
  'PUT draft scores 01 self (open)': () => ({ method: 'PUT', path: `${DRAFT}/scores`, body: selfScore }),
  'PUT published scores 01 self': () => ({ method: 'PUT', path: `${PUBLISHED}/scores`, body: selfScore }),
  'POST draft status review (from open)': () => ({ method: 'POST', path: `${DRAFT}/status`, body: { status: 'review' } }),
  'POST status appraisal (own cycle 2050+i)': (id) => ({ method: 'POST', path: `/v1/cycles/${ownYear(2050, id)}/province/status`, body: { status: 'appraisal' } }),
  'GET published revisions': () => ({ path: `${PUBLISHED}/revisions` }),
  'GET revision diff 1→1': () => ({ path: `${PUBLISHED}/revisions/1/diff/1` }),
  'POST /v1/compute': () => ({
    method: 'POST', path: '/v1/compute',
    body: { methodology: { id: 'x', mode: 'points', missing: 'zero', nodes: [{ code: 'PAR', max: 100 }, { code: 'A', parent: 'PAR', max: 100, source: 'appraisal' }] }, scores: [{ unit: 'U', indicator: 'A', value: 50 }] },
  }),
  'POST /v1/api-keys': () => ({ method: 'POST', path: '/v1/api-keys', body: { role: 'unit', unit: '01' } }),
  'GET /v1/api-keys': () => ({ path: '/v1/api-keys' }),
  'DELETE /v1/api-keys/{id} (own throwaway)': (id) => ({ method: 'DELETE', path: `/v1/api-keys/${throwaway[id]}` }),
  'GET /v1/audit': () => ({ path: '/v1/audit' }),
  'GET /v1/audit?unit=01': () => ({ path: '/v1/audit?unit=01' }),
};

// Expected statuses. noKey and public are the same caller: the API has no public-role key, the
// anonymous public IS the public; both columns are kept, with identical expectations.
// malformedKey is `Bearer not-a-key`: authentication runs before every route, so even /health,
// /openapi.json and /docs answer 401 to a bad credential rather than ignoring it.
// unitSame is a unit key of province 01 (Hà Nội), unitOther of province 04.
/* eslint-disable max-len */
const EXPECTED: Record<string, Row> = {
  'GET /health':                               { noKey: 200, malformedKey: 401, revokedKey: 401, public: 200, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET /openapi.json':                         { noKey: 200, malformedKey: 401, revokedKey: 401, public: 200, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET /docs':                                 { noKey: 200, malformedKey: 401, revokedKey: 401, public: 200, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET /v1/methodologies':                     { noKey: 200, malformedKey: 401, revokedKey: 401, public: 200, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET /v1/methodologies/par-province-2022':   { noKey: 200, malformedKey: 401, revokedKey: 401, public: 200, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'POST /v1/methodologies (own id)':           { noKey: 401, malformedKey: 401, revokedKey: 401, public: 401, unitSame: 403, unitOther: 403, appraiser: 403, admin: 201 },
  'GET /v1/units':                             { noKey: 200, malformedKey: 401, revokedKey: 401, public: 200, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET /v1/units/01':                          { noKey: 200, malformedKey: 401, revokedKey: 401, public: 200, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET /v1/cycles':                            { noKey: 200, malformedKey: 401, revokedKey: 401, public: 200, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'POST /v1/cycles (own year 2030+i)':         { noKey: 401, malformedKey: 401, revokedKey: 401, public: 401, unitSame: 403, unitOther: 403, appraiser: 403, admin: 201 },
  'GET published results':                     { noKey: 200, malformedKey: 401, revokedKey: 401, public: 200, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET draft results':                         { noKey: 401, malformedKey: 401, revokedKey: 401, public: 401, unitSame: 403, unitOther: 403, appraiser: 200, admin: 200 },
  'GET draft statistics':                      { noKey: 401, malformedKey: 401, revokedKey: 401, public: 401, unitSame: 403, unitOther: 403, appraiser: 200, admin: 200 },
  'GET draft scorecard 01':                    { noKey: 401, malformedKey: 401, revokedKey: 401, public: 401, unitSame: 200, unitOther: 403, appraiser: 200, admin: 200 },
  'GET draft scorecard 04':                    { noKey: 401, malformedKey: 401, revokedKey: 401, public: 401, unitSame: 403, unitOther: 200, appraiser: 200, admin: 200 },
  'GET published scorecard 01':                { noKey: 200, malformedKey: 401, revokedKey: 401, public: 200, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET draft scores ?unit=01':                 { noKey: 401, malformedKey: 401, revokedKey: 401, public: 401, unitSame: 200, unitOther: 403, appraiser: 200, admin: 200 },
  'GET draft scores ?unit=04':                 { noKey: 401, malformedKey: 401, revokedKey: 401, public: 401, unitSame: 403, unitOther: 200, appraiser: 200, admin: 200 },
  'GET published scores':                      { noKey: 200, malformedKey: 401, revokedKey: 401, public: 200, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'PUT draft scores 01 self (open)':           { noKey: 401, malformedKey: 401, revokedKey: 401, public: 401, unitSame: 200, unitOther: 403, appraiser: 409, admin: 200 },
  'PUT published scores 01 self':              { noKey: 401, malformedKey: 401, revokedKey: 401, public: 401, unitSame: 409, unitOther: 409, appraiser: 409, admin: 409 },
  'POST draft status review (from open)':      { noKey: 401, malformedKey: 401, revokedKey: 401, public: 401, unitSame: 403, unitOther: 403, appraiser: 409, admin: 409 },
  'POST status appraisal (own cycle 2050+i)':  { noKey: 401, malformedKey: 401, revokedKey: 401, public: 401, unitSame: 403, unitOther: 403, appraiser: 403, admin: 200 },
  'GET published revisions':                   { noKey: 200, malformedKey: 401, revokedKey: 401, public: 200, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET revision diff 1→1':                     { noKey: 200, malformedKey: 401, revokedKey: 401, public: 200, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'POST /v1/compute':                          { noKey: 200, malformedKey: 401, revokedKey: 401, public: 200, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'POST /v1/api-keys':                         { noKey: 401, malformedKey: 401, revokedKey: 401, public: 401, unitSame: 403, unitOther: 403, appraiser: 403, admin: 201 },
  'GET /v1/api-keys':                          { noKey: 401, malformedKey: 401, revokedKey: 401, public: 401, unitSame: 403, unitOther: 403, appraiser: 403, admin: 200 },
  'DELETE /v1/api-keys/{id} (own throwaway)':  { noKey: 401, malformedKey: 401, revokedKey: 401, public: 401, unitSame: 403, unitOther: 403, appraiser: 403, admin: 200 },
  'GET /v1/audit':                             { noKey: 401, malformedKey: 401, revokedKey: 401, public: 401, unitSame: 200, unitOther: 200, appraiser: 403, admin: 200 },
  'GET /v1/audit?unit=01':                     { noKey: 401, malformedKey: 401, revokedKey: 401, public: 401, unitSame: 200, unitOther: 403, appraiser: 403, admin: 200 },
};
/* eslint-enable max-len */

async function createKey(body: Record<string, unknown>): Promise<{ key: string; id: string }> {
  const res = await api.request('/v1/api-keys', post(body));
  expect(res.status).toBe(201);
  return json(res);
}

beforeAll(async () => {
  api = await freshApp();
  const revoked = await createKey({ role: 'unit', unit: '01' });
  expect((await api.request(`/v1/api-keys/${revoked.id}`, as({ method: 'DELETE' }))).status).toBe(200);
  Object.assign(bearer, {
    noKey: null, public: null, malformedKey: 'not-a-key', revokedKey: revoked.key,
    unitSame: (await createKey({ role: 'unit', unit: '01' })).key,
    unitOther: (await createKey({ role: 'unit', unit: '04' })).key,
    appraiser: (await createKey({ role: 'appraiser' })).key,
    admin: ADMIN_TOKEN,
  });
  for (const id of IDENTITIES) throwaway[id] = (await createKey({ role: 'appraiser', label: `throwaway for ${id}` })).id;
  expect((await api.request('/v1/cycles', post({ year: 2025, unitType: 'province', methodology: 'par-province-2022' }))).status).toBe(201);
  for (const id of IDENTITIES) {
    expect((await api.request('/v1/cycles', post({ year: ownYear(2050, id), unitType: 'province', methodology: 'par-province-2022' }))).status).toBe(201);
  }
});

/** The status of one route for one identity. */
async function statusOf(route: string, id: Identity): Promise<number> {
  const { method = 'GET', path, body } = CALLS[route](id);
  const headers: Record<string, string> = {};
  if (bearer[id] !== null) headers.authorization = `Bearer ${bearer[id]}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await api.request(path, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
  await res.arrayBuffer();
  return res.status;
}

describe('access matrix: every route × every identity', () => {
  it('covers every route it calls, and nothing else', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(CALLS).sort());
  });

  it('treats the anonymous caller and the public alike: the public has no key', () => {
    for (const row of Object.values(EXPECTED)) expect(row.public).toBe(row.noKey);
  });

  it.each(Object.entries(EXPECTED))('%s', async (route, expected) => {
    const actual = {} as Row;
    for (const id of IDENTITIES) actual[id] = await statusOf(route, id);
    expect(actual).toEqual(expected);
  });
});
