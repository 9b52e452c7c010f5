// Rules of the analysis guarded with oracles that do not come from the code under test (issue 12):
// the normal perturbation's spread against a closed form, percentiles as nearest-rank statistics
// of the draws, and a what-if that counts only what the cycle would count.
import { describe, expect, it } from 'vitest';
import { compileMethodology, evaluate, MAX_PAIRS, prepareScores, rankUncertainty, whatIf, type UncertaintyOptions } from '../../src/engine/index.js';

// Two domains that are leaves (50 points each). A: 30 + 20 = 50, B: 20 + 35 = 55; B is first.
// Shares of their maxima: A (60, 40), B (40, 70). A passes B when w1·60 + w2·40 > w1·40 + w2·70,
// i.e. when w1 / w2 > 1.5, whatever the renormalisation (it scales both weights alike).
const duel = compileMethodology({
  id: 'duel', mode: 'points', missing: 'zero',
  nodes: [{ code: 'R' }, { code: '1', parent: 'R', max: 50 }, { code: '2', parent: 'R', max: 50 }],
});
const duelMatrix = prepareScores(duel, [
  { unit: 'A', indicator: '1', value: 30 }, { unit: 'A', indicator: '2', value: 20 },
  { unit: 'B', indicator: '1', value: 20 }, { unit: 'B', indicator: '2', value: 35 },
]);
const duelEvaluation = evaluate(duel, duelMatrix);
const duelRun = (o: UncertaintyOptions) => {
  const u = rankUncertainty(duel, duelMatrix.units, duelEvaluation, o);
  return Object.fromEntries(u.units.map((x) => [x.unit, x]));
};

/** Φ, the standard normal CDF (Abramowitz–Stegun 7.1.26 for erf; error below 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

describe('rank uncertainty: the perturbation of each weight', () => {
  it('normal draws have σ = perturbation / 2 (±perturbation is the 95 % range): the share of draws keeping the rank matches the closed form', () => {
    // (1 + s1) / (1 + s2) > k with s1, s2 ~ N(0, σ²) independent ⇔ s1 − k·s2 > k − 1, and s1 − k·s2 ~ N(0, σ²(1 + k²)).
    const perturbation = 0.4, sigma = perturbation / 2, k = 1.5;
    const expectedKeep = normalCdf((k - 1) / (sigma * Math.sqrt(1 + k * k))); // ≈ 0.917 (σ = 0.4 would give ≈ 0.756)
    const run = duelRun({ draws: 20_000, perturbation, distribution: 'normal', seed: 3 });
    // 20,000 draws: the standard error of a share is below 0.002
    expect(run.A.keepsRank).toBeCloseTo(expectedKeep, 2);
    expect(run.B.keepsRank).toBeCloseTo(expectedKeep, 2);
  });

  it('uniform draws lie within ±perturbation: the share keeping the rank matches its exact area', () => {
    // s1, s2 ~ U(−p, p): P(1 + s1 > k(1 + s2)) is the area of the square above a line, computed on a fine grid.
    const p = 0.4, k = 1.5, n = 2000;
    let above = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const s1 = -p + (2 * p * (i + 0.5)) / n, s2 = -p + (2 * p * (j + 0.5)) / n;
      if (1 + s1 > k * (1 + s2)) above++;
    }
    const run = duelRun({ draws: 20_000, perturbation: p, distribution: 'uniform', seed: 5 });
    expect(run.A.keepsRank).toBeCloseTo(1 - above / (n * n), 2);
  });
});

describe('rank uncertainty: percentiles', () => {
  /** A duel where B scores 20 and b2 (of 50 each; B is first above 30), A 30 and 20: A passes B when w1 / w2 > (2·b2 − 40) / 20. */
  const duelOf = (b2: number) => {
    const m = prepareScores(duel, [
      { unit: 'A', indicator: '1', value: 30 }, { unit: 'A', indicator: '2', value: 20 },
      { unit: 'B', indicator: '1', value: 20 }, { unit: 'B', indicator: '2', value: b2 },
    ]);
    const e = evaluate(duel, m);
    return (o: UncertaintyOptions) => Object.fromEntries(rankUncertainty(duel, m.units, e, o).units.map((x) => [x.unit, x]));
  };

  it('p5, p50 and p95 are the nearest-rank percentiles of the draws (the ⌈q·n⌉-th smallest rank)', () => {
    // With two units each draw ranks A first or second: from the share in which A keeps its rank
    // (its nominal rank), the count of each rank is known, and so is each nearest-rank percentile of A and B.
    // Many draw counts and two duels are tried so that every percentile lands exactly on a boundary
    // somewhere, where a percentile one draw off differs.
    const hits = { A: [0, 0, 0], B: [0, 0, 0] };
    const Q = [0.05, 0.5, 0.95];
    for (const [b2, perturbation] of [[35, 0.4], [35, 0.6], [31, 0.9], [29, 0.2], [29, 0.15]] as const) {
      const run = duelOf(b2);
      for (let draws = 20; draws <= 140; draws++) {
        const r = run({ draws, perturbation, distribution: 'uniform', seed: draws });
        const firsts = Math.round(draws * (r.A.rank === 1 ? r.A.keepsRank : 1 - r.A.keepsRank)); // A first, B second
        const aRank = (q: number) => (Math.ceil(q * draws) <= firsts ? 1 : 2);
        const bRank = (q: number) => (Math.ceil(q * draws) <= draws - firsts ? 1 : 2);
        const why = `B at ${b2}, ±${perturbation}, ${draws} draws, A first in ${firsts}`;
        expect([r.A.p5, r.A.p50, r.A.p95], why).toEqual(Q.map(aRank));
        expect([r.B.p5, r.B.p50, r.B.p95], why).toEqual(Q.map(bRank));
        Q.forEach((q, i) => {
          const at = Math.ceil(q * draws);
          if (at === firsts || at === firsts + 1) hits.A[i]++;
          if (at === draws - firsts || at === draws - firsts + 1) hits.B[i]++;
        });
      }
    }
    // each percentile met its boundary at least once: the check above could tell one draw off
    expect(hits.A.every((n) => n > 0) && hits.B.every((n) => n > 0), JSON.stringify(hits)).toBe(true);
  });
});

describe('what-if counts only what the cycle counts', () => {
  // 1: appraised (a unit's self-assessment is recorded, never scored); 2: takes self then appraisal.
  const m = compileMethodology({
    id: 'w', mode: 'points', missing: 'zero',
    nodes: [{ code: 'R' }, { code: '1', parent: 'R', max: 10, source: 'appraisal' }, { code: '2', parent: 'R', max: 10, source: ['self', 'appraisal'] }],
  });
  const matrix = prepareScores(m, [
    { unit: 'A', indicator: '1', source: 'appraisal', value: 4 }, { unit: 'A', indicator: '2', source: 'self', value: 5 },
    { unit: 'B', indicator: '1', source: 'appraisal', value: 6 }, { unit: 'B', indicator: '2', source: 'self', value: 6 },
  ]);

  it('a self-assessed change on an appraised leaf changes nothing', () => {
    const w = whatIf(m, matrix, 'A', [{ unit: 'A', indicator: '1', source: 'self', value: 10 }]);
    expect(w.before).toEqual({ index: 45, rank: 2, group: 'D' });
    expect(w.after).toEqual(w.before);
  });

  it('the appraised value of that leaf does change the standing', () => {
    const w = whatIf(m, matrix, 'A', [{ unit: 'A', indicator: '1', source: 'appraisal', value: 10 }]);
    expect(w.after).toMatchObject({ index: 75, rank: 1 });
  });
});

describe('rank uncertainty: indistinguishable pairs', () => {
  const m = compileMethodology({
    id: 'pairs', mode: 'points', missing: 'zero',
    nodes: [{ code: 'R' }, { code: '1', parent: 'R', max: 50 }, { code: '2', parent: 'R', max: 50 }],
  });
  const run = (points: [number, number][], o: Partial<UncertaintyOptions> = {}) => {
    // codes in descending order of input: a tie is listed by code, not by the order units came in
    const code = (i: number) => `U${String(points.length - 1 - i).padStart(3, '0')}`;
    const matrix = prepareScores(m, points.flatMap(([a, b], i) => [
      { unit: code(i), indicator: '1', value: a }, { unit: code(i), indicator: '2', value: b },
    ]));
    return rankUncertainty(m, matrix.units, evaluate(m, matrix), { draws: 300, perturbation: 0.5, distribution: 'uniform', seed: 9, ...o });
  };

  it('are exactly the ranked pairs whose 5–95 % intervals overlap, in rank order (brute force)', () => {
    const u = run([[50, 0], [0, 50], [30, 22], [20, 30], [10, 10], [49, 49], [5, 40], [40, 5]]);
    const ranked = u.units.filter((x) => x.rank !== null).sort((a, b) => a.rank! - b.rank! || a.unit.localeCompare(b.unit));
    const expected: [string, string][] = [];
    for (let i = 0; i < ranked.length; i++) for (let j = i + 1; j < ranked.length; j++) {
      if (ranked[i].p5! <= ranked[j].p95! && ranked[j].p5! <= ranked[i].p95!) expected.push([ranked[i].unit, ranked[j].unit]);
    }
    expect(expected.length).toBeGreaterThan(3); // some overlap, some not: the comparison means something
    expect(expected.length).toBeLessThan((ranked.length * (ranked.length - 1)) / 2);
    expect(u.indistinguishable).toEqual(expected);
    expect(u.indistinguishableTotal).toBe(expected.length);
  });

  it('lists at most MAX_PAIRS, and counts them all', () => {
    // 150 tied units: every pair overlaps, 150 · 149 / 2 = 11,175 of them
    const u = run(Array.from({ length: 150 }, () => [25, 25] as [number, number]), { draws: 10 });
    expect(u.indistinguishableTotal).toBe(11_175);
    expect(u.indistinguishable).toHaveLength(MAX_PAIRS);
    expect(u.indistinguishable[0]).toEqual(['U000', 'U001']);
  });
});

describe('what-if: its scope', () => {
  const m = compileMethodology({
    id: 'scope', mode: 'points', missing: 'zero',
    nodes: [{ code: 'R' }, { code: '1', parent: 'R', max: 50 }, { code: '2', parent: 'R', max: 50 }],
  });
  const matrix = prepareScores(m, [
    { unit: 'A', indicator: '1', value: 50 }, { unit: 'A', indicator: '2', value: 45 },
    { unit: 'B', indicator: '1', value: 20 }, { unit: 'B', indicator: '2', value: 20 },
  ]);

  it('refuses a unit not in the cycle, and a change to another unit', () => {
    expect(() => whatIf(m, matrix, 'Z', [])).toThrow(/unit Z is not in this cycle/);
    expect(() => whatIf(m, matrix, 'B', [{ unit: 'A', indicator: '1', value: 1 }])).toThrow(/a what-if changes unit B only/);
  });

  it('applies a change that names no unit to the unit asked about', () => {
    expect(whatIf(m, matrix, 'B', [{ indicator: '1', value: 50 } as never]).after).toEqual({ index: 70, rank: 2, group: 'C' }); // groups A ≥ 90, B ≥ 80, C ≥ 70
  });

  it('has no path to a next rank for the first, nor to a next group from the top group', () => {
    const first = whatIf(m, matrix, 'A', []);
    expect(first.before).toMatchObject({ index: 95, rank: 1, group: 'A' });
    expect([first.nextRank, first.nextGroup]).toEqual([null, null]);
  });

  it('has no paths in weighted mode (points are needed to count them)', () => {
    const w = compileMethodology({ id: 'w', mode: 'weighted', missing: 'zero', normalisation: { method: 'none' }, nodes: [{ code: 'I' }, { code: 'a', parent: 'I', weight: 1 }] });
    const out = whatIf(w, prepareScores(w, [{ unit: 'A', indicator: 'a', value: 30 }, { unit: 'B', indicator: 'a', value: 60 }]), 'A', []);
    expect([out.nextRank, out.nextGroup]).toEqual([null, null]);
  });
});

describe('what-if: the next group', () => {
  it('from exactly a group\'s minimum is the group above it, not the one already reached', () => {
    const m = compileMethodology({ id: 'g', mode: 'points', missing: 'zero', nodes: [{ code: 'R' }, { code: '1', parent: 'R', max: 100 }] });
    const w = whatIf(m, prepareScores(m, [{ unit: 'A', indicator: '1', value: 80 }, { unit: 'B', indicator: '1', value: 95 }]), 'A', []);
    expect(w.before.group).toBe('B'); // B ≥ 80
    expect(w.nextGroup).toMatchObject({ target: { group: 'A', index: 90 }, pointsNeeded: 10 });
  });
});
