// The access matrix: every route × every kind of caller, each answer's status checked against
// the table below. Writes use bodies that are valid for an authorised caller, so a status says
// who may do what, not whether the body parses; each write is idempotent or gets its own target
// per identity (its own cycle year, methodology id, throwaway key), so the order of identities
// does not change later answers. Reads of a cycle serve its latest publication to every caller,
// keys included; a draft only on `?revision=draft`, to those who may see it; a cycle never
// published is not there (404) for a plain read: each such answer is also checked for what it
// served (the `revision` block) or why it is missing.
import { beforeAll, describe, expect, it } from 'vitest';
import { operations, pathMatcher } from '../contract/contract.js';
import { ADMIN_TOKEN, as, freshApp, json, post } from './harness.js';

const IDENTITIES = ['noKey', 'malformedKey', 'unknownKey', 'revokedKey', 'unitSame', 'unitOther', 'appraiser', 'admin'] as const;
type Identity = (typeof IDENTITIES)[number];
type Row = Record<Identity, number>;

/** `serves`: a read of a cycle, and the kind of revision each of its 200 answers must name. */
interface Call { method?: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: string; body?: unknown; serves?: 'publication' | 'draft' }

let api: Awaited<ReturnType<typeof freshApp>>;
/** The Authorization header of each identity (null: none sent). */
const bearer = {} as Record<Identity, string | null>;
/** One throwaway key per identity, for that identity to try to revoke. */
const throwaway = {} as Record<Identity, string>;

/** Created by the tests, open, never published. */
const UNPUBLISHED = '/v1/cycles/2026/province';
/** Seeded, published once (revision 1). */
const PUBLISHED = '/v1/cycles/2023/province';
const ownYear = (base: number, id: Identity) => base + IDENTITIES.indexOf(id);
/** A small valid methodology, with an id of its own per identity. */
const methodology = (id: Identity) => ({
  id: `access-matrix-${id.toLowerCase()}`, mode: 'points', missing: 'zero', unitType: 'province', total: 1,
  nodes: [{ code: 'R' }, { code: 'L', parent: 'R', max: 1, source: 'appraisal' }],
});
const selfScore = { scores: [{ unit: '01', indicator: '1.1.1', source: 'self', value: 0.5, evidence: 'Báo cáo 12/BC-UBND' }] };

/**
 * The reads of a cycle, each plain (the latest publication) and with `?revision=draft`, on the
 * published cycle and on the never-published one; results also pinned to `?revision=1`.
 */
function cycleReads(): Record<string, () => Call> {
  const reads: ['GET' | 'POST', string, string, unknown?][] = [
    ['GET', 'results', 'results'], ['GET', 'statistics', 'statistics'], ['GET', 'scorecard 01', 'units/01'], ['GET', 'scores', 'scores'],
    ['POST', 'uncertainty', 'uncertainty', { draws: 10 }], ['POST', 'what-if 01', 'units/01/what-if', { changes: [] }],
    ['GET', 'strengths 01', 'units/01/strengths'], ['GET', 'peers 01', 'units/01/peers'],
  ];
  const calls: Record<string, () => Call> = {};
  for (const [method, what, path, body] of reads) {
    const call = (cycle: string, query: string, serves: Call['serves']) => () => ({ method, path: `${cycle}/${path}${query}`, body, serves });
    calls[`${method} published ${what}`] = call(PUBLISHED, '', 'publication');
    calls[`${method} published ${what} ?revision=draft`] = call(PUBLISHED, '?revision=draft', 'draft');
    calls[`${method} unpublished ${what}`] = call(UNPUBLISHED, '', 'publication');
    calls[`${method} unpublished ${what} ?revision=draft`] = call(UNPUBLISHED, '?revision=draft', 'draft');
  }
  return {
    ...calls,
    'GET published results ?revision=1': () => ({ path: `${PUBLISHED}/results?revision=1`, serves: 'publication' }),
    'GET published results ?revision=2 (none)': () => ({ path: `${PUBLISHED}/results?revision=2`, serves: 'publication' }),
    'GET unpublished scorecard 04 ?revision=draft': () => ({ path: `${UNPUBLISHED}/units/04?revision=draft`, serves: 'draft' }),
    'GET unpublished scores ?unit=01': () => ({ path: `${UNPUBLISHED}/scores?unit=01`, serves: 'publication' }),
    'GET unpublished scores ?revision=draft&unit=01': () => ({ path: `${UNPUBLISHED}/scores?revision=draft&unit=01`, serves: 'draft' }),
    'GET unpublished scores ?revision=draft&unit=04': () => ({ path: `${UNPUBLISHED}/scores?revision=draft&unit=04`, serves: 'draft' }),
    'GET published scores ?revision=draft&unit=04': () => ({ path: `${PUBLISHED}/scores?revision=draft&unit=04`, serves: 'draft' }),
  };
}

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
  ...cycleReads(),
  'PUT unpublished scores 01 self (open)': () => ({ method: 'PUT', path: `${UNPUBLISHED}/scores`, body: selfScore }),
  'PUT published scores 01 self': () => ({ method: 'PUT', path: `${PUBLISHED}/scores`, body: selfScore }),
  'POST unpublished status review (from open)': () => ({ method: 'POST', path: `${UNPUBLISHED}/status`, body: { status: 'review' } }),
  'POST status appraisal (own cycle 2050+i)': (id) => ({ method: 'POST', path: `/v1/cycles/${ownYear(2050, id)}/province/status`, body: { status: 'appraisal' } }),
  'GET published revisions': () => ({ path: `${PUBLISHED}/revisions` }),
  'GET published revision 1 bundle': () => ({ path: `${PUBLISHED}/revisions/1/bundle` }),
  'GET unpublished revision 1 bundle': () => ({ path: `${UNPUBLISHED}/revisions/1/bundle` }),
  'GET published results.csv': () => ({ path: `${PUBLISHED}/results.csv` }),
  'GET published results.csv ?revision=draft': () => ({ path: `${PUBLISHED}/results.csv?revision=draft` }),
  'GET unpublished results.csv': () => ({ path: `${UNPUBLISHED}/results.csv` }),
  'GET published results.csv-metadata.json': () => ({ path: `${PUBLISHED}/results.csv-metadata.json` }),
  'GET unpublished results.csv-metadata.json ?revision=draft': () => ({ path: `${UNPUBLISHED}/results.csv-metadata.json?revision=draft` }),
  'GET published results.xlsx': () => ({ path: `${PUBLISHED}/results.xlsx` }),
  'GET unpublished scores/template': () => ({ path: `${UNPUBLISHED}/scores/template` }),
  'GET published scores.csv': () => ({ path: `${PUBLISHED}/scores.csv` }),
  'GET published scores.csv ?revision=draft&unit=04': () => ({ path: `${PUBLISHED}/scores.csv?revision=draft&unit=04` }),
  'GET unpublished scores.csv': () => ({ path: `${UNPUBLISHED}/scores.csv` }),
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

// Expected statuses. noKey is the anonymous public (the API has no public-role key).
// malformedKey is `Bearer not-a-key`; unknownKey is well formed and names an existing key's id with
// another secret (key ids are public: score exports name their writers); revokedKey is a revoked
// key with its own secret. Authentication runs before every route, so even /health,
// /openapi.json and /docs answer 401 to a bad credential rather than ignoring it.
// unitSame is a unit key of province 01 (Hà Nội), unitOther of province 04.
/* eslint-disable max-len */
const EXPECTED: Record<string, Row> = {
  'GET /health':                                            { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET /openapi.json':                                      { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET /docs':                                              { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET /v1/methodologies':                                  { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET /v1/methodologies/par-province-2022':                { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'POST /v1/methodologies (own id)':                        { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 403, appraiser: 403, admin: 201 },
  'GET /v1/units':                                          { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET /v1/units/01':                                       { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET /v1/cycles':                                         { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'POST /v1/cycles (own year 2030+i)':                      { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 403, appraiser: 403, admin: 201 },
  // reads of a cycle: the latest publication for everyone; drafts as the role allows
  'GET published results':                                  { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET published results ?revision=draft':                  { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 403, appraiser: 200, admin: 200 },
  'GET unpublished results':                                { noKey: 404, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 404, unitOther: 404, appraiser: 404, admin: 404 },
  'GET unpublished results ?revision=draft':                { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 403, appraiser: 200, admin: 200 },
  'GET published results ?revision=1':                      { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET published results ?revision=2 (none)':               { noKey: 404, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 404, unitOther: 404, appraiser: 404, admin: 404 },
  'GET published statistics':                               { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET published statistics ?revision=draft':               { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 403, appraiser: 200, admin: 200 },
  'GET unpublished statistics':                             { noKey: 404, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 404, unitOther: 404, appraiser: 404, admin: 404 },
  'GET unpublished statistics ?revision=draft':             { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 403, appraiser: 200, admin: 200 },
  // a unit key reads its own unit's draft scorecard and scores (alone: scores filter to its unit)
  'GET published scorecard 01':                             { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET published scorecard 01 ?revision=draft':             { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 403, appraiser: 200, admin: 200 },
  'GET unpublished scorecard 01':                           { noKey: 404, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 404, unitOther: 404, appraiser: 404, admin: 404 },
  'GET unpublished scorecard 01 ?revision=draft':           { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 403, appraiser: 200, admin: 200 },
  'GET unpublished scorecard 04 ?revision=draft':           { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 200, appraiser: 200, admin: 200 },
  'GET published scores':                                   { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET published scores ?revision=draft':                   { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET unpublished scores':                                 { noKey: 404, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 404, unitOther: 404, appraiser: 404, admin: 404 },
  'GET unpublished scores ?revision=draft':                 { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET published scores ?revision=draft&unit=04':           { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 200, appraiser: 200, admin: 200 },
  'GET unpublished scores ?unit=01':                        { noKey: 404, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 404, unitOther: 404, appraiser: 404, admin: 404 },
  'GET unpublished scores ?revision=draft&unit=01':         { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 403, appraiser: 200, admin: 200 },
  'GET unpublished scores ?revision=draft&unit=04':         { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 200, appraiser: 200, admin: 200 },
  // analysis compares units: no draft of it for a unit key, its own unit's included
  'POST published uncertainty':                             { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'POST published uncertainty ?revision=draft':             { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 403, appraiser: 200, admin: 200 },
  'POST unpublished uncertainty':                           { noKey: 404, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 404, unitOther: 404, appraiser: 404, admin: 404 },
  'POST unpublished uncertainty ?revision=draft':           { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 403, appraiser: 200, admin: 200 },
  'POST published what-if 01':                              { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'POST published what-if 01 ?revision=draft':              { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 403, appraiser: 200, admin: 200 },
  'POST unpublished what-if 01':                            { noKey: 404, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 404, unitOther: 404, appraiser: 404, admin: 404 },
  'POST unpublished what-if 01 ?revision=draft':            { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 403, appraiser: 200, admin: 200 },
  'GET published strengths 01':                             { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET published strengths 01 ?revision=draft':             { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 403, appraiser: 200, admin: 200 },
  'GET unpublished strengths 01':                           { noKey: 404, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 404, unitOther: 404, appraiser: 404, admin: 404 },
  'GET unpublished strengths 01 ?revision=draft':           { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 403, appraiser: 200, admin: 200 },
  'GET published peers 01':                                 { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET published peers 01 ?revision=draft':                 { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 403, appraiser: 200, admin: 200 },
  'GET unpublished peers 01':                               { noKey: 404, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 404, unitOther: 404, appraiser: 404, admin: 404 },
  'GET unpublished peers 01 ?revision=draft':               { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 403, appraiser: 200, admin: 200 },
  // writes and the rest
  'PUT unpublished scores 01 self (open)':                  { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 403, appraiser: 409, admin: 200 },
  'PUT published scores 01 self':                           { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 409, unitOther: 409, appraiser: 409, admin: 409 },
  'POST unpublished status review (from open)':             { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 403, appraiser: 409, admin: 409 },
  'POST status appraisal (own cycle 2050+i)':               { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 403, appraiser: 403, admin: 200 },
  'GET published revisions':                                { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET published revision 1 bundle':                        { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET unpublished revision 1 bundle':                      { noKey: 404, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 404, unitOther: 404, appraiser: 404, admin: 404 },
  'GET published results.csv':                              { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET published results.csv ?revision=draft':              { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 403, appraiser: 200, admin: 200 },
  'GET unpublished results.csv':                            { noKey: 404, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 404, unitOther: 404, appraiser: 404, admin: 404 },
  'GET published results.csv-metadata.json':                { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET unpublished results.csv-metadata.json ?revision=draft': { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 403, appraiser: 200, admin: 200 },
  'GET published results.xlsx':                             { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET unpublished scores/template':                        { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET published scores.csv':                               { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'GET published scores.csv ?revision=draft&unit=04':       { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 200, appraiser: 200, admin: 200 },
  'GET unpublished scores.csv':                             { noKey: 404, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 404, unitOther: 404, appraiser: 404, admin: 404 },
  'GET revision diff 1→1':                                  { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'POST /v1/compute':                                       { noKey: 200, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 200, admin: 200 },
  'POST /v1/api-keys':                                      { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 403, appraiser: 403, admin: 201 },
  'GET /v1/api-keys':                                       { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 403, appraiser: 403, admin: 200 },
  'DELETE /v1/api-keys/{id} (own throwaway)':               { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 403, unitOther: 403, appraiser: 403, admin: 200 },
  'GET /v1/audit':                                          { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 200, appraiser: 403, admin: 200 },
  'GET /v1/audit?unit=01':                                  { noKey: 401, malformedKey: 401, unknownKey: 401, revokedKey: 401, unitSame: 200, unitOther: 403, appraiser: 403, admin: 200 },
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
    noKey: null, malformedKey: 'not-a-key', revokedKey: revoked.key,
    unitSame: (await createKey({ role: 'unit', unit: '01' })).key,
    unitOther: (await createKey({ role: 'unit', unit: '04' })).key,
    appraiser: (await createKey({ role: 'appraiser' })).key,
    admin: ADMIN_TOKEN,
  });
  const [, id, secret] = /^par_([a-z0-9]{10})_(.{43})$/.exec(bearer.unitSame!)!;
  bearer.unknownKey = `par_${id}_${secret[0] === 'A' ? 'B' : 'A'}${secret.slice(1)}`;
  for (const id of IDENTITIES) throwaway[id] = (await createKey({ role: 'appraiser', label: `throwaway for ${id}` })).id;
  expect((await api.request('/v1/cycles', post({ year: 2026, unitType: 'province', methodology: 'par-province-2022' }))).status).toBe(201);
  for (const id of IDENTITIES) {
    expect((await api.request('/v1/cycles', post({ year: ownYear(2050, id), unitType: 'province', methodology: 'par-province-2022' }))).status).toBe(201);
  }
});

/** The answer of one route to one identity: its status, and its JSON body (if any). */
async function answerOf(route: string, id: Identity): Promise<{ status: number; body: any }> {
  const { method = 'GET', path, body } = CALLS[route](id);
  const headers: Record<string, string> = {};
  if (bearer[id] !== null) headers.authorization = `Bearer ${bearer[id]}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await api.request(path, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
  return { status: res.status, body: /json/.test(res.headers.get('content-type') ?? '') ? await res.json() : await res.arrayBuffer() };
}

/**
 * What a read of a cycle answered beyond its status: a 200 names the kind of revision it served
 * (a plain read: publication 1, the only one of the seeded cycle), a 404 of a plain read says
 * why. One line per identity, to compare with what the route promises.
 */
function served(serves: 'publication' | 'draft', { status, body }: { status: number; body: any }): string {
  if (status === 200) return `${body.revision.kind}${body.revision.kind === 'publication' ? ` ${body.revision.revision}` : ''}`;
  if (status === 404 && serves === 'publication') return /not published yet|no published revision/.test(body.detail) ? 'not published' : body.detail;
  return String(status);
}

describe('access matrix: every route × every identity', () => {
  it('reaches every operation of the contract', () => {
    const match = pathMatcher();
    const reached = new Set(Object.values(CALLS).map((call) => {
      const { method = 'GET', path } = call(IDENTITIES[0]);
      return `${method.toLowerCase()} ${match(path.split('?')[0])}`;
    }));
    const missing = operations().map((o) => `${o.method} ${o.path}`).filter((o) => !reached.has(o));
    expect(missing).toEqual([]);
  });

  it('sends eight different credentials', () => {
    expect(new Set(IDENTITIES.map((id) => bearer[id])).size).toBe(IDENTITIES.length);
  });

  it.each(Object.entries(EXPECTED))('%s', async (route, expected) => {
    const serves = CALLS[route](IDENTITIES[0]).serves;
    const actual = {} as Row;
    const what: Record<string, string> = {};
    const promised: Record<string, string> = {};
    for (const id of IDENTITIES) {
      const answer = await answerOf(route, id);
      actual[id] = answer.status;
      if (!serves) continue;
      what[id] = served(serves, answer);
      promised[id] = expected[id] === 200 ? (serves === 'draft' ? 'draft' : 'publication 1') : expected[id] === 404 ? 'not published' : String(expected[id]);
    }
    expect(actual).toEqual(expected);
    expect(what).toEqual(promised);
  });

  it('a unit key asking for the draft scores without a filter gets its own unit\'s only; staff get every unit\'s', async () => {
    const unitsIn = async (id: Identity) => new Set((await answerOf('GET published scores ?revision=draft', id)).body.scores.map((s: any) => s.unit));
    expect([...await unitsIn('unitSame')]).toEqual(['01']);
    expect([...await unitsIn('unitOther')]).toEqual(['04']);
    expect((await unitsIn('appraiser')).size).toBeGreaterThan(1); // a first page of every unit's
  });
});
