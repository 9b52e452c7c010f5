// The rules of assessed units (src/engine/units.ts): which units a year assesses, who succeeds whom,
// what lineage a change over years follows, and what a units document must satisfy beyond its schema.
// Known answers are from the 2025 reorganisations (provinces merged on 2025-07-01, ministries on 2025-03-01).
import { describe, expect, it } from 'vitest';
import {
  checkUnits, isActiveOn, lineageOf, successorsOf, UnitRecord, type UnitsDocument, unitsAssessedIn,
} from '../../src/engine/index.js';

const unit = (code: string, extra: Partial<UnitRecord> & { type?: string } = {}): UnitRecord =>
  UnitRecord.parse({ code, type: 'province', name: { vi: code, en: code }, ...extra });

// Hà Giang (02) and Tuyên Quang (08) merged into the new Tuyên Quang (08-2025) on 2025-07-01.
const haGiang = unit('02', { validTo: '2025-06-30', region: 'NMB' });
const tuyenQuang = unit('08', { validTo: '2025-06-30', region: 'NMB' });
const merged = unit('08-2025', { validFrom: '2025-07-01', region: 'NMB', predecessors: [{ code: '08' }, { code: '02' }] });
const ministry = unit('MOHA', { type: 'ministry' });

describe('a unit is active on a date within its validity, both ends inclusive', () => {
  it('an open validity (no dates) is active on any date', () => {
    expect(isActiveOn({ validFrom: null, validTo: null }, '1990-01-01')).toBe(true);
  });

  it('the first day of validity is active, the day before is not', () => {
    expect(isActiveOn(merged, '2025-07-01')).toBe(true);
    expect(isActiveOn(merged, '2025-06-30')).toBe(false);
  });

  it('the last day of validity is active, the day after is not', () => {
    expect(isActiveOn(haGiang, '2025-06-30')).toBe(true);
    expect(isActiveOn(haGiang, '2025-07-01')).toBe(false);
  });

  it('both ends must hold: after validFrom but past validTo is inactive, and before validFrom but within validTo too', () => {
    const window = { validFrom: '2020-01-01', validTo: '2020-12-31' };
    expect(isActiveOn(window, '2021-01-01')).toBe(false);
    expect(isActiveOn(window, '2019-12-31')).toBe(false);
    expect(isActiveOn(window, '2020-06-15')).toBe(true);
  });
});

describe('a year assesses the units of its type valid on its last day (31 December)', () => {
  const all = [haGiang, tuyenQuang, merged, ministry];
  it('2025 assesses the merged province, not the two it replaced mid-year', () => {
    expect(unitsAssessedIn(all, 'province', 2025).map((u) => u.code)).toEqual(['08-2025']);
  });

  it('2024 assesses the provinces before the merger', () => {
    expect(unitsAssessedIn(all, 'province', 2024).map((u) => u.code)).toEqual(['02', '08']);
  });

  it('a unit whose validity ends on 31 December is assessed that year', () => {
    const endsWithYear = unit('X', { validTo: '2023-12-31' });
    expect(unitsAssessedIn([endsWithYear], 'province', 2023)).toHaveLength(1);
    expect(unitsAssessedIn([endsWithYear], 'province', 2024)).toHaveLength(0);
  });

  it('only units of the type asked', () => {
    expect(unitsAssessedIn(all, 'ministry', 2025).map((u) => u.code)).toEqual(['MOHA']);
  });
});

describe('successors and lineage', () => {
  it('the successors of a unit are the units naming it a predecessor', () => {
    expect(successorsOf([haGiang, tuyenQuang, merged], '02').map((u) => u.code)).toEqual(['08-2025']);
    expect(successorsOf([haGiang, tuyenQuang, merged], '08-2025')).toEqual([]);
  });

  it('lineage keeps whole predecessors only: a part transferred is not the unit\'s own history', () => {
    const culture = unit('MOCST', { type: 'ministry', predecessors: [{ code: 'MIC', part: true, note: 'press' }, { code: 'MOCST-old' }] });
    expect(lineageOf([culture])('MOCST')).toStrictEqual([{ code: 'MOCST-old' }]);
  });

  it('a predecessor\'s weight is carried when given, and no weight key otherwise', () => {
    const weighted = unit('N', { predecessors: [{ code: 'a', weight: 2 }, { code: 'b' }] });
    expect(lineageOf([weighted])('N')).toStrictEqual([{ code: 'a', weight: 2 }, { code: 'b' }]);
  });

  it('an unknown unit, or one without predecessors, has no lineage', () => {
    const lineage = lineageOf([haGiang, merged]);
    expect(lineage('nowhere')).toStrictEqual([]);
    expect(lineage('02')).toStrictEqual([]);
    expect(lineage('08-2025')).toStrictEqual([{ code: '08' }, { code: '02' }]);
  });
});

describe('a units document: what the schema cannot check', () => {
  const doc = (units: UnitRecord[], regions = ['NMB']): UnitsDocument =>
    ({ regions: regions.map((code) => ({ code, name: { vi: code, en: code } })), units });

  it('a consistent document has no problems (a predecessor may be listed after its successor)', () => {
    expect(checkUnits(doc([merged, haGiang, tuyenQuang, ministry]))).toEqual([]);
  });

  it('each problem is named with its unit', () => {
    expect(checkUnits(doc([
      haGiang, unit('02'),
      unit('Y', { predecessors: [{ code: 'ghost' }] }),
      unit('Z', { region: 'SE' }),
      unit('W', { validFrom: '2025-07-01', validTo: '2025-06-30' }),
      // the schema refuses NFD names: a document read without it (a stored file) is checked here too
      { ...unit('V'), name: { vi: 'Ha\u0300 No\u0323i', en: 'Ha Noi' } },
      { ...unit('T'), formerNames: [{ vi: 'Hue\u0302\u0301', en: 'Hue', validTo: '2024-12-31' }] },
    ]))).toEqual([
      '02: duplicate code',
      'Y: predecessor ghost does not exist',
      'Z: unknown region SE',
      'W: validFrom after validTo',
      'V: name Ha\u0300 No\u0323i is not NFC',
      'T: name Hue\u0302\u0301 is not NFC',
    ]);
  });

  it('a validity of a single day (validFrom = validTo) is consistent', () => {
    expect(checkUnits(doc([unit('D', { validFrom: '2025-01-01', validTo: '2025-01-01' })]))).toEqual([]);
  });
});
