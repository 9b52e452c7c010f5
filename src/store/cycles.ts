// Cycles: one year of one unit type, scored with one methodology version.
import { and, asc, eq, lt, desc } from 'drizzle-orm';
import { cycles } from '../../schema/tables.js';
import type { Driver } from './driver.js';

export type CycleRow = typeof cycles.$inferSelect;

export async function listCycles(d: Driver, unitType?: string): Promise<CycleRow[]> {
  return d.db.select().from(cycles).where(unitType ? eq(cycles.unitType, unitType) : undefined)
    .orderBy(asc(cycles.unitType), asc(cycles.year));
}

export async function getCycle(d: Driver, year: number, unitType: string): Promise<CycleRow | undefined> {
  return (await d.db.select().from(cycles).where(and(eq(cycles.year, year), eq(cycles.unitType, unitType))))[0];
}

/** The latest cycle of the same unit type before this one: what change is measured against. */
export async function previousCycle(d: Driver, cycle: CycleRow): Promise<CycleRow | undefined> {
  return (await d.db.select().from(cycles).where(and(eq(cycles.unitType, cycle.unitType), lt(cycles.year, cycle.year)))
    .orderBy(desc(cycles.year)).limit(1))[0];
}

export function cycleInsert(d: Driver, values: typeof cycles.$inferInsert) {
  return d.db.insert(cycles).values(values);
}

export async function getCycleById(d: Driver, id: number): Promise<CycleRow | undefined> {
  return (await d.db.select().from(cycles).where(eq(cycles.id, id)))[0];
}
