// The sample moments COINr's outlier check uses (e1071 type 2, Excel's SKEW and KURT), against an
// independent oracle: Fisher's k-statistics, G1 = k3 / k2^1.5 and G2 = k4 / k2², computed here in
// their own algebraic form from the central sums.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleKurtosis, sampleSkewness } from '../../src/engine/index.js';

function kStatistics(column: number[]): { g1: number; g2: number } {
  const xs = column.filter((v) => !Number.isNaN(v)), n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const S = (r: number) => xs.reduce((s, x) => s + (x - mean) ** r, 0);
  const k2 = S(2) / (n - 1);
  const k3 = (n * S(3)) / ((n - 1) * (n - 2));
  const k4 = (n * (n + 1) * S(4) - 3 * (n - 1) * S(2) ** 2) / ((n - 1) * (n - 2) * (n - 3));
  return { g1: k3 / k2 ** 1.5, g2: k4 / k2 ** 2 };
}

const closeTo = (got: number | null, want: number) => {
  expect(got).not.toBeNull();
  expect(Math.abs(got! - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
};

describe('skewness and kurtosis equal the k-statistics', () => {
  it('for random samples with missing values among them (missing values left out)', () => {
    const sample = fc.array(fc.oneof({ weight: 9, arbitrary: fc.integer({ min: -1e6, max: 1e6 }).map((v) => v / 100) }, { weight: 1, arbitrary: fc.constant(NaN) }), { maxLength: 40 });
    fc.assert(fc.property(sample, (column) => {
      const n = column.filter((v) => !Number.isNaN(v)).length;
      const distinct = new Set(column.filter((v) => !Number.isNaN(v))).size > 1;
      fc.pre(n >= 4 && distinct);
      const { g1, g2 } = kStatistics(column);
      fc.pre(Number.isFinite(g1) && Number.isFinite(g2));
      closeTo(sampleSkewness(column), g1);
      closeTo(sampleKurtosis(column), g2);
    }), { numRuns: 300, seed: 3 });
  });

  it('known answers by hand: 0, 0, 0, 4 has skewness 2 and kurtosis 4; 0, 0, 9 skewness √3', () => {
    expect(sampleSkewness([0, 0, 0, 4])).toBeCloseTo(2, 12);
    expect(sampleKurtosis([0, 0, 0, 4])).toBeCloseTo(4, 12);
    expect(sampleSkewness([0, 0, 9])).toBeCloseTo(Math.sqrt(3), 12);
  });
});

describe('where the moments are unknown (null)', () => {
  it('skewness needs 3 values, kurtosis 4: the smallest samples have them', () => {
    expect(sampleSkewness([1, 2, 7])).toBeCloseTo(kStatistics([1, 2, 7]).g1, 12);
    expect(sampleSkewness([NaN, 1, 2])).toBeNull();
    expect(sampleKurtosis([1, 2, 3, 9])).toBeCloseTo(kStatistics([1, 2, 3, 9]).g2, 12);
    expect(sampleKurtosis([1, NaN, 3, 9])).toBeNull();
  });

  it('equal values have no shape', () => {
    expect(sampleSkewness([5, 5, 5, NaN, 5])).toBeNull();
    expect(sampleKurtosis([5, 5, 5, NaN, 5])).toBeNull();
  });

  it('values whose powers overflow have an unknown shape, not an infinite or NaN one', () => {
    const huge = [1e300, -1e300, 0, 1, 2];
    expect(sampleSkewness(huge)).toBeNull();
    expect(sampleKurtosis(huge)).toBeNull();
    // cubes within range, fourth powers beyond it: the skewness is known, the kurtosis not
    expect(sampleSkewness([1e100, -1e100, 0, 1e100])).toBeCloseTo(kStatistics([1, -1, 0, 1]).g1, 9);
    expect(sampleKurtosis([1e100, -1e100, 0, 1e100])).toBeNull();
  });
});
