// Uncertainty and sensitivity over the methodology's choices: the runs reproduce evaluate() for
// the methodology's own choices, are seeded, and attribute the rank shifts to the choices that
// cause them; on COINr's ASEM (read in place from ../shared, skipped where absent) the whole
// declared space runs.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ChoiceModel, choiceSensitivity, choiceUncertainty, compileMethodology, EngineError, evaluate, prepareScores, rawData, type MethodologyInput,
} from '../../src/engine/index.js';
import { asemCoin, ASEM_CHOICES } from '../bench/sensitivity.js';

// a: 1 … 6 (skewed by U6's 100 when untreated), b: 6 … 1; U1 has no c
const codes = ['U1', 'U2', 'U3', 'U4', 'U5', 'U6'];
const scores = codes.flatMap((unit, i) => [
  { unit, indicator: 'a', value: i === 5 ? 100 : i + 1 },
  { unit, indicator: 'b', value: 6 - i },
  ...(i === 0 ? [] : [{ unit, indicator: 'c', value: (i * 7) % 5 }]),
]);
const doc: MethodologyInput = {
  id: 'c', mode: 'weighted', missing: 'skip', normalisation: { method: 'minmax', min: 1, max: 100 },
  imputation: { method: 'mean' }, treatment: {},
  nodes: [{ code: 'I' }, { code: 'D1', parent: 'I' }, { code: 'a', parent: 'D1' }, { code: 'b', parent: 'D1', weight: 2 }, { code: 'D2', parent: 'I' }, { code: 'c', parent: 'D2' }],
};
const c = compileMethodology(doc);
const raw = () => rawData(c, scores, undefined);

describe('the model of the choices', () => {
  it('ranks as evaluate() does under the methodology\'s own choices', () => {
    const model = new ChoiceModel(c, raw(), {});
    const e = evaluate(c, prepareScores(c, scores));
    const expected = codes.map((_, u) => 1 + [...e.index].filter((v) => v > e.index[u]).length);
    expect([...model.nominalRanks]).toEqual(expected);
    expect([...model.ranks({ normalisation: -1, aggregation: -1, imputation: -1, treatment: -1 }, new Int32Array(6))]).toEqual(expected);
  });

  it('computes each pipeline and normalisation once, however many runs meet it', () => {
    const space = { normalisation: [{ method: 'minmax', min: 1, max: 100 }, { method: 'rank' }] as const, treatment: [{ skewness: 2, kurtosis: 3.5, winsoriseMax: 5, transform: 'log' }, false] as const };
    const model = new ChoiceModel(c, raw(), space as never);
    const out = new Int32Array(6);
    for (let i = 0; i < 20; i++) model.ranks({ normalisation: i % 2, aggregation: -1, imputation: -1, treatment: (i >> 1) % 2 }, out);
    expect(model.combinations).toEqual({ pipelines: 3, normalisations: 4 }); // the nominal pipeline besides
  });

  it('refuses a mean that an alternative\'s values cannot enter, and the points mode', () => {
    const space = { normalisation: [{ method: 'minmax', min: 0, max: 100 }], aggregation: ['geometric'] } as never;
    expect(() => choiceUncertainty(c, raw(), { draws: 5, seed: 1, choices: space })).toThrow(/geometric mean needs values > 0/);
    const points = compileMethodology({ id: 'p', mode: 'points', missing: 'zero', nodes: [{ code: 'I' }, { code: 'a', parent: 'I', max: 1 }] });
    expect(() => new ChoiceModel(points, rawData(points, [], []), {})).toThrow(EngineError);
  });
});

describe('uncertainty over choices', () => {
  const choices = { weights: { perturbation: 0.5, distribution: 'uniform' as const }, aggregation: ['arithmetic', 'harmonic'] as never[], imputation: [{ method: 'mean' }, { method: 'median' }, false] as never[] };

  it('is reproducible for a seed, counts the alternatives drawn, and brackets each nominal rank', () => {
    const a = choiceUncertainty(c, raw(), { draws: 400, seed: 9, choices });
    expect(choiceUncertainty(c, raw(), { draws: 400, seed: 9, choices })).toEqual(a);
    expect(a.inputs.map((i) => [i.input, i.draws.reduce((s, d) => s + d, 0)])).toEqual([['weights', 400], ['aggregation', 400], ['imputation', 400]]);
    expect(a.inputs[1].draws.every((d) => d > 150)).toBe(true);
    for (const u of a.units) expect(u.p5! <= u.p50! && u.p50! <= u.p95!).toBe(true);
  });

  it('with a single alternative equal to the methodology\'s own, every draw keeps every rank', () => {
    const same = choiceUncertainty(c, raw(), { draws: 50, seed: 1, choices: { normalisation: [{ method: 'minmax', min: 1, max: 100 }] } });
    expect(same.meanRankShift).toBe(0);
    expect(same.units.every((u) => u.keepsRank === 1 && u.p5 === u.rank && u.p95 === u.rank)).toBe(true);
  });
});

describe('sensitivity to the choices', () => {
  it('gives a choice that changes nothing no share, and the one that matters the variance', () => {
    // minmax with other bounds ranks the same (a monotone map of every leaf): no effect; imputation changes U1's c
    const s = choiceSensitivity(c, raw(), {
      n: 300, seed: 4, bootstrap: 50, weightSets: 10,
      choices: { normalisation: [{ method: 'minmax', min: 1, max: 100 }, { method: 'minmax', min: 1, max: 10 }], imputation: [{ method: 'mean' }, false, { method: 'median' }] } as never,
    });
    expect(s.runs).toBe(300 * 4);
    const [normalisation, imputation] = s.inputs;
    expect([normalisation.input, normalisation.alternatives, imputation.input, imputation.alternatives]).toEqual(['normalisation', 2, 'imputation', 3]);
    // exact where a run pair differs in the input alone: ST of the idle choice (yA = yAB), S1 of the
    // only one that matters (yB = yAB); the other two are right up to sampling noise
    expect(normalisation.total).toBe(0);
    expect(imputation.first).toBeCloseTo(1, 9);
    expect(Math.abs(normalisation.first)).toBeLessThan(0.15);
    expect(Math.abs(imputation.total - 1)).toBeLessThan(0.15);
    expect(imputation.totalInterval![0]).toBeGreaterThan(0.7);
  });
});

const present = existsSync(new URL('../../../shared/datasets/asem/ASEM_iData.csv', import.meta.url));
describe('on COINr\'s ASEM', () => {
  it.skipIf(!present)(present ? 'every choice perturbed: rank intervals for the 51 units and indices for the 5 inputs' : 'SKIPPED (../shared/datasets/asem absent in this clone)', () => {
    const { c: asem, raw: asemRaw } = asemCoin()!;
    const u = choiceUncertainty(asem, asemRaw, { draws: 300, seed: 1, choices: ASEM_CHOICES });
    expect(u.units).toHaveLength(51);
    expect(u.units.find((x) => x.unit === 'CHE')!.rank).toBe(1);
    const s = choiceSensitivity(asem, asemRaw, { n: 100, seed: 1, bootstrap: 20, weightSets: 20, choices: ASEM_CHOICES });
    expect(s.inputs.map((i) => i.input)).toEqual(['weights', 'normalisation', 'aggregation', 'imputation', 'treatment']);
    expect(s.runs).toBe(700);
    for (const i of s.inputs) expect(i.total).toBeGreaterThanOrEqual(0);
  });
});
