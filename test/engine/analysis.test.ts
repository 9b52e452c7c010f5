// Analysis: rank uncertainty (Monte Carlo over domain weights), sensitivity, what-if with the
// cheapest path to the next group and rank, strengths and weaknesses, peers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileMethodology, competitionRanks, evaluate, peers, prepareScores, profile, rankUncertainty, whatIf, computeCycle,
} from '../../src/engine/index.js';

const methodology = compileMethodology({
  id: 'a', mode: 'points', missing: 'zero', nodes: [
    { code: 'R' },
    { code: '1', parent: 'R' }, { code: '1.1', parent: '1', max: 20 }, { code: '1.2', parent: '1', max: 20 },
    { code: '2', parent: 'R', max: 30 }, { code: '3', parent: 'R', max: 30 },
  ],
});
const units = ['A', 'B', 'C', 'D', 'E'].map((code, i) => ({ code, attributes: { region: i < 3 ? 'N' : 'S' } }));
const table: Record<string, number[]> = { A: [18, 19, 25, 28], B: [15, 20, 29, 20], C: [20, 10, 20, 30], D: [10, 10, 10, 10], E: [19, 19, 26, 22] };
const leaves = ['1.1', '1.2', '2', '3'];
const scores = Object.entries(table).flatMap(([unit, v]) => v.map((value, i) => ({ unit, indicator: leaves[i], value })));
const matrix = prepareScores(methodology, scores, units);
const evaluation = evaluate(methodology, matrix);

describe('rank uncertainty', () => {
  it('with zero perturbation every interval collapses to the rank, kept in 100 % of draws', () => {
    const u = rankUncertainty(methodology, matrix.units, evaluation, { draws: 500, perturbation: 0, distribution: 'uniform', seed: 7 });
    const nominal = competitionRanks(evaluation.index);
    u.units.forEach((x, i) => expect(x).toEqual({ unit: units[i].code, rank: nominal[i], p5: nominal[i], p50: nominal[i], p95: nominal[i], keepsRank: 1 }));
    expect(u.indistinguishable).toEqual([]);
    expect(Object.values(u.sensitivity)).toEqual([0, 0, 0]);
  });

  it('is deterministic for a seed, and intervals contain the rank', () => {
    const o = { draws: 2000, perturbation: 0.5, distribution: 'uniform' as const, seed: 11 };
    const a = rankUncertainty(methodology, matrix.units, evaluation, o);
    expect(rankUncertainty(methodology, matrix.units, evaluation, o)).toEqual(a);
    expect(rankUncertainty(methodology, matrix.units, evaluation, { ...o, seed: 12 })).not.toEqual(a);
    for (const x of a.units) {
      expect(x.p5!).toBeLessThanOrEqual(x.p50!);
      expect(x.p50!).toBeLessThanOrEqual(x.p95!);
    }
    // E (86) and B (84) swap as weights move: their intervals overlap; D (40) stays last
    expect(a.indistinguishable).toContainEqual(['E', 'B']);
    const byUnit = Object.fromEntries(a.units.map((x) => [x.unit, x]));
    for (const [x, y] of a.indistinguishable) expect(byUnit[x].p5! <= byUnit[y].p95! && byUnit[y].p5! <= byUnit[x].p95!).toBe(true);
    expect(a.units.find((x) => x.unit === 'D')).toMatchObject({ p5: 5, p95: 5, keepsRank: 1 });
    const shares = Object.values(a.sensitivity);
    expect(shares.every((s) => s >= 0 && s <= 1)).toBe(true);
  });
});

describe('what-if', () => {
  it('recomputes the unit with changed scores, storing nothing', () => {
    const before = Float64Array.from(matrix.values);
    const w = whatIf(methodology, matrix, 'D', [{ unit: 'D', indicator: '2', value: 30 }]);
    expect(w.before).toEqual({ index: 40, rank: 5, group: 'D' });
    expect(w.after).toEqual({ index: 60, rank: 5, group: 'D' });
    expect(matrix.values).toEqual(before); // the cycle's own scores are untouched
    expect(() => whatIf(methodology, matrix, 'D', [{ unit: 'D', indicator: '2', value: 31 }])).toThrow(/outside \[0, 30\]/);
  });

  it('gives the cheapest path: most points available first, exactly the points needed', () => {
    const w = whatIf(methodology, matrix, 'B', []);
    // B has 84, C 80, A 90, E 86: next rank means reaching E's 86 → 2 points; next group A (≥ 90) → 6 points
    expect(w.nextRank).toMatchObject({ target: { unit: 'E', index: 86, rank: 2 }, pointsNeeded: 2, reachable: true, steps: [{ indicator: '3', from: 20, to: 22, gain: 2 }] });
    expect(w.nextGroup).toMatchObject({ target: { group: 'A', index: 90 }, pointsNeeded: 6, steps: [{ indicator: '3', from: 20, to: 26, gain: 6 }] });
  });

  it('applying the path reaches the promised rank and group (property)', () => {
    const arbitraryTable = fc.array(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 4, maxLength: 4 }), { minLength: 2, maxLength: 12 });
    fc.assert(fc.property(arbitraryTable, fc.nat(), (rows, pick) => {
      const us = rows.map((_, i) => ({ code: `U${i}` }));
      const sc = rows.flatMap((v, i) => v.map((value, k) => ({ unit: `U${i}`, indicator: leaves[k], value })));
      const m = prepareScores(methodology, sc, us);
      const unit = us[pick % us.length].code;
      const w = whatIf(methodology, m, unit, []);
      for (const path of [w.nextRank, w.nextGroup]) {
        if (!path || !path.reachable) continue;
        const after = whatIf(methodology, m, unit, path.steps.map((s) => ({ unit, indicator: s.indicator, value: s.to }))).after;
        if (path.target.rank !== null) expect(after.rank!).toBeLessThanOrEqual(path.target.rank);
        if (path.target.group !== null && path === w.nextGroup) expect(after.group).toBe(path.target.group);
      }
    }), { numRuns: 200 });
  });
});

describe('strengths, weaknesses and peers', () => {
  const { results } = computeCycle({ methodology, scores, units });

  it('lists the domains furthest above and below the national and regional means', () => {
    const p = profile(results, 'C', ['1', '2', '3']);
    // C: 1 → 75 %, 2 → 66.7 %, 3 → 100 %; national means 1 → 80 %, 2 → 73.3 %, 3 → 73.3 %
    expect(p.strengths.map((g) => g.code)).toEqual(['3']);
    expect(p.weaknesses.map((g) => g.code)).toEqual(['2', '1']);
    expect(p.weaknesses[1].vsNational).toBeCloseTo(-5, 9);
    expect(p.strengths[0].vsNational).toBeCloseTo(100 - 220 / 3, 9);
    expect(p.strengths[0].regionalMean).toBeCloseTo((28 + 20 + 30) / 90 * 100, 9);
  });

  it('puts the units ranked just above and below and the region side by side', () => {
    const p = peers(results, 'B', 1);
    expect(p.neighbours.map((r) => r.unit)).toEqual(['E', 'B', 'C']);
    expect(p.region.map((r) => r.unit)).toEqual(['A', 'B', 'C']);
  });
});
