// Known answers for every normalisation, with direction; NaN (missing) stays missing.
import { describe, expect, it } from 'vitest';
import { Normalisation, normalise } from '../../src/engine/index.js';

const run = (values: number[], method: unknown, direction: 1 | -1 = 1) =>
  [...normalise(Float64Array.from(values), Normalisation.parse(method), direction, 'X')];

describe('normalisation', () => {
  it('min-max to a range, either direction', () => {
    expect(run([2, 4, 6, NaN], { method: 'minmax' })).toEqual([0, 50, 100, NaN]);
    expect(run([2, 4, 6], { method: 'minmax' }, -1)).toEqual([100, 50, 0]);
    expect(run([2, 4, 6], { method: 'minmax', min: 1, max: 10 })).toEqual([1, 5.5, 10]);
    expect(run([3, 3], { method: 'minmax' })).toEqual([50, 50]);
  });

  it('z-score (sample sd), rescaled to a mean and sd', () => {
    // mean 4, sample sd 2
    expect(run([2, 4, 6], { method: 'zscore' })).toEqual([-1, 0, 1]);
    expect(run([2, 4, 6], { method: 'zscore', mean: 100, sd: 10 }, -1)).toEqual([110, 100, 90]);
    expect(() => run([1, 1], { method: 'zscore' })).toThrow(/sd = 0/);
  });

  it('goal-posts: share of the way from worst to best, clamped', () => {
    expect(run([0, 5, 10, 20], { method: 'goalposts', lower: 0, upper: 10 })).toEqual([0, 50, 100, 100]);
    expect(run([0, 5, 10], { method: 'goalposts', lower: 0, upper: 10, scale: 1 }, -1)).toEqual([1, 0.5, 0]);
  });

  it('rank and percentile: ties share the mean rank', () => {
    expect(run([10, 30, 20, 20], { method: 'rank' })).toEqual([1, 4, 2.5, 2.5]);
    expect(run([10, 30, 20], { method: 'rank' }, -1)).toEqual([3, 1, 2]);
    expect(run([10, 30, 20, NaN], { method: 'percentile' })).toEqual([0, 100, 50, NaN]);
  });
});
