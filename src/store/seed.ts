// Loads the reference data (regions, units, lineage, methodologies) and the synthetic demo
// cycles into an empty database, once. Demo scores go through the same ingest path as uploads.
import { count } from 'drizzle-orm';
import { regions, unitLineage, units } from '../../schema/tables.js';
import type { Catalog } from '../catalog/index.js';
import { generateDemoScores } from '../demo/generate.js';
import { lineageOf, unitsAssessedIn } from '../engine/index.js';
import { cycleInsert, getCycle } from './cycles.js';
import { D1_MAX_PARAMETERS, type Driver } from './driver.js';
import { contentHash, methodologyInsert } from './methodologies.js';
import { ingestScores } from './scores.js';
import { transition } from './workflow.js';
import type { WriteContext } from './audit.js';

const SEED_CONTEXT: WriteContext = { actorKey: 'seed', actorRole: 'system', requestId: 'seed' };
import { searchKey } from './text.js';

export async function isEmpty(d: Driver): Promise<boolean> {
  return (await d.db.select({ n: count() }).from(units))[0].n === 0;
}

/** Seeds reference data and, unless told not to, the demo cycles. Does nothing on a seeded database. */
export async function seedIfEmpty(d: Driver, catalog: Catalog, options: { demo?: boolean } = {}): Promise<boolean> {
  if (!(await isEmpty(d))) return false;
  const doc = catalog.units;
  const hashes = await Promise.all(catalog.documents.map(contentHash));
  await d.atomic([
    ...chunked(doc.regions.map((r) => ({ code: r.code, nameVi: r.name.vi, nameEn: r.name.en })), (part) => d.db.insert(regions).values(part)),
    ...chunked(doc.units.map((u) => ({
      code: u.code, type: u.type, nameVi: u.name.vi, nameEn: u.name.en,
      searchKey: [u.name.vi, u.name.en, ...u.formerNames.map((n) => n.vi)].map(searchKey).join(' | '),
      officialCode: u.officialCode, region: u.region, validFrom: u.validFrom, validTo: u.validTo, ranked: u.ranked,
      formerNames: u.formerNames,
    })), (part) => d.db.insert(units).values(part)),
    ...chunked(doc.units.flatMap((u) => u.predecessors.map((p, position) => ({
      unit: u.code, predecessor: p.code, position, part: p.part ?? false, weight: p.weight ?? null, note: p.note ?? null,
    }))), (part) => d.db.insert(unitLineage).values(part)),
    ...catalog.methodologies.map((m, i) => methodologyInsert(d, catalog.documents[i], m, hashes[i])),
  ]);
  if (options.demo !== false) await seedDemo(d, catalog);
  return true;
}

async function seedDemo(d: Driver, catalog: Catalog): Promise<void> {
  for (const cycle of catalog.demo.cycles) {
    const compiled = catalog.methodologies.find((m) => m.methodology.id === cycle.methodology)!;
    await d.atomic([cycleInsert(d, {
      year: cycle.year, unitType: cycle.unitType, methodologyId: compiled.methodology.id,
      methodologyVersion: compiled.methodology.version, status: 'review', synthetic: true,
    })]);
    const row = (await getCycle(d, cycle.year, cycle.unitType))!;
    const assessed = unitsAssessedIn(catalog.units.units, cycle.unitType, cycle.year);
    const lineage = lineageOf(catalog.units.units);
    const scores = generateDemoScores(compiled, assessed.map((u) => u.code), cycle, catalog.demo.seed, (u) => lineage(u).map((p) => p.code));
    await ingestScores(d, row, compiled, assessed.map((u) => ({ code: u.code, ranked: u.ranked })), scores, SEED_CONTEXT, false);
    await transition(d, SEED_CONTEXT, (await getCycle(d, cycle.year, cycle.unitType))!, 'published', 'synthetic demo data, published at seeding');
  }
}

/** Multi-row inserts cut to stay within D1's 100 bound parameters per statement. */
function chunked<T extends object, Q>(rows: T[], insert: (part: T[]) => Q): Q[] {
  const size = Math.max(1, Math.floor(D1_MAX_PARAMETERS / Math.max(1, Object.keys(rows[0] ?? {}).length)));
  return Array.from({ length: Math.ceil(rows.length / size) }, (_, i) => insert(rows.slice(i * size, (i + 1) * size)));
}
