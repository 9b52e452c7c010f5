// The harmonic and generalised (power) means, by hand, on two leaves weighted 3 and 1 whose
// values are taken as they are (normalisation none).
import { describe, expect, it } from 'vitest';
import { computeCycle, rankUncertainty, compileMethodology, prepareScores, evaluate, type MethodologyInput } from '../../src/engine/index.js';

const methodology = (aggregation: MethodologyInput['aggregation']): MethodologyInput => ({
  id: 'm', mode: 'weighted', missing: 'skip', normalisation: { method: 'none' }, aggregation,
  nodes: [{ code: 'I' }, { code: 'a', parent: 'I', weight: 3 }, { code: 'b', parent: 'I', weight: 1 }],
});
const scores = (a: number, b: number) => [{ unit: 'U', indicator: 'a', value: a }, { unit: 'U', indicator: 'b', value: b }];
const index = (aggregation: MethodologyInput['aggregation'], a: number, b: number) => computeCycle({ methodology: methodology(aggregation), scores: scores(a, b) }).results[0].index;

describe('harmonic and power means', () => {
  it('harmonic: Σw / Σ(w / x) = 4 / (3/2 + 1/8) = 32/13', () => {
    expect(index('harmonic', 2, 8)).toBeCloseTo(32 / 13, 9);
  });

  it('power p = 2: √((3·4 + 64) / 4) = √19; p = 1 is the arithmetic mean; p = −1 the harmonic', () => {
    expect(index({ method: 'power', p: 2 }, 2, 8)).toBeCloseTo(Math.sqrt(19), 9);
    expect(index({ method: 'power', p: 1 }, 2, 8)).toBe(index('arithmetic', 2, 8));
    expect(index({ method: 'power', p: -1 }, 2, 8)).toBeCloseTo(32 / 13, 9);
  });

  it('lie between the geometric and arithmetic means as the power says (harmonic ≤ geometric ≤ arithmetic ≤ quadratic)', () => {
    const [h, g, a, q] = ['harmonic', 'geometric', 'arithmetic', { method: 'power', p: 2 }].map((m) => index(m as never, 2, 8)!);
    expect(h < g && g < a && a < q).toBe(true);
  });

  it('refuse values they cannot take, and p = 0 (the geometric mean, named so)', () => {
    expect(() => index('harmonic', 0, 8)).toThrow(/harmonic mean needs values > 0; child a is 0/);
    expect(() => index({ method: 'power', p: 0.5 }, -1, 8)).toThrow(/power \(p = 0.5\) mean needs values ≥ 0/);
    expect(() => index({ method: 'power', p: 0 }, 2, 8)).toThrow(/p = 0 is the geometric mean: write geometric/);
  });

  it('uncertainty analysis refuses a root it cannot re-weight', () => {
    const c = compileMethodology(methodology('harmonic'));
    const m = prepareScores(c, scores(2, 8));
    expect(() => rankUncertainty(c, m.units, evaluate(c, m), { draws: 10, perturbation: 0.2, distribution: 'uniform', seed: 1 }))
      .toThrow(/re-weights a root that takes an arithmetic or geometric mean, not a harmonic mean/);
  });
});
