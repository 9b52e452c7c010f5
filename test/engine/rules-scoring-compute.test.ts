// One cycle from methodology to ordered results (issue 12): the order in which results are
// published, and what counts as an already compiled methodology.
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
