// The Saltelli design with Jansen's estimators against known answers: the Ishigami function
// (a = 7, b = 0.1; S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437) and additive linear models,
// whose indices are analytic (S_i = ST_i = a_i² / Σ a_j² for independent uniform inputs).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jansen, quantile, saltelli } from '../../src/engine/index.js';

const ishigami = (x: Float64Array) => {
  const [a, b, c] = [x[0], x[1], x[2]].map((v) => -Math.PI + 2 * Math.PI * v);
  return Math.sin(a) + 7 * Math.sin(b) ** 2 + 0.1 * c ** 4 * Math.sin(a);
};
const within = (actual: number, expected: number, tolerance: number) => expect(Math.abs(actual - expected)).toBeLessThan(tolerance);

describe('Jansen estimators over a Saltelli design', () => {
  it('give Ishigami\'s analytic indices at large N', () => {
    const r = saltelli(ishigami, 3, { n: 60_000, seed: 7, bootstrap: 0 });
    expect(r.runs).toBe(60_000 * 5);
    [0.3139, 0.4424, 0].forEach((s, i) => within(r.inputs[i].first, s, 0.02));
    [0.5576, 0.4424, 0.2437].forEach((s, i) => within(r.inputs[i].total, s, 0.02));
    within(r.variance, 13.8446, 0.3); // a²/8 + b π⁴/5 + b² π⁸/18 + 1/2
  });

  it('give an additive linear model\'s analytic indices, first = total', () => {
    const r = saltelli((x) => x[0] + 2 * x[1] + 3 * x[2], 3, { n: 20_000, seed: 3, bootstrap: 0 });
    [1, 4, 9].map((a) => a / 14).forEach((s, i) => {
      within(r.inputs[i].first, s, 0.02);
      within(r.inputs[i].total, s, 0.02);
    });
  });

  it('are reproducible for a seed, and differ for another', () => {
    const o = { n: 500, seed: 11, bootstrap: 50 };
    expect(saltelli(ishigami, 3, o)).toEqual(saltelli(ishigami, 3, o));
    expect(saltelli(ishigami, 3, { ...o, seed: 12 }).inputs[0].first).not.toBe(saltelli(ishigami, 3, o).inputs[0].first);
  });

  it('bootstrap 5–95 % intervals surround the estimates and narrow with N', () => {
    const small = saltelli(ishigami, 3, { n: 500, seed: 5, bootstrap: 300 });
    const large = saltelli(ishigami, 3, { n: 8000, seed: 5, bootstrap: 300 });
    for (const input of small.inputs) {
      expect(input.totalInterval![0]).toBeLessThanOrEqual(input.total);
      expect(input.totalInterval![1]).toBeGreaterThanOrEqual(input.total);
    }
    const width = (r: typeof small, i: number) => r.inputs[i].totalInterval![1] - r.inputs[i].totalInterval![0];
    expect(width(large, 0)).toBeLessThan(width(small, 0));
  });

  it('share nothing when the output does not vary', () => {
    const r = saltelli(() => 4, 2, { n: 100, seed: 1, bootstrap: 10 });
    expect(r.inputs).toEqual([0, 1].map(() => ({ first: 0, total: 0, firstInterval: [0, 0], totalInterval: [0, 0] })));
  });

  it('read the runs as COINr lays them out (by hand: N = 2, one input)', () => {
    // yA = [0, 2], yB = [1, 3], yAB = [1, 3] (the input is everything): V = var(0, 2, 1, 3) = 5/3
    const r = jansen(Float64Array.of(0, 2), Float64Array.of(1, 3), Float64Array.of(1, 3), 1, { n: 2, seed: 1, bootstrap: 0 });
    expect(r.variance).toBeCloseTo(5 / 3, 12);
    expect(r.inputs[0].first).toBeCloseTo(1, 12); // (V − 0) / V
    expect(r.inputs[0].total).toBeCloseTo(((1 + 1) / 4) / (5 / 3), 12); // Σ(yA − yAB)² / 2N / V
  });
});

describe('quantile (R type 7)', () => {
  it('interpolates between order statistics', () => {
    expect(quantile(Float64Array.of(4, 1, 3, 2), 0.05)).toBeCloseTo(1.15, 12);
    expect(quantile(Float64Array.of(4, 1, 3, 2), 0.5)).toBe(2.5);
    expect(quantile(Float64Array.of(7), 0.95)).toBe(7);
  });
});

describe('properties of additive linear models', () => {
  it('indices within [0, 1] up to noise, ST ≥ S1 up to noise, the first orders summing to 1', () => {
    const coefficient = fc.double({ min: 0.5, max: 5, noNaN: true });
    fc.assert(fc.property(fc.array(coefficient, { minLength: 2, maxLength: 4 }), fc.nat(1000), (a, seed) => {
      const r = saltelli((x) => a.reduce((s, ai, i) => s + ai * x[i], 0), a.length, { n: 2000, seed, bootstrap: 0 });
      const noise = 0.08;
      const sum = a.reduce((s, ai) => s + ai * ai, 0);
      r.inputs.forEach((input, i) => {
        expect(input.first).toBeGreaterThan(-noise);
        expect(input.total).toBeLessThan(1 + noise);
        expect(input.total).toBeGreaterThan(input.first - noise);
        expect(Math.abs(input.total - (a[i] * a[i]) / sum)).toBeLessThan(noise);
      });
      expect(Math.abs(r.inputs.reduce((s, input) => s + input.first, 0) - 1)).toBeLessThan(2 * noise);
    }), { numRuns: 25, seed: 17 });
  });
});
