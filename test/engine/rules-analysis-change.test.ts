// When the previous cycle's ranks can be taken as they were published and when they must be
// restated on the current units (issue 12), by hand.
import { describe, expect, it } from 'vitest';
import { compareWithPrevious } from '../../src/engine/index.js';

const row = (unit: string, index: number | null, rank: number | null) => ({ unit, index, rank, nodes: {} });
const noLineage = () => [];
const ranksOf = (out: ReturnType<typeof compareWithPrevious>, units: string[]) =>
  units.map((u) => [u, out.get(u)!.rankRule, out.get(u)!.restatedRank, out.get(u)!.restatedOf, out.get(u)!.rankChange]);

describe('the restated ranking', () => {
  it('with no ranked unit in the current cycle there is nothing to restate', () => {
    const out = compareWithPrevious([row('A', 50, null)], [row('A', 80, 1)], noLineage, []);
    expect(ranksOf(out, ['A'])).toEqual([['A', 'not-restatable', null, null, null]]);
    expect(out.get('A')).toMatchObject({ rule: 'same-unit', previousRank: 1, indexChange: -30 });
  });

  it('a unit ranked last cycle and gone now: the others are restated among themselves', () => {
    // 2024: A 90, B 80, C 70 (1st, 2nd, 3rd). 2025: A 85, C 88; B gone. Among A and C, A was 1st and C 2nd.
    const out = compareWithPrevious([row('A', 85, 2), row('C', 88, 1)], [row('A', 90, 1), row('B', 80, 2), row('C', 70, 3)], noLineage, []);
    expect(ranksOf(out, ['A', 'C'])).toEqual([['A', 'restated-on-current-units', 1, 2, -1], ['C', 'restated-on-current-units', 2, 2, 1]]);
    expect(out.get('C')!.previousRank).toBe(3); // its published rank, among three
  });

  it('a unit not ranked last cycle: restated, even when as many units are ranked both years', () => {
    // 2024: A 90 (1st), B 80 (2nd), C 70 not ranked. 2025: A 85, C 75 ranked; B gone.
    const out = compareWithPrevious([row('A', 85, 1), row('C', 75, 2)], [row('A', 90, 1), row('B', 80, 2), row('C', 70, null)], noLineage, []);
    expect(ranksOf(out, ['A', 'C'])).toEqual([['A', 'restated-on-current-units', 1, 2, 0], ['C', 'restated-on-current-units', 2, 2, 0]]);
  });

  it('a unit compared with itself keeps its previous index unrounded: re-ranking gives back the published ranks', () => {
    // 80.0000000002 and 80.0000000001 differ below the 9 decimals that sums are snapped to: A was 1st, B 2nd
    const out = compareWithPrevious([row('A', 70, 2), row('B', 75, 1)], [row('A', 80.0000000002, 1), row('B', 80.0000000001, 2)], noLineage, []);
    expect(out.get('A')!.previousIndex).toBe(80.0000000002);
    expect(ranksOf(out, ['A', 'B'])).toEqual([['A', 'same-units', 1, 2, -1], ['B', 'same-units', 2, 2, 1]]);
  });
});
