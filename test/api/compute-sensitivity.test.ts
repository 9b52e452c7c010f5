// POST /v1/compute with panel rows, uncertainty over choices and variance-based sensitivity:
// the answers (checked against openapi.json by the harness), their reproducibility for a seed,
// and the budgets that keep a request from running for minutes (422, nothing computed).
import { beforeAll, describe, expect, it } from 'vitest';
import { freshApp, json, post } from './harness.js';

let api: Awaited<ReturnType<typeof freshApp>>;
beforeAll(async () => { api = await freshApp(); });

const codes = ['A', 'B', 'C', 'D', 'E'];
const methodology = {
  id: 'choices', mode: 'weighted', missing: 'skip', normalisation: { method: 'minmax', min: 1, max: 100 },
  nodes: [{ code: 'I' }, { code: 'x', parent: 'I' }, { code: 'y', parent: 'I', weight: 2 }, { code: 'z', parent: 'I' }],
};
// 2019 complete; 2020 without A's z (2019: 4, 2021: 12 → interpolated 8)
const panel = [2019, 2020, 2021].flatMap((year) => codes.flatMap((unit, i) => [
  { unit, indicator: 'x', value: i + 1 + (year - 2019), year },
  { unit, indicator: 'y', value: 10 - 2 * i, year },
  ...(unit === 'A' && year === 2020 ? [] : [{ unit, indicator: 'z', value: ((i * 3) % 5) + 4 * (year - 2019) + (unit === 'A' ? 4 : 0), year }]),
]));
const choices = { normalisation: [{ method: 'minmax', min: 1, max: 100 }, { method: 'rank' }], aggregation: ['arithmetic', 'geometric'], weights: { perturbation: 0.3 } };

describe('POST /v1/compute: panel data', () => {
  it('computes the year asked, filling a gap by interpolation between the unit\'s years, flagged', async () => {
    const res = await api.request('/v1/compute', post({ methodology: { ...methodology, imputation: { method: 'interpolate' } }, scores: panel, year: 2020 }));
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.pipeline.imputation).toEqual({ method: 'interpolate', year: 2020, cells: [{ indicator: 'z', unit: 'A', value: 8, method: 'interpolate', from: [2019, 2021] }] });
    expect(body.results.find((r: any) => r.unit === 'A').imputed).toBe(1);
  });

  it('refuses a panel beyond its budget, naming it', async () => {
    const units = Array.from({ length: 1000 }, (_, i) => ({ code: `U${i}` }));
    const years = Array.from({ length: 200 }, (_, k) => ({ unit: 'U0', indicator: 'x', value: 1, year: 1950 + k }));
    const res = await api.request('/v1/compute', post({ methodology, scores: years, units }));
    expect(res.status).toBe(422);
    expect((await json(res)).detail).toMatch(/budget panelCells/);
  });
});

describe('POST /v1/compute: uncertainty over choices', () => {
  const scores = panel.filter((s) => s.year === 2019).map(({ year: _, ...s }) => s);

  it('answers rank intervals per unit, the same for the same seed', async () => {
    const ask = () => api.request('/v1/compute', post({ methodology, scores, choices: { choices, draws: 300, seed: 5 } }));
    const [a, b] = [await json(await ask()), await json(await ask())];
    expect(a.choiceUncertainty).toEqual(b.choiceUncertainty);
    expect(a.choiceUncertainty.units).toHaveLength(5);
    expect(a.choiceUncertainty.inputs.map((i: any) => i.input)).toEqual(['weights', 'normalisation', 'aggregation']);
    expect(a.choiceUncertainty.inputs[1].draws.reduce((s: number, d: number) => s + d, 0)).toBe(300);
    const ranks = new Map(a.results.map((r: any) => [r.unit, r.rank]));
    for (const u of a.choiceUncertainty.units) expect(u.rank).toBe(ranks.get(u.unit));
  });

  it('refuses in points mode and without a choice', async () => {
    const points = { id: 'p', mode: 'points', missing: 'zero', nodes: [{ code: 'I' }, { code: 'x', parent: 'I', max: 10 }] };
    const res = await api.request('/v1/compute', post({ methodology: points, scores: [{ unit: 'A', indicator: 'x', value: 3 }], choices: { choices } }));
    expect(res.status).toBe(422);
    expect((await json(res)).detail).toMatch(/weighted mode/);
    const none = await api.request('/v1/compute', post({ methodology, scores, choices: { choices: {} } }));
    expect(none.status).toBe(422);
    expect(JSON.stringify(await json(none))).toMatch(/declare at least one choice/);
  });
});

describe('POST /v1/compute: sensitivity', () => {
  const scores = panel.filter((s) => s.year === 2019).map(({ year: _, ...s }) => s);

  it('answers first- and total-order indices with bootstrap intervals per declared choice', async () => {
    const res = await api.request('/v1/compute', post({ methodology, scores, sensitivity: { choices, n: 200, bootstrap: 50, seed: 2 } }));
    expect(res.status).toBe(200);
    const s = (await json(res)).sensitivity;
    expect(s.runs).toBe(200 * 5);
    expect(s.inputs.map((i: any) => [i.input, i.alternatives])).toEqual([['weights', 0], ['normalisation', 2], ['aggregation', 2]]);
    for (const i of s.inputs) {
      expect(i.totalInterval[0]).toBeLessThanOrEqual(i.total);
      expect(i.totalInterval[1]).toBeGreaterThanOrEqual(i.total);
    }
  });

  it('refuses a design beyond its budget before computing', async () => {
    const res = await api.request('/v1/compute', post({ methodology, scores, sensitivity: { choices, n: 5000 } }));
    expect(res.status).toBe(422);
    const body = await json(res);
    expect(body.detail).toMatch(/budget sensitivityRuns/);
  });
});
