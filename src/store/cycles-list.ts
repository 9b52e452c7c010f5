// The list of cycles with each one's methodology reference, in one query: the cycles joined to
// their methodology's content hash. What a reference says (provisional nodes, rounding) depends on
// the content alone, so it is kept by hash; a methodology not seen yet costs one more query, for
// every such methodology at once.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { cycles, methodologies } from '../../schema/tables.js';
import type { CycleRow } from './cycles.js';
import { D1_MAX_PARAMETERS, type Driver } from './driver.js';
import { compiledOf, provisionalNodes } from './methodologies.js';

export interface MethodologyRef { id: string; version: number; provisionalNodes: number; rounding: number }

const refByHash = new Map<string, Omit<MethodologyRef, 'id' | 'version'>>();

/** Every cycle (of a unit type, or all), ordered by unit type and year, each with its methodology reference. */
export async function listCyclesWithMethodologies(d: Driver, unitType?: string): Promise<{ cycle: CycleRow; methodology: MethodologyRef }[]> {
  const rows = await d.db.select({ cycle: cycles, contentHash: methodologies.contentHash }).from(cycles)
    .leftJoin(methodologies, and(eq(methodologies.id, cycles.methodologyId), eq(methodologies.version, cycles.methodologyVersion)))
    .where(unitType ? eq(cycles.unitType, unitType) : undefined)
    .orderBy(asc(cycles.unitType), asc(cycles.year));
  await keepRefs(d, rows.flatMap((r) => (r.contentHash !== null && !refByHash.has(r.contentHash) ? [r.contentHash] : [])));
  return rows.map(({ cycle, contentHash }) => {
    const kept = contentHash === null ? undefined : refByHash.get(contentHash);
    // A cycle whose methodology is missing says so as methodologyRef does: nothing provisional, rounding 2.
    return { cycle, methodology: { id: cycle.methodologyId, version: cycle.methodologyVersion, ...(kept ?? { provisionalNodes: 0, rounding: 2 }) } };
  });
}

/** Reads and compiles the methodologies of these hashes, at most D1's parameters at a time (they are few). */
async function keepRefs(d: Driver, hashes: string[]): Promise<void> {
  const unique = [...new Set(hashes)];
  for (let i = 0; i < unique.length; i += D1_MAX_PARAMETERS) {
    for (const row of await d.db.select().from(methodologies).where(inArray(methodologies.contentHash, unique.slice(i, i + D1_MAX_PARAMETERS)))) {
      const compiled = compiledOf(row);
      refByHash.set(row.contentHash, { provisionalNodes: provisionalNodes(compiled), rounding: compiled.methodology.rounding ?? 2 });
    }
  }
}
