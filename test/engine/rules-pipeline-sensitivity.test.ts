// Sensitivity of the ranking to the choices, against the Saltelli design run by hand over an
// oracle model: each input x picks alternative ⌊x · n⌋, the output is the mean absolute rank shift
// from the nominal ranking over the units ranked in both (computed here through evaluate()).
// The estimators' edges: no bootstrap, no interval; R's type-7 quantile at 0 and 1 is the minimum
// and the maximum; a bootstrap interval holds the point estimate of an exact model.
import { describe, expect, it } from 'vitest';
import {
  choiceSensitivity, compileMethodology, quantile, rawData, saltelli,
  type ChoiceSpace, type MethodologyInput, type Normalisation,
} from '../../src/engine/index.js';
import { choiceDoc, choiceScores, choiceUnits, gapCase, ranksUnder } from './choice-case.js';

const doc = choiceDoc('sa');
const units = choiceUnits;
const scores = choiceScores;
const normalisations = [{ method: 'minmax', min: 1, max: 100 }, { method: 'rank' }, { method: 'goalposts', lower: 0, upper: 200, scale: 100 }] as Normalisation[];

function meanShift(ranks: number[], nominal: number[]): number {
  const both = ranks.flatMap((r, u) => (r > 0 && nominal[u] > 0 ? [Math.abs(r - nominal[u])] : []));
  return both.length === 0 ? 0 : both.reduce((s, x) => s + x, 0) / both.length;
}

describe('sensitivity of the ranking to one choice', () => {
  const c = compileMethodology(doc);
  const options = { n: 64, seed: 8, bootstrap: 40, weightSets: 1, choices: { normalisation: normalisations } as ChoiceSpace };
  const nominal = ranksUnder(normalisations[0]);
  const shifts = normalisations.map((n) => meanShift(ranksUnder(n), nominal));

  it('is the design run over the oracle\'s output, index by index', () => {
    expect(new Set(shifts).size).toBe(3); // the three alternatives shift the ranking differently
    const expected = saltelli((x) => shifts[Math.floor(x[0] * 3)], 1, options);
    const got = choiceSensitivity(c, rawData(c, scores, units), options);
    expect(got.runs).toBe(64 * 3);
    expect(got.meanRankShift).toBeCloseTo(expected.mean, 12);
    expect(got.variance).toBeCloseTo(expected.variance, 12);
    expect(got.inputs).toEqual([{ input: 'normalisation', alternatives: 3, ...expected.inputs[0] }]);
    // one input is everything: S1 = ST = 1 exactly (yAB = yB), and its intervals hold 1
    expect(got.inputs[0].first).toBeCloseTo(1, 12);
    expect(got.inputs[0].firstInterval![0]).toBeCloseTo(1, 12);
  });

  it('gives every input 0 when no unit is ranked (the output never varies)', () => {
    const none = units.map((u) => ({ ...u, ranked: false }));
    const got = choiceSensitivity(c, rawData(c, scores, none), options);
    expect([got.meanRankShift, got.variance, got.inputs[0].first, got.inputs[0].total]).toEqual([0, 0, 0, 0]);
  });

  it('gives weights that never move (perturbation 0) no share', () => {
    const got = choiceSensitivity(c, rawData(c, scores, units), { ...options, weightSets: 5, choices: { weights: { perturbation: 0, distribution: 'uniform' }, normalisation: normalisations } as ChoiceSpace });
    expect(got.inputs.map((i) => [i.input, i.total])).toEqual([['weights', 0], ['normalisation', expect.any(Number)]]);
    expect(got.inputs[1].total).toBeGreaterThan(0.5);
  });

  it('with perturbed weight sets, the weights input moves the ranking', () => {
    const got = choiceSensitivity(c, rawData(c, scores, units), { n: 64, seed: 8, bootstrap: 0, weightSets: 8, choices: { weights: { perturbation: 0.95, distribution: 'uniform' } } });
    expect(got.inputs[0].input).toBe('weights');
    expect(got.variance).toBeGreaterThan(0);
    expect(got.inputs[0].first).toBeCloseTo(1, 12); // the only input
  });
});

describe('a unit ranked under one alternative only', () => {
  it('is left out of that run\'s shift: the shift is over the units ranked in both', () => {
    const { withGap, without, gapScores, gapUnits, ranksOf } = gapCase(doc);
    const nominal = ranksOf(withGap), shifted = meanShift(ranksOf(without), nominal);
    expect(shifted).toBeGreaterThan(0);
    const options = { n: 32, seed: 2, bootstrap: 0, weightSets: 1, choices: { imputation: [{ method: 'mean' }, false] } as ChoiceSpace };
    const c = compileMethodology(withGap);
    const got = choiceSensitivity(c, rawData(c, gapScores, gapUnits), options);
    const expected = saltelli((x) => (x[0] < 0.5 ? 0 : shifted), 1, options);
    expect(got.meanRankShift).toBeCloseTo(expected.mean, 12);
    expect(got.variance).toBeCloseTo(expected.variance, 12);
    // the other way round: not ranked nominally, ranked by a run
    const back = meanShift(ranksOf(withGap), ranksOf(without));
    const cw = compileMethodology(without as MethodologyInput);
    const reverse = choiceSensitivity(cw, rawData(cw, gapScores, gapUnits), { ...options, choices: { imputation: [false, { method: 'mean' }] } as ChoiceSpace });
    expect(reverse.meanRankShift).toBeCloseTo(saltelli((x) => (x[0] < 0.5 ? 0 : back), 1, options).mean, 12);
  });
});

describe('the estimators\' edges', () => {
  it('without bootstrap there is no interval', () => {
    const r = saltelli((x) => x[0] + x[1], 2, { n: 50, seed: 1, bootstrap: 0 });
    for (const input of r.inputs) expect(Object.keys(input).sort()).toEqual(['first', 'total']);
  });

  it('a bootstrap resamples rows: a model whose output is one input alone has first-order interval [1, 1], the other\'s total [0, 0]', () => {
    const r = saltelli((x) => x[0], 2, { n: 200, seed: 4, bootstrap: 30 });
    r.inputs[0].firstInterval!.forEach((end) => expect(end).toBeCloseTo(1, 12));
    expect(r.inputs[1].totalInterval).toEqual([0, 0]);
    // the intervals differ from the point estimate of the noisy indices: the rows were resampled
    expect(r.inputs[0].totalInterval![0]).not.toBe(r.inputs[0].totalInterval![1]);
  });

  it('R\'s type-7 quantile: q = 0 the minimum, q = 1 the maximum, in numeric order', () => {
    expect(quantile(Float64Array.of(10, 9, 100, -1), 0)).toBe(-1);
    expect(quantile(Float64Array.of(10, 9, 100, -1), 1)).toBe(100);
    expect(quantile(Float64Array.of(10, 9, 100, -1), 0.5)).toBe(9.5);
    expect(quantile(Float64Array.of(10, 9, 100, -1), 0.9)).toBeCloseTo(100 - 0.3 * 90, 12);
  });
});
