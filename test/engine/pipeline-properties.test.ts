// Properties of outlier treatment: whatever the data and the parameters, treatment never changes
// the rank order within an indicator (a lower raw value never ends above a higher one; ties may be
// made), keeps missing values missing and present ones finite.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeCycle, treatColumn, type TreatmentSpec } from '../../src/engine/index.js';

/** Mostly ordinary values with a few far outliers on either side, some missing, some extreme doubles. */
const value = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -100, max: 100, noNaN: true }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 5 }) },
  { weight: 1, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
  { weight: 1, arbitrary: fc.constant(NaN) },
  { weight: 1, arbitrary: fc.constantFrom(1e300, -1e300, Number.MAX_VALUE, -Number.MAX_VALUE) },
);
const column = fc.array(value, { minLength: 0, maxLength: 40 });
const spec: fc.Arbitrary<TreatmentSpec> = fc.record({
  skewness: fc.double({ min: 0.1, max: 3, noNaN: true }),
  kurtosis: fc.double({ min: -2, max: 5, noNaN: true }),
  winsoriseMax: fc.integer({ min: 0, max: 10 }),
  transform: fc.constantFrom('log' as const, 'logSkew' as const, 'none' as const),
});

function expectOrderKept(raw: number[], treated: ArrayLike<number>) {
  for (let i = 0; i < raw.length; i++) {
    expect(Number.isNaN(treated[i])).toBe(Number.isNaN(raw[i]));
    if (Number.isNaN(raw[i])) continue;
    expect(Number.isFinite(treated[i]), `value ${i} (${raw[i]}) → ${treated[i]}`).toBe(true);
    for (let j = 0; j < raw.length; j++) {
      if (raw[i] < raw[j]) expect(treated[i], `${raw[i]} < ${raw[j]}`).toBeLessThanOrEqual(treated[j]);
    }
  }
}

describe('outlier treatment', () => {
  it('never changes the rank order within an indicator, for any data and parameters', () => {
    fc.assert(fc.property(column, spec, (raw, s) => expectOrderKept(raw, treatColumn(raw, s).values)), { numRuns: 500 });
  });

  it('through computeCycle too: the treated leaf values keep the raw order (normalisation none)', () => {
    const moderate = fc.array(fc.oneof(fc.double({ min: -50, max: 50, noNaN: true }), fc.constantFrom(500, -500, 5000)), { minLength: 4, maxLength: 30 });
    fc.assert(fc.property(moderate, spec, (raw, treatment) => {
      const units = raw.map((_, i) => ({ code: `U${i}` }));
      const out = computeCycle({
        methodology: { id: 't', mode: 'weighted', missing: 'skip', normalisation: { method: 'none' }, treatment, nodes: [{ code: 'I' }, { code: 'x', parent: 'I' }] },
        scores: raw.map((v, i) => ({ unit: `U${i}`, indicator: 'x', value: v })), units,
      });
      const byUnit = new Map(out.results.map((r) => [r.unit, r.nodes.x.value!]));
      expectOrderKept(raw, raw.map((_, i) => byUnit.get(`U${i}`)!));
    }), { numRuns: 200 });
  });
});
