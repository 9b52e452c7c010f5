// Cycles: one year of one unit type, scored with one methodology version.
import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import { cycles } from '../../schema/tables.js';
import { keptUntilChanged, type Driver } from './driver.js';

export type CycleRow = typeof cycles.$inferSelect;

/** The cycles, of one unit type or all, by unit type and year; kept until the database changes (read-only). */
export function listCycles(d: Driver, unitType?: string): Promise<readonly CycleRow[]> {
  return keptUntilChanged(d, `cycles|${unitType ?? ''}`, async () => d.db.select().from(cycles)
    .where(unitType ? eq(cycles.unitType, unitType) : undefined).orderBy(asc(cycles.unitType), asc(cycles.year)));
}

const prepared = new WeakMap<Driver, ReturnType<typeof prepareGetCycle>>();

function prepareGetCycle(d: Driver) {
  return d.db.select().from(cycles)
    .where(and(eq(cycles.year, sql.placeholder('year')), eq(cycles.unitType, sql.placeholder('unitType')))).prepare();
}

/**
 * Every request that names a cycle asks this: a statement prepared once per database, and its
 * answer kept until the database changes, where the driver can tell (better-sqlite3).
 */
export function getCycle(d: Driver, year: number, unitType: string): Promise<CycleRow | undefined> {
  return keptUntilChanged(d, `cycle|${year}|${unitType}`, () => readCycle(d, year, unitType));
}

async function readCycle(d: Driver, year: number, unitType: string): Promise<CycleRow | undefined> {
  let query = prepared.get(d);
  if (!query) prepared.set(d, (query = prepareGetCycle(d)));
  return (await query.all({ year, unitType }))[0] as CycleRow | undefined;
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
