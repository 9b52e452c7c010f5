// Known answers, computed by hand (the moments with an independent script of the textbook
// formulas), for each step of the data-treatment pipeline: the shape check, winsorising, the log
// transforms, imputation, denomination, and the pipeline's order and record through computeCycle.
import { describe, expect, it } from 'vitest';
import {
  checkShape, computeCycle, EngineError, imputeValues, median, sampleKurtosis, sampleSkewness, treatColumn,
  type MethodologyInput, type TreatmentSpec,
} from '../../src/engine/index.js';

const DEFAULT: TreatmentSpec = { skewness: 2, kurtosis: 3.5, winsoriseMax: 5, transform: 'log' };
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
/** 1 … 20, then two outliers: skewness 3.58557, kurtosis 13.33902 (fails the default check). */
const TWO_OUTLIERS = [...range(1, 20), 100, 200];

describe('skewness and kurtosis (Excel SKEW/KURT, e1071 type 2)', () => {
  it('match the hand-computed values', () => {
    expect(sampleSkewness(TWO_OUTLIERS)).toBeCloseTo(3.5855704, 6);
    expect(sampleKurtosis(TWO_OUTLIERS)).toBeCloseTo(13.3390233, 6);
    expect(sampleSkewness([...range(1, 10), 100])).toBeCloseTo(3.2556382, 6);
    expect(sampleKurtosis([...range(1, 10), 100])).toBeCloseTo(10.7066739, 6);
    // symmetric: no skew; a uniform 1…5: kurtosis −1.2
    expect(sampleSkewness([1, 2, 3, 4, 5])).toBe(0);
    expect(sampleKurtosis([1, 2, 3, 4, 5])).toBeCloseTo(-1.2, 12);
  });

  it('leave missing values out, and are unknown (null) for too few or equal values', () => {
    expect(sampleSkewness([NaN, ...TWO_OUTLIERS, NaN])).toBe(sampleSkewness(TWO_OUTLIERS));
    expect(sampleSkewness([1, 2])).toBeNull();
    expect(sampleKurtosis([1, 2, 3])).toBeNull();
    expect(sampleSkewness([4, 4, 4, 4])).toBeNull();
  });
});

describe('the check fails only when both limits are reached', () => {
  it('kurtosis just below its limit passes; at or above it (with the skew) fails', () => {
    expect(checkShape(TWO_OUTLIERS, { skewness: 2, kurtosis: 13.34 }).passes).toBe(true);
    expect(checkShape(TWO_OUTLIERS, { skewness: 2, kurtosis: 13.339 }).passes).toBe(false);
    expect(checkShape(TWO_OUTLIERS, { skewness: 3.6, kurtosis: 3.5 }).passes).toBe(true);
    // an unknown shape passes: nothing to treat
    expect(checkShape([1, 2], DEFAULT)).toEqual({ skewness: null, kurtosis: null, passes: true });
  });
});

describe('winsorising, COINr\'s default', () => {
  it('pulls in the top value one step at a time: 200 → 100 still fails, then both 100s → 20 passes', () => {
    const t = treatColumn(TWO_OUTLIERS, DEFAULT);
    expect(t.action).toBe('winsorised');
    expect([...t.values]).toEqual([...range(1, 20), 20, 20]);
    expect(t.winsorised).toEqual([{ at: 20, side: 'high', from: 100, to: 20 }, { at: 21, side: 'high', from: 200, to: 20 }]);
    expect(t.after.passes).toBe(true);
    expect(t.after.skewness).toBeCloseTo(-0.0944957, 6);
  });

  it('treats tied extremes together (1 … 20, 200, 200: both to 20 in one step)', () => {
    const t = treatColumn([...range(1, 20), 200, 200], { ...DEFAULT, winsoriseMax: 2 });
    expect(t.winsorised.map((w) => [w.at, w.to])).toEqual([[20, 20], [21, 20]]);
  });

  it('on negative skew, pulls in the bottom value', () => {
    const t = treatColumn(TWO_OUTLIERS.map((v) => -v), DEFAULT);
    expect([...t.values]).toEqual([...range(1, 20), 20, 20].map((v) => -v));
    expect(t.winsorised.map((w) => w.side)).toEqual(['low', 'low']);
  });

  it('leaves a passing indicator and its missing values alone', () => {
    const t = treatColumn([1, NaN, 2, 3, 4, 5], DEFAULT);
    expect(t.action).toBe('none');
    expect([...t.values]).toEqual([1, NaN, 2, 3, 4, 5]);
  });

  it('with transform none, keeps the winsorised values even when they still fail', () => {
    const t = treatColumn(TWO_OUTLIERS, { ...DEFAULT, winsoriseMax: 1, transform: 'none' });
    expect([...t.values]).toEqual([...range(1, 20), 100, 100]);
    expect([t.action, t.after.passes]).toEqual(['winsorised', false]);
  });
});

describe('the log transform when winsorising is not enough (winsoriseMax 1)', () => {
  const spec = { ...DEFAULT, winsoriseMax: 1 };

  it('log: log(x − min + 0.01 (max − min)) of the original values: log(x + 0.99) here', () => {
    const t = treatColumn(TWO_OUTLIERS, spec);
    expect(t.action).toBe('log');
    expect(t.transform).toEqual({ min: 1, max: 200, shift: 1.99 });
    t.values.forEach((v, i) => expect(v).toBeCloseTo(Math.log(TWO_OUTLIERS[i] + 0.99), 12));
    expect(t.winsorised).toEqual([]);
  });

  it('logSkew on negative skew: −log(max + 0.01 (max − min) − x), the mirror of the above', () => {
    const t = treatColumn(TWO_OUTLIERS.map((v) => -v), { ...spec, transform: 'logSkew' });
    expect(t.action).toBe('logNegative');
    t.values.forEach((v, i) => expect(v).toBeCloseTo(-Math.log(TWO_OUTLIERS[i] + 0.99), 12));
  });

  it('log on negative skew is COINr\'s log_CT all the same: log(x + 200 + 1.99)', () => {
    const t = treatColumn(TWO_OUTLIERS.map((v) => -v), spec);
    expect(t.action).toBe('log');
    t.values.forEach((v, i) => expect(v).toBeCloseTo(Math.log(-TWO_OUTLIERS[i] + 201.99), 12));
  });

  it('logSkew on positive skew is log', () => {
    expect([...treatColumn(TWO_OUTLIERS, { ...spec, transform: 'logSkew' }).values]).toEqual([...treatColumn(TWO_OUTLIERS, spec).values]);
  });
});

describe('imputation', () => {
  const column = () => Float64Array.from([1, NaN, 3, 10, NaN, 6]);
  const groups = ['a', 'a', 'a', 'b', 'b', null];

  it('mean and median of the units with a value', () => {
    const m = column();
    expect(imputeValues(m, 'mean')).toEqual([1, 4]);
    expect([...m]).toEqual([1, 5, 3, 10, 5, 6]);
    const d = column();
    imputeValues(d, 'median');
    expect([d[1], d[4]]).toEqual([4.5, 4.5]);
    expect(median([3, 1, 2])).toBe(2);
  });

  it('group mean and median by attribute; a unit without it, or a group without values, stays missing', () => {
    const g = column();
    expect(imputeValues(g, 'groupMean', groups)).toEqual([1, 4]);
    expect([g[1], g[4]]).toEqual([2, 10]);
    const lone = Float64Array.from([NaN, 2, NaN]);
    expect(imputeValues(lone, 'groupMedian', ['x', 'y', null])).toEqual([]);
    expect([...lone]).toEqual([NaN, 2, NaN]);
  });
});

// Three units and two leaves, the pipeline through computeCycle.
const methodology = (over: Partial<MethodologyInput> = {}, leaf: Record<string, unknown> = {}): MethodologyInput => ({
  id: 'p', mode: 'weighted', missing: 'skip', normalisation: { method: 'none' },
  nodes: [{ code: 'I' }, { code: 'a', parent: 'I', denominator: 'pop', ...leaf }, { code: 'b', parent: 'I' }], ...over,
});
const units = [{ code: 'X', attributes: { pop: '4', g: 'one' } }, { code: 'Y', attributes: { pop: '10', g: 'one' } }, { code: 'Z', attributes: { pop: null, g: 'two' } }];
const scores = [
  { unit: 'X', indicator: 'a', value: 8 }, { unit: 'Y', indicator: 'a', value: 50 }, { unit: 'Z', indicator: 'a', value: 7 },
  { unit: 'X', indicator: 'b', value: 1 }, { unit: 'Z', indicator: 'b', value: 3 },
];
const leafValues = (out: ReturnType<typeof computeCycle>, code: string) =>
  Object.fromEntries(out.results.map((r) => [r.unit, r.nodes[code].value]));

describe('the pipeline, in order', () => {
  it('denominates (Z has no pop: missing), then imputes the rate by group mean', () => {
    const out = computeCycle({ methodology: methodology({ imputation: { method: 'groupMean', by: 'g' } }), scores, units });
    expect(leafValues(out, 'a')).toEqual({ X: 2, Y: 5, Z: null }); // Z's group has no other rate
    expect(leafValues(out, 'b')).toEqual({ X: 1, Y: 1, Z: 3 });
    expect(out.pipeline!.denomination).toEqual([{ indicator: 'a', by: 'pop', cells: 2, unknown: ['Z'] }]);
    expect(out.pipeline!.imputation!.cells).toEqual([{ indicator: 'b', unit: 'Y', value: 1, method: 'groupMean' }]);
    expect(out.results.find((r) => r.unit === 'Y')!.imputed).toBe(1);
    expect(out.results.find((r) => r.unit === 'Z')!.missing).toBe(1);
  });

  it('mean imputation fills the rate Z lost from the others\' rates (2 and 5)', () => {
    const out = computeCycle({ methodology: methodology({ imputation: { method: 'mean' } }), scores, units });
    expect(leafValues(out, 'a')).toEqual({ X: 2, Y: 5, Z: 3.5 });
  });

  it('refuses a denominator of 0, naming the unit', () => {
    const zero = units.map((u) => (u.code === 'X' ? { ...u, attributes: { ...u.attributes, pop: '0' } } : u));
    expect(() => computeCycle({ methodology: methodology(), scores, units: zero })).toThrow(/attribute pop, "0" for unit X: it must be a number other than 0/);
  });

  it('is absent from the result when none is declared', () => {
    expect(computeCycle({ methodology: { ...methodology(), nodes: [{ code: 'I' }, { code: 'a', parent: 'I' }] }, scores: scores.slice(0, 3) }).pipeline).toBeUndefined();
  });
});

describe('declaring the pipeline', () => {
  const issues = (m: unknown) => {
    try { computeCycle({ methodology: m, scores: [] }); } catch (e) { if (e instanceof EngineError) return e.issues.map((i) => [i.path?.join('/'), i.message]); throw e; }
    return [];
  };

  it('a group method names its attribute', () => {
    expect(issues(methodology({ imputation: { method: 'groupMedian' } as never }))).toEqual([['imputation/by', 'a group method names the attribute that forms the groups (by)']]);
  });

  it('on leaves only, and in weighted mode only', () => {
    expect(issues({ ...methodology(), nodes: [{ code: 'I', denominator: 'pop' }, { code: 'a', parent: 'I' }] })).toEqual([['nodes/0/denominator', 'only leaves have a denominator']]);
    expect(issues({ id: 'p', mode: 'points', missing: 'zero', imputation: { method: 'mean' }, nodes: [{ code: 'I' }, { code: 'a', parent: 'I', max: 1 }] }))
      .toEqual([['imputation', 'imputation applies to raw values: weighted mode only (points mode scores leaves by their rules)']]);
  });
});
