// Property tests of the engine through its public exports: random but valid methodologies,
// units and scores, checked against invariants that every PAR Index cycle must satisfy.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeCycle, type MethodologyInput, type ScoreInput, type UnitInput, type UnitResult,
} from '../../src/engine/index.js';

const RUNS = { numRuns: 200 };
const EPS = 1e-9;

// ---------------------------------------------------------------------------------------------
// Arbitrary builders
// ---------------------------------------------------------------------------------------------

/** A leaf's max: a multiple of 0.25 in [0.25, 5] (sums of these are exact in floating point). */
const leafMax = fc.integer({ min: 1, max: 20 }).map((q) => q / 4);

/** Points-mode shape: 1–4 domains of 1–4 leaves, each number a leaf's max. */
const pointsShape = fc.array(fc.array(leafMax, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 });

/** A score as a fraction of the leaf's max: round quarters (ties across leaves) or any share. */
const fraction = fc.oneof(fc.integer({ min: 0, max: 4 }).map((k) => k / 4), fc.double({ min: 0, max: 1, noNaN: true }));

/** One cell of a unit's score sheet: a value, no row at all ('absent'), or an explicit null. */
type Cell<V> = V | 'absent' | null;
const cellOf = <V>(value: fc.Arbitrary<V>, complete: boolean): fc.Arbitrary<Cell<V>> => (complete
  ? value
  : fc.oneof(
    { weight: 8, arbitrary: value },
    { weight: 1, arbitrary: fc.constant('absent' as const) },
    { weight: 1, arbitrary: fc.constant(null) },
  ));

interface UnitSheet<V> { code: string; ranked: boolean; region: string; cells: Cell<V>[] }

/**
 * 1–30 units, each taking one of 1–6 score profiles, so that several units share identical
 * scores (ties). `unranked` lets some units be flagged ranked: false.
 */
function unitSheets<V>(nLeaves: number, value: fc.Arbitrary<V>, opts: { complete?: boolean; unranked?: boolean }): fc.Arbitrary<UnitSheet<V>[]> {
  const profile = fc.array(cellOf(value, opts.complete ?? false), { minLength: nLeaves, maxLength: nLeaves });
  const pick = fc.record({
    profile: fc.nat(),
    ranked: opts.unranked ? fc.boolean() : fc.constant(true),
    region: fc.constantFrom('North', 'South'),
  });
  return fc.record({
    profiles: fc.array(profile, { minLength: 1, maxLength: 6 }),
    picks: fc.array(pick, { minLength: 1, maxLength: 30 }),
  }).map(({ profiles, picks }) => picks.map((p, i) => ({
    code: `U${String(i + 1).padStart(2, '0')}`, ranked: p.ranked, region: p.region,
    cells: [...profiles[p.profile % profiles.length]],
  })));
}

interface PointsCase { shape: number[][]; units: UnitSheet<number>[] }

const pointsCase = (opts: { complete?: boolean; unranked?: boolean } = {}): fc.Arbitrary<PointsCase> =>
  pointsShape.chain((shape) => unitSheets(shape.flat().length, fraction, opts).map((units) => ({ shape, units })));

interface WeightedLeaf { weight: number; direction: 1 | -1 }
interface WeightedShape { weight: number; leaves: WeightedLeaf[] }
interface WeightedCase { shape: WeightedShape[]; units: UnitSheet<number>[] }

const weight = fc.double({ min: 0.01, max: 10, noNaN: true });
const weightedShape = fc.array(fc.record({
  weight,
  leaves: fc.array(fc.record({ weight, direction: fc.constantFrom<1 | -1>(1, -1) }), { minLength: 1, maxLength: 4 }),
}), { minLength: 1, maxLength: 4 });

/**
 * Raw weighted-mode values: small integers (ties, constant columns), moderate reals, and any
 * finite double, including the extremes ±Number.MAX_VALUE (the schema accepts every finite value).
 */
const rawValue = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -3, max: 3 }) },
  { weight: 3, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.MAX_VALUE, -Number.MAX_VALUE) },
);

/** Always tried first: one indicator whose raw values span the whole double range (max − min overflows). */
const extremeColumn: WeightedCase = {
  shape: [{ weight: 1, leaves: [{ weight: 1, direction: 1 }] }],
  units: [Number.MAX_VALUE, -Number.MAX_VALUE, 0].map((v, i) => ({ code: `U0${i + 1}`, ranked: true, region: 'North', cells: [v] })),
};

const weightedCase: fc.Arbitrary<WeightedCase> = weightedShape.chain((shape) =>
  unitSheets(shape.flatMap((d) => d.leaves).length, rawValue, {}).map((units) => ({ shape, units })));

// ---------------------------------------------------------------------------------------------
// From a case to engine input, and from engine output to comparable values
// ---------------------------------------------------------------------------------------------

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

/** Leaf codes in methodology order ('1.1', '1.2', '2.1' …) with their domain code. */
function leafCodes(shape: unknown[][]): { code: string; domain: string }[] {
  return shape.flatMap((leaves, d) => leaves.map((_, l) => ({ code: `${d + 1}.${l + 1}`, domain: `${d + 1}` })));
}

function pointsMethodology(shape: number[][], missing: 'zero' | 'skip'): MethodologyInput {
  return {
    id: 'prop-points', mode: 'points', missing, total: sum(shape.flat()),
    nodes: [{
      code: 'PAR', max: sum(shape.flat()),
      children: shape.map((leaves, d) => ({
        code: `${d + 1}`, max: sum(leaves),
        children: leaves.map((max, l) => ({ code: `${d + 1}.${l + 1}`, max })),
      })),
    }],
  };
}

function weightedMethodology(shape: WeightedShape[]): MethodologyInput {
  return {
    id: 'prop-weighted', mode: 'weighted', missing: 'skip',
    normalisation: { method: 'minmax', min: 0, max: 100 }, aggregation: 'arithmetic',
    nodes: [{
      code: 'PAR',
      children: shape.map((domain, d) => ({
        code: `${d + 1}`, weight: domain.weight,
        children: domain.leaves.map((leaf, l) => ({ code: `${d + 1}.${l + 1}`, weight: leaf.weight, direction: leaf.direction })),
      })),
    }],
  };
}

interface Input { methodology: MethodologyInput; units: UnitInput[]; scores: ScoreInput[] }

/** Score rows for the sheets; `scale(leaf slot, cell)` turns a cell into the submitted value. */
function scoreRows(shape: unknown[][], units: UnitSheet<number>[], scale: (slot: number, v: number) => number): ScoreInput[] {
  const leaves = leafCodes(shape);
  return units.flatMap((u) => u.cells.flatMap((cell, slot): ScoreInput[] => (cell === 'absent' ? []
    : [{ unit: u.code, indicator: leaves[slot].code, value: cell === null ? null : scale(slot, cell) }])));
}

const unitInputs = (units: UnitSheet<unknown>[]): UnitInput[] =>
  units.map((u) => ({ code: u.code, ranked: u.ranked, attributes: { region: u.region } }));

function pointsInput(c: PointsCase, missing: 'zero' | 'skip' = 'zero'): Input {
  const maxes = c.shape.flat();
  return {
    methodology: pointsMethodology(c.shape, missing),
    units: unitInputs(c.units),
    scores: scoreRows(c.shape, c.units, (slot, f) => f * maxes[slot]),
  };
}

function weightedInput(c: WeightedCase): Input {
  const leaves = c.shape.map((d) => d.leaves);
  return { methodology: weightedMethodology(c.shape), units: unitInputs(c.units), scores: scoreRows(leaves, c.units, (_, v) => v) };
}

function byUnit(input: Input): Map<string, UnitResult> {
  return new Map(computeCycle(input).results.map((r) => [r.unit, r]));
}

/** What a third party reads about each unit, keyed by unit code. */
function projection(results: Map<string, UnitResult>) {
  return Object.fromEntries([...results].map(([unit, r]) => [unit, {
    index: r.index, rank: r.rank, group: r.group, rankWithin: r.rankWithin,
    points: Object.fromEntries(Object.entries(r.nodes).map(([code, n]) => [code, n.points])),
  }]));
}

/** A uniform random permutation of a list. */
const permutation = <T>(xs: T[]) => fc.shuffledSubarray(xs, { minLength: xs.length, maxLength: xs.length });

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe('engine properties', () => {
  it('1. points mode: raising one leaf score never lowers the index or any ancestor\'s points', () => {
    // Why: a unit that does better on an indicator must never fall on the index or in a domain.
    fc.assert(fc.property(pointsCase(), fc.nat(), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), (c, uPick, lPick, t) => {
      const input = pointsInput(c);
      const unit = c.units[uPick % c.units.length].code;
      const leaves = leafCodes(c.shape);
      const slot = lPick % leaves.length;
      const max = c.shape.flat()[slot];
      const row = input.scores.findIndex((s) => s.unit === unit && s.indicator === leaves[slot].code);
      const old = row >= 0 && typeof input.scores[row].value === 'number' ? input.scores[row].value as number : 0;
      const raised = Math.min(max, old + t * (max - old));
      const scores = row >= 0
        ? input.scores.map((s, i) => (i === row ? { ...s, value: raised } : s))
        : [...input.scores, { unit, indicator: leaves[slot].code, value: raised }];

      const before = byUnit(input).get(unit)!;
      const after = byUnit({ ...input, scores }).get(unit)!;
      // Floating-point addition is monotone, so no tolerance is needed here.
      expect(after.index!).toBeGreaterThanOrEqual(before.index!);
      for (const ancestor of [leaves[slot].domain, 'PAR']) {
        expect(after.nodes[ancestor].points!).toBeGreaterThanOrEqual(before.nodes[ancestor].points!);
      }
    }), RUNS);
  });

  it('2. results do not depend on the order of units or of scores', () => {
    // Why: the same data uploaded in another order (CSV sorted differently) must publish the same ranking.
    const shuffled = pointsCase({ unranked: true }).map((c) => pointsInput(c)).chain((input) =>
      fc.tuple(fc.constant(input), permutation(input.units), permutation(input.scores)));
    fc.assert(fc.property(shuffled, ([input, units, scores]) => {
      expect(projection(byUnit({ ...input, units, scores }))).toEqual(projection(byUnit(input)));
    }), RUNS);
  });

  it('3. rank order agrees with index order (competition ranks)', () => {
    // Why: the published rank must be exactly what the published index implies, ties included (1, 2, 2, 4).
    fc.assert(fc.property(pointsCase({ unranked: true }), (c) => {
      const ranked = [...byUnit(pointsInput(c)).values()].filter((r) => r.ranked);
      for (const a of ranked) {
        expect(a.rank).toBe(1 + ranked.filter((b) => b.index! > a.index!).length);
        for (const b of ranked) {
          if (a.index! > b.index!) expect(a.rank!).toBeLessThan(b.rank!);
          if (a.index === b.index) expect(a.rank).toBe(b.rank);
        }
      }
    }), RUNS);
  });

  it('4. points mode: every index and every node percent lies in [0, 100]', () => {
    // Why: an index is a share of the maximum; anything outside [0, 100] is a computation error.
    fc.assert(fc.property(pointsCase(), (c) => {
      for (const r of byUnit(pointsInput(c)).values()) {
        expect(r.index).not.toBeNull();
        expect(r.index!).toBeGreaterThanOrEqual(0);
        expect(r.index!).toBeLessThanOrEqual(100);
        for (const node of Object.values(r.nodes)) {
          expect(node.percent!).toBeGreaterThanOrEqual(0);
          expect(node.percent!).toBeLessThanOrEqual(100);
        }
      }
    }), RUNS);
  });

  it('5. units flagged ranked: false get no rank and do not shift the others\' ranks', () => {
    // Why: units shown for reference only (e.g. pilots) must not take a place in the official ranking.
    fc.assert(fc.property(pointsCase({ unranked: true }), (c) => {
      const all = byUnit(pointsInput(c));
      for (const r of all.values()) {
        if (!r.ranked) {
          expect(r.rank).toBeNull();
          expect(r.rankWithin.region).toBeNull();
        }
      }
      const kept = { ...c, units: c.units.filter((u) => u.ranked) };
      if (kept.units.length === 0) return;
      for (const [unit, r] of byUnit(pointsInput(kept))) {
        expect(r.rank).toBe(all.get(unit)!.rank);
        expect(r.rankWithin).toEqual(all.get(unit)!.rankWithin);
      }
    }), RUNS);
  });

  it('6a. weighted mode (min-max [0, 100], arithmetic): every unit with data gets an index in [0, 100]', () => {
    // Why: weighted means of values normalised to [0, 100] must stay in [0, 100], for any finite raw data.
    fc.assert(fc.property(weightedCase, (c) => {
      const input = weightedInput(c);
      const withData = new Set(input.scores.filter((s) => s.value !== null).map((s) => s.unit));
      for (const r of byUnit(input).values()) {
        if (withData.has(r.unit)) expect(r.index, `index of ${r.unit}`).not.toBeNull();
        if (r.index === null) continue;
        expect(r.index).toBeGreaterThanOrEqual(-EPS);
        expect(r.index).toBeLessThanOrEqual(100 + EPS);
      }
    }), { ...RUNS, examples: [[extremeColumn]] });
  });

  it('6b. weighted mode with \'skip\': removing leaf scores never throws and indexes stay in [0, 100]', () => {
    // Why: incomplete submissions are normal; a missing row must be skipped, not crash the cycle.
    const moderate = weightedShape.chain((shape) => unitSheets(shape.flatMap((d) => d.leaves).length,
      fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), {})
      .map((units) => weightedInput({ shape, units })));
    const reduced = moderate.chain((input) => fc.tuple(fc.constant(input), fc.subarray(input.scores)));
    fc.assert(fc.property(reduced, ([input, kept]) => {
      let results: Map<string, UnitResult> | undefined;
      expect(() => { results = byUnit({ ...input, scores: kept }); }).not.toThrow();
      for (const r of results!.values()) {
        if (r.index === null) continue;
        expect(r.index).toBeGreaterThanOrEqual(-EPS);
        expect(r.index).toBeLessThanOrEqual(100 + EPS);
      }
    }), RUNS);
  });

  it('7. points mode: with every score present, \'skip\' gives the same indexes as \'zero\'', () => {
    // Why: the missing-data rule must only matter when data is missing.
    fc.assert(fc.property(pointsCase({ complete: true }), (c) => {
      const zero = byUnit(pointsInput(c, 'zero'));
      const skip = byUnit(pointsInput(c, 'skip'));
      for (const [unit, r] of zero) {
        expect(Math.abs(skip.get(unit)!.index! - r.index!)).toBeLessThanOrEqual(EPS);
      }
    }), RUNS);
  });
});
