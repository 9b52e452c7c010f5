// Rules of aggregation and statistics at their boundaries, by hand (issue 12): a node is missing
// below its availability threshold and present at it, in both modes; a unit equal to the mean is
// not above it.
import { describe, expect, it } from 'vitest';
import { computeCycle, describeCycle } from '../../src/engine/index.js';

// R (10) ─ 1 (4): 1.1 … 1.4 (1 each), threshold 0.5 (2 of its 4 children); 2 (6)
const pointsTree = (missing: 'zero' | 'skip') => ({
  id: 'avail', mode: 'points', missing, nodes: [
    { code: 'R' }, { code: '1', parent: 'R', availabilityThreshold: 0.5 },
    ...['1.1', '1.2', '1.3', '1.4'].map((code) => ({ code, parent: '1', max: 1 })),
    { code: '2', parent: 'R', max: 6 },
  ],
});
const s = (unit: string, indicator: string, value: number) => ({ unit, indicator, value });
// U has 2 of node 1's 4 children (exactly the threshold), V has 1 (below it)
const scores = [s('U', '1.1', 1), s('U', '1.2', 1), s('U', '2', 6), s('V', '1.1', 1), s('V', '2', 6)];
const node1 = (out: ReturnType<typeof computeCycle>) => Object.fromEntries(out.results.map((r) => [r.unit, r.nodes['1'].points]));

describe('availability threshold', () => {
  it('points, missing zero: a missing child counts as a zero, which is data: the threshold never makes the node missing', () => {
    expect(node1(computeCycle({ methodology: pointsTree('zero'), scores }))).toEqual({ U: 2, V: 1 });
  });

  it('points, missing skip: at the threshold the node is scaled from what it has (2 of 2 → 4 of 4); below it, missing', () => {
    expect(node1(computeCycle({ methodology: pointsTree('skip'), scores }))).toEqual({ U: 4, V: null });
  });

  it('weighted: at the threshold the node is the mean of what it has; below it, missing', () => {
    const methodology = {
      id: 'avail-w', mode: 'weighted', missing: 'skip', normalisation: { method: 'none' }, nodes: [
        { code: 'I', availabilityThreshold: 2 / 3 },
        { code: 'a', parent: 'I', weight: 1 }, { code: 'b', parent: 'I', weight: 1 }, { code: 'c', parent: 'I', weight: 2 },
      ],
    };
    // U: a and c (2 of 3 = the threshold): (1·10 + 2·40) / 3 = 30; V: only b (1 of 3)
    const out = computeCycle({ methodology, scores: [s('U', 'a', 10), s('U', 'c', 40), s('V', 'b', 50), s('W', 'a', 1), s('W', 'b', 2), s('W', 'c', 3)] });
    expect(Object.fromEntries(out.results.map((r) => [r.unit, r.index]))).toEqual({ U: 30, V: null, W: 2.25 });
  });
});

describe('statistics: units above the mean', () => {
  it('counts units strictly above the mean: one equal to it is not', () => {
    const methodology = { id: 'mean', mode: 'points', missing: 'zero', nodes: [{ code: 'R' }, { code: 'a', parent: 'R', max: 100 }] };
    // indexes 40, 50, 60, 50: mean 50; only 60 is above it
    const out = computeCycle({ methodology, scores: [s('A', 'a', 40), s('B', 'a', 50), s('C', 'a', 60), s('D', 'a', 50)] });
    expect(out.statistics.index.mean).toBe(50);
    expect(out.statistics.aboveMean).toBe(1);
  });

  it('counts none when no unit has an index, and ignores units without one', () => {
    const row = (index: number | null) => ({ index, group: null, attributes: {}, nodes: {} });
    expect(describeCycle([row(null), row(null)], [], []).aboveMean).toBe(0);
    expect(describeCycle([row(1), row(null), row(3)], [], []).aboveMean).toBe(1);
  });
});
