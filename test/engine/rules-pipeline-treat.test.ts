// Outlier treatment against COINr's rule as issue 17 states it (Treat: winsorise, then log_CT or
// log_CT_plus on the original values; check_SkewKurt), written here as an independent oracle: the
// moments from the k-statistics (not e1071's form), each step as COINr's R code takes it
// (which(x == max(x)) take max(x[-imax])), the count of points that of the last treated extremes.
// Where COINr would stop with an error (an unknown skewness or kurtosis), the engine passes the
// indicator: the oracle does the same.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkShape, logTransform, sampleKurtosis, sampleSkewness, treatColumn, winsorise, type TreatmentSpec } from '../../src/engine/index.js';

const present = (xs: number[]) => xs.filter((v) => !Number.isNaN(v));

/** Sample skewness k3 / k2^1.5 and excess kurtosis k4 / k2² from Fisher's k-statistics. */
function kShape(column: number[]): { skew: number | null; kurt: number | null } {
  const xs = present(column), n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const S = (r: number) => xs.reduce((s, x) => s + (x - mean) ** r, 0);
  const k2 = S(2) / (n - 1);
  if (n < 3 || !(k2 > 0)) return { skew: null, kurt: null };
  const k3 = (n * S(3)) / ((n - 1) * (n - 2));
  const k4 = n < 4 ? NaN : (n * (n + 1) * S(4) - 3 * (n - 1) * S(2) ** 2) / ((n - 1) * (n - 2) * (n - 3));
  return { skew: k3 / k2 ** 1.5, kurt: n < 4 ? null : k4 / k2 ** 2 };
}

interface OracleRun { values: number[]; action: 'none' | 'winsorised' | 'log' | 'logNegative'; lowered: number[]; raised: number[]; close: boolean }

/** COINr's Treat with winsorise then log_CT (or log_CT_plus), step by step. `close`: a decision fell within rounding of its limit. */
function coinrTreat(raw: number[], spec: TreatmentSpec): OracleRun {
  let close = false;
  const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  const passes = (x: number[]) => {
    const { skew, kurt } = kShape(x);
    if (skew === null || kurt === null) return true;
    if (near(Math.abs(skew), spec.skewness) || near(kurt, spec.kurtosis)) close = true;
    return Math.abs(skew) < spec.skewness || kurt < spec.kurtosis; // check_SkewKurt
  };
  const skewOf = (x: number[]) => {
    const { skew } = kShape(x);
    if (near(skew!, 0)) close = true;
    return skew!;
  };
  const x = raw.slice();
  if (passes(x)) return { values: x, action: 'none', lowered: [], raised: [], close };
  let imax: number[] = [], imin: number[] = [];
  let passing = false;
  while (!passing && imax.length + imin.length < spec.winsoriseMax) {
    const high = skewOf(x) >= 0;
    const extreme = high ? Math.max(...present(x)) : Math.min(...present(x));
    const at = x.flatMap((v, i) => (v === extreme ? [i] : []));
    const rest = present(x).filter((v) => v !== extreme);
    const next = high ? Math.max(...rest) : Math.min(...rest);
    for (const i of at) x[i] = next;
    if (high) imax = at; else imin = at;
    passing = passes(x);
  }
  const changed = (pick: (from: number, to: number) => boolean) => raw.flatMap((v, i) => (!Number.isNaN(v) && pick(v, x[i]) ? [i] : []));
  if (passing || spec.transform === 'none') return { values: x, action: 'winsorised', lowered: changed((f, t) => t < f), raised: changed((f, t) => t > f), close };
  const values = present(raw), min = Math.min(...values), max = Math.max(...values), a = 0.01 * (max - min);
  const negative = spec.transform === 'logSkew' && !(skewOf(raw) > 0);
  const logged = raw.map((v) => (negative ? -Math.log(max + a - v) : Math.log(v - min + a)));
  return { values: logged, action: negative ? 'logNegative' : 'log', lowered: [], raised: [], close };
}

/** Ordinary values (some missing), then outliers on either side, often tied so that a step moves several points. */
const indicator = fc.tuple(
  fc.array(fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 20 }) }, { weight: 1, arbitrary: fc.constant(NaN) }), { maxLength: 20 }),
  fc.array(fc.oneof(
    fc.integer({ min: 50, max: 5000 }), fc.constantFrom(40, 60, 100, 300, 1000),
    fc.integer({ min: -5000, max: -50 }), fc.constantFrom(-40, -100, -1000),
  ), { minLength: 1, maxLength: 8 }),
).map(([ordinary, outliers]) => [...ordinary, ...outliers]);
const spec: fc.Arbitrary<TreatmentSpec> = fc.record({
  skewness: fc.constantFrom(0.25, 0.5, 1, 2),
  kurtosis: fc.constantFrom(-1, 0, 1, 3.5),
  winsoriseMax: fc.integer({ min: 0, max: 8 }),
  transform: fc.constantFrom('log' as const, 'logSkew' as const, 'none' as const),
});

describe('treatment follows COINr\'s rule (independent oracle)', () => {
  it('the same action, values and winsorised points as COINr\'s Treat, for random indicators', () => {
    let treated = 0;
    fc.assert(fc.property(indicator, spec, (raw, s) => {
      const want = coinrTreat(raw, s);
      fc.pre(!want.close);
      const got = treatColumn(raw, s);
      expect(got.action).toBe(want.action);
      if (want.action !== 'none') treated++;
      if (want.action === 'log' || want.action === 'logNegative') {
        got.values.forEach((v, i) => (Number.isNaN(want.values[i]) ? expect(v).toBeNaN() : expect(v).toBeCloseTo(want.values[i], 9)));
      } else {
        expect([...got.values]).toEqual(want.values);
      }
      expect(got.winsorised).toHaveLength(want.lowered.length + want.raised.length);
      expect(got.winsorised.filter((w) => w.side === 'high').map((w) => w.at)).toEqual(want.lowered);
      expect(got.winsorised.filter((w) => w.side === 'low').map((w) => w.at)).toEqual(want.raised);
      for (const w of got.winsorised) expect([w.from, w.to]).toEqual([raw[w.at], got.values[w.at]]);
    }), { numRuns: 400, seed: 17 });
    expect(treated).toBeGreaterThan(50); // the oracle's cases do reach treatment
  });

  it('the after-check is that of the returned values; before, that of the raw ones', () => {
    fc.assert(fc.property(indicator, spec, (raw, s) => {
      const got = treatColumn(raw, s);
      expect(got.before).toEqual(checkShape(raw, s));
      expect(got.after).toEqual(checkShape(got.values, s));
    }), { numRuns: 200, seed: 12 });
  });
});

describe('check_SkewKurt at its limits: fails when |skewness| ≥ limit AND kurtosis ≥ limit', () => {
  const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100];
  const skew = sampleSkewness(x)!, kurt = sampleKurtosis(x)!;

  it('both limits reached exactly: fails; either one just above: passes', () => {
    expect(checkShape(x, { skewness: skew, kurtosis: kurt }).passes).toBe(false);
    expect(checkShape(x, { skewness: skew * (1 + 1e-12), kurtosis: kurt }).passes).toBe(true);
    expect(checkShape(x, { skewness: skew, kurtosis: kurt * (1 + 1e-12) }).passes).toBe(true);
  });

  it('the skewness is taken in absolute value: the mirror image fails alike', () => {
    const mirror = x.map((v) => -v);
    expect(sampleSkewness(mirror)).toBeCloseTo(-skew, 12);
    expect(checkShape(mirror, { skewness: skew, kurtosis: kurt }).passes).toBe(false);
  });

  it('three values have a skewness but no kurtosis: the check passes whatever the limits', () => {
    const three = [0, 0, 9];
    expect(sampleSkewness(three)).toBeCloseTo(Math.sqrt(3), 12);
    expect(checkShape(three, { skewness: 0.1, kurtosis: -100 })).toEqual({ skewness: sampleSkewness(three), kurtosis: null, passes: true });
    expect(treatColumn(three, { skewness: 0.1, kurtosis: -100, winsoriseMax: 5, transform: 'log' }).action).toBe('none');
  });
});

describe('a skewness of exactly 0 (possible with a limit of 0): COINr\'s sides', () => {
  // symmetric, heavy tails: skewness exactly 0, kurtosis 5
  const x = [-100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100];
  const zero: TreatmentSpec = { skewness: 0, kurtosis: 3.5, winsoriseMax: 1, transform: 'none' };

  it('winsorise treats skewness ≥ 0 as high: the maximum is pulled in first', () => {
    expect(sampleSkewness(x)).toBe(0);
    expect([...winsorise(Float64Array.from(x), zero)]).toEqual([-100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('log_CT_plus takes the positive form only for skewness > 0: at 0 the negative one', () => {
    const t = treatColumn(x, { ...zero, transform: 'logSkew' });
    expect(t.action).toBe('logNegative');
    t.values.forEach((v, i) => expect(v).toBeCloseTo(-Math.log(100 + 2 - x[i]), 12));
  });
});

describe('winsorising', () => {
  it('counts the points now at each treated extreme: ties and points treated earlier count again', () => {
    // 0 … 9 with 50, 80, 80, 200 on top: 200 → 80 (1 point), then the three 80s → 50 (3 points)
    const x = [...Array.from({ length: 10 }, (_, i) => i), 50, 80, 80, 200];
    const s: TreatmentSpec = { skewness: 0.5, kurtosis: -5, winsoriseMax: 3, transform: 'none' };
    expect([...winsorise(Float64Array.from(x), s)]).toEqual([...x.slice(0, 10), 50, 50, 50, 50]);
    // a limit of 4: 3 points counted (not 1 + 3), so a third step pulls the four 50s in to 9
    expect([...winsorise(Float64Array.from(x), { ...s, winsoriseMax: 4 })]).toEqual([...x.slice(0, 10), 9, 9, 9, 9]);
    // with a limit of 1, the first step already reaches it
    expect([...winsorise(Float64Array.from(x), { ...s, winsoriseMax: 1 })]).toEqual([...x.slice(0, 10), 50, 80, 80, 80]);
  });

  it('leaves missing values missing and out of the list of winsorised points', () => {
    const t = treatColumn([NaN, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, NaN, 1000], { skewness: 2, kurtosis: 3.5, winsoriseMax: 5, transform: 'log' });
    expect(t.action).toBe('winsorised');
    expect([t.values[0], t.values[11]]).toEqual([NaN, NaN]);
    expect(t.winsorised).toEqual([{ at: 12, side: 'high', from: 1000, to: 10 }]);
  });

  it('a winsorising limit of 0 goes straight to the log transform', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100];
    const t = treatColumn(x, { skewness: 2, kurtosis: 3.5, winsoriseMax: 0, transform: 'log' });
    expect(t.action).toBe('log');
    expect(t.transform).toMatchObject({ min: 1, max: 100 });
    expect(t.transform!.shift).toBeCloseTo(0.99, 12);
  });
});

describe('the log transform over the whole range of doubles', () => {
  // The oracle takes the same logarithms on quarters of the values (log s added back), where nothing overflows.
  const M = Number.MAX_VALUE, q = (v: number) => v / 4;

  it('where max − min overflows, still log(x − min + 0.01 (max − min)), the values scaled first', () => {
    const x = Float64Array.from([-M, 0, M / 2, M, NaN]);
    const { values, transform } = logTransform(x, false);
    const want = [...x].map((v) => Math.log(q(v) + q(M) + 0.01 * 2 * q(M)) + Math.log(4));
    expect([transform.min, transform.max]).toEqual([-M, M]);
    expect(transform.shift / (0.02 * M)).toBeCloseTo(1, 12); // 0.01 (max − min), in the values' own units
    values.forEach((v, i) => (Number.isNaN(want[i]) ? expect(v).toBeNaN() : expect(v).toBeCloseTo(want[i], 9)));
  });

  it('the negative form mirrors it: −log(max + a − x)', () => {
    const x = Float64Array.from([-M, 0, M]);
    const want = [...x].map((v) => -(Math.log(q(M) + 0.01 * 2 * q(M) - q(v)) + Math.log(4)));
    logTransform(x, true).values.forEach((v, i) => expect(v).toBeCloseTo(want[i], 9));
  });

  it('in range, the shift is 0.01 (max − min) of the present values, NaN left out', () => {
    const { values, transform } = logTransform(Float64Array.from([NaN, -3, 7, 2]), false);
    expect(transform).toEqual({ min: -3, max: 7, shift: 0.1 });
    expect(values[0]).toBeNaN();
    expect(values[1]).toBeCloseTo(Math.log(0.1), 12);
    expect(values[2]).toBeCloseTo(Math.log(10.1), 12);
  });
});
