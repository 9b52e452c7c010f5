// Uncertainty over choices, against a known answer: with one choice of two alternatives, every
// draw ranks the units one of two ways (each computed here through evaluate() under the rewritten
// methodology), so the counts drawn, each unit's nearest-rank percentiles, its share of draws at
// its nominal rank and the mean absolute rank shift (units ranked both nominally and in the draw)
// follow from how many draws took each alternative.
import { describe, expect, it } from 'vitest';
import {
  choiceUncertainty, compileMethodology, rawData, type Normalisation,
} from '../../src/engine/index.js';
import { choiceDoc, choiceScores, choiceUnits, gapCase, ranksUnder } from './choice-case.js';

const doc = choiceDoc('cu');
const units = choiceUnits;
const scores = choiceScores;
const alternatives: Normalisation[] = [{ method: 'minmax', min: 1, max: 100 }, { method: 'rank' }];

/** The ⌈q · n⌉-th smallest of a list of ranks. */
const nearestRank = (xs: number[], q: number) => [...xs].sort((x, y) => x - y)[Math.ceil(q * xs.length) - 1];

describe('uncertainty over one choice of two alternatives', () => {
  const c = compileMethodology(doc);
  const draws = 200;
  const out = choiceUncertainty(c, rawData(c, scores, units), { draws, seed: 3, choices: { normalisation: alternatives } });
  const nominal = ranksUnder(alternatives[0]), other = ranksUnder(alternatives[1]);

  it('differs between the two alternatives (the case is not trivial)', () => {
    expect(nominal).not.toEqual(other);
    expect(nominal.slice(4)).toEqual([0, 0]);
  });

  it('counts the draws of each alternative, together every draw', () => {
    expect(out.inputs).toHaveLength(1);
    expect(out.inputs[0].input).toBe('normalisation');
    const [first, second] = out.inputs[0].draws;
    expect(first + second).toBe(draws);
    expect(first).toBeGreaterThan(60);
    expect(second).toBeGreaterThan(60);
  });

  it('gives each unit its nominal rank, nearest-rank percentiles and share kept; none for the unranked', () => {
    const [n0, n1] = out.inputs[0].draws;
    units.forEach((unit, u) => {
      const got = out.units[u];
      if (nominal[u] === 0) {
        expect(got).toEqual({ unit: unit.code, rank: null, p5: null, p50: null, p95: null, keepsRank: 0 });
        return;
      }
      const seen = [...Array(n0).fill(nominal[u]), ...Array(n1).fill(other[u])];
      expect(got).toEqual({
        unit: unit.code, rank: nominal[u],
        p5: nearestRank(seen, 0.05), p50: nearestRank(seen, 0.5), p95: nearestRank(seen, 0.95),
        keepsRank: expect.closeTo(seen.filter((r) => r === nominal[u]).length / draws, 9),
      });
    });
  });

  it('averages the absolute rank shift over the draws and the units ranked in both', () => {
    const [, n1] = out.inputs[0].draws;
    const ranked = nominal.filter((r, u) => r > 0 && other[u] > 0).length;
    const shift = nominal.reduce((s, r, u) => s + (r > 0 && other[u] > 0 ? Math.abs(other[u] - r) : 0), 0);
    expect(shift).toBeGreaterThan(0);
    expect(out.meanRankShift).toBeCloseTo((n1 * shift) / (draws * ranked), 12);
  });

  it('is 0, not NaN, when no unit is ranked', () => {
    const none = units.map((u) => ({ ...u, ranked: false }));
    const quiet = choiceUncertainty(c, rawData(c, scores, none), { draws: 10, seed: 1, choices: { normalisation: alternatives } });
    expect(quiet.meanRankShift).toBe(0);
    expect(quiet.indistinguishableTotal).toBe(0);
  });

  it('counts every draw for the weights, and perturbs them: a heavy perturbation moves some rank', () => {
    const weights = choiceUncertainty(c, rawData(c, scores, units), { draws: 50, seed: 2, choices: { weights: { perturbation: 0.9, distribution: 'uniform' } } });
    expect(weights.inputs).toEqual([{ input: 'weights', draws: [50] }]);
    expect(weights.meanRankShift).toBeGreaterThan(0);
  });
});

describe('a unit ranked under one alternative only', () => {
  const { withGap, without, gapScores, gapUnits, ranksOf } = gapCase(doc);

  it('leaves the shift of the draws without it to the units ranked in both', () => {
    const nominal = ranksOf(withGap), other = ranksOf(without);
    expect(nominal.every((r) => r > 0)).toBe(true);
    expect(other[2]).toBe(0);
    const c = compileMethodology(withGap);
    const out = choiceUncertainty(c, rawData(c, gapScores, gapUnits), { draws: 100, seed: 6, choices: { imputation: [{ method: 'mean' }, false] } });
    const [n0, n1] = out.inputs[0].draws;
    const both = nominal.filter((r, u) => r > 0 && other[u] > 0).length;
    const shift = nominal.reduce((sum, r, u) => sum + (other[u] > 0 ? Math.abs(other[u] - r) : 0), 0);
    expect(shift).toBeGreaterThan(0);
    expect(out.meanRankShift).toBeCloseTo((n1 * shift) / (n0 * nominal.length + n1 * both), 12);
  });

  it('and leaves out a unit not ranked nominally that a draw ranks', () => {
    const nominal = ranksOf(without), other = ranksOf(withGap);
    expect([nominal[2], other[2]]).toEqual([0, 2]);
    const c = compileMethodology(without);
    const out = choiceUncertainty(c, rawData(c, gapScores, gapUnits), { draws: 100, seed: 6, choices: { imputation: [false, { method: 'mean' }] } });
    const [n0, n1] = out.inputs[0].draws;
    const both = nominal.filter((r, u) => r > 0 && other[u] > 0).length;
    const shift = nominal.reduce((sum, r, u) => sum + (r > 0 && other[u] > 0 ? Math.abs(other[u] - r) : 0), 0);
    expect(out.meanRankShift).toBeCloseTo((n1 * shift) / ((n0 + n1) * both), 12);
  });
});
