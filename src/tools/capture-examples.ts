// npm run openapi (first step): calls every operation of the app over a fresh, seeded database
// and keeps what it answered, shortened, in openapi/examples.json: the contract's examples are
// real answers, and `redocly lint` checks each against its schema.
import { writeFileSync } from 'node:fs';
import { loadCatalog } from '../catalog/index.js';
import { createApp } from '../http/app.js';
import { openSqlite } from '../store/sqlite.js';
import { seedIfEmpty } from '../store/seed.js';

const ADMIN = 'example-admin-token';
const driver = openSqlite(':memory:');
await seedIfEmpty(driver, loadCatalog());
const app = createApp({ driver: () => driver, adminToken: () => ADMIN });

type Exchange = [operationId: string, method: string, path: string, body?: unknown, admin?: boolean];
const published = '/v1/cycles/2024/province';
const computeBody = {
  methodology: { id: 'example', mode: 'points', missing: 'zero', nodes: [{ code: 'PAR', max: 100 }, { code: 'A', parent: 'PAR', max: 68.5, source: 'appraisal' }, { code: 'S', parent: 'PAR', max: 31.5, source: 'survey' }] },
  scores: [{ unit: 'MOJ', indicator: 'A', value: 61.86 }, { unit: 'MOJ', indicator: 'S', value: 28.1 }, { unit: 'MOIT', indicator: 'A', value: 55 }, { unit: 'MOIT', indicator: 'S', value: 23.03 }],
};
const exchanges: Exchange[] = [
  ['getHealth', 'GET', '/health'],
  ['listMethodologies', 'GET', '/v1/methodologies'],
  ['getMethodology', 'GET', '/v1/methodologies/par-province-2017'],
  ['createMethodology', 'POST', '/v1/methodologies', { id: 'example-index', mode: 'points', missing: 'zero', unitType: 'province', nodes: [{ code: 'PAR', max: 100 }, { code: '1', parent: 'PAR', max: 60, source: 'appraisal' }, { code: '2', parent: 'PAR', max: 40, source: 'survey' }] }, true],
  ['listUnits', 'GET', '/v1/units?q=hai%20phong'],
  ['getUnit', 'GET', '/v1/units/31-2025'],
  ['computeIndex', 'POST', '/v1/compute', computeBody],
  ['createCycle', 'POST', '/v1/cycles', { year: 2026, unitType: 'province', methodology: 'par-province-2022' }, true],
  ['putScores', 'PUT', '/v1/cycles/2026/province/scores', { scores: [{ unit: '01', indicator: '1.1.1', source: 'appraisal', value: 0.5, evidence: 'Báo cáo 12/BC-UBND' }, { unit: '31-2025', indicator: '1.6', source: 'survey', value: 1.75 }] }, true],
  ['listScores', 'GET', '/v1/cycles/2026/province/scores?revision=draft&limit=2', undefined, true],
  ['getScoresCsv', 'GET', '/v1/cycles/2026/province/scores.csv?revision=draft', undefined, true],
  ['changeCycleStatus', 'POST', '/v1/cycles/2026/province/status', { status: 'appraisal' }, true],
  ['listCycles', 'GET', '/v1/cycles?unitType=province'],
  ['getResults', 'GET', `${published}/results?region=RRD`],
  ['getResultsCsv', 'GET', `${published}/results.csv?region=RRD`],
  ['getResultsCsvMetadata', 'GET', `${published}/results.csv-metadata.json`],
  ['getStatistics', 'GET', `${published}/statistics`],
  ['getScorecard', 'GET', `${published}/units/01`],
  ['listRevisions', 'GET', `${published}/revisions`],
  ['diffRevisions', 'GET', `${published}/revisions/1/diff/1`],
  ['getPublicationBundle', 'GET', `${published}/revisions/1/bundle`],
  ['runUncertainty', 'POST', `${published}/uncertainty`, { draws: 1000, perturbation: 0.2, distribution: 'uniform', seed: 7 }],
  ['runWhatIf', 'POST', `${published}/units/01/what-if`, { changes: [{ indicator: '1.1.1', source: 'appraisal', value: 0.5 }] }],
  ['getStrengths', 'GET', `${published}/units/01/strengths`],
  ['getPeers', 'GET', `${published}/units/01/peers?around=1`],
  ['createApiKey', 'POST', '/v1/api-keys', { role: 'unit', unit: '01', label: 'Sở Nội vụ Hà Nội' }, true],
  ['listApiKeys', 'GET', '/v1/api-keys', undefined, true],
  ['revokeApiKey', 'DELETE', '/v1/api-keys/{id}', undefined, true],
  ['listAudit', 'GET', '/v1/audit?limit=2', undefined, true],
];

/** An answer shortened for reading: lists to their first two items, CSV to its first three lines. */
function shorten(value: unknown): unknown {
  if (Array.isArray(value)) return value.slice(0, 2).map(shorten);
  if (typeof value === 'string' && value.includes('\r\n')) return value.split('\r\n').slice(0, 3).join('\r\n') + '\r\n';
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shorten(v)]));
  return value;
}

const examples: Record<string, { request?: unknown; status: number; mediaType: string; response: unknown }> = {};
let keyId = '';
for (const [operationId, method, template, body, admin] of exchanges) {
  const path = template.replace('{id}', keyId);
  const res = await app.request(path, {
    method, headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...(admin && { authorization: `Bearer ${ADMIN}` }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const mediaType = (res.headers.get('content-type') ?? '').split(';')[0];
  const response = mediaType === 'text/csv' ? await res.text() : await res.json();
  if (res.status >= 300) throw new Error(`${operationId}: ${method} ${path} answered ${res.status} ${JSON.stringify(response)}`);
  if (operationId === 'createApiKey') keyId = (response as { id: string }).id;
  examples[operationId] = { ...(body !== undefined && { request: body }), status: res.status, mediaType, response: shorten(response) };
}
const file = new URL('../../openapi/examples.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(examples, null, 2)}\n`);
console.log(`wrote ${file.pathname} (${Object.keys(examples).length} operations)`);
