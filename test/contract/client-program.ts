// A third party's program: a client generated from the contract (openapi-typescript types +
// openapi-fetch) that calls every operation, with no cast and no hand-written type. `tsc` in
// `npm test` compiles it; test/api/client.test.ts runs it against the app on both runtimes.
// When the contract changes, regenerate (`npm run openapi`) and let the compiler say what to fix.
import createClient from 'openapi-fetch';
import type { paths } from './client/schema.js';

type Client = ReturnType<typeof createClient<paths>>;

/** What openapi-fetch answers: data on a success status, error otherwise. */
interface Answer<T> { data?: T; error?: unknown; response: Response }

/** The data of a successful call; anything else stops the program with what the API said. */
function ok<T>({ data, error, response }: Answer<T>): T {
  if (data === undefined) throw new Error(`the API answered ${response.status}: ${JSON.stringify(error)}`);
  return data;
}

/** A cycle's path parameters, typed by the generated client itself. */
type CyclePath = paths['/v1/cycles/{year}/{unitType}/results']['get']['parameters']['path'];
const PUBLISHED: CyclePath = { year: 2024, unitType: 'province' }; // a seeded, published cycle
const NEW_CYCLE: CyclePath = { year: 2026, unitType: 'province' };

/** Calls every operation of the contract through `fetch`, as a caller without a key and as the admin. */
export async function callEveryOperation(fetch: (request: Request) => Promise<Response>, adminKey: string): Promise<void> {
  const anyone = createClient<paths>({ baseUrl: 'http://localhost', fetch });
  const admin = createClient<paths>({ baseUrl: 'http://localhost', fetch, headers: { authorization: `Bearer ${adminKey}` } });
  await readReferenceData(anyone, admin);
  await runACycle(admin);
  await readResults(anyone);
  await analyse(anyone);
  await manageAccess(admin);
}

async function readReferenceData(anyone: Client, admin: Client) {
  ok(await anyone.GET('/health'));
  const { methodologies } = ok(await anyone.GET('/v1/methodologies'));
  const methodology = ok(await anyone.GET('/v1/methodologies/{id}', { params: { path: { id: methodologies[0].id } } }));
  if (typeof methodology === 'string') throw new Error('asked without format=, the methodology is JSON'); // csv and xlsx are strings to the client
  // The same document again: a declared success (200, already stored), whatever the document's shape.
  ok(await admin.POST('/v1/methodologies', { body: methodology.document }));
  const { units } = ok(await anyone.GET('/v1/units', { params: { query: { unitType: 'province' } } }));
  ok(await anyone.GET('/v1/units/{code}', { params: { path: { code: units[0].code } } }));
  ok(await anyone.GET('/v1/cycles'));
  ok(await anyone.POST('/v1/compute', {
    body: {
      methodology: { id: 'x', mode: 'points', missing: 'zero', nodes: [{ code: 'PAR', max: 100 }, { code: 'A', parent: 'PAR', max: 60, source: 'appraisal' }, { code: 'S', parent: 'PAR', max: 40, source: 'survey' }] },
      scores: [{ unit: 'MOJ', indicator: 'A', value: 50 }, { unit: 'MOJ', indicator: 'S', value: 30 }],
    },
  }));
}

/** Opens a cycle, writes and reads scores, and takes it through every phase to a publication. */
async function runACycle(admin: Client) {
  ok(await admin.POST('/v1/cycles', { body: { year: NEW_CYCLE.year, unitType: NEW_CYCLE.unitType, methodology: 'par-province-2022' } }));
  const path = { path: NEW_CYCLE };
  ok(await admin.PUT('/v1/cycles/{year}/{unitType}/scores', { params: path, body: { scores: [{ unit: '01', indicator: '1.1.1', source: 'appraisal', value: 0.5 }] } }));
  ok(await admin.GET('/v1/cycles/{year}/{unitType}/scores', { params: { ...path, query: { revision: 'draft' } } }));
  ok(await admin.GET('/v1/cycles/{year}/{unitType}/scores.csv', { params: { ...path, query: { revision: 'draft' } }, parseAs: 'text' }));
  ok(await admin.GET('/v1/cycles/{year}/{unitType}/scores/template', { params: path, parseAs: 'arrayBuffer' }));
  for (const status of ['appraisal', 'review', 'published'] as const) {
    ok(await admin.POST('/v1/cycles/{year}/{unitType}/status', { params: path, body: { status } }));
  }
}

async function readResults(anyone: Client) {
  const path = { path: PUBLISHED };
  ok(await anyone.GET('/v1/cycles/{year}/{unitType}/results', { params: path }));
  ok(await anyone.GET('/v1/cycles/{year}/{unitType}/results.csv', { params: path, parseAs: 'text' }));
  ok(await anyone.GET('/v1/cycles/{year}/{unitType}/results.xlsx', { params: path, parseAs: 'arrayBuffer' }));
  ok(await anyone.GET('/v1/cycles/{year}/{unitType}/results.csv-metadata.json', { params: path }));
  ok(await anyone.GET('/v1/cycles/{year}/{unitType}/statistics', { params: path }));
  ok(await anyone.GET('/v1/cycles/{year}/{unitType}/units/{code}', { params: { path: { ...PUBLISHED, code: '01' } } }));
  const { revisions } = ok(await anyone.GET('/v1/cycles/{year}/{unitType}/revisions', { params: path }));
  const latest = revisions[0].revision;
  ok(await anyone.GET('/v1/cycles/{year}/{unitType}/revisions/{from}/diff/{to}', { params: { path: { ...PUBLISHED, from: latest, to: latest } } }));
  ok(await anyone.GET('/v1/cycles/{year}/{unitType}/revisions/{revision}/bundle', { params: { path: { ...PUBLISHED, revision: latest } } }));
}

async function analyse(anyone: Client) {
  const unit = { path: { ...PUBLISHED, code: '01' } };
  ok(await anyone.GET('/v1/cycles/{year}/{unitType}/units/{code}/strengths', { params: unit }));
  ok(await anyone.GET('/v1/cycles/{year}/{unitType}/units/{code}/peers', { params: unit }));
  ok(await anyone.POST('/v1/cycles/{year}/{unitType}/units/{code}/what-if', { params: unit, body: { changes: [{ indicator: '1.1.1', source: 'appraisal', value: 0.5 }] } }));
  ok(await anyone.POST('/v1/cycles/{year}/{unitType}/uncertainty', { params: { path: PUBLISHED }, body: { draws: 50 } }));
}

async function manageAccess(admin: Client) {
  const { id } = ok(await admin.POST('/v1/api-keys', { body: { role: 'unit', unit: '01', label: 'client program' } }));
  ok(await admin.GET('/v1/api-keys'));
  ok(await admin.DELETE('/v1/api-keys/{id}', { params: { path: { id } } }));
  ok(await admin.GET('/v1/audit'));
}
