// Rank change across a change of the set of units: the previous cycle re-ranked on the current
// units through lineage (restated), and the change in places measured against that.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareWithPrevious, competitionRanks, type Predecessor } from '../../src/engine/index.js';

const row = (unit: string, index: number | null, rank: number | null) => ({ unit, index, rank, nodes: {} });
const noLineage = () => [];

describe('restated rank change', () => {
  // 2024: A 90 (1st), C 84 (2nd), B 80 (3rd), D 70 (4th). 2025: B and C merged into BC (mean 82).
  const previous = [row('A', 90, 1), row('B', 80, 3), row('C', 84, 2), row('D', 70, 4)];
  const lineage: Record<string, Predecessor[]> = { BC: [{ code: 'B' }, { code: 'C' }] };
  const current = [row('A', 85, 3), row('BC', 87, 2), row('D', 88, 1)];
  const out = compareWithPrevious(current, previous, (u) => lineage[u] ?? [], []);

  it('re-ranks the previous cycle on the current units: A 90, BC 82, D 70 → 1st, 2nd, 3rd of 3', () => {
    expect(['A', 'BC', 'D'].map((u) => [out.get(u)!.restatedRank, out.get(u)!.restatedOf, out.get(u)!.rankRule]))
      .toEqual([[1, 3, 'restated-on-current-units'], [2, 3, 'restated-on-current-units'], [3, 3, 'restated-on-current-units']]);
  });

  it('measures places against the restated rank, not the rank among another set of units', () => {
    // D was 4th of 4 and is 1st of 3: +2 places among the same three units, not +3.
    expect(out.get('D')).toMatchObject({ rule: 'same-unit', previousRank: 4, restatedRank: 3, rankChange: 2 });
    expect(out.get('A')).toMatchObject({ previousRank: 1, restatedRank: 1, rankChange: -2 });
    // The merged unit had no rank of its own: its restated one is its predecessors' mean's place.
    expect(out.get('BC')).toMatchObject({ rule: 'mean-of-predecessors', previousIndex: 82, previousRank: null, restatedRank: 2, rankChange: 0 });
  });

  it('a weighted mean restates with its weights', () => {
    const weighted = compareWithPrevious(current, previous, (u) => (u === 'BC' ? [{ code: 'B', weight: 3 }, { code: 'C', weight: 1 }] : []), []);
    // BC = (3·80 + 84) / 4 = 81: still between A (90) and D (70).
    expect(weighted.get('BC')).toMatchObject({ rule: 'weighted-mean-of-predecessors', previousIndex: 81, restatedRank: 2 });
  });

  it('gives no rank change to anyone when a ranked unit cannot be restated; points change stays', () => {
    const withNew = compareWithPrevious([...current, row('NEW', 95, 1)], previous, (u) => lineage[u] ?? [], []);
    for (const u of ['A', 'BC', 'D', 'NEW']) expect(withNew.get(u)).toMatchObject({ rankRule: 'not-restatable', restatedRank: null, restatedOf: null, rankChange: null });
    expect(withNew.get('BC')!.indexChange).toBe(5);
  });

  it('an unranked current unit is left out of the restated ranking', () => {
    const r = compareWithPrevious([row('A', 85, 2), row('D', 88, 1), row('X', 60, null)], [row('A', 90, 1), row('D', 70, 2)], noLineage, []);
    expect([r.get('A')!.rankRule, r.get('A')!.restatedRank, r.get('D')!.rankChange, r.get('X')!.restatedRank]).toEqual(['same-units', 1, 1, null]);
  });
});

describe('restated rank: properties', () => {
  // Values from a small set, so that ties are common (competition ranks 1, 2, 2, 4).
  const value = fc.oneof(fc.constantFrom(80, 85.5, 90), fc.double({ min: 50, max: 100, noNaN: true }));
  const cycle = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 40 }).chain((units) =>
    fc.record({ units: fc.constant(units), before: fc.array(value, { minLength: units.length, maxLength: units.length }), after: fc.array(value, { minLength: units.length, maxLength: units.length }) }));

  it('when the set of units is unchanged, the restated rank is the published previous rank', () => {
    fc.assert(fc.property(cycle, ({ units, before, after }) => {
      const ranksBefore = competitionRanks(before), ranksAfter = competitionRanks(after);
      const previous = units.map((u, i) => row(u, before[i], ranksBefore[i]));
      const current = [...units].reverse().map((u) => { const i = units.indexOf(u); return row(u, after[i], ranksAfter[i]); });
      const out = compareWithPrevious(current, previous, noLineage, []);
      for (const [i, u] of units.entries()) {
        expect(out.get(u)).toMatchObject({ rankRule: 'same-units', restatedRank: ranksBefore[i], restatedOf: units.length, rankChange: ranksBefore[i]! - ranksAfter[i]! });
      }
    }));
  });

  it('restated ranks are competition ranks of the previous values among the current units', () => {
    fc.assert(fc.property(cycle, ({ units, before, after }) => {
      // Every unit but the first merges pairwise into a new unit: the set changes, ranks are restated.
      const previous = units.map((u, i) => row(u, before[i], null));
      // Longer than any generated code (3 characters at most): a merged unit is never one of the previous units.
      const SUFFIX = '+merged';
      const merged = units.map((u) => `${u}${SUFFIX}`);
      const current = merged.map((m, i) => row(m, after[i], competitionRanks(after)[i]));
      const out = compareWithPrevious(current, previous, (m) => [{ code: m.slice(0, -SUFFIX.length) }], []);
      const expected = competitionRanks(before);
      merged.forEach((m, i) => expect(out.get(m)).toMatchObject({ rankRule: 'restated-on-current-units', restatedRank: expected[i] }));
    }));
  });
});
