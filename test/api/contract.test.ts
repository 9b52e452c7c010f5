// The committed contract and the client types generated from it are what the app serves:
// regenerate both with `npm run openapi` when one of these fails. (Node only: it reads files.)
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIENT_TYPES_FILE, clientTypes } from '../contract/generate.js';
import { freshApp, json } from './harness.js';

describe('OpenAPI contract', () => {
  it('openapi/openapi.json equals the document the app serves', async () => {
    const { request } = await freshApp();
    const res = await request('/openapi.json');
    expect(res.status).toBe(200);
    const committed = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8'));
    expect(await json(res)).toEqual(committed);
  });

  it('test/contract/client/schema.d.ts holds the client types generated from the document the app serves', async () => {
    const { request } = await freshApp();
    const served = await json(await request('/openapi.json'));
    expect(readFileSync(CLIENT_TYPES_FILE, 'utf8'), 'the committed client types drifted: npm run openapi').toBe(await clientTypes(served));
  });

  it('documents every route with its problem responses', async () => {
    const doc = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8'));
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/health', '/v1/api-keys', '/v1/api-keys/{id}', '/v1/audit', '/v1/compute', '/v1/cycles',
      '/v1/cycles/{year}/{unitType}/results', '/v1/cycles/{year}/{unitType}/results.csv', '/v1/cycles/{year}/{unitType}/results.csv-metadata.json',
      '/v1/cycles/{year}/{unitType}/results.xlsx',
      '/v1/cycles/{year}/{unitType}/revisions', '/v1/cycles/{year}/{unitType}/revisions/{from}/diff/{to}', '/v1/cycles/{year}/{unitType}/revisions/{revision}/bundle',
      '/v1/cycles/{year}/{unitType}/scores', '/v1/cycles/{year}/{unitType}/scores.csv', '/v1/cycles/{year}/{unitType}/scores/template', '/v1/cycles/{year}/{unitType}/statistics', '/v1/cycles/{year}/{unitType}/status',
      '/v1/cycles/{year}/{unitType}/uncertainty', '/v1/cycles/{year}/{unitType}/units/{code}',
      '/v1/cycles/{year}/{unitType}/units/{code}/peers', '/v1/cycles/{year}/{unitType}/units/{code}/strengths',
      '/v1/cycles/{year}/{unitType}/units/{code}/what-if', '/v1/methodologies', '/v1/methodologies/{id}', '/v1/units', '/v1/units/{code}',
    ]);
    expect(doc.paths['/v1/cycles/{year}/{unitType}/scores'].put.responses['422'].content['application/problem+json']).toBeDefined();
  });
});
