// A unit's profile (gaps against the national and regional means, largest drops) and its peers,
// each rule with a known answer worked out by hand below (issue 12).
import { describe, expect, it } from 'vitest';
import { peers, profile, type Change } from '../../src/engine/index.js';

type Row = Parameters<typeof profile>[0][number];

/** A result row with the given % of max per node (null = no value). */
function row(unit: string, percents: Record<string, number | null>, region?: string, rank: number | null = null): Row {
  const nodes = Object.fromEntries(Object.entries(percents).map(([code, percent]) => [code, { percent, missing: 0, imputed: 0 }]));
  return { unit, rank, index: null, attributes: region === undefined ? {} : { region }, nodes };
}

/** A change whose only content that matters here is the per-domain change. */
function withDrops(r: Row, changes: Record<string, number | null>): Row {
  const domains = Object.fromEntries(Object.entries(changes).map(([code, change]) => [code, { previous: null, change }]));
  return { ...r, change: { domains } as unknown as Change };
}

// x: 80, 60, 40, 20 → national mean 50; region N (A, B) → 70
// y: 40, 60, 80, 20 → national mean 50; region N → 50
// z: 50, 50, –, 50 → national mean 50 over the three units that have it (C has none)
const rows = [
  row('A', { x: 80, y: 40, z: 50 }, 'N'),
  row('B', { x: 60, y: 60, z: 50 }, 'N'),
  row('C', { x: 40, y: 80, z: null }, 'S'),
  row('D', { x: 20, y: 20, z: 50 }),
];

describe('profile: gaps against the means', () => {
  it('a gap is the unit\'s value minus the mean over the units that have a value, nationally and in its region', () => {
    const p = profile(rows, 'A', ['x', 'y']);
    expect(p.strengths).toEqual([{ code: 'x', value: 80, nationalMean: 50, regionalMean: 70, vsNational: 30, vsRegion: 10 }]);
    expect(p.weaknesses).toEqual([{ code: 'y', value: 40, nationalMean: 50, regionalMean: 50, vsNational: -10, vsRegion: -10 }]);
  });

  it('a unit missing from the mean\'s inputs does not pull it down: z\'s mean is 50 over three units, not 37.5 over four', () => {
    // D at z: 50 − 50 = 0, neither strength nor weakness; with C counted as 0 it would be +12.5
    const p = profile(rows, 'D', ['z']);
    expect(p.strengths).toEqual([]);
    expect(p.weaknesses).toEqual([]);
    const b = profile([...rows, row('E', { z: 90 })], 'E', ['z']);
    // (50 + 50 + 50 + 90) / 4 = 60 → +30
    expect(b.strengths[0]).toMatchObject({ nationalMean: 60, vsNational: 30 });
  });

  it('a unit without a region has no regional mean and no regional gap, even beside others without one', () => {
    const unknown = (r: Row): Row => ({ ...r, attributes: { region: null } });
    // B's region is unknown too: no region is not a region of its own
    const p = profile([rows[0], unknown(rows[1]), rows[2], unknown(rows[3])], 'D', ['x', 'y']);
    // D: x 20 − 50 = −30, y 20 − 50 = −30: tied, so by code
    expect(p.weaknesses).toEqual([
      { code: 'x', value: 20, nationalMean: 50, regionalMean: null, vsNational: -30, vsRegion: null },
      { code: 'y', value: 20, nationalMean: 50, regionalMean: null, vsNational: -30, vsRegion: null },
    ]);
  });

  it('the regional mean is over the unit\'s own region only', () => {
    // C is alone in S: its regional mean is its own value, gap 0
    const p = profile(rows, 'C', ['y']);
    expect(p.strengths).toEqual([{ code: 'y', value: 80, nationalMean: 50, regionalMean: 80, vsNational: 30, vsRegion: 0 }]);
  });

  it('a node the unit has no value for, or that no unit has, gives no gap', () => {
    const p = profile(rows, 'C', ['z', 'nowhere']);
    expect(p.strengths).toEqual([]);
    expect(p.weaknesses).toEqual([]);
    const none = [row('P', { q: null }), row('Q', { q: null })];
    expect(profile(none, 'P', ['q'])).toEqual({ unit: 'P', strengths: [], weaknesses: [], largestDrops: [] });
  });

  it('a gap of exactly zero is neither a strength nor a weakness', () => {
    const p = profile([row('A', { a: 50, b: 51, c: 49 }), row('B', { a: 50, b: 49, c: 51 })], 'A', ['a', 'b', 'c']);
    expect(p.strengths.map((g) => g.code)).toEqual(['b']);
    expect(p.weaknesses.map((g) => g.code)).toEqual(['c']);
  });

  it('strengths run from the largest gap down, weaknesses from the most negative up, ties by code', () => {
    // U against V (0 everywhere): gaps are half U's value: a 5, b 20, c 10, d 10, e −5, f −20, g −10
    const u = row('U', { a: 10, b: 40, c: 20, d: 20, e: -10, f: -40, g: -20 });
    const v = row('V', { a: 0, b: 0, c: 0, d: 0, e: 0, f: 0, g: 0 });
    const p = profile([v, u], 'U', ['g', 'f', 'e', 'd', 'c', 'b', 'a']);
    expect(p.strengths.map((g) => [g.code, g.vsNational])).toEqual([['b', 20], ['c', 10], ['d', 10], ['a', 5]]);
    expect(p.weaknesses.map((g) => [g.code, g.vsNational])).toEqual([['f', -20], ['g', -10], ['e', -5]]);
  });

  it('keeps the top n each way, five by default', () => {
    const codes = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    // U's gaps: a 1 … g 7 above, and the same below for V
    const u = row('U', Object.fromEntries(codes.map((c, i) => [c, i + 1])));
    const v = row('V', Object.fromEntries(codes.map((c, i) => [c, -(i + 1)])));
    expect(profile([u, v], 'U', codes).strengths.map((g) => g.code)).toEqual(['g', 'f', 'e', 'd', 'c']);
    expect(profile([u, v], 'V', codes).weaknesses.map((g) => g.code)).toEqual(['g', 'f', 'e', 'd', 'c']);
    expect(profile([u, v], 'U', codes, 2).strengths.map((g) => g.code)).toEqual(['g', 'f']);
    expect(profile([u, v], 'V', codes, 2).weaknesses.map((g) => g.code)).toEqual(['g', 'f']);
  });

  it('means and gaps are snapped to 9 decimals: 0.1 and 0.2 average to 0.15, not 0.15000000000000002', () => {
    const p = profile([row('A', { a: 0.1 + 0.2 + 0.4 }), row('B', { a: 0.1 }), row('C', { a: 0.2 })], 'A', ['a']);
    // A's value 0.7000000000000001 → 0.7; mean (0.7000000000000001 + 0.1 + 0.2) / 3 → 0.333333333
    expect(p.strengths[0].value).toBe(0.7);
    expect(p.strengths[0].nationalMean).toBe(0.333333333);
    expect(p.strengths[0].vsNational).toBe(0.366666667);
    const q = profile([row('A', { a: 0.1 }, 'N'), row('B', { a: 0.2 }, 'N'), row('C', { a: 0.7 }, 'S')], 'A', ['a']);
    // regional mean (0.1 + 0.2) / 2 = 0.15000000000000002 → 0.15; gap 0.1 − 0.15 → −0.05
    expect(q.weaknesses[0].regionalMean).toBe(0.15);
    expect(q.weaknesses[0].vsRegion).toBe(-0.05);
  });

  it('weighted mode compares on the node\'s value where it has no % of max', () => {
    const valued = (unit: string, value: number): Row => ({ unit, rank: null, index: null, attributes: {}, nodes: { a: { value, missing: 0, imputed: 0 } } });
    const p = profile([valued('A', 0.9), valued('B', 0.5)], 'A', ['a']);
    expect(p.strengths).toEqual([{ code: 'a', value: 0.9, nationalMean: 0.7, regionalMean: null, vsNational: 0.2, vsRegion: null }]);
  });

  it('a unit not among the rows is an error naming it', () => {
    expect(() => profile(rows, 'Z', ['x'])).toThrow('unit Z not in rows');
  });
});

describe('profile: largest drops', () => {
  it('lists only the domains that fell, the largest fall first', () => {
    const a = withDrops(rows[0], { x: -2, y: 3, z: -7.5, w: 0, v: null, u: -0.5 });
    expect(profile([a, ...rows.slice(1)], 'A', []).largestDrops).toEqual([
      { code: 'z', change: -7.5 }, { code: 'x', change: -2 }, { code: 'u', change: -0.5 },
    ]);
  });

  it('equal drops are listed by code', () => {
    const a = withDrops(rows[0], { y: -1, x: -1, w: -1 });
    expect(profile([a], 'A', []).largestDrops.map((d) => d.code)).toEqual(['w', 'x', 'y']);
  });

  it('a unit without a previous cycle has no drops', () => {
    expect(profile(rows, 'A', ['x']).largestDrops).toEqual([]);
  });
});

describe('peers', () => {
  // ranks: E 1, B 2, C 3 and F 3 (tied), A 5, G 6; H unranked. Regions: N = A, B, C, H; S = E, F, G
  const ranked = [
    row('A', {}, 'N', 5), row('H', {}, 'N', null), row('F', {}, 'S', 3), row('C', {}, 'N', 3),
    row('G', {}, 'S', 6), row('B', {}, 'N', 2), row('E', {}, 'S', 1),
  ];
  const units = (rs: Row[]) => rs.map((r) => r.unit);

  it('neighbours are the units ranked just above and below, two each way by default, ties by code', () => {
    // by rank: E B C F A G
    expect(units(peers(ranked, 'C').neighbours)).toEqual(['E', 'B', 'C', 'F', 'A']);
    expect(units(peers(ranked, 'F', 1).neighbours)).toEqual(['C', 'F', 'A']);
  });

  it('neighbours stop at the top and the bottom of the ranking', () => {
    expect(units(peers(ranked, 'E').neighbours)).toEqual(['E', 'B', 'C']);
    expect(units(peers(ranked, 'B').neighbours)).toEqual(['E', 'B', 'C', 'F']);
    expect(units(peers(ranked, 'G').neighbours)).toEqual(['F', 'A', 'G']);
  });

  it('the region lists its ranked units in rank order; an unranked unit has a region but no neighbours', () => {
    expect(units(peers(ranked, 'C').region)).toEqual(['B', 'C', 'A']);
    expect(units(peers(ranked, 'G').region)).toEqual(['E', 'F', 'G']);
    const h = peers(ranked, 'H');
    expect(units(h.neighbours)).toEqual([]);
    expect(units(h.region)).toEqual(['B', 'C', 'A']);
  });

  it('a unit without a region, or not in the rows, has no regional peers', () => {
    const withLoner = [...ranked, row('L', {}, undefined, 7)];
    expect(units(peers(withLoner, 'L').region)).toEqual([]);
    expect(units(peers(withLoner, 'L').neighbours)).toEqual(['A', 'G', 'L']);
    expect(peers(ranked, 'Z')).toEqual({ neighbours: [], region: [] });
  });

  it('does not reorder the caller\'s rows', () => {
    const before = units(ranked);
    peers(ranked, 'C');
    expect(units(ranked)).toEqual(before);
  });
});
