// The result rows (issue 12): which nodes carry a rank (rankDepth), which attributes a unit is ranked
// within, % of max as published, and the shape of a node in each mode. Known answers by hand.
import { describe, expect, it } from 'vitest';
import { compileMethodology, computeCycle, profile } from '../../src/engine/index.js';

// R (10) ─ D1 (5) ─ S1 (2) ─ a (1), b (1)
//                 └ c (3)
//        └ D2 (5)
const doc = (missing = 'zero') => ({
  id: 'r', mode: 'points', missing, nodes: [
    { code: 'R' }, { code: 'D1', parent: 'R' }, { code: 'S1', parent: 'D1' },
    { code: 'a', parent: 'S1', max: 1 }, { code: 'b', parent: 'S1', max: 1 }, { code: 'c', parent: 'D1', max: 3 },
    { code: 'D2', parent: 'R', max: 5 },
  ],
});
const s = (unit: string, indicator: string, value: number) => ({ unit, indicator, value });
// U: S1 = 0.1 + 0.2 (0.30000000000000004 in binary), c 1, D2 5; V: S1 = 0.3 + 0, c 2, D2 4; W: S1 = 1, c 3, D2 0
const scores = [
  s('U', 'a', 0.1), s('U', 'b', 0.2), s('U', 'c', 1), s('U', 'D2', 5),
  s('V', 'a', 0.3), s('V', 'b', 0), s('V', 'c', 2), s('V', 'D2', 4),
  s('W', 'a', 1), s('W', 'b', 0), s('W', 'c', 3), s('W', 'D2', 0),
];
const units = [
  { code: 'U', attributes: { region: 'N', zone: 'z1' } },
  { code: 'V', attributes: { region: 'N', zone: null } },
  { code: 'W', attributes: { region: 'S', zone: 'z1' } },
];
const byUnit = <T>(out: ReturnType<typeof computeCycle>, f: (r: ReturnType<typeof computeCycle>['results'][number]) => T) =>
  Object.fromEntries(out.results.map((r) => [r.unit, f(r)]));

describe('ranks by depth', () => {
  it('by default the domains carry a rank, the root and the nodes below the domains none', () => {
    const out = computeCycle({ methodology: doc(), scores, units });
    // D1: U 1.3, V 2.3, W 4 → W 1, V 2, U 3; D2: U 5, V 4, W 0
    expect(byUnit(out, (r) => [r.nodes.D1.rank, r.nodes.D2.rank])).toEqual({ U: [3, 1], V: [2, 2], W: [1, 3] });
    for (const r of out.results) for (const code of ['R', 'S1', 'a', 'c']) expect(r.nodes[code], code).not.toHaveProperty('rank');
  });

  it('rankDepth 0 ranks the index only', () => {
    const out = computeCycle({ methodology: doc(), scores, units }, { rankDepth: 0 });
    for (const r of out.results) for (const node of Object.values(r.nodes)) expect(node).not.toHaveProperty('rank');
    // indexes: U 0.3 + 1 + 5 = 6.3 → 63, V 0.3 + 2 + 4 = 6.3 → 63 (tied), W 1 + 3 + 0 = 4 → 40
    expect(byUnit(out, (r) => r.rank)).toEqual({ U: 1, V: 1, W: 3 });
  });

  it('rankDepth 2 ranks the nodes below the domains too, their sums snapped so that 0.1 + 0.2 ties with 0.3', () => {
    const out = computeCycle({ methodology: doc(), scores, units }, { rankDepth: 2 });
    expect(byUnit(out, (r) => [r.nodes.S1.rank, r.nodes.c.rank])).toEqual({ U: [2, 3], V: [2, 2], W: [1, 1] });
    expect(out.results[0].nodes.a).not.toHaveProperty('rank');
    expect(out.results[0].nodes.R).not.toHaveProperty('rank');
  });
});

describe('ranks within an attribute', () => {
  it('by default within the region only', () => {
    const out = computeCycle({ methodology: doc(), scores, units });
    // N: U and V tie at 63; S: W alone
    expect(byUnit(out, (r) => r.rankWithin)).toEqual({ U: { region: 1 }, V: { region: 1 }, W: { region: 1 } });
  });

  it('within the attributes asked for; a unit without the attribute has no rank within it', () => {
    const out = computeCycle({ methodology: doc(), scores, units }, { rankWithin: ['zone'] });
    expect(byUnit(out, (r) => r.rankWithin)).toEqual({ U: { zone: 1 }, V: { zone: null }, W: { zone: 2 } });
    expect(out.statistics.by).toHaveProperty('zone');
  });

  it('an unranked unit has no rank within its region and takes no place in it', () => {
    // all in N: U (63) unranked, V 63 first, W 40 second (third if U took a place)
    const inN = units.map((u, i) => ({ ...u, ranked: i > 0, attributes: { region: 'N' } }));
    const out = computeCycle({ methodology: doc(), scores, units: inN });
    expect(byUnit(out, (r) => [r.rank, r.rankWithin.region])).toEqual({ U: [null, null], V: [1, 1], W: [2, 2] });
  });
});

describe('a node as published', () => {
  it('points mode: points, max, % of max to 9 decimals, and the counts of missing and imputed values', () => {
    const out = computeCycle({ methodology: doc(), scores, units });
    const u = out.results.find((r) => r.unit === 'U')!;
    // c: 1 of 3 → 33.333333333 %; S1: 0.30000000000000004 → 0.3 points, 15 %
    expect(u.nodes.c).toEqual({ points: 1, max: 3, percent: 33.333333333, missing: 0, imputed: 0 });
    expect(u.nodes.S1).toEqual({ points: 0.3, max: 2, percent: 15, missing: 0, imputed: 0 });
    expect(u).toMatchObject({ index: 63, missing: 0, imputed: 0, group: 'D' });
  });

  it('a node without a value has no points and no %', () => {
    const out = computeCycle({ methodology: doc('skip'), scores: scores.filter((x) => x.indicator !== 'c' || x.unit !== 'U').concat(), units });
    const u = out.results.find((r) => r.unit === 'U')!;
    expect(u.nodes.c).toEqual({ points: null, max: 3, percent: null, missing: 1, imputed: 0 });
    expect(u.missing).toBe(1);
  });

  it('weighted mode: the value and its rank, no points, max or %', () => {
    const weighted = compileMethodology({
      id: 'w', mode: 'weighted', missing: 'skip', normalisation: { method: 'none' },
      nodes: [{ code: 'I' }, { code: 'd', parent: 'I', weight: 1 }, { code: 'e', parent: 'I', weight: 3 }],
    });
    const out = computeCycle({ methodology: weighted, scores: [s('U', 'd', 4), s('U', 'e', 8), s('V', 'd', 8), s('V', 'e', 4)] });
    // U: (4 + 3·8) / 4 = 7; V: (8 + 3·4) / 4 = 5
    expect(byUnit(out, (r) => [r.index, r.nodes.d])).toEqual({
      U: [7, { value: 4, rank: 2, missing: 0, imputed: 0 }],
      V: [5, { value: 8, rank: 1, missing: 0, imputed: 0 }],
    });
    expect(out.results[0].nodes.I).toEqual({ value: 7, missing: 0, imputed: 0 });
  });
});

describe('a node the results do not carry', () => {
  it('has no value to compare: a profile asked for it gives no gap and does not fail', () => {
    const out = computeCycle({ methodology: doc(), scores, units });
    // D1 in %: U 26, V 46, W 80 (mean 50.666666667); X is no node of this methodology
    const p = profile(out.results, 'U', ['X', 'D1']);
    expect([...p.strengths, ...p.weaknesses].map((g) => [g.code, g.value, g.nationalMean])).toEqual([['D1', 26, 50.666666667]]);
  });
});
