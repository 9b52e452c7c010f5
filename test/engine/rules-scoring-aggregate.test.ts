// Aggregation rules at their edges (issue 12): imputation groups, counts of missing values in both
// modes, and leaves scored against an overridden max. Known answers by hand.
import { describe, expect, it } from 'vitest';
import { compileMethodology, computeCycle, EngineError, evaluate, prepareScores } from '../../src/engine/index.js';

const s = (unit: string, indicator: string, value: number) => ({ unit, indicator, value });
// R (10) ─ a (4), b (6)
const points = (extra: object = {}) => ({
  id: 'i', mode: 'points', missing: 'impute', nodes: [{ code: 'R' }, { code: 'a', parent: 'R', max: 4 }, { code: 'b', parent: 'R', max: 6 }], ...extra,
});
const byUnit = (out: ReturnType<typeof computeCycle>, code: string) =>
  Object.fromEntries(out.results.map((r) => [r.unit, [r.nodes[code].points, r.nodes[code].missing, r.nodes[code].imputed]]));

describe('imputation', () => {
  it('units without the attribute form a group of their own', () => {
    // U and V have no region: U takes V's 2; W (region N) alone, with a value of its own
    const units = [{ code: 'U' }, { code: 'V' }, { code: 'W', attributes: { region: 'N' } }];
    const out = computeCycle({ methodology: points(), scores: [s('U', 'b', 6), s('V', 'a', 2), s('V', 'b', 6), s('W', 'a', 4), s('W', 'b', 6)], units });
    expect(byUnit(out, 'a')).toEqual({ U: [2, 0, 1], V: [2, 0, 0], W: [4, 0, 0] });
    expect(out.results.find((r) => r.unit === 'U')).toMatchObject({ index: 80, imputed: 1, missing: 0 });
  });

  it('a group where no unit has a value leaves the value missing, counted as missing, not imputed', () => {
    const units = [{ code: 'U', attributes: { region: 'S' } }, { code: 'V', attributes: { region: 'N' } }];
    const out = computeCycle({ methodology: points(), scores: [s('U', 'b', 3), s('V', 'a', 4), s('V', 'b', 6)], units });
    // U: a missing in S (nobody there has it), R = b alone = 3 → 30 %
    expect(byUnit(out, 'a')).toEqual({ U: [null, 1, 0], V: [4, 0, 0] });
    expect(out.results.find((r) => r.unit === 'U')).toMatchObject({ index: 30, missing: 1, imputed: 0 });
  });

  it('groups by the attribute the methodology names', () => {
    const units = [{ code: 'U', attributes: { region: 'N', size: 'L' } }, { code: 'V', attributes: { region: 'N', size: 'S' } }, { code: 'W', attributes: { region: 'S', size: 'L' } }];
    const out = computeCycle({ methodology: points({ imputeBy: 'size' }), scores: [s('U', 'b', 6), s('V', 'a', 1), s('W', 'a', 3)], units });
    // U (size L) takes W's 3, not V's 1 (same region)
    expect(byUnit(out, 'a').U).toEqual([3, 0, 1]);
  });

  it('weighted mode imputes before normalising: the imputed value takes its place in the min-max range', () => {
    const methodology = {
      id: 'wi', mode: 'weighted', missing: 'impute', normalisation: { method: 'minmax' },
      nodes: [{ code: 'I' }, { code: 'a', parent: 'I', weight: 1 }],
    };
    const units = ['U', 'V', 'W', 'X'].map((code) => ({ code, attributes: { region: code === 'X' ? 'S' : 'N' } }));
    // a: U 0, V 10, W imputed (0 + 10) / 2 = 5, X 20 → min 0, max 20: U 0, V 50, W 25, X 100 (%)
    const out = computeCycle({ methodology, scores: [s('U', 'a', 0), s('V', 'a', 10), s('X', 'a', 20)], units });
    expect(Object.fromEntries(out.results.map((r) => [r.unit, [r.index, r.imputed]]))).toEqual({ U: [0, 0], V: [50, 0], W: [25, 1], X: [100, 0] });
  });
});

describe('counts of missing values', () => {
  it('weighted mode counts each missing leaf of each unit, whichever leaf comes first', () => {
    const methodology = {
      id: 'wm', mode: 'weighted', missing: 'skip', normalisation: { method: 'none' },
      nodes: [{ code: 'I' }, { code: 'a', parent: 'I', weight: 1 }, { code: 'b', parent: 'I', weight: 1 }, { code: 'c', parent: 'I', weight: 1 }],
    };
    // U lacks a, V lacks b and c, W has all
    const out = computeCycle({ methodology, scores: [s('U', 'b', 1), s('U', 'c', 3), s('V', 'a', 5), s('W', 'a', 1), s('W', 'b', 2), s('W', 'c', 3)] });
    expect(Object.fromEntries(out.results.map((r) => [r.unit, [r.missing, r.nodes.a.missing, r.nodes.b.missing, r.index]]))).toEqual({
      U: [1, 1, 0, 2], V: [2, 0, 1, 5], W: [0, 0, 0, 2],
    });
  });

  it('points mode, missing zero: each missing leaf counts once, up to the root', () => {
    const out = computeCycle({ methodology: points({ missing: 'zero' }), scores: [s('U', 'a', 4), s('V', 'b', 6)] });
    expect(Object.fromEntries(out.results.map((r) => [r.unit, [r.missing, r.nodes.a.missing, r.nodes.b.missing, r.index]]))).toEqual({
      U: [1, 0, 1, 40], V: [1, 1, 0, 60],
    });
  });
});

describe('an overridden max', () => {
  it('a leaf keeps its share of its max: 3 of 4 is 6 of 8; the index is over the overridden total', () => {
    const c = compileMethodology(points({ missing: 'zero' }));
    const m = prepareScores(c, [s('U', 'a', 3), s('U', 'b', 3)]);
    const [root, a, b] = ['R', 'a', 'b'].map((code) => c.byCode.get(code)!);
    const max = Float64Array.from(c.max);
    max[a] = 8; max[root] = 14;
    const e = evaluate(c, m, { max });
    // a: 3/4 of 8 = 6; b unchanged 3; R = 9 of 14
    expect([e.values[a], e.values[b], e.values[root]]).toEqual([6, 3, 9]);
    expect(e.index[0]).toBe(Math.round((9 / 14) * 100 * 1e9) / 1e9);
  });
});

describe('missing skip', () => {
  // R (10) ─ D (6) ─ f (0), g (2), h (4); E (4)
  const doc = {
    id: 'sk', mode: 'points', missing: 'skip', nodes: [
      { code: 'R' }, { code: 'D', parent: 'R' },
      { code: 'f', parent: 'D', max: 0 }, { code: 'g', parent: 'D', max: 2 }, { code: 'h', parent: 'D', max: 4 },
      { code: 'E', parent: 'R', max: 4 },
    ],
  };
  const points = (scores: ReturnType<typeof s>[]) => Object.fromEntries(computeCycle({ methodology: doc, scores }).results.map((r) => [r.unit, [r.nodes.D.points, r.index]]));

  it('a node none of whose children has data is missing, not zero; its parent renormalises without it', () => {
    // U: D missing; R over E alone: 3 of 4 → 7.5 of 10 → 75 %
    expect(points([s('U', 'E', 3)])).toEqual({ U: [null, 75] });
  });

  it('a node whose children with data are all worth nothing scores 0, not 0 / 0', () => {
    // U: only f (max 0) has data: D = 0, which R counts as 0 of D's 6; R = (0 + 2) / (6 + 4) → 20 %
    expect(points([s('U', 'f', 0), s('U', 'E', 2)])).toEqual({ U: [0, 20] });
  });

  it('a node with part of its children scales their share to its max', () => {
    // U: g 1 of 2 available → D = 1/2 × 6 = 3; R: D 3 + E 4 = 7 of 10
    expect(points([s('U', 'g', 1), s('U', 'E', 4)])).toEqual({ U: [3, 70] });
  });
});

describe('weighted mode', () => {
  const doc = (missing: string) => ({
    id: 'wz', mode: 'weighted', missing, normalisation: { method: 'none' },
    nodes: [{ code: 'I' }, { code: 'a', parent: 'I', weight: 1 }, { code: 'b', parent: 'I', weight: 1 }],
  });

  it('missing zero: a missing leaf counts as 0 in the mean, and as missing', () => {
    const out = computeCycle({ methodology: doc('zero'), scores: [s('U', 'a', 10), s('V', 'a', 2), s('V', 'b', 4)] });
    // U: (10 + 0) / 2 = 5; V: (2 + 4) / 2 = 3
    expect(Object.fromEntries(out.results.map((r) => [r.unit, [r.index, r.missing, r.nodes.b.value]]))).toEqual({ U: [5, 1, 0], V: [3, 0, 4] });
  });

  it('a mean that overflows is refused, below as well as above', () => {
    for (const v of [1e308, -1e308]) {
      expect(() => computeCycle({ methodology: doc('skip'), scores: [s('U', 'a', v), s('U', 'b', v)] })).toThrow('the weighted mean of the children overflows');
    }
  });
});

describe('an evaluation without missing values', () => {
  it('carries no counts at all (read as 0), in either mode and under every rule', () => {
    for (const missing of ['zero', 'skip', 'impute']) {
      const c = compileMethodology(points({ missing }));
      const e = evaluate(c, prepareScores(c, [s('U', 'a', 1), s('U', 'b', 2)]));
      expect([e.missing.length, e.imputed.length], missing).toEqual([0, 0]);
    }
    const w = compileMethodology({ id: 'w', mode: 'weighted', missing: 'skip', normalisation: { method: 'none' }, nodes: [{ code: 'I' }, { code: 'a', parent: 'I' }] });
    expect(evaluate(w, prepareScores(w, [s('U', 'a', 1)])).missing).toHaveLength(0);
  });
});

describe('weighted means at their edges', () => {
  const weightedDoc = (aggregation: string, threshold = 0) => ({
    id: 'we', mode: 'weighted', missing: 'skip', normalisation: { method: 'none' }, aggregation,
    nodes: [
      { code: 'I' }, { code: 'D1', parent: 'I' }, { code: 'a', parent: 'D1' }, { code: 'b', parent: 'D1' },
      { code: 'D2', parent: 'I', availabilityThreshold: threshold }, { code: 'c', parent: 'D2' }, { code: 'd', parent: 'D2' },
    ],
  });

  it('a geometric mean of a value ≤ 0 is a computation error (invalid-computation), naming the unit and node', () => {
    try {
      computeCycle({ methodology: weightedDoc('geometric'), scores: [s('U', 'a', 0), s('U', 'b', 4), s('U', 'c', 1), s('U', 'd', 1)] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EngineError);
      expect([(e as EngineError).kind, (e as EngineError).issues[0].unit, (e as EngineError).issues[0].node]).toEqual(['invalid-computation', 'U', 'D1']);
    }
  });

  it('the availability threshold of a node that is not the first: exactly the threshold is enough', () => {
    // D2 takes 1 of 2 children (threshold 0.5): D2 = c = 6; I = (D1 (2 + 4) / 2 = 3, D2 6) → 4.5
    const out = computeCycle({ methodology: weightedDoc('arithmetic', 0.5), scores: [s('U', 'a', 2), s('U', 'b', 4), s('U', 'c', 6)] });
    expect([out.results[0].nodes.D2.value, out.results[0].index]).toEqual([6, 4.5]);
  });
});

describe('with no value missing, the missing-data rule changes nothing', () => {
  it('zero, skip and impute give the same evaluation, under an overridden max as well', () => {
    // R (10) ─ a (4), b (6): a 2, b 3; R's max overridden to 20 → R 5, index 25
    const results = ['zero', 'skip', 'impute'].map((missing) => {
      const c = compileMethodology(points({ missing }));
      const max = Float64Array.from(c.max);
      max[c.byCode.get('R')!] = 20;
      const e = evaluate(c, prepareScores(c, [s('U', 'a', 2), s('U', 'b', 3)]), { max });
      return [[...e.values], [...e.index]];
    });
    expect(results).toEqual([[[5, 2, 3], [25]], [[5, 2, 3], [25]], [[5, 2, 3], [25]]]);
  });

  it('the same below the root: a domain whose max is overridden stays the sum of its children', () => {
    // R ─ D1 (a 1, b 1), D2 (c 2, d 2); D2's max overridden to 8, R's to 10: D2 = 1 + 1 = 2, R = 1 + 2 = 3 → 30
    const doc = (missing: string) => ({
      id: 'nd', mode: 'points', missing, nodes: [
        { code: 'R' }, { code: 'D1', parent: 'R' }, { code: 'a', parent: 'D1', max: 1 }, { code: 'b', parent: 'D1', max: 1 },
        { code: 'D2', parent: 'R' }, { code: 'c', parent: 'D2', max: 2 }, { code: 'd', parent: 'D2', max: 2 },
      ],
    });
    for (const missing of ['zero', 'skip', 'impute']) {
      const c = compileMethodology(doc(missing));
      const max = Float64Array.from(c.max);
      max[c.byCode.get('D2')!] = 8; max[0] = 10;
      const e = evaluate(c, prepareScores(c, [s('U', 'a', 0.5), s('U', 'b', 0.5), s('U', 'c', 1), s('U', 'd', 1)]), { max });
      expect([e.values[c.byCode.get('D2')!], e.values[0], e.index[0]], missing).toEqual([2, 3, 30]);
    }
  });
});
