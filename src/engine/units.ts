// Assessed units with validity dates and lineage: provinces merged on 2025-07-01 and ministries
// restructured on 2025-03-01 are new units whose predecessors are named, so that years compare.
import { z } from 'zod';
import { LocalisedName } from './model.js';
import type { Predecessor } from './change.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const UnitRecord = z.object({
  code: z.string().min(1),
  type: z.string().min(1).describe('province, ministry, or any unit type of a generic index'),
  name: LocalisedName,
  officialCode: z.string().nullable().default(null).describe('GSO code of a province'),
  region: z.string().nullable().default(null),
  validFrom: isoDate.nullable().default(null),
  validTo: isoDate.nullable().default(null),
  ranked: z.boolean().default(true),
  predecessors: z.array(z.object({
    code: z.string().min(1), part: z.boolean().optional(), note: z.string().optional(), weight: z.number().positive().optional(),
  })).default([]),
  formerNames: z.array(LocalisedName.extend({ validTo: isoDate })).default([]),
});
export type UnitRecord = z.output<typeof UnitRecord>;

export const Region = z.object({ code: z.string().min(1), name: LocalisedName });
export const UnitsDocument = z.object({
  provenance: z.object({ sources: z.array(z.string()), note: z.string().optional(), unverified: z.array(z.string()).default([]) }).optional(),
  regions: z.array(Region),
  units: z.array(UnitRecord),
});
export type UnitsDocument = z.output<typeof UnitsDocument>;

export function isActiveOn(unit: Pick<UnitRecord, 'validFrom' | 'validTo'>, date: string): boolean {
  return (unit.validFrom === null || unit.validFrom <= date) && (unit.validTo === null || date <= unit.validTo);
}

/** Units of a type assessed for a year: those valid on the last day of that year's cycle. */
export function unitsAssessedIn(units: UnitRecord[], type: string, year: number): UnitRecord[] {
  return units.filter((u) => u.type === type && isActiveOn(u, `${year}-12-31`));
}

/** Successors: units that name this one among their predecessors. */
export function successorsOf(units: UnitRecord[], code: string): UnitRecord[] {
  return units.filter((u) => u.predecessors.some((p) => p.code === code));
}

/** Lineage for change: whole predecessors only (a part-transfer is not the same unit's history). */
export function lineageOf(units: UnitRecord[]): (code: string) => Predecessor[] {
  const byCode = new Map(units.map((u) => [u.code, u]));
  return (code) => (byCode.get(code)?.predecessors ?? []).filter((p) => !p.part).map(({ code: c, weight }) => ({ code: c, ...(weight && { weight }) }));
}

/** Checks what zod cannot: unique codes, predecessors that exist, ordered validity, NFC names. */
export function checkUnits(doc: UnitsDocument): string[] {
  const problems: string[] = [];
  const codes = new Set<string>();
  for (const u of doc.units) {
    if (codes.has(u.code)) problems.push(`${u.code}: duplicate code`);
    codes.add(u.code);
  }
  const regions = new Set(doc.regions.map((r) => r.code));
  for (const u of doc.units) {
    for (const p of u.predecessors) if (!codes.has(p.code)) problems.push(`${u.code}: predecessor ${p.code} does not exist`);
    if (u.region !== null && !regions.has(u.region)) problems.push(`${u.code}: unknown region ${u.region}`);
    if (u.validFrom && u.validTo && u.validFrom > u.validTo) problems.push(`${u.code}: validFrom after validTo`);
    for (const n of [u.name, ...u.formerNames]) {
      if (n.vi !== n.vi.normalize('NFC')) problems.push(`${u.code}: name ${n.vi} is not NFC`);
    }
  }
  return problems;
}
