// POST /v1/compute with the data-treatment pipeline declared in the methodology: denominated,
// imputed and treated values, and the record of what each step did, in the answer and in the
// contract (every response is checked against openapi.json by the harness). Hand-computed.
import { beforeAll, describe, expect, it } from 'vitest';
import { freshApp, json, post } from './harness.js';

let api: Awaited<ReturnType<typeof freshApp>>;
beforeAll(async () => { api = await freshApp(); });

const codes = Array.from({ length: 11 }, (_, i) => `U${String(i + 1).padStart(2, '0')}`);
// rate: 2 × pop for every unit (the rate is 2 everywhere) but U01, 30 for a pop of 10 (rate 3);
// one high value among equal ones fails the check: the leaf opts out of treatment (false);
// gap: 2 × the unit's number, but U02 has none: the other units of region N (U01, U03–U05)
// have 2, 6, 8, 10 (mean 6.5);
// out: 1 … 10 and 100 (skewness 3.256, kurtosis 10.707: fails; winsorising 100 to 10 passes).
const units = codes.map((code, i) => ({ code, attributes: { region: i < 5 ? 'N' : 'S', pop: String(10 * (i + 1)) } }));
const scores = codes.flatMap((unit, i) => [
  { unit, indicator: 'rate', value: i === 0 ? 30 : 20 * (i + 1) },
  ...(i === 1 ? [] : [{ unit, indicator: 'gap', value: 2 * (i + 1) }]),
  { unit, indicator: 'out', value: i === 10 ? 100 : i + 1 },
]);
const methodology = {
  id: 'pipeline', mode: 'weighted', missing: 'skip', normalisation: { method: 'minmax', min: 0, max: 100 },
  imputation: { method: 'groupMean', by: 'region' }, treatment: {},
  nodes: [{ code: 'I' }, { code: 'rate', parent: 'I', denominator: 'pop', treatment: false }, { code: 'gap', parent: 'I' }, { code: 'out', parent: 'I' }],
};

describe('POST /v1/compute with a pipeline', () => {
  it('denominates, imputes and treats before normalising, and says what it did', async () => {
    const res = await api.request('/v1/compute', post({ methodology, scores, units }));
    expect(res.status).toBe(200);
    const body = await json(res);
    const byUnit = new Map(body.results.map((r: any) => [r.unit, r]));
    const node = (unit: string, code: string) => (byUnit.get(unit) as any).nodes[code].value;
    // rate: U01 3, every other unit 2 → min-max 100 and 0
    expect([node('U01', 'rate'), node('U02', 'rate')]).toEqual([100, 0]);
    // gap: U02 imputed 6.5 on [2, 22] → 100 × 4.5 / 20
    expect(node('U02', 'gap')).toBe(22.5);
    expect((byUnit.get('U02') as any).imputed).toBe(1);
    // out: 100 winsorised to 10: U10 and U11 share the top
    expect([node('U10', 'out'), node('U11', 'out'), node('U01', 'out')]).toEqual([100, 100, 0]);
    expect(body.pipeline.denomination).toEqual([{ indicator: 'rate', by: 'pop', cells: 11, unknown: [] }]);
    expect(body.pipeline.imputation).toEqual({ method: 'groupMean', by: 'region', cells: [{ indicator: 'gap', unit: 'U02', value: 6.5, method: 'groupMean' }] });
    const out = body.pipeline.treatment.find((t: any) => t.indicator === 'out');
    expect(out).toMatchObject({
      action: 'winsorised', winsorised: [{ unit: 'U11', side: 'high', from: 100, to: 10 }],
      parameters: { skewness: 2, kurtosis: 3.5, winsoriseMax: 5, transform: 'log' }, after: { passes: true },
    });
    expect(out.before.skewness).toBeCloseTo(3.25564, 5);
    expect(out.before.kurtosis).toBeCloseTo(10.70667, 5);
    expect(out.before.passes).toBe(false);
    expect(body.pipeline.treatment.map((t: any) => [t.indicator, t.action])).toEqual([['gap', 'none'], ['out', 'winsorised']]);
  });

  it('refuses a denominator that is not a number, naming the unit and the attribute', async () => {
    const bad = units.map((u, i) => (i === 3 ? { ...u, attributes: { ...u.attributes, pop: 'many' } } : u));
    const res = await api.request('/v1/compute', post({ methodology, scores, units: bad }));
    expect(res.status).toBe(422);
    const problem = await json(res);
    expect(problem.detail).toContain('indicator rate is divided by attribute pop, "many" for unit U04: it must be a number other than 0');
  });

  it('refuses the pipeline in points mode, pointing at it', async () => {
    const res = await api.request('/v1/compute', post({
      methodology: { id: 'p', mode: 'points', missing: 'zero', treatment: {}, nodes: [{ code: 'R' }, { code: 'a', parent: 'R', max: 1, denominator: 'pop' }] },
      scores: [{ unit: 'U', indicator: 'a', value: 1 }],
    }));
    expect(res.status).toBe(422);
    const problem = await json(res);
    expect(problem.errors.map((e: any) => e.pointer ?? e.path ?? e)).toEqual(expect.arrayContaining(['/methodology/treatment', '/methodology/nodes/1/denominator']));
  });
});
