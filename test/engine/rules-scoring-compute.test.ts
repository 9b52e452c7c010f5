// One cycle from methodology to ordered results (issue 12): the order in which results are
// published, and what counts as an already compiled methodology.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMethodology, computeCycle, EngineError, sortByRank } from '../../src/engine/index.js';

const doc = { id: 'c', mode: 'points', missing: 'zero', nodes: [{ code: 'R' }, { code: 'a', parent: 'R', max: 10 }] };
const scores = [{ unit: 'U', indicator: 'a', value: 4 }, { unit: 'V', indicator: 'a', value: 6 }];

describe('the order of published results', () => {
  const row = (unit: string, rank: number | null, index: number | null) => ({ unit, rank, index });

  it('ranked units by rank; tied ranks by code', () => {
    const rows = [row('C', 2, 80), row('B', 1, 90), row('A', 2, 80)];
    expect(sortByRank(rows).map((r) => r.unit)).toEqual(['B', 'A', 'C']);
  });

  it('then units without a rank: those with an index, highest first, then those without; ties by code', () => {
    // G and F share an index: by code; E has none: last
    const rows = [row('E', null, null), row('G', null, 70), row('F', null, 70), row('D', null, 95), row('A', 3, 10)];
    expect(sortByRank(rows).map((r) => r.unit)).toEqual(['A', 'D', 'F', 'G', 'E']);
  });

  it('returns a new list and leaves the caller\'s as it was', () => {
    const rows = [row('B', 2, 1), row('A', 1, 2)];
    expect(sortByRank(rows).map((r) => r.unit)).toEqual(['A', 'B']);
    expect(rows.map((r) => r.unit)).toEqual(['B', 'A']);
  });

  it('a cycle\'s results come in that order, an unranked unit after the ranked ones', () => {
    const out = computeCycle({ methodology: doc, scores: [...scores, { unit: 'W', indicator: 'a', value: 9 }], units: [{ code: 'W', ranked: false }, { code: 'U' }, { code: 'V' }] });
    expect(out.results.map((r) => [r.unit, r.rank, r.index])).toEqual([['V', 1, 60], ['U', 2, 40], ['W', null, 90]]);
  });
});

describe('a compiled methodology', () => {
  it('is used as it is, and gives the answer the document gives', () => {
    const compiled = compileMethodology(doc);
    expect(computeCycle({ methodology: compiled, scores })).toEqual(computeCycle({ methodology: doc, scores }));
    expect(computeCycle({ methodology: compiled, scores }).methodology).toEqual({ id: 'c', version: 1, mode: 'points', missing: 'zero' });
  });

  it('is recognised by its compiled parts only: anything else is validated as a document and refused with an EngineError', () => {
    for (const methodology of [null, 'R', 42, { ...doc, byCode: {} }, { ...doc, methodology: {} }, { byCode: new Map(), methodology: doc }]) {
      expect(() => computeCycle({ methodology, scores }), JSON.stringify(methodology)).toThrow(EngineError);
    }
  });
});

describe('the order of published results, against an oracle', () => {
  // Few ranks, indexes and codes, so that every kind of tie occurs; `at` tells rows apart.
  const row = fc.record({
    unit: fc.constantFrom('A', 'B', 'C'),
    rank: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
    index: fc.option(fc.constantFrom(0, 10, 55.5, 90), { nil: null }),
  });
  /** rank (none last), then index highest first (none last), then code, then the order given. */
  const oracle = <T extends { unit: string; rank: number | null; index: number | null }>(rows: T[]) => rows
    .map((r, at) => ({ r, at }))
    .sort((x, y) => {
      const keys = (v: { r: T; at: number }) => [v.r.rank === null ? 1 : 0, v.r.rank ?? 0, v.r.index === null ? 1 : 0, -(v.r.index ?? 0), v.r.unit, v.at] as const;
      const [kx, ky] = [keys(x), keys(y)];
      for (let i = 0; i < kx.length; i++) if (kx[i] !== ky[i]) return kx[i] < ky[i] ? -1 : 1;
      return 0;
    })
    .map(({ r }) => r);

  it('whatever the rows and their order: rank, then index, then code; rows alike in all three keep their order', () => {
    fc.assert(fc.property(fc.array(row, { maxLength: 12 }), (rows) => {
      const tagged = rows.map((r, at) => ({ ...r, at }));
      expect(sortByRank(tagged).map((r) => r.at)).toEqual(oracle(tagged).map((r) => r.at));
    }), { numRuns: 500 });
  });

  it('a unit without an index comes after one with an index, whichever is given first', () => {
    const withIndex = { unit: 'B', rank: null, index: 70 }, without = { unit: 'A', rank: null, index: null };
    expect(sortByRank([withIndex, without]).map((r) => r.unit)).toEqual(['B', 'A']);
    expect(sortByRank([without, withIndex]).map((r) => r.unit)).toEqual(['B', 'A']);
  });
});
