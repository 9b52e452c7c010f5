// Budgets on what one request may ask (issue 11), on both runtimes: each is answered 422 naming the
// limit and pointing into the request, before any work, with nothing stored changed; a methodology
// nested or chained deeper than the stack is 422, never 500; bodies are bounded per route; names,
// ids, reserved keys and sums that are not finite are refused where they are.
import { beforeAll, describe, expect, it } from 'vitest';
import { BUDGETS } from '../../src/engine/index.js';
import { BUDGET_PROBLEM } from '../../src/http/routes/methodologies.js';
import { ADMIN_TOKEN, freshApp, json, post } from './harness.js';

type Harness = Awaited<ReturnType<typeof freshApp>>;
let h: Harness;
beforeAll(async () => { h = await freshApp(); });

interface Problem { type: string; status: number; detail: string; errors?: { pointer?: string; field?: string; message: string }[] }

const CYCLE = '/v1/cycles/2023/province';
const points = (nodes: unknown[], extra: object = {}) => ({ id: 'budget-test', mode: 'points', missing: 'zero', nodes, ...extra });
const flat = (leaves: number) => points([{ code: 'R' }, ...Array.from({ length: leaves }, (_, i) => ({ code: `L${i}`, parent: 'R', max: 1 }))]);
const chain = (length: number) => points([{ code: 'C0' }, ...Array.from({ length }, (_, i) => ({ code: `C${i + 1}`, parent: `C${i}`, ...(i === length - 1 && { max: 1 }) }))]);
function nested(depth: number) {
  let node: Record<string, unknown> = { code: `N${depth}`, max: 1 };
  for (let d = depth - 1; d >= 0; d--) node = { code: `N${d}`, children: [node] };
  return points([node]);
}
const units = (n: number) => Array.from({ length: n }, (_, i) => ({ code: `U${i}` }));

/** What a refused request must not have changed: methodologies, audit, cycles and scores. */
async function stored() {
  return {
    methodologies: await h.sql('select id, version, content_hash from methodologies order by id, version'),
    audit: await h.sql('select count(*) n from audit'),
    scores: await h.sql('select count(*) n, total(points) p from scores'),
    cycles: await h.sql('select id, data_version from cycles order by id'),
  };
}

/** Sends a request that must be refused with this status (and type); asserts nothing stored changed; returns the problem. */
async function refused(path: string, init: RequestInit, status: number, type?: string): Promise<Problem> {
  const before = await stored();
  const res = await h.request(path, init);
  const text = await res.text();
  expect(res.status, text.slice(0, 500)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(text) as Problem;
  if (type) expect(problem.type).toBe(`/problems/${type}`);
  expect(await stored()).toEqual(before);
  return problem;
}

/** A 422 naming the budget (its name and limit, in the detail and the error) at this pointer. */
async function overBudget(path: string, body: unknown, budget: keyof typeof BUDGETS, pointer: string, key: string | null = null): Promise<Problem> {
  const p = await refused(path, post(body, key), 422, budget === 'computeUnits' ? 'too-many-units' : BUDGET_PROBLEM);
  const limit = BUDGETS[budget].toLocaleString('en');
  expect(p.detail).toContain(`limit of ${limit} (budget ${budget})`);
  expect(p.errors).toEqual([{ pointer, field: budget, message: expect.stringContaining(`limit of ${limit}`) }]);
  return p;
}

describe('POST /v1/compute: every budget before any work', () => {
  it(`a methodology of 20,000 leaves (13 s before): the node budget, ${BUDGETS.methodologyNodes}`, async () => {
    await overBudget('/v1/compute', { methodology: flat(20_000), scores: [] }, 'methodologyNodes', '/methodology/nodes');
  });

  it('nested 1,000 deep, or chained 1,500 long: the depth budget at the first node too deep, never a stack overflow (500)', async () => {
    const deep = `/methodology/nodes/0${'/children/0'.repeat(BUDGETS.methodologyDepth + 1)}`;
    await overBudget('/v1/compute', { methodology: nested(1_000), scores: [] }, 'methodologyDepth', deep);
    await overBudget('/v1/compute', { methodology: chain(1_500), scores: [] }, 'methodologyDepth', `/methodology/nodes/${BUDGETS.methodologyDepth + 1}`);
    await overBudget('/v1/compute', { methodology: chain(6_000), scores: [] }, 'methodologyNodes', '/methodology/nodes');
  });

  it(`units: ${BUDGETS.computeUnits.toLocaleString('en')} at most (too-many-units)`, async () => {
    await overBudget('/v1/compute', { methodology: flat(1), scores: [], units: units(BUDGETS.computeUnits + 1) }, 'computeUnits', '/units');
  });

  it(`units × nodes: ${BUDGETS.cells.toLocaleString('en')} at most (10,000 units × 1,011 nodes answered 500 after 21 s)`, async () => {
    await overBudget('/v1/compute', { methodology: flat(1_010), scores: [], units: units(10_000) }, 'cells', '');
    // (the edge itself is the engine's test: the contract check of a 3 MB answer would dominate this file)
    const fits = await h.request('/v1/compute', post({ methodology: flat(1_010), scores: [], units: units(10) }, null));
    expect(fits.status).toBe(200);
  });

  it('the answer\'s estimated size: long codes times many units', async () => {
    const long = points([{ code: 'R' }, ...Array.from({ length: 99 }, (_, i) => ({ code: `${'x'.repeat(97)}${String(i).padStart(3, '0')}`, parent: 'R', max: 1 }))]);
    await overBudget('/v1/compute', { methodology: long, scores: [], units: units(BUDGETS.cells / 100) }, 'responseBytes', '');
  });

  it('inline uncertainty: draws (schema), draws × units and draws × units × domains', async () => {
    const p = await refused('/v1/compute', post({ methodology: flat(2), scores: [], units: units(2), uncertainty: { draws: 100_000 } }, null), 422, 'validation-failed');
    expect(p.errors![0]).toMatchObject({ pointer: '/uncertainty/draws', message: expect.stringContaining(String(BUDGETS.draws)) });
    await overBudget('/v1/compute', { methodology: flat(2), scores: [], units: units(1_000), uncertainty: { draws: 1_001 } }, 'drawUnits', '/uncertainty/draws');
    await overBudget('/v1/compute', { methodology: flat(199), scores: [], units: units(100), uncertainty: { draws: BUDGETS.draws } }, 'drawCells', '/uncertainty/draws');
  });

  it('a survey answer keyed __proto__ is refused where it is (validation would drop it: the answer would count as none)', async () => {
    const methodology = points([{ code: 'R' }, { code: 's', parent: 'R', max: 4, rule: { type: 'survey' } }]);
    const body = `{"methodology":${JSON.stringify(methodology)},"scores":[{"unit":"U","indicator":"s","value":{"A":3,"__proto__":100}}]}`;
    const p = await refused('/v1/compute', { method: 'POST', headers: { 'content-type': 'application/json' }, body }, 422, 'validation-failed');
    expect(p.errors![0].pointer).toBe('/scores/0/value/__proto__');
  });
});

describe('POST /v1/methodologies (admin): the same budgets and rules, nothing stored', () => {
  it('nested 1,000 deep is 422 at the first node too deep, not 500', async () => {
    await overBudget('/v1/methodologies', nested(1_000), 'methodologyDepth', `/nodes/0${'/children/0'.repeat(BUDGETS.methodologyDepth + 1)}`, ADMIN_TOKEN);
  });

  it('more nodes than the budget', async () => {
    await overBudget('/v1/methodologies', flat(BUDGETS.methodologyNodes), 'methodologyNodes', '/nodes', ADMIN_TOKEN);
  });

  it('an id of 1 MB (it was stored, and its Location header was 1 MB): at most 100 characters', async () => {
    const p = await refused('/v1/methodologies', post(points([{ code: 'R', max: 1 }], { id: 'x'.repeat(1_000_000) })), 422);
    expect(p.errors!.map((e) => e.pointer)).toEqual(['/id']);
  });

  it.each([
    ['NFD', { name: { vi: 'Chỉ số'.normalize('NFD'), en: 'Index' } }, '/name/vi'],
    ['a right-to-left override', { name: { vi: 'Chỉ số \u202Egnal', en: 'Index' } }, '/name/vi'],
    ['a bidirectional isolate in the unit type', { unitType: 'prov\u2066ince' }, '/unitType'],
    ['a control character in the English name', { name: { vi: 'Chỉ số', en: 'In\u0000dex' } }, '/name/en'],
  ])('a name with %s is refused at its pointer', async (_, extra, pointer) => {
    const p = await refused('/v1/methodologies', post(points([{ code: 'R', max: 1 }], extra)), 422);
    expect(p.errors!.map((e) => e.pointer)).toEqual([pointer]);
  });

  it('a survey option __proto__ (or constructor, prototype) and a key __proto__ are refused where they are', async () => {
    for (const code of ['__proto__', 'constructor', 'prototype']) {
      const p = await refused('/v1/methodologies', post(points([{ code: 'R' }, { code: 's', parent: 'R', max: 1, rule: { type: 'survey', options: [{ code, value: 1 }] } }])), 422);
      expect(p.errors!.map((e) => e.pointer)).toEqual(['/nodes/1/rule/options/0/code']);
    }
    const body = '{"id":"k","mode":"points","missing":"zero","nodes":[{"code":"R","max":1,"__proto__":{"weight":2}}]}';
    const p = await refused('/v1/methodologies', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` }, body }, 422);
    expect(p.errors!.map((e) => e.pointer)).toEqual(['/nodes/0/__proto__']);
  });

  it('weights whose sum is not finite (1e308 + 1e308) name the node', async () => {
    const doc = { id: 'w', mode: 'weighted', missing: 'skip', nodes: [{ code: 'R' }, { code: 'a', parent: 'R', weight: 1e308 }, { code: 'b', parent: 'R', weight: 1e308 }] };
    const p = await refused('/v1/methodologies', post(doc), 422, 'invalid-methodology');
    expect(p.errors).toEqual([expect.objectContaining({ pointer: '/nodes/0', indicator: 'R', message: expect.stringMatching(/sum to Infinity/) })]);
  });
});

describe('cycle analysis: draws, changes and bodies sized to what the routes take', () => {
  it('uncertainty: 100,000 draws (3 s of a blocked server before) is 422; the documented 10,000 on the provinces is answered', async () => {
    const p = await refused(`${CYCLE}/uncertainty`, post({ draws: 100_000 }, null), 422, 'validation-failed');
    expect(p.errors![0]).toMatchObject({ pointer: '/draws', message: expect.stringContaining(String(BUDGETS.draws)) });
    const res = await h.request(`${CYCLE}/uncertainty`, post({ draws: BUDGETS.draws }, null));
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.options.draws).toBe(BUDGETS.draws);
    expect(body.indistinguishableTotal).toBeGreaterThanOrEqual(body.indistinguishable.length);
  });

  it('uncertainty: a body over 1 KiB is 413 (it had no limit)', async () => {
    const body = JSON.stringify({ draws: 10, seed: 1 }).replace('}', `,"pad":"${'x'.repeat(2048)}"}`);
    await refused(`${CYCLE}/uncertainty`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }, 413, 'payload-too-large');
  });

  it(`what-if: more than ${BUDGETS.whatIfChanges.toLocaleString('en')} changes is 422 at /changes; a body over 512 KiB is 413`, async () => {
    const changes = Array.from({ length: BUDGETS.whatIfChanges + 1 }, () => ({ indicator: '1.1.1', value: 0 }));
    const p = await refused(`${CYCLE}/units/01/what-if`, post({ changes }, null), 422, 'validation-failed');
    expect(p.errors![0].pointer).toBe('/changes');
    const big = JSON.stringify({ changes: [{ indicator: '1.1.1', value: 0, note: 'x'.repeat(600 * 1024) }] });
    await refused(`${CYCLE}/units/01/what-if`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big }, 413, 'payload-too-large');
  });

  it('what-if: a survey answer keyed __proto__ is refused at its pointer', async () => {
    const body = '{"changes":[{"indicator":"1.1.1","value":{"A":1,"__proto__":9}}]}';
    const p = await refused(`${CYCLE}/units/01/what-if`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }, 422, 'validation-failed');
    expect(p.errors![0].pointer).toBe('/changes/0/value/__proto__');
  });
});

describe('PUT scores: a survey answer keyed __proto__ is refused, never dropped', () => {
  const SCORES = '/v1/cycles/2031/province/scores';
  beforeAll(async () => {
    expect((await h.request('/v1/cycles', post({ year: 2031, unitType: 'province', methodology: 'par-province-2022' }))).status).toBe(201);
  });
  const upload = (body: string, type = 'application/json') => ({ method: 'PUT', headers: { 'content-type': type, authorization: `Bearer ${ADMIN_TOKEN}` }, body });

  it('in a JSON upload, at its pointer', async () => {
    const p = await refused(SCORES, upload('{"scores":[{"unit":"01","indicator":"1.1.1","value":{"A":1,"__proto__":9}}]}'), 422, 'validation-failed');
    expect(p.errors![0].pointer).toBe('/scores/0/value/__proto__');
  });

  it('in a JSON upload, spelt with an escape (\\u005f) that JSON.parse decodes', async () => {
    const p = await refused(SCORES, upload('{"scores":[{"unit":"01","indicator":"1.1.1","value":{"A":1,"\\u005f_proto__":9}}]}'), 422, 'validation-failed');
    expect(p.errors![0].pointer).toBe('/scores/0/value/__proto__');
  });

  it('in a CSV upload, naming the row and the value column', async () => {
    const csv = 'unit,indicator,value\r\n01,1.1.1,"{""A"":1,""__proto__"":9}"\r\n';
    const p = await refused(SCORES, upload(csv, 'text/csv'), 422);
    expect(p.errors).toContainEqual(expect.objectContaining({ row: 1, field: 'value', message: expect.stringContaining('__proto__') }));
  });
});
