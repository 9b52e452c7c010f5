// The methodology document as a typed part of the contract: the same component for POST
// /v1/compute, POST /v1/methodologies and GET /v1/methodologies/{id}; unknown keys refused; every
// problem with a JSON Pointer into the request; versions served with validators and long caching.
import { Validator, type Schema } from '@cfworker/json-schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshApp, json, post } from './harness.js';

interface FieldError { pointer?: string; field?: string; indicator?: string; message: string }
interface Problem { type: string; status: number; detail: string; errors?: FieldError[] }

let api: Awaited<ReturnType<typeof freshApp>>;
beforeAll(async () => { api = await freshApp(); });

const tiny = (nodes: unknown[] = [{ code: 'R' }, { code: 'A', parent: 'R', max: 1 }, { code: 'B', parent: 'R', max: 1 }]) => ({ id: 'tiny', mode: 'points', missing: 'zero', nodes });
const weighted = (node: object) => ({ id: 'w', mode: 'weighted', missing: 'skip', nodes: [{ code: 'R' }, { code: 'a', parent: 'R', normalisation: { method: 'rank' } }, { code: 'b', parent: 'R', ...node }] });
const scores = [{ unit: 'u1', indicator: 'A', value: 1 }, { unit: 'u2', indicator: 'A', value: 0 }];

async function problem(res: Response, status: number, type: string): Promise<Problem> {
  const body = await json<Problem>(res);
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(body.type).toBe(`/problems/${type}`);
  return body;
}

const compute = (methodology: unknown, s: unknown[] = scores) => api.request('/v1/compute', post({ methodology, scores: s }, null));
const create = (document: unknown) => api.request('/v1/methodologies', post(document));

describe('unknown keys and bad values answer 422 with a JSON Pointer into the request', () => {
  it('a misspelt key (normalization) in POST /v1/compute names the key under /methodology', async () => {
    const p = await problem(await compute(weighted({ normalization: { method: 'rank' } })), 422, 'validation-failed');
    expect(p.errors).toContainEqual(expect.objectContaining({ pointer: '/methodology/nodes/2/normalization', field: 'normalization', message: expect.stringContaining('normalization') }));
  });

  it('the same document in POST /v1/methodologies: the pointer starts at the document', async () => {
    const p = await problem(await create(weighted({ normalization: { method: 'rank' } })), 422, 'validation-failed');
    expect(p.errors).toContainEqual(expect.objectContaining({ pointer: '/nodes/2/normalization' }));
  });

  it('an unknown normalisation method points at the method', async () => {
    const p = await problem(await compute(weighted({ normalisation: { method: 'min-max' } })), 422, 'validation-failed');
    expect(p.errors).toContainEqual(expect.objectContaining({ pointer: '/methodology/nodes/2/normalisation/method' }));
    const q = await problem(await create(weighted({ normalisation: { method: 'min-max' } })), 422, 'validation-failed');
    expect(q.errors).toContainEqual(expect.objectContaining({ pointer: '/nodes/2/normalisation/method' }));
  });
});

describe('structural problems point at the node they name', () => {
  it('a missing parent in POST /v1/compute: the node\'s parent, under /methodology', async () => {
    const p = await problem(await compute(tiny([...tiny().nodes, { code: 'C', parent: 'MISSING', max: 1 }])), 422, 'invalid-methodology');
    expect(p.errors).toEqual([expect.objectContaining({ pointer: '/methodology/nodes/3/parent', field: 'parent', indicator: 'C', message: expect.stringContaining('MISSING') })]);
    expect(p.detail).toContain('/methodology/nodes/3/parent');
  });

  it('a duplicate code in nested form, and a wrong sum, in POST /v1/methodologies', async () => {
    const nested = { ...tiny([]), nodes: [{ code: 'R', max: 3, children: [{ code: 'A', max: 1 }, { code: 'A', max: 1 }] }] };
    const p = await problem(await create(nested), 422, 'invalid-methodology');
    expect(p.errors).toEqual([expect.objectContaining({ pointer: '/nodes/0/children/1/code', indicator: 'A' })]);
    const sum = await problem(await create({ ...tiny([]), nodes: [{ code: 'R', max: 3, children: [{ code: 'A', max: 1 }, { code: 'B', max: 1 }] }] }), 422, 'invalid-methodology');
    expect(sum.errors).toEqual([expect.objectContaining({ pointer: '/nodes/0/max', indicator: 'R' })]);
  });
});

describe('round trip and versions', () => {
  it('a stored document, posted back under a new id, is accepted and stored verbatim', async () => {
    const stored = await json(await api.request('/v1/methodologies/par-province-2022'));
    expect(stored).toMatchObject({ id: 'par-province-2022', rounding: 2 });
    const copy = { ...stored.document, id: 'par-province-2022-copy' };
    const created = await api.request('/v1/methodologies', post(copy));
    expect(created.status).toBe(201);
    expect(await json(created)).toMatchObject({ id: 'par-province-2022-copy', version: stored.version, nodes: stored.nodes, leaves: stored.leaves, rounding: 2 });
    const back = await json(await api.request(`/v1/methodologies/par-province-2022-copy?version=${stored.version}`));
    expect(back.document).toEqual(copy);
    expect((await api.request('/v1/methodologies', post(copy))).status).toBe(200); // same content: already there
  });

  it('a version is immutable and cached for a year; the latest for five minutes; If-None-Match answers 304', async () => {
    const pinned = await api.request('/v1/methodologies/par-province-2022?version=1');
    expect(pinned.status).toBe(200);
    expect(pinned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = pinned.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"/);
    const latest = await api.request('/v1/methodologies/par-province-2022');
    expect(latest.headers.get('cache-control')).toBe('public, max-age=300');
    expect(latest.headers.get('etag')).toBe(etag); // version 1 is the latest
    const again = await api.request('/v1/methodologies/par-province-2022?version=1', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('content-type')).toBeNull();
    expect(await again.text()).toBe('');
  });
});

describe('the contract', () => {
  let doc: { paths: Record<string, any>; components: { schemas: Record<string, any> } };
  beforeAll(async () => { doc = await json(await api.request('/openapi.json')); });
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

  it('has a MethodologyDocument component used by both routes that take one and by Methodology.document', () => {
    const s = doc.components.schemas;
    expect(s.MethodologyDocument).toMatchObject({ type: 'object', additionalProperties: false, required: expect.arrayContaining(['id', 'mode', 'missing', 'nodes']) });
    expect(doc.paths['/v1/methodologies'].post.requestBody.content['application/json'].schema).toEqual(ref('MethodologyDocument'));
    const computeIn = doc.paths['/v1/compute'].post.requestBody.content['application/json'].schema;
    expect(s[computeIn.$ref.split('/').pop()].properties.methodology).toEqual(ref('MethodologyDocument'));
    const detail = doc.paths['/v1/methodologies/{id}'].get.responses['200'].content['application/json'].schema;
    expect(JSON.stringify(s[detail.$ref.split('/').pop()])).toContain(JSON.stringify({ document: ref('MethodologyDocument') }));
  });

  it('types every part: a recursive node, each rule and normalisation by its discriminator, defaults shown', () => {
    const s = doc.components.schemas;
    expect(s.MethodologyNode.properties.children.items).toEqual(ref('MethodologyNode'));
    expect(s.MethodologyNode.additionalProperties).toBe(false);
    expect(s.ScoringRule.discriminator.propertyName).toBe('type');
    expect(Object.keys(s.ScoringRule.discriminator.mapping).sort()).toEqual(['bands', 'binary', 'linear', 'points', 'proportional', 'survey']);
    expect(s.Normalisation.discriminator.propertyName).toBe('method');
    expect(s.ProportionalRule.properties.cap).toMatchObject({ type: 'boolean', default: true, description: expect.stringContaining('default true: achieved above target earns the max') });
    for (const name of ['MissingDataRule', 'Aggregation', 'GroupThreshold', 'Provenance', 'LegalDocument', 'LocalisedName']) expect(s[name], name).toBeDefined();
    expect(s.MethodologySummary.required).toContain('rounding');
  });

  it('names the operations, and every stored document matches the component', async () => {
    expect(doc.paths['/v1/compute'].post.operationId).toBe('computeIndex');
    expect(doc.paths['/v1/methodologies'].get.operationId).toBe('listMethodologies');
    expect(doc.paths['/v1/methodologies'].post.operationId).toBe('createMethodology');
    expect(doc.paths['/v1/methodologies/{id}'].get.operationId).toBe('getMethodology');
    const validator = new Validator({ components: doc.components, $ref: '#/components/schemas/MethodologyDocument' } as unknown as Schema, '2020-12', false);
    const { methodologies } = await json(await api.request('/v1/methodologies'));
    expect(methodologies.length).toBeGreaterThanOrEqual(3);
    for (const m of methodologies) {
      const { document } = await json(await api.request(`/v1/methodologies/${m.id}?version=${m.version}`));
      expect(validator.validate(document).errors, m.id).toEqual([]);
    }
    expect(validator.validate({ ...tiny(), normalization: { method: 'none' } }).valid).toBe(false);
  });
});
