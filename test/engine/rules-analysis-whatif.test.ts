// What-if paths by hand (issue 12): the next rank is the closest ranked unit strictly above, and a
// target beyond every point still available is reported as not reachable, with every point taken.
import { describe, expect, it } from 'vitest';
import { compileMethodology, prepareScores, whatIf } from '../../src/engine/index.js';

// Two leaves of 50 points: the index is the sum of the points.
const twoLeaves = (groups?: { code: string; min: number }[]) => compileMethodology({
  id: 'paths', mode: 'points', missing: 'zero', ...(groups && { groups }),
  nodes: [{ code: 'R' }, { code: '1', parent: 'R', max: 50 }, { code: '2', parent: 'R', max: 50 }],
});

describe('what-if: the path to the next rank', () => {
  const m = twoLeaves();
  // W 90 (1st), T1 and T2 70 (2nd, tied), X 65 but not ranked, U and V 60 (4th, tied).
  const table: [string, number, number, boolean][] = [
    ['W', 45, 45, true], ['T1', 35, 35, true], ['T2', 40, 30, true], ['X', 35, 30, false], ['U', 30, 30, true], ['V', 30, 30, true],
  ];
  const matrix = prepareScores(m, table.flatMap(([unit, a, b]) => [{ unit, indicator: '1', value: a }, { unit, indicator: '2', value: b }]),
    table.map(([code, , , ranked]) => ({ code, ranked })));

  it('aims at the closest ranked unit strictly above: not a unit tied with it, not an unranked one, the first of a tie in the cycle\'s order', () => {
    const w = whatIf(m, matrix, 'U', []);
    expect(w.before).toEqual({ index: 60, rank: 4, group: 'D' });
    // 70 − 60 = 10 points; both leaves have 20 available: the first by code takes them
    expect(w.nextRank).toEqual({
      target: { unit: 'T1', index: 70, rank: 2, group: 'C' }, pointsNeeded: 10, reachable: true,
      steps: [{ indicator: '1', from: 30, to: 40, gain: 10 }],
    });
  });

  it('an unranked unit has no next rank to reach, but still a next group', () => {
    const w = whatIf(m, matrix, 'X', []);
    expect(w.before).toEqual({ index: 65, rank: null, group: 'D' });
    expect(w.nextRank).toBeNull();
    expect(w.nextGroup).toMatchObject({ target: { group: 'C', index: 70 }, pointsNeeded: 5, reachable: true });
  });
});

describe('what-if: a target beyond reach', () => {
  it('a group above 100 % is not reachable: every available point is taken, and the points needed are still stated', () => {
    const m = twoLeaves([{ code: 'S', min: 120 }, { code: 'A', min: 90 }, { code: 'B', min: 0 }]);
    const matrix = prepareScores(m, [
      { unit: 'P', indicator: '1', value: 50 }, { unit: 'P', indicator: '2', value: 45 },
      { unit: 'Q', indicator: '1', value: 10 }, { unit: 'Q', indicator: '2', value: 10 },
    ]);
    const w = whatIf(m, matrix, 'P', []);
    // 95 → 120: 25 points needed, 5 available (leaf 2)
    expect(w.nextGroup).toEqual({
      target: { index: 120, rank: null, group: 'S' }, pointsNeeded: 25, reachable: false,
      steps: [{ indicator: '2', from: 45, to: 50, gain: 5 }],
    });
    // Q (20): to A at 90 needs 70 of the 80 available, the larger room first, then the rest from the other
    expect(whatIf(m, matrix, 'Q', []).nextGroup).toEqual({
      target: { index: 90, rank: null, group: 'A' }, pointsNeeded: 70, reachable: true,
      steps: [{ indicator: '1', from: 10, to: 50, gain: 40 }, { indicator: '2', from: 10, to: 40, gain: 30 }],
    });
  });
});
