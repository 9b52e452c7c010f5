// Change since the previous cycle, by hand (issue 12: the engine's change.ts had no test of its
// own): a unit against itself, a merged unit against the mean or weighted mean of its
// predecessors, no lineage, and nulls wherever either side has no value.
import { describe, expect, it } from 'vitest';
import { compareWithPrevious, describeCycle, groupOf, hashString, mulberry32, normal, summarise } from '../../src/engine/index.js';

const row = (unit: string, index: number | null, rank: number | null, d1: number | null) => ({ unit, index, rank, nodes: { '1': { percent: d1 } } });

describe('change since the previous cycle', () => {
  const previous = [row('A', 80, 1, 90), row('B', 60, 2, 50), row('C', 40, 3, 30), row('N', null, null, null)];

  it('compares a unit with itself: index and domain change, and places moved up as a positive rank change', () => {
    // The same ranked units both years (A, B, C): the restated rank is the published one.
    const out = compareWithPrevious([row('A', 50, 3, 1), row('B', 70.1, 1, 55.5), row('C', 60, 2, 1)], previous, () => [], ['1']);
    expect(out.get('B')).toEqual({
      rule: 'same-unit', predecessors: [], previousIndex: 60, indexChange: 10.1, previousRank: 2,
      restatedRank: 2, restatedOf: 3, rankRule: 'same-units', rankChange: 1,
      domains: { '1': { previous: 50, change: 5.5 } },
    });
  });

  it('compares a merged unit with the mean of its predecessors, its rank against the previous cycle restated on the current units', () => {
    const out = compareWithPrevious([row('M', 65, 1, 60)], previous, () => [{ code: 'A' }, { code: 'C' }, { code: 'gone' }], ['1']);
    // Alone in the current cycle, M (previously the mean of A and C, 60) was first of one: no places moved.
    expect(out.get('M')).toEqual({
      rule: 'mean-of-predecessors', predecessors: ['A', 'C'], previousIndex: 60, indexChange: 5, previousRank: null,
      restatedRank: 1, restatedOf: 1, rankRule: 'restated-on-current-units', rankChange: 0,
      domains: { '1': { previous: 60, change: 0 } },
    });
  });

  it('weights the mean when every predecessor has a positive weight', () => {
    const out = compareWithPrevious([row('M', 70, 1, 40)], previous, () => [{ code: 'A', weight: 1 }, { code: 'B', weight: 3 }], ['1']);
    // (80 · 1 + 60 · 3) / 4 = 65; domain (90 + 150) / 4 = 60
    expect(out.get('M')).toMatchObject({ rule: 'weighted-mean-of-predecessors', predecessors: ['A', 'B'], previousIndex: 65, indexChange: 5, domains: { '1': { previous: 60, change: -20 } } });
    const unweighted = compareWithPrevious([row('M', 70, 1, 40)], previous, () => [{ code: 'A', weight: 1 }, { code: 'B' }], ['1']);
    expect(unweighted.get('M')).toMatchObject({ rule: 'mean-of-predecessors', previousIndex: 70 });
  });

  it('names no lineage when no predecessor was in the previous cycle', () => {
    const out = compareWithPrevious([row('Z', 50, 1, 50)], previous, () => [{ code: 'gone' }], ['1']);
    expect(out.get('Z')).toEqual({
      rule: 'no-lineage', predecessors: [], previousIndex: null, indexChange: null, previousRank: null,
      restatedRank: null, restatedOf: null, rankRule: 'not-restatable', rankChange: null, domains: { '1': { previous: null, change: null } },
    });
  });

  it('gives null changes where either side has no value', () => {
    const out = compareWithPrevious([row('N', 50, 1, 40), row('A', null, null, null)], previous, () => [], ['1']);
    expect(out.get('N')).toMatchObject({ previousIndex: null, indexChange: null, previousRank: null, rankChange: null, domains: { '1': { previous: null, change: null } } });
    expect(out.get('A')).toMatchObject({ previousIndex: 80, indexChange: null, previousRank: 1, rankChange: null, domains: { '1': { previous: 90, change: null } } });
    // a mean over a predecessor without a value has none
    expect(compareWithPrevious([row('M', 50, 1, 40)], previous, () => [{ code: 'A' }, { code: 'N' }], ['1']).get('M')).toMatchObject({ previousIndex: null, indexChange: null });
  });
});

describe('summary statistics', () => {
  it('quartiles and extremes of unsorted values, ignoring null and non-finite values', () => {
    // population sd: √(40 / 5), snapped to 9 decimals like every derived figure
    expect(summarise([9, null, 1, Number.NaN, 5, 3, Infinity, 7])).toEqual({ n: 5, mean: 5, median: 5, sd: 2.828427125, min: 1, max: 9, q1: 3, q3: 7 });
  });

  it('counts each group\'s units, and describes each region by default', () => {
    const r = (index: number | null, group: string | null, region: string | null) => ({ index, group, attributes: { region }, nodes: {} });
    const s = describeCycle([r(95, 'A', 'N'), r(85, 'B', 'N'), r(91, 'A', 'S'), r(null, null, null), r(10, 'Z', 'S')], [], ['A', 'B', 'C']);
    expect(s.groups).toEqual({ A: 2, B: 1, C: 0 });
    expect(Object.keys(s.by.region)).toEqual(['N', 'S']);
    expect(s.by.region.N.index).toMatchObject({ n: 2, mean: 90 });
    expect(s.by.region.S.index).toMatchObject({ n: 2, min: 10, max: 91 });
  });
});

describe('boundaries of change, statistics and groups', () => {
  it('a predecessor weighted 0 makes the mean unweighted', () => {
    const prev = [row('A', 80, 1, 90), row('B', 60, 2, 50)];
    expect(compareWithPrevious([row('M', 70, 1, 40)], prev, () => [{ code: 'A', weight: 0 }, { code: 'B', weight: 3 }], ['1']).get('M'))
      .toMatchObject({ rule: 'mean-of-predecessors', previousIndex: 70 });
  });

  it('above the mean with negative values (weighted mode without normalisation): a unit without an index is not counted', () => {
    const r = (index: number | null, region: string | null) => ({ index, group: null, attributes: { region }, nodes: {} });
    const s = describeCycle([r(-10, 'S'), r(-20, 'N'), r(null, null)], [], []);
    expect([s.index.mean, s.aboveMean]).toEqual([-15, 1]);
    // regions listed in code order, whatever the order of the rows
    expect(Object.keys(s.by.region)).toEqual(['N', 'S']);
    // an attribute no row has gives no entry
    expect(describeCycle([r(1, null)], [], []).by).toEqual({});
  });

  it('a group only for a finite index, and only when the methodology has groups', () => {
    const groups = [{ code: 'A', min: 90 }, { code: 'B', min: 0 }];
    expect([groupOf(95, groups), groupOf(10, groups), groupOf(Infinity, groups), groupOf(Number.NaN, groups), groupOf(null, groups), groupOf(95, [])]).toEqual(['A', 'B', null, null, null, null]);
  });
});

describe('seeded random numbers', () => {
  it('normal draws are standard normal: mean 0, sd 1, 68.3 % within ±1 and 95 % within ±1.96', () => {
    const random = mulberry32(42);
    const n = 200_000;
    let sum = 0, squares = 0, one = 0, two = 0;
    for (let i = 0; i < n; i++) {
      const z = normal(random);
      sum += z; squares += z * z;
      if (Math.abs(z) < 1) one++;
      if (Math.abs(z) < 1.959964) two++;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.sqrt(squares / n)).toBeCloseTo(1, 2);
    expect(one / n).toBeCloseTo(0.6827, 2);
    expect(two / n).toBeCloseTo(0.95, 2);
  });

  it('hashString is a 32-bit unsigned hash of every character, in order', () => {
    const texts = ['', 'a', 'ab', 'ba', 'abc', 'abd', 'Hà Nội', 'Ha Noi'];
    const hashes = texts.map(hashString);
    expect(new Set(hashes).size).toBe(texts.length);
    for (const h of hashes) expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
    expect(texts.map(hashString)).toEqual(hashes);
  });
});
