// Imputation (COINr's i_mean, i_median, and their grouped forms) against an oracle written here:
// each missing cell takes the mean or median of the present values of the whole column, or of its
// group; nothing else changes. A unit with no group, or whose group (or column) has no value,
// stays missing; a mean of huge values is never Infinity.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { imputeValues, mean, median, type ImputationMethod } from '../../src/engine/index.js';

/** R's mean and median, by the textbook: sum / n; the middle of the sorted values, or the mean of the two middle ones. */
const oracleMean = (xs: number[]) => xs.reduce((s, x) => s + x / xs.length, 0);
function oracleMedian(xs: number[]): number {
  const s = [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const n = s.length;
  return n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

function oracleImpute(column: number[], method: ImputationMethod, groups: (string | null)[]): number[] {
  const grouped = method.startsWith('group');
  const centre = method.endsWith('ean') ? oracleMean : oracleMedian;
  return column.map((v, u) => {
    if (!Number.isNaN(v)) return v;
    if (grouped && groups[u] === null) return NaN;
    const peers = column.filter((x, w) => !Number.isNaN(x) && (!grouped || groups[w] === groups[u]));
    return peers.length === 0 ? NaN : centre(peers);
  });
}

describe('imputation agrees with the oracle', () => {
  it('for every method, column and grouping (property)', () => {
    const cell = fc.oneof(fc.integer({ min: -50, max: 50 }), fc.constant(NaN));
    const method = fc.constantFrom<ImputationMethod>('mean', 'median', 'groupMean', 'groupMedian');
    const rows = fc.array(fc.tuple(cell, fc.constantFrom('a', 'b', 'c', null)), { minLength: 0, maxLength: 15 });
    fc.assert(fc.property(rows, method, (rs, m) => {
      const raw = rs.map(([v]) => v), groups = rs.map(([, g]) => g);
      const column = Float64Array.from(raw);
      const filled = imputeValues(column, m, groups);
      const expected = oracleImpute(raw, m, groups);
      expected.forEach((v, u) => (Number.isNaN(v) ? expect(column[u]).toBeNaN() : expect(column[u]).toBeCloseTo(v, 9)));
      expect(filled).toEqual(raw.flatMap((v, u) => (Number.isNaN(v) && !Number.isNaN(expected[u]) ? [u] : [])));
    }), { numRuns: 400, seed: 12 });
  });
});

describe('what stays missing', () => {
  it('a column with no value at all: nothing to impute from, nothing filled', () => {
    for (const method of ['mean', 'median'] as const) {
      const column = Float64Array.of(NaN, NaN);
      expect(imputeValues(column, method)).toEqual([]);
      expect([...column]).toEqual([NaN, NaN]);
    }
    expect(mean([])).toBeNaN();
    expect(median([])).toBeNaN();
  });

  it('a group method given no groups fills nothing (no unit has a group)', () => {
    const column = Float64Array.of(1, NaN, 3);
    expect(imputeValues(column, 'groupMean')).toEqual([]);
    expect([...column]).toEqual([1, NaN, 3]);
  });

  it('a unit whose group is unknown, even beside units without a group that have values', () => {
    const column = Float64Array.of(NaN, 5, 7);
    expect(imputeValues(column, 'groupMedian', [null, null, 'g'])).toEqual([]);
    expect(column[0]).toBeNaN();
  });
});

describe('the centres', () => {
  it('a mean of values near the largest double is that value, not Infinity', () => {
    expect(mean([Number.MAX_VALUE, Number.MAX_VALUE])).toBe(Number.MAX_VALUE);
    expect(mean([-1.7e308, -1.7e308, -1.7e308])).toBeCloseTo(-1.7e308, -300);
    const column = Float64Array.of(1.5e308, NaN, 1.7e308);
    imputeValues(column, 'mean');
    expect(column[1]).toBeCloseTo(1.6e308, -300);
    expect(Number.isFinite(column[1])).toBe(true);
  });

  it('a mean is the sum over the count, correctly rounded: ten 3s average 3, and 1, 2, 4 average 7 / 3', () => {
    expect(mean(Array(10).fill(3))).toBe(3);
    expect(mean([1, 2, 4])).toBe(7 / 3);
    const column = Float64Array.of(0.1, 0.2, NaN, 0.4);
    imputeValues(column, 'mean');
    expect(column[2]).toBe((0.1 + 0.2 + 0.4) / 3);
  });

  it('the median sorts numerically (10 is the middle of 9, 10, 100) and takes the mean of the two middle values', () => {
    expect(median([100, 9, 10])).toBe(10);
    expect(median([100, 9, 10, 20])).toBe(15);
    expect(median([-3, -20, 4, -1])).toBe(-2);
  });
});
