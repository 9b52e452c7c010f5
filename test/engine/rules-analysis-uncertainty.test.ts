// Rank uncertainty against an independent oracle (issue 12): the analysis as its documentation
// states it, written plainly in this file — the seeded draws of each domain's weight, the index as
// the weighted mean of the domain values under each draw, competition ranks, nearest-rank
// percentiles, brute-force overlaps and the binned first-order shares (stable sort, no bisection,
// no typed-array tricks). Only the seeded generator (mulberry32) is shared with the engine: it is
// the input of the analysis, not its logic. Plus the rules that need no oracle: a published
// ranking is reproduced by every draw when nothing is perturbed, whatever the missing-data rule.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileMethodology, evaluate, mulberry32, prepareScores, rankUncertainty, type Uncertainty, type UncertaintyOptions,
} from '../../src/engine/index.js';

const snap9 = (x: number) => Math.round(x * 1e9) / 1e9;

interface Case {
  /** the domains' nominal weights (weighted mode) or maxima (points mode) */
  base: number[];
  /** per unit, per domain: its value (weighted) or its % of the domain's max (points); NaN = none */
  values: number[][];
  codes: string[];
  ranked: boolean[];
  geometric: boolean;
}

/** The draws' weights: each nominal weight shocked within ±p (uniform) or by N(0, (p/2)²) floored at −99 %, rescaled to the nominal total. */
function drawWeights(base: number[], o: UncertaintyOptions): number[][] {
  const random = mulberry32(o.seed);
  const total = base.reduce((s, b) => s + b, 0);
  const boxMuller = () => {
    const u = 1 - random();
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const out: number[][] = [];
  for (let d = 0; d < o.draws; d++) {
    const raw = base.map((b) => b * (1 + (o.distribution === 'uniform' ? (2 * random() - 1) * o.perturbation : Math.max(-0.99, (boxMuller() * o.perturbation) / 2))));
    const sum = raw.reduce((s, x) => s + x, 0);
    out.push(raw.map((x) => (x * total) / sum));
  }
  return out;
}

function indexOf(values: number[], w: number[], geometric: boolean): number {
  const present = values.map((v, k) => [v, w[k]]).filter(([v]) => !Number.isNaN(v));
  if (present.length === 0) return NaN;
  const weights = present.reduce((s, [, x]) => s + x, 0);
  return snap9(geometric
    ? Math.exp(present.reduce((s, [v, x]) => s + x * Math.log(v), 0) / weights)
    : present.reduce((s, [v, x]) => s + x * v, 0) / weights);
}

/** 1 + how many eligible units have a strictly higher index; null for the others. */
function ranksOf(index: number[], ranked: boolean[]): (number | null)[] {
  const counts = (u: number) => ranked[u] && Number.isFinite(index[u]);
  return index.map((x, u) => (counts(u) ? 1 + index.filter((y, v) => counts(v) && y > x).length : null));
}

function oracle(c: Case, o: UncertaintyOptions) {
  const weights = drawWeights(c.base, o);
  const draws = weights.map((w) => ranksOf(c.values.map((v) => indexOf(v, w, c.geometric)), c.ranked));
  const nominal = ranksOf(c.values.map((v) => indexOf(v, c.base, c.geometric)), c.ranked);
  const units = c.codes.map((unit, u) => {
    const rank = nominal[u];
    if (rank === null) return { unit, rank, p5: null, p50: null, p95: null, keepsRank: 0 };
    const mine = draws.map((r) => r[u]!).sort((a, b) => a - b);
    const nearestRank = (q: number) => mine[Math.ceil(q * o.draws) - 1];
    return { unit, rank, p5: nearestRank(0.05), p50: nearestRank(0.5), p95: nearestRank(0.95), keepsRank: snap9(mine.filter((r) => r === rank).length / o.draws) };
  });
  const inOrder = units.filter((x) => x.rank !== null).sort((a, b) => a.rank! - b.rank! || a.unit.localeCompare(b.unit));
  const pairs: [string, string][] = [];
  for (let i = 0; i < inOrder.length; i++) for (let j = i + 1; j < inOrder.length; j++) {
    if (inOrder[i].p5! <= inOrder[j].p95! && inOrder[j].p5! <= inOrder[i].p95!) pairs.push([inOrder[i].unit, inOrder[j].unit]);
  }
  // first-order share: draws stably sorted by the domain's weight, cut into equal-count runs
  const bins = Math.max(1, Math.min(20, Math.floor(o.draws / 10)));
  const sensitivity = c.base.map((_, k) => {
    const order = weights.map((w, d) => [w[k], d]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, d]) => d);
    let explained = 0, total = 0;
    c.codes.forEach((_, u) => {
      if (nominal[u] === null) return;
      const r = draws.map((x) => x[u]!);
      const mean = r.reduce((s, x) => s + x, 0) / o.draws;
      const variance = r.reduce((s, x) => s + (x - mean) ** 2, 0);
      if (variance === 0) return;
      for (let b = 0; b < bins; b++) {
        const run = order.slice(Math.floor((b * o.draws) / bins), Math.floor(((b + 1) * o.draws) / bins));
        const binMean = run.reduce((s, d) => s + r[d], 0) / run.length;
        explained += run.length * (binMean - mean) ** 2;
      }
      total += variance;
    });
    return total === 0 ? 0 : explained / total;
  });
  return { units, pairs, sensitivity, weights };
}

function expectLikeOracle(u: Uncertainty, c: Case, o: UncertaintyOptions) {
  const want = oracle(c, o);
  const why = JSON.stringify(o);
  expect(u.units, why).toEqual(want.units);
  expect(u.indistinguishable, why).toEqual(want.pairs);
  expect(u.indistinguishableTotal, why).toBe(want.pairs.length);
  const shares = Object.values(u.sensitivity);
  expect(shares.length, why).toBe(c.base.length);
  shares.forEach((s, k) => expect(s, `${why}, domain ${k}`).toBeCloseTo(want.sensitivity[k], 7));
  return want;
}

// Points mode, three domains that are leaves (maxima 20, 30, 50): a unit's domain values are its
// % of each maximum. Unit X is not ranked: it has results but no rank, and counts in no draw.
const points = compileMethodology({
  id: 'u-points', mode: 'points', missing: 'zero',
  nodes: [{ code: 'R' }, { code: 'd1', parent: 'R', max: 20 }, { code: 'd2', parent: 'R', max: 30 }, { code: 'd3', parent: 'R', max: 50 }],
});
const pointTable: Record<string, [number, number, number]> = {
  A: [20, 3, 40], B: [2, 27, 41], C: [10, 15, 45], D: [18, 24, 20], E: [5, 5, 49], F: [15, 20, 30], G: [19, 29, 10], X: [20, 30, 50],
};
const pointUnits = Object.keys(pointTable).map((code) => ({ code, ranked: code !== 'X' }));
const pointMatrix = prepareScores(points, Object.entries(pointTable).flatMap(([unit, v]) => v.map((value, k) => ({ unit, indicator: `d${k + 1}`, value }))), pointUnits);
const pointEvaluation = evaluate(points, pointMatrix);
const pointCase: Case = {
  base: [20, 30, 50],
  values: Object.values(pointTable).map((v) => [v[0] * 5, (v[1] * 10) / 3, v[2] * 2]),
  codes: Object.keys(pointTable),
  ranked: pointUnits.map((u) => u.ranked),
  geometric: false,
};

describe('rank uncertainty equals the documented analysis, computed independently', () => {
  it('points mode, uniform shocks: percentiles, kept ranks, overlaps and first-order shares for few and many draws', () => {
    // 9 draws: one bin (a single bin explains nothing); 57: 5 bins of 11–12; 400 and 1,234: 20 bins (the cap)
    for (const [draws, perturbation, seed] of [[9, 0.6, 1], [57, 0.4, 2], [400, 0.5, 3], [1_234, 0.8, 4]]) {
      const o: UncertaintyOptions = { draws, perturbation, distribution: 'uniform', seed };
      const want = expectLikeOracle(rankUncertainty(points, pointMatrix.units, pointEvaluation, o), pointCase, o);
      if (draws > 10) expect(want.sensitivity.some((s) => s > 0.05)).toBe(true); // the shares mean something
    }
  });

  it('an unranked unit has no interval and is in no pair; the others are ranked without it', () => {
    const o: UncertaintyOptions = { draws: 200, perturbation: 0.5, distribution: 'uniform', seed: 8 };
    const u = rankUncertainty(points, pointMatrix.units, pointEvaluation, o);
    expect(u.units.find((x) => x.unit === 'X')).toEqual({ unit: 'X', rank: null, p5: null, p50: null, p95: null, keepsRank: 0 });
    expect(u.indistinguishable.flat()).not.toContain('X');
    // X would be first of all (100 %) in every draw: were it ranked, no one would ever be first
    expect(u.units.some((x) => x.p5 === 1)).toBe(true);
  });

  it('normal shocks, wide enough that the −99 % floor binds: the floored draws tie on the nominal weights, placed in draw order', () => {
    // σ = 30: about half the shocks fall below −99 %; a draw whose every shock is floored keeps
    // the nominal weights exactly, so many draws tie on a domain's weight.
    const o: UncertaintyOptions = { draws: 600, perturbation: 60, distribution: 'normal', seed: 5 };
    const want = expectLikeOracle(rankUncertainty(points, pointMatrix.units, pointEvaluation, o), pointCase, o);
    const firstDomain = want.weights.map((w) => w[0]);
    expect(firstDomain.length - new Set(firstDomain).size).toBeGreaterThan(30); // the ties exist
  });

  it('the floor keeps every weight positive: a unit at least as good in every domain is never ranked below the other', () => {
    // P (9, 2, 5) is at least Q (8, 1, 5) in every domain: under positive weights P is always first.
    // σ = 25: most shocks would go below −100 % without the floor, and a negative weight reverses the order.
    const c = compileMethodology({ id: 'dom', mode: 'points', missing: 'zero', nodes: [{ code: 'R' }, { code: 'a', parent: 'R', max: 10 }, { code: 'b', parent: 'R', max: 10 }, { code: 'c', parent: 'R', max: 10 }] });
    const m = prepareScores(c, [
      { unit: 'P', indicator: 'a', value: 9 }, { unit: 'P', indicator: 'b', value: 2 }, { unit: 'P', indicator: 'c', value: 5 },
      { unit: 'Q', indicator: 'a', value: 8 }, { unit: 'Q', indicator: 'b', value: 1 }, { unit: 'Q', indicator: 'c', value: 5 },
    ]);
    const u = rankUncertainty(c, m.units, evaluate(c, m), { draws: 2_000, perturbation: 50, distribution: 'normal', seed: 13 });
    expect(u.units.map((x) => [x.unit, x.p95, x.keepsRank])).toEqual([['P', 1, 1], ['Q', 2, 1]]);
  });
});

describe('rank uncertainty in weighted mode', () => {
  // Domains are leaves without normalisation: their values are the scores. Weights 1, 2, 3.
  const weighted = (aggregation: 'arithmetic' | 'geometric') => compileMethodology({
    id: `u-${aggregation}`, mode: 'weighted', missing: 'skip', normalisation: { method: 'none' }, aggregation,
    nodes: [{ code: 'I' }, { code: 'a', parent: 'I', weight: 1 }, { code: 'b', parent: 'I', weight: 2 }, { code: 'c', parent: 'I', weight: 3 }],
  });
  const table: Record<string, (number | null)[]> = {
    A: [90, 20, 50], B: [10, 80, 40], C: [50, 50, 50], D: [30, 30, 75], E: [95, null, 35], F: [5, 60, 60], G: [70, 70, 20],
  };
  const scores = Object.entries(table).flatMap(([unit, v]) => v.flatMap((value, k) => (value === null ? [] : [{ unit, indicator: 'abc'[k], value }])));
  const caseOf = (geometric: boolean): Case => ({
    base: [1, 2, 3], values: Object.values(table).map((v) => v.map((x) => x ?? NaN)), codes: Object.keys(table), ranked: Object.keys(table).map(() => true), geometric,
  });

  for (const aggregation of ['arithmetic', 'geometric'] as const) {
    it(`a ${aggregation} mean of the domains under each draw's weights, a missing domain skipped`, () => {
      const c = weighted(aggregation);
      const m = prepareScores(c, scores);
      for (const o of [
        { draws: 300, perturbation: 0.7, distribution: 'uniform', seed: 21 },
        { draws: 250, perturbation: 0.5, distribution: 'normal', seed: 22 },
      ] as UncertaintyOptions[]) expectLikeOracle(rankUncertainty(c, m.units, evaluate(c, m), o), caseOf(aggregation === 'geometric'), o);
    });
  }

  it('a power mean with p = 1 is the arithmetic mean: re-weighted the same, not refused', () => {
    const c = weighted('arithmetic');
    const power = compileMethodology({ ...c.methodology, id: 'u-power-1', aggregation: { method: 'power', p: 1 } });
    const o: UncertaintyOptions = { draws: 200, perturbation: 0.6, distribution: 'uniform', seed: 5 };
    const run = (x: typeof c) => { const m = prepareScores(x, scores); return rankUncertainty(x, m.units, evaluate(x, m), o); };
    expect(run(power).units).toEqual(run(c).units);
    const harmonic = compileMethodology({ ...c.methodology, id: 'u-harmonic', aggregation: 'harmonic' });
    expect(() => run(harmonic)).toThrow(/not a harmonic mean/);
  });

  it('the geometric mean ranks differently from the arithmetic one: the aggregation is read from the methodology', () => {
    // C (50, 50, 50) against D (30, 30, 75), weights 1, 2, 3: arithmetic 50 vs 315 / 6 = 52.5 (D first), geometric 50 vs √(30 · 75) = 47.4 (C first).
    const rankOf = (aggregation: 'arithmetic' | 'geometric', unit: string) => {
      const c = weighted(aggregation);
      const m = prepareScores(c, scores);
      return rankUncertainty(c, m.units, evaluate(c, m), { draws: 10, perturbation: 0, distribution: 'uniform', seed: 1 }).units.find((x) => x.unit === unit)!;
    };
    expect(rankOf('arithmetic', 'D').rank! < rankOf('arithmetic', 'C').rank!).toBe(true);
    expect(rankOf('geometric', 'C').rank! < rankOf('geometric', 'D').rank!).toBe(true);
    for (const aggregation of ['arithmetic', 'geometric'] as const) for (const unit of ['C', 'D']) {
      const x = rankOf(aggregation, unit);
      expect([x.p5, x.p50, x.p95, x.keepsRank]).toEqual([x.rank, x.rank, x.rank, 1]);
    }
  });
});

describe('without perturbation every draw reproduces the published ranking, whatever the missing-data rule', () => {
  // Two domains of 50 points. A has no score at all in domain 2; B has 35 and 35 (70 %).
  const pointsOf = (missing: 'zero' | 'skip', extra: object = {}) => compileMethodology({
    id: `p-${missing}`, mode: 'points', missing, ...extra,
    nodes: [{ code: 'R' }, { code: '1', parent: 'R', max: 50 }, { code: '2', parent: 'R', max: 50 }],
  });
  const scores = [{ unit: 'A', indicator: '1', value: 40 }, { unit: 'B', indicator: '1', value: 35 }, { unit: 'B', indicator: '2', value: 35 }];
  const still = (c: ReturnType<typeof compileMethodology>) => {
    const m = prepareScores(c, scores);
    const e = evaluate(c, m);
    const u = rankUncertainty(c, m.units, e, { draws: 20, perturbation: 0, distribution: 'uniform', seed: 1 });
    return { index: Array.from(e.index), units: u.units.map((x) => [x.unit, x.rank, x.p5, x.p95, x.keepsRank]) };
  };

  it('zero: the missing domain counts 0 points (A 40 %, second)', () => {
    expect(still(pointsOf('zero'))).toEqual({ index: [40, 70], units: [['A', 2, 2, 2, 1], ['B', 1, 1, 1, 1]] });
  });

  it('skip: the missing domain is left out and the others renormalised (A 80 %, first)', () => {
    expect(still(pointsOf('skip'))).toEqual({ index: [80, 70], units: [['A', 1, 1, 1, 1], ['B', 2, 2, 2, 1]] });
  });

  it('points are summed whatever aggregation the methodology declares (a geometric mean is for weighted mode)', () => {
    // A 50 + 0 = 50 % (a geometric mean of 100 % and 0 % would be 0), B 20 + 20 = 40 %: A first
    const c = pointsOf('zero', { aggregation: 'geometric' });
    const m = prepareScores(c, ([['A', 50, 0], ['B', 20, 20]] as [string, number, number][]).flatMap(([unit, a, b]) => [{ unit, indicator: '1', value: a }, { unit, indicator: '2', value: b }]));
    const u = rankUncertainty(c, m.units, evaluate(c, m), { draws: 20, perturbation: 0, distribution: 'uniform', seed: 1 });
    expect(u.units.map((x) => [x.unit, x.rank, x.p5, x.p95, x.keepsRank])).toEqual([['A', 1, 1, 1, 1], ['B', 2, 2, 2, 1]]);
  });

  it('a unit whose index is missing (too few domains with data) is ranked in no draw', () => {
    const c = compileMethodology({
      id: 'p-threshold', mode: 'points', missing: 'skip',
      nodes: [{ code: 'R', availabilityThreshold: 1 }, { code: '1', parent: 'R', max: 50 }, { code: '2', parent: 'R', max: 50 }],
    });
    const out = still(c);
    expect(out.index[0]).toBeNaN();
    expect(out.units).toEqual([['A', null, null, null, 0], ['B', 1, 1, 1, 1]]);
  });
});

describe('indistinguishable pairs when the intervals do not follow the ranks', () => {
  it('are every overlapping pair, even past a unit whose interval lies wholly below (property, brute force)', () => {
    // A volatile unit ranked low can reach the top in some draws: its interval overlaps units
    // far above it although a steadier unit between them does not.
    const c = compileMethodology({ id: 'v', mode: 'points', missing: 'zero', nodes: [{ code: 'R' }, { code: 'a', parent: 'R', max: 10 }, { code: 'b', parent: 'R', max: 10 }, { code: 'c', parent: 'R', max: 10 }] });
    const table = fc.array(fc.tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 })), { minLength: 3, maxLength: 10 });
    fc.assert(fc.property(table, fc.nat(), (rows, seed) => {
      const scores = rows.flatMap((v, i) => v.map((value, k) => ({ unit: `U${i}`, indicator: 'abc'[k], value })));
      const m = prepareScores(c, scores);
      const u = rankUncertainty(c, m.units, evaluate(c, m), { draws: 40, perturbation: 0.9, distribution: 'uniform', seed });
      const ranked = u.units.filter((x) => x.rank !== null).sort((a, b) => a.rank! - b.rank! || a.unit.localeCompare(b.unit));
      const want: [string, string][] = [];
      for (let i = 0; i < ranked.length; i++) for (let j = i + 1; j < ranked.length; j++) {
        if (ranked[i].p5! <= ranked[j].p95! && ranked[j].p5! <= ranked[i].p95!) want.push([ranked[i].unit, ranked[j].unit]);
      }
      expect(u.indistinguishable).toEqual(want);
      expect(u.indistinguishableTotal).toBe(want.length);
    }), { numRuns: 150 });
  });
});
