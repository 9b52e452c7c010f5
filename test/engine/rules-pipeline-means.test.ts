// The power-mean family's domains, each at its boundary: p ≤ 0 takes logarithms or reciprocals
// (values > 0 only), any other p ≠ 1 takes powers (values ≥ 0), p = 1 takes any value. Two
// leaves weighted 3 and 1, taken as they are (normalisation none); known answers by hand, to 8
// decimals (the index is rounded).
import { describe, expect, it } from 'vitest';
import { computeCycle, type MethodologyInput } from '../../src/engine/index.js';

type Aggregation = MethodologyInput['aggregation'];
const methodology = (aggregation: Aggregation): MethodologyInput => ({
  id: 'm', mode: 'weighted', missing: 'skip', normalisation: { method: 'none' }, aggregation,
  nodes: [{ code: 'I' }, { code: 'a', parent: 'I', weight: 3 }, { code: 'b', parent: 'I', weight: 1 }],
});
const index = (aggregation: Aggregation, a: number, b = 8) =>
  computeCycle({ methodology: methodology(aggregation), scores: [{ unit: 'U', indicator: 'a', value: a }, { unit: 'U', indicator: 'b', value: b }] }).results[0].index;

describe('each mean at the edge of its domain', () => {
  it('geometric (p = 0): (2³ · 8)^(1/4) = 2√2; 0 refused, a small positive value taken', () => {
    expect(index('geometric', 2)).toBeCloseTo(2 * Math.SQRT2, 8);
    expect(() => index('geometric', 0)).toThrow(/geometric mean needs values > 0; child a is 0/);
    expect(index('geometric', 1e-6)).toBeCloseTo((1e-18 * 8) ** 0.25, 8);
  });

  it('harmonic (p = −1) and negative powers: 0 refused', () => {
    expect(() => index('harmonic', 0)).toThrow(/harmonic mean needs values > 0; child a is 0/);
    expect(() => index({ method: 'power', p: -0.5 }, 0)).toThrow(/power \(p = -0.5\) mean needs values > 0; child a is 0/);
    expect(index({ method: 'power', p: -0.5 }, 4, 16)).toBeCloseTo(((3 * 4 ** -0.5 + 16 ** -0.5) / 4) ** -2, 8);
  });

  it('positive powers other than 1: 0 taken, any negative value refused', () => {
    expect(index({ method: 'power', p: 0.5 }, 0, 16)).toBeCloseTo(((3 * 0 + 4) / 4) ** 2, 12); // = 1
    expect(() => index({ method: 'power', p: 0.5 }, -1e-9)).toThrow(/power \(p = 0.5\) mean needs values ≥ 0; child a is -1e-9/);
    expect(() => index({ method: 'power', p: 2 }, -1)).toThrow(/power \(p = 2\) mean needs values ≥ 0; child a is -1/);
  });

  it('arithmetic (p = 1), named or as a power: any value, negative ones included', () => {
    expect(index('arithmetic', -2)).toBe((3 * -2 + 8) / 4);
    expect(index({ method: 'power', p: 1 }, -2)).toBe((3 * -2 + 8) / 4);
  });
});
