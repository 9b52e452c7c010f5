// Panel scores and panel imputation (COINr's impute_panel), against an oracle written here: a
// missing cell takes the unit's value in the latest earlier year ('latest'), or the straight line
// between the nearest years with a value on either side, the nearest one's value outside them
// ('interpolate', R's approx with rule = 2). The year's own cell is never a source. Rows carry
// their year; a row without one belongs to the year computed, by default the latest a row names.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyPipeline, compileMethodology, fillFromSeries, panelYear, preparePanel, rawData, type MethodologyInput, type PanelMethod,
} from '../../src/engine/index.js';

function oracleFill(series: { year: number; value: number }[], year: number, method: PanelMethod): { value: number; from: number[] } | null {
  const earlier = series.filter((p) => p.year < year), later = series.filter((p) => p.year > year);
  const before = earlier.length ? earlier.reduce((a, b) => (b.year > a.year ? b : a)) : undefined;
  const after = later.length ? later.reduce((a, b) => (b.year < a.year ? b : a)) : undefined;
  if (method === 'latest') return before ? { value: before.value, from: [before.year] } : null;
  if (before && after) return { value: before.value + ((after.value - before.value) * (year - before.year)) / (after.year - before.year), from: [before.year, after.year] };
  const only = before ?? after;
  return only ? { value: only.value, from: [only.year] } : null;
}

describe('filling one cell from its series', () => {
  it('agrees with the oracle for any years around, including the year itself in the series (property)', () => {
    const years = fc.uniqueArray(fc.integer({ min: 2000, max: 2030 }), { maxLength: 8 }).map((ys) => ys.sort((a, b) => a - b));
    const point = fc.integer({ min: -1000, max: 1000 });
    fc.assert(fc.property(years, fc.array(point, { minLength: 8, maxLength: 8 }), fc.integer({ min: 1998, max: 2032 }), fc.constantFrom<PanelMethod>('latest', 'interpolate'), (ys, vs, year, method) => {
      const series = ys.map((y, i) => ({ year: y, value: vs[i] }));
      const got = fillFromSeries(series, year, method), expected = oracleFill(series, year, method);
      if (expected === null) {
        expect(got).toBeNull();
        return;
      }
      expect(got!.from).toEqual(expected.from);
      expect(got!.value).toBeCloseTo(expected.value, 9);
    }), { numRuns: 500, seed: 21 });
  });

  it('interpolates from the nearest years on either side, not the farthest', () => {
    const series = [{ year: 2010, value: 0 }, { year: 2016, value: 60 }, { year: 2020, value: 100 }, { year: 2030, value: 0 }];
    expect(fillFromSeries(series, 2018, 'interpolate')).toEqual({ value: 80, from: [2016, 2020] });
    expect(fillFromSeries(series, 2018, 'latest')).toEqual({ value: 60, from: [2016] });
  });
});

const doc = (method: PanelMethod, over: Partial<MethodologyInput> = {}): MethodologyInput => ({
  id: 'panel', mode: 'weighted', missing: 'skip', normalisation: { method: 'none' }, imputation: { method },
  nodes: [{ code: 'I' }, { code: 'a', parent: 'I' }], ...over,
});

describe('the year computed', () => {
  it('is the one asked, else the latest a row names, in any row order; none without years', () => {
    const rows = [2020, 2022, 2021].map((year) => ({ unit: 'X', indicator: 'a', value: 1, year }));
    expect(panelYear(rows)).toBe(2022);
    expect(panelYear(rows, 2019)).toBe(2019);
    expect(panelYear([{ unit: 'X', indicator: 'a', value: 1 }, ...rows.slice(0, 1)])).toBe(2020);
    expect(panelYear([{ unit: 'X', indicator: 'a', value: 1 }])).toBeUndefined();
  });

  it('without any year the scores are one cross-section, with no panel', () => {
    const c = compileMethodology(doc('latest'));
    const raw = rawData(c, [{ unit: 'X', indicator: 'a', value: 3 }, { unit: 'Y', indicator: 'a', value: 4 }], undefined);
    expect(raw.panel).toBeUndefined();
    expect([...raw.matrix.values]).toEqual([3, 4]);
  });

  it('takes the rows without a year, and a year no row names is filled wholly from the others', () => {
    const c = compileMethodology(doc('latest'));
    const rows = [
      { unit: 'X', indicator: 'a', value: 1, year: 2018 }, { unit: 'X', indicator: 'a', value: 7 }, // 7: the year computed's
      { unit: 'Y', indicator: 'a', value: 2, year: 2018 },
    ];
    const m = preparePanel(c, rows, undefined, 2020);
    expect([...m.values]).toEqual([7, 2]);
    expect(m.pipeline!.imputation!.cells).toEqual([{ indicator: 'a', unit: 'Y', value: 2, method: 'latest', from: [2018] }]);
    const absent = preparePanel(c, rows.filter((r) => r.year !== undefined), undefined, 2025);
    expect(absent.units.map((u) => u.code)).toEqual(['X', 'Y']);
    expect([...absent.values]).toEqual([1, 2]);
  });

  it('has every unit given, scored or not, in the order given; without units, those the rows name in order', () => {
    const c = compileMethodology(doc('latest'));
    const rows = [{ unit: 'Y', indicator: 'a', value: 2, year: 2018 }, { unit: 'X', indicator: 'a', value: 5, year: 2019 }];
    const raw = rawData(c, rows, [{ code: 'W' }, { code: 'X' }, { code: 'Y' }]);
    expect(raw.matrix.units.map((u) => u.code)).toEqual(['W', 'X', 'Y']);
    expect(raw.panel!.years).toEqual([2018, 2019]);
    expect(raw.panel!.values.map((v) => [...v])).toEqual([[NaN, NaN, 2], [NaN, 5, NaN]]);
    expect(rawData(c, rows, undefined).matrix.units.map((u) => u.code)).toEqual(['Y', 'X']);
  });

  it('lists the panel\'s years ascending whatever the order of the rows', () => {
    const c = compileMethodology(doc('latest'));
    const rows = [2021, 2018, 2020].map((year, i) => ({ unit: 'X', indicator: 'a', value: i, year }));
    const raw = rawData(c, rows, undefined);
    expect(raw.panel!.years).toEqual([2018, 2020, 2021]);
    expect(raw.panel!.values.map((v) => v[0])).toEqual([1, 2, 0]);
    expect([...raw.matrix.values]).toEqual([0]);
  });

  it('reports a bad row at its place in the request, with or without years', () => {
    const c = compileMethodology(doc('latest'));
    const bad = [{ unit: 'X', indicator: 'a', value: 1 }, { unit: 'X', indicator: 'nope', value: 2 }];
    expect(() => rawData(c, bad, undefined)).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ row: 1 })] }));
  });
});

describe('a panel built by hand', () => {
  it('may list its years in any order: the latest earlier year is still the one used', () => {
    const c = compileMethodology(doc('latest'));
    const matrix = rawData(c, [{ unit: 'X', indicator: 'a', value: 9 }], [{ code: 'X' }, { code: 'Y' }]).matrix;
    // Y: 2019 → 4, 2017 → 1, 2018 → 3 (listed out of order); computed 2020
    const panel = { year: 2020, years: [2019, 2017, 2018], values: [Float64Array.of(NaN, 4), Float64Array.of(NaN, 1), Float64Array.of(NaN, 3)] };
    expect([...applyPipeline(c, matrix, panel).values]).toEqual([9, 4]);
    // the latest earlier year with a value: 2017's, Y having none in 2018 and 2019
    const gaps = { year: 2020, years: [2017, 2018, 2019], values: [Float64Array.of(NaN, 1), Float64Array.of(NaN, NaN), Float64Array.of(NaN, NaN)] };
    expect(applyPipeline(c, matrix, gaps).pipeline!.imputation!.cells).toEqual([{ indicator: 'a', unit: 'Y', value: 1, method: 'latest', from: [2017] }]);
    const interpolated = compileMethodology(doc('interpolate'));
    const around = { year: 2020, years: [2022, 2019, 2021], values: [Float64Array.of(NaN, 40), Float64Array.of(NaN, 10), Float64Array.of(NaN, 30)] };
    const filled = applyPipeline(interpolated, matrix, around);
    expect([...filled.values]).toEqual([9, 20]);
    expect(filled.pipeline!.imputation!.cells[0].from).toEqual([2019, 2021]);
  });
});
