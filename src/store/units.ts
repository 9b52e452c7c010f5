// Units, regions and lineage: reading for the API and for the engine's change comparisons.
import { and, asc, eq, inArray, like, or } from 'drizzle-orm';
import { regions, unitLineage, units } from '../../schema/tables.js';
import { isActiveOn, type UnitRecord } from '../engine/index.js';
import { driverCache, type Driver } from './driver.js';
import { searchKey } from './text.js';

export type UnitRow = typeof units.$inferSelect;
export type RegionRow = typeof regions.$inferSelect;

export interface UnitFilter { type?: string; region?: string; activeOn?: string; q?: string }

export async function listUnits(d: Driver, filter: UnitFilter = {}): Promise<UnitRow[]> {
  const conditions = [
    filter.type && eq(units.type, filter.type),
    filter.region && eq(units.region, filter.region),
    filter.q && like(units.searchKey, `%${searchKey(filter.q).replace(/[%_]/g, '')}%`),
  ].filter((c) => !!c);
  const rows = await d.db.select().from(units).where(and(...conditions)).orderBy(asc(units.type), asc(units.code));
  return filter.activeOn ? rows.filter((u) => isActiveOn(u, filter.activeOn!)) : rows;
}

export async function getUnit(d: Driver, code: string): Promise<UnitRow | undefined> {
  return (await d.db.select().from(units).where(eq(units.code, code)))[0];
}

export async function listRegions(d: Driver): Promise<RegionRow[]> {
  return d.db.select().from(regions).orderBy(asc(regions.code));
}

export type LineageRow = typeof unitLineage.$inferSelect;

/** Edges touching the given units (as successor or predecessor); all edges when none given. */
export async function lineage(d: Driver, codes?: string[]): Promise<LineageRow[]> {
  const query = d.db.select().from(unitLineage);
  const filtered = codes ? query.where(or(inArray(unitLineage.unit, codes), inArray(unitLineage.predecessor, codes))) : query;
  return filtered.orderBy(unitLineage.unit, unitLineage.position);
}

/** Units as the engine's lineage helpers expect them, given the unit's own edges (as successor). */
function toUnitRecord(row: UnitRow, edges: LineageRow[]): UnitRecord {
  return {
    code: row.code, type: row.type, name: { vi: row.nameVi, en: row.nameEn }, officialCode: row.officialCode,
    region: row.region, validFrom: row.validFrom, validTo: row.validTo, ranked: row.ranked,
    formerNames: row.formerNames,
    predecessors: edges.map((e) => ({ code: e.predecessor, ...(e.part && { part: true }), ...(e.note && { note: e.note }), ...(e.weight && { weight: e.weight }) })),
  };
}

/** Every unit of a type with its lineage, as engine records. */
export async function unitRecords(d: Driver, type: string): Promise<UnitRecord[]> {
  const rows = await listUnits(d, { type });
  const edgesOf = new Map<string, LineageRow[]>();
  for (const e of await lineage(d)) {
    const edges = edgesOf.get(e.unit);
    if (edges) edges.push(e);
    else edgesOf.set(e.unit, [e]);
  }
  return rows.map((u) => toUnitRecord(u, edgesOf.get(u.code) ?? []));
}

/** Region codes, read once per database (reference data, changed only by a migration). */
export async function regionCodes(d: Driver): Promise<Set<string>> {
  const cache = driverCache<string, Set<string>>(d, 'region-codes');
  let codes = cache.get('all');
  if (!codes) cache.set('all', (codes = new Set((await listRegions(d)).map((r) => r.code))));
  return codes;
}
