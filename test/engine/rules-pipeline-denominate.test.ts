// Denomination as COINr's Denominate does it: value / attribute; an absent attribute makes the rate
// unknown (x / NA), a missing value stays missing whatever the attribute, and a denominator that is
// not a number, or 0, is refused and named. Known answers by hand.
import { describe, expect, it } from 'vitest';
import { denominateColumn } from '../../src/engine/index.js';

const context = { indicator: 'a', attribute: 'pop', units: ['U', 'V', 'W', 'X', 'Y'] };

describe('denomination', () => {
  it('divides each value by its unit\'s attribute (text as given, spaces around it allowed)', () => {
    const column = Float64Array.from([10, 9, -6, 0, 5]);
    const out = denominateColumn(column, ['4', ' 3 ', '-2', '7', '0.5'], context);
    expect([...column]).toEqual([2.5, 3, 3, 0, 10]);
    expect(out).toEqual({ unknown: [], issues: [] });
  });

  it('an absent attribute (null, not given, empty or blank) makes the rate unknown: missing, and listed', () => {
    const column = Float64Array.from([10, 9, 8, 7, 6]);
    const out = denominateColumn(column, [null, undefined, '', '   ', '2'], context);
    expect([...column]).toEqual([NaN, NaN, NaN, NaN, 3]);
    expect(out).toEqual({ unknown: [0, 1, 2, 3], issues: [] });
  });

  it('a missing value stays missing and is no unknown rate, whatever its attribute, even one that would be refused', () => {
    const column = Float64Array.from([NaN, NaN, NaN, 8]);
    const out = denominateColumn(column, [null, '0', 'many', '4'], context);
    expect([...column]).toEqual([NaN, NaN, NaN, 2]);
    expect(out).toEqual({ unknown: [], issues: [] });
  });

  it('refuses 0 and text that is not a number, naming the unit, indicator, attribute and text; the value is left as given', () => {
    const column = Float64Array.from([10, 9, 8]);
    const out = denominateColumn(column, ['0', 'many', '2'], context);
    expect(out.unknown).toEqual([]);
    expect(out.issues).toEqual([
      { unit: 'U', node: 'a', value: '0', message: 'indicator a is divided by attribute pop, "0" for unit U: it must be a number other than 0' },
      { unit: 'V', node: 'a', value: 'many', message: 'indicator a is divided by attribute pop, "many" for unit V: it must be a number other than 0' },
    ]);
    expect([...column]).toEqual([10, 9, 4]);
  });

  it('a 0 value over a 0 denominator is refused too (0 / 0 is no rate)', () => {
    const out = denominateColumn(Float64Array.from([0]), ['0'], context);
    expect(out.issues.map((i) => i.message)).toEqual(['indicator a is divided by attribute pop, "0" for unit U: it must be a number other than 0']);
  });

  it('a rate beyond a double is refused as such, not as a bad denominator', () => {
    const column = Float64Array.from([1e300, -1e300]);
    const out = denominateColumn(column, ['1e-300', '1e-300'], context);
    expect(out.issues.map((i) => i.message)).toEqual([
      'indicator a is divided by attribute pop, "1e-300" for unit U: 1e+300 / 1e-300 is beyond the numbers that can be computed',
      'indicator a is divided by attribute pop, "1e-300" for unit V: -1e+300 / 1e-300 is beyond the numbers that can be computed',
    ]);
  });
});
