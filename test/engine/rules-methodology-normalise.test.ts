// Normalisation across the units of a cycle (src/engine/normalise.ts): known answers at the edges —
// nothing present, one value, ties, values beyond the goal-posts, values near the largest double.
import { describe, expect, it } from 'vitest';
import { Normalisation, normalise } from '../../src/engine/index.js';

const run = (values: number[], method: unknown, direction: 1 | -1 = 1) =>
  [...normalise(Float64Array.from(values), Normalisation.parse(method), direction, 'X')];

describe('missing values stay missing, whatever the method', () => {
  it.each(['none', 'minmax', 'zscore', 'goalposts', 'rank', 'percentile'])('%s: no value present gives no value, and no error', (method) => {
    const spec = method === 'goalposts' ? { method, lower: 0, upper: 1 } : { method };
    expect(run([NaN, NaN], spec)).toEqual([NaN, NaN]);
  });

  it('none: each present value as it is, a missing one missing', () => {
    expect(run([3, NaN, -2.5], { method: 'none' })).toEqual([3, NaN, -2.5]);
  });
});

describe('min-max', () => {
  it('a constant indicator puts every unit at the middle of the range asked', () => {
    expect(run([7, NaN, 7], { method: 'minmax', min: 1, max: 10 })).toEqual([5.5, NaN, 5.5]);
  });

  it('values whose span overflows (−1e308 to 1e308) are still placed by their position: 0, 50, 100', () => {
    expect(run([-1e308, 0, 1e308], { method: 'minmax' })).toEqual([0, 50, 100]);
    expect(run([-1e308, 0, 1e308], { method: 'minmax' }, -1)).toEqual([100, 50, 0]);
  });

  it('the worst and best are found among the present values only', () => {
    // 10 … 30: 15 is a quarter of the way
    expect(run([30, NaN, 15, 10], { method: 'minmax' })).toEqual([100, NaN, 25, 0]);
  });
});

describe('z-score', () => {
  it('a single value has no spread: refused as a constant indicator', () => {
    expect(() => run([5, NaN], { method: 'zscore' })).toThrow(/constant indicator \(sd = 0\)/);
  });

  it('the sample standard deviation (n − 1): 1, 2, 3, 6 have mean 3 and sd √(14/3)', () => {
    const sd = Math.sqrt(14 / 3);
    const z = run([1, 2, 3, 6], { method: 'zscore' });
    [-2 / sd, -1 / sd, 0, 3 / sd].forEach((expected, i) => expect(z[i]).toBeCloseTo(expected, 12));
  });

  it('a deviation that overflows (mean 0, sd beyond the largest double) is an error, not every value missing', () => {
    expect(() => run([-1e308, 1e308], { method: 'zscore' })).toThrow(/too large for a z-score/);
  });

  it('a mean that overflows is an error too', () => {
    expect(() => run([1.7e308, 1.7e308, 1e308], { method: 'zscore' })).toThrow(/too large for a z-score/);
  });
});

describe('goal-posts', () => {
  it('clamped to [0, scale] on both sides, in either direction', () => {
    expect(run([-5, 2.5, 15], { method: 'goalposts', lower: 0, upper: 10 })).toEqual([0, 25, 100]);
    // lower is better: 10 is the worst, 0 the best
    expect(run([-5, 2.5, 15], { method: 'goalposts', lower: 0, upper: 10 }, -1)).toEqual([100, 75, 0]);
  });
});

describe('rank and percentile', () => {
  it('a single unit is at the 100th percentile, and rank 1', () => {
    expect(run([4, NaN], { method: 'percentile' })).toEqual([100, NaN]);
    expect(run([4, NaN], { method: 'rank' })).toEqual([1, NaN]);
  });

  it('ties share the mean of their positions, in percentiles too', () => {
    // ranks 1.5, 1.5, 3 of 3: percentiles 25, 25, 100
    expect(run([1, 1, 2], { method: 'percentile' })).toEqual([25, 25, 100]);
    expect(run([5, 9, 5, 5], { method: 'rank' })).toEqual([2, 4, 2, 2]);
  });

  it('lower is better: the smallest value ranks highest, ties still shared', () => {
    expect(run([5, 9, 5, 1], { method: 'rank' }, -1)).toEqual([2.5, 1, 2.5, 4]);
    expect(run([5, 9, NaN, 1], { method: 'percentile' }, -1)).toEqual([50, 0, NaN, 100]);
  });
});
