// Screening (COINr's Screen) and panel imputation, hand-computed: units below the availability
// threshold leave the results with their reason; a panel fills a missing value from the unit's
// latest earlier year, or along the line between its years around the one computed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileMethodology, computeCycle, EngineError, evaluate, fillFromSeries, preparePanel, screenUnits, type MethodologyInput,
} from '../../src/engine/index.js';

const methodology = (over: Partial<MethodologyInput> = {}): MethodologyInput => ({
  id: 's', mode: 'weighted', missing: 'skip', normalisation: { method: 'none' },
  nodes: [{ code: 'I' }, { code: 'a', parent: 'I' }, { code: 'b', parent: 'I' }, { code: 'c', parent: 'I' }], ...over,
});
// X has 3 of 3 values, Y 2 of 3, Z 1 of 3
const scores = [
  { unit: 'X', indicator: 'a', value: 1 }, { unit: 'X', indicator: 'b', value: 2 }, { unit: 'X', indicator: 'c', value: 3 },
  { unit: 'Y', indicator: 'a', value: 4 }, { unit: 'Y', indicator: 'b', value: 5 },
  { unit: 'Z', indicator: 'a', value: 6 },
];

describe('screening', () => {
  it('drops the units below the threshold (2/3 stays at 2/3), each with its availability and reason', () => {
    const out = computeCycle({ methodology: methodology({ screening: { minAvailability: 2 / 3 } }), scores });
    expect(out.results.map((r) => r.unit)).toEqual(['Y', 'X']); // Y's mean 4.5 above X's 2
    expect(out.pipeline!.screening).toEqual({
      minAvailability: 2 / 3, kept: 2,
      dropped: [{ unit: 'Z', availability: 1 / 3, reason: 'values for 1 of 3 indicators (33.3 %), below the 66.7 % required' }],
    });
  });

  it('comes before imputation: a dropped unit is never imputed, the kept ones are', () => {
    const out = computeCycle({ methodology: methodology({ screening: { minAvailability: 0.5 }, imputation: { method: 'mean' } }), scores });
    expect(out.pipeline!.screening!.dropped.map((d) => d.unit)).toEqual(['Z']);
    // Y's c from X's (3); Z, gone, has none of its b and c imputed
    expect(out.pipeline!.imputation!.cells).toEqual([{ indicator: 'c', unit: 'Y', value: 3, method: 'mean' }]);
  });

  it('keeps everyone at 0 and drops everyone with no value at all', () => {
    expect(computeCycle({ methodology: methodology({ screening: { minAvailability: 0 } }), scores }).pipeline!.screening!.dropped).toEqual([]);
    const none = screenUnits(Float64Array.of(NaN, NaN), 1, 2, 0.01);
    expect(none).toEqual({ kept: [], dropped: [{ at: 0, availability: 0 }] });
  });

  it('is weighted mode only', () => {
    const points = { id: 'p', mode: 'points', missing: 'zero', screening: { minAvailability: 0.5 }, nodes: [{ code: 'I' }, { code: 'a', parent: 'I', max: 1 }] };
    expect(() => compileMethodology(points)).toThrow(EngineError);
    expect(() => compileMethodology(points)).toThrow(/screening applies to raw values: weighted mode only/);
  });

  it('never keeps a unit below the threshold, never drops one at or above it (property)', () => {
    const cell = fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { nil: NaN });
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.array(cell, { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 12 }), fc.double({ min: 0, max: 1, noNaN: true }), (nLeaves, rows, threshold) => {
      const values = Float64Array.from(rows.flatMap((r) => r.slice(0, nLeaves)));
      const { kept, dropped } = screenUnits(values, rows.length, nLeaves, threshold);
      const share = (u: number) => rows[u].slice(0, nLeaves).filter((v) => !Number.isNaN(v)).length / nLeaves;
      expect(kept.length + dropped.length).toBe(rows.length);
      for (const u of kept) expect(share(u)).toBeGreaterThanOrEqual(threshold);
      for (const d of dropped) expect(share(d.at)).toBeLessThan(threshold);
    }), { numRuns: 200, seed: 3 });
  });
});

describe('panel imputation', () => {
  const series = [{ year: 2018, value: 10 }, { year: 2020, value: 14 }, { year: 2023, value: 20 }];

  it('latest: the latest earlier year with a value; none before: nothing', () => {
    expect(fillFromSeries(series, 2022, 'latest')).toEqual({ value: 14, from: [2020] });
    expect(fillFromSeries(series, 2017, 'latest')).toBeNull();
  });

  it('interpolate: on the line between the years around; outside them, the nearest one\'s value', () => {
    expect(fillFromSeries(series, 2019, 'interpolate')).toEqual({ value: 12, from: [2018, 2020] });
    expect(fillFromSeries(series, 2022, 'interpolate')).toEqual({ value: 18, from: [2020, 2023] });
    expect(fillFromSeries(series, 2025, 'interpolate')).toEqual({ value: 20, from: [2023] });
    expect(fillFromSeries(series, 2010, 'interpolate')).toEqual({ value: 10, from: [2018] });
    expect(fillFromSeries([], 2010, 'interpolate')).toBeNull();
  });

  // X's a: 2018 2, 2019 missing, 2020 6; Y's a: 2018 1 only; b complete in 2019
  const panel = [
    { unit: 'X', indicator: 'a', value: 2, year: 2018 }, { unit: 'X', indicator: 'a', value: 6, year: 2020 },
    { unit: 'Y', indicator: 'a', value: 1, year: 2018 },
    { unit: 'X', indicator: 'b', value: 3, year: 2019 }, { unit: 'Y', indicator: 'b', value: 5, year: 2019 },
  ];
  const twoLeaves = (method: 'latest' | 'interpolate') => compileMethodology(methodology({
    imputation: { method }, nodes: [{ code: 'I' }, { code: 'a', parent: 'I' }, { code: 'b', parent: 'I' }],
  }));

  it('fills the year computed from the others, flagging every cell with its method and years', () => {
    const c = twoLeaves('interpolate');
    const m = preparePanel(c, panel, undefined, 2019);
    expect(m.pipeline!.imputation).toEqual({
      method: 'interpolate', year: 2019,
      cells: [{ indicator: 'a', unit: 'X', value: 4, method: 'interpolate', from: [2018, 2020] }, { indicator: 'a', unit: 'Y', value: 1, method: 'interpolate', from: [2018] }],
    });
    expect([...m.imputed!]).toEqual([1, 0, 1, 0]);
    expect([...evaluate(c, m).index]).toEqual([3.5, 3]);
    const latest = preparePanel(twoLeaves('latest'), panel, undefined, 2019);
    expect(latest.pipeline!.imputation!.cells.map((cell) => [cell.unit, cell.value, cell.from])).toEqual([['X', 2, [2018]], ['Y', 1, [2018]]]);
  });

  it('computes the latest year a row names by default, and reports a bad row at its place in the request', () => {
    expect(preparePanel(twoLeaves('latest'), panel, undefined).pipeline!.imputation!.year).toBe(2020);
    const bad = [...panel, { unit: 'X', indicator: 'nope', value: 1, year: 2018 }];
    try {
      preparePanel(twoLeaves('latest'), bad, undefined, 2019);
      expect.unreachable();
    } catch (e) {
      expect((e as EngineError).issues.map((i) => i.row)).toEqual([5]);
    }
  });
});
