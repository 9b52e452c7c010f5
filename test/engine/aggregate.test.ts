// Known answers for aggregation in both modes and for the missing-data rules, by hand.
import { describe, expect, it } from 'vitest';
import { computeCycle, EngineError } from '../../src/engine/index.js';

// R (10) ─ 1 (6) ─ 1.1 (4), 1.2 (2); 2 (4, survey)
const tree = [
  { code: 'R' }, { code: '1', parent: 'R' },
  { code: '1.1', parent: '1', max: 4, source: ['appraisal', 'self'] }, { code: '1.2', parent: '1', max: 2, source: 'appraisal' },
  { code: '2', parent: 'R', max: 4, source: 'survey' },
];
const points = (missing: string, extra: object = {}) => ({ id: 'p', mode: 'points', missing, nodes: tree, ...extra });
const s = (unit: string, indicator: string, value: number | null, source?: string) => ({ unit, indicator, value, ...(source && { source }) });

describe('points mode', () => {
  it('sums points up the tree; index = total / max × 100; every node as % of its max', () => {
    const out = computeCycle({ methodology: points('zero'), scores: [s('U', '1.1', 3, 'appraisal'), s('U', '1.2', 1.5), s('U', '2', 2)] });
    const u = out.results[0];
    expect(u.index).toBeCloseTo(65, 12); // (3 + 1.5 + 2) / 10
    expect(u.nodes['1']).toMatchObject({ points: 4.5, max: 6, percent: 75, missing: 0 });
    expect(u.nodes['2']).toMatchObject({ points: 2, max: 4, percent: 50 });
  });

  it('takes the first source present in the leaf\'s order of precedence', () => {
    const scores = [s('U', '1.1', 4, 'self'), s('U', '1.1', 2.5, 'appraisal'), s('V', '1.1', 3, 'self')];
    const out = computeCycle({ methodology: points('zero'), scores });
    const byUnit = Object.fromEntries(out.results.map((r) => [r.unit, r.nodes['1.1'].points]));
    expect(byUnit).toEqual({ U: 2.5, V: 3 });
  });

  it('missing zero: no evidence, no points, and the result counts what was missing', () => {
    const out = computeCycle({ methodology: points('zero'), scores: [s('U', '1.1', 4, 'appraisal'), s('U', '2', 4)] });
    expect(out.results[0]).toMatchObject({ index: 80, missing: 1 });
    expect(out.results[0].nodes['1']).toMatchObject({ points: 4, missing: 1 });
  });

  it('missing skip: a parent renormalises over the children that have data', () => {
    const out = computeCycle({ methodology: points('skip'), scores: [s('U', '1.1', 3, 'appraisal'), s('U', '2', 2)] });
    // node 1: 3 of the 4 available → 75 % of 6 = 4.5; index (4.5 + 2) / 10
    expect(out.results[0].nodes['1'].points).toBeCloseTo(4.5, 12);
    expect(out.results[0].index).toBeCloseTo(65, 12);
  });

  it('missing impute: the mean of the unit\'s group, counted as imputed', () => {
    const units = [{ code: 'U', attributes: { region: 'N' } }, { code: 'V', attributes: { region: 'N' } }, { code: 'W', attributes: { region: 'N' } }, { code: 'X', attributes: { region: 'S' } }];
    const scores = ['U', 'V', 'W', 'X'].flatMap((u) => [s(u, '1.1', 4, 'appraisal'), s(u, '2', 4)]).concat([s('V', '1.2', 1), s('W', '1.2', 2), s('X', '1.2', 0)]);
    const out = computeCycle({ methodology: points('impute'), scores, units });
    const u = out.results.find((r) => r.unit === 'U')!;
    expect(u.nodes['1.2']).toMatchObject({ points: 1.5, imputed: 1, missing: 0 });
    expect(u).toMatchObject({ index: 95, imputed: 1 });
  });

  it('rejects bad scores, naming the row, unit, node and value, and keeps going to list them all', () => {
    const scores = [s('U', '1.1', 5, 'appraisal'), s('U', '1', 1), s('U', 'nope', 1), s('U', '2', 1, 'self'), s('U', '1.2', 1), s('U', '1.2', 1), s('U', '1.1', 1), s('V', '1.2', 1)];
    try {
      computeCycle({ methodology: points('zero'), scores, units: [{ code: 'U' }] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EngineError);
      expect((e as EngineError).issues.map((i) => [i.row, i.field, i.message])).toEqual([
        [0, 'value', 'value 5 is outside [0, 4]'],
        [1, 'indicator', 'indicator 1 is not a leaf: its points are computed from its children'],
        [2, 'indicator', 'unknown indicator nope'],
        [3, 'source', 'indicator 2 does not take source self (takes survey)'],
        [5, 'indicator', 'duplicate score for unit U, indicator 1.2, source appraisal'],
        [6, 'source', 'indicator 1.1 takes several sources (appraisal, self): name one'],
        [7, 'unit', 'unknown unit V'],
      ]);
    }
  });
});

describe('weighted mode', () => {
  const weighted = (extra: object = {}) => ({
    id: 'w', mode: 'weighted', missing: 'skip', normalisation: { method: 'minmax', min: 0, max: 100 },
    nodes: [{ code: 'I' }, { code: 'a', parent: 'I', weight: 3 }, { code: 'b', parent: 'I', weight: 1, direction: -1 }], ...extra,
  });
  const scores = [s('U', 'a', 10), s('V', 'a', 20), s('W', 'a', 30), s('U', 'b', 1), s('V', 'b', 3), s('W', 'b', 2)];

  it('a leaf that declares no source takes any, each once per unit', () => {
    const named = [s('U', 'a', 10, 'self'), s('U', 'a', 12, 'appraisal'), s('U', 'b', 1), s('V', 'a', 20, 'self'), s('V', 'b', 3)];
    expect(computeCycle({ methodology: weighted(), scores: named }).results).toHaveLength(2);
    try {
      computeCycle({ methodology: weighted(), scores: [...named, s('U', 'a', 11, 'self')] });
      expect.unreachable();
    } catch (e) {
      expect((e as EngineError).issues.map((i) => [i.row, i.message])).toEqual([[5, 'duplicate score for unit U, indicator a, source self']]);
    }
  });

  it('weighted arithmetic mean of min-max normalised leaves, with direction', () => {
    const out = computeCycle({ methodology: weighted(), scores });
    const idx = Object.fromEntries(out.results.map((r) => [r.unit, r.index]));
    // a: U 0, V 50, W 100; b (lower is better): U 100, V 0, W 50
    expect(idx).toEqual({ U: 25, V: 37.5, W: 87.5 });
  });

  it('renormalises weights over children with data; an availability threshold makes the node missing', () => {
    const partial = scores.filter((x) => !(x.unit === 'U' && x.indicator === 'b'));
    const skip = computeCycle({ methodology: weighted(), scores: partial });
    expect(skip.results.find((r) => r.unit === 'U')).toMatchObject({ index: 0, missing: 1 });
    const strict = computeCycle({ methodology: weighted({ availabilityThreshold: 1 }), scores: partial });
    expect(strict.results.find((r) => r.unit === 'U')).toMatchObject({ index: null, rank: null, group: null });
  });

  it('geometric mean per node; rejects values ≤ 0 with a clear error', () => {
    const m = weighted({ normalisation: { method: 'minmax', min: 1, max: 10 }, aggregation: 'geometric' });
    const out = computeCycle({ methodology: m, scores });
    // U: a 1, b 10 → 1^(3/4) · 10^(1/4), published to 9 decimals
    expect(out.results.find((r) => r.unit === 'U')!.index).toBe(Math.round(10 ** 0.25 * 1e9) / 1e9);
    expect(() => computeCycle({ methodology: weighted({ aggregation: 'geometric' }), scores })).toThrow(/geometric mean needs values > 0/);
  });

  it('lets method and weights differ per node', () => {
    const m = weighted({ nodes: [{ code: 'I' }, { code: 'a', parent: 'I', weight: 1, normalisation: { method: 'goalposts', lower: 0, upper: 40 } }, { code: 'b', parent: 'I', weight: 1, normalisation: { method: 'none' } }] });
    const out = computeCycle({ methodology: m, scores });
    expect(out.results.find((r) => r.unit === 'U')!.index).toBeCloseTo((25 + 1) / 2, 12);
  });
});

describe('self-assessment', () => {
  it('validates a unit\'s own score of an appraised leaf but counts only the appraised score', () => {
    const m = { id: 's', mode: 'points', missing: 'zero', nodes: [{ code: 'R' }, { code: 'a', parent: 'R', max: 10, source: 'appraisal' }] };
    const out = computeCycle({ methodology: m, scores: [s('U', 'a', 9, 'self'), s('U', 'a', 7, 'appraisal'), s('V', 'a', 10, 'self')] });
    expect(Object.fromEntries(out.results.map((r) => [r.unit, r.index]))).toEqual({ U: 70, V: 0 });
    expect(() => computeCycle({ methodology: m, scores: [s('U', 'a', 11, 'self')] })).toThrow(/outside \[0, 10\]/);
  });
});
