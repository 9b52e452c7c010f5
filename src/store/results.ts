// Results of a cycle: computed by the engine from stored scores and the cycle's exact
// methodology version, with change through lineage, cached in the database and in memory
// under a key of the data versions they came from.
import { eq } from 'drizzle-orm';
import { results } from '../../schema/tables.js';
import {
  compareWithPrevious, computeCycle, domainCodes, lineageOf, unitsAssessedIn,
  type Change, type CompiledMethodology, type CycleStatistics, type NodeResult, type UnitInput, type UnitRecord, type UnitResult,
} from '../engine/index.js';
import { compiledMethodology } from './methodologies.js';
import { previousCycle, type CycleRow } from './cycles.js';
import { driverCache, type Driver } from './driver.js';
import { scoreInputs } from './scores.js';
import { getRevision } from './workflow.js';
import { unitRecords } from './units.js';

export interface ReportRow extends UnitResult {
  name: { vi: string; en: string };
  region: string | null;
  change: Change | null;
}

export interface CycleReport {
  cycle: { year: number; unitType: string; status: string; dataVersion: number; synthetic: boolean; methodology: { id: string; version: number } };
  /** depth-1 nodes, in methodology order, with names */
  domains: { code: string; name?: { vi: string; en: string }; max: number | null }[];
  /** the scored nodes, in methodology order */
  leaves: { code: string; name?: { vi: string; en: string } }[];
  rows: ReportRow[];
  statistics: CycleStatistics;
  computedAt: string;
}

/** Bytes of one stored string D1 accepts (2,000,000): larger reports are not cached in the database. */
const MAX_CACHED_BYTES = 2_000_000;
let scratch: Uint8Array | undefined;

/**
 * Whether a text fits in D1's 2 MB per string, without allocating its UTF-8 (encoding a 700 KB
 * report anew cost more than computing it): a short text fits whatever it holds; a longer one is
 * encoded into one reused buffer of the limit's size, and fits if all of it went in.
 */
export function fitsOneString(text: string): boolean {
  if (text.length * 3 <= MAX_CACHED_BYTES) return true;
  if (text.length > MAX_CACHED_BYTES) return false;
  scratch ??= new Uint8Array(MAX_CACHED_BYTES);
  return new TextEncoder().encodeInto(text, scratch).read === text.length;
}

export interface ReportOptions {
  /**
   * Runs the database cache's write of a report just computed: after the answer where the caller
   * can (waitUntil), so that a reader does not wait for serialising and storing it. Awaited inline
   * when absent.
   */
  later?: (work: () => Promise<void>) => Promise<void>;
}

/** The cycle's report, from memory, the database cache, or computed (and cached) now. */
export async function cycleReport(d: Driver, cycle: CycleRow, options: ReportOptions = {}): Promise<CycleReport> {
  const previous = await previousCycle(d, cycle);
  const key = keyOf(cycle, previous);
  const memory = driverCache<number, { key: string; report: CycleReport }>(d, 'reports');
  const hit = memory.get(cycle.id);
  if (hit?.key === key) return hit.report;
  const cached = (await d.db.select().from(results).where(eq(results.cycleId, cycle.id)))[0];
  let report: CycleReport;
  if (cached?.cacheKey === key) report = JSON.parse(cached.body);
  else {
    report = await computeReport(d, cycle, previous);
    const store = () => storeReport(d, cycle.id, key, report);
    await (options.later ? options.later(store) : store());
  }
  memory.set(cycle.id, { key, report });
  return report;
}

/**
 * The least a report's JSON can take: each row carries every node, each at least
 * `"c":{"missing":0,"imputed":0}` (30 characters). A report of 3,321 units × 67 nodes is over 6 MB
 * by this count alone: it is not serialised (15 MB, 0.1 s of the event loop) only to find that it
 * does not fit.
 */
const leastCharacters = (report: CycleReport) => report.rows.length * Object.keys(report.rows[0]?.nodes ?? {}).length * 30;

/** Keeps a report in the database cache, under the key of the data it was computed from. */
async function storeReport(d: Driver, cycleId: number, key: string, report: CycleReport): Promise<void> {
  // D1 refuses a string over 2 MB: a larger report is kept in memory only.
  if (leastCharacters(report) > MAX_CACHED_BYTES) return;
  const body = JSON.stringify(report);
  if (!fitsOneString(body)) return;
  await d.db.insert(results).values({ cycleId, cacheKey: key, body, computedAt: report.computedAt })
    .onConflictDoUpdate({ target: results.cycleId, set: { cacheKey: key, body, computedAt: report.computedAt } });
}

/** Cache key of the cycle's report without computing it: for ETags and serialised variants. */
export async function reportKey(d: Driver, cycle: CycleRow): Promise<string> {
  return keyOf(cycle, await previousCycle(d, cycle));
}

/** Change is measured against the previous cycle's latest publication, or its draft if never published. */
function keyOf(cycle: CycleRow, previous: CycleRow | undefined): string {
  const against = !previous ? '-' : previous.revision > 0 ? `${previous.id}.r${previous.revision}` : `${previous.id}.${previous.dataVersion}`;
  return `${cycle.id}.${cycle.dataVersion}:${against}`;
}

async function previousRows(d: Driver, previous: CycleRow): Promise<ReportRow[]> {
  const published = previous.revision > 0 ? await getRevision(d, previous.id, previous.revision) : undefined;
  return published ? published.report.rows : (await cycleReport(d, previous)).rows;
}

/** What the engine needs for a cycle besides its scores: the exact methodology and the units assessed. */
export async function cycleInputs(d: Driver, cycle: CycleRow): Promise<{ compiled: CompiledMethodology; records: UnitRecord[]; units: UnitInput[] }> {
  const compiled = await compiledMethodology(d, cycle.methodologyId, cycle.methodologyVersion);
  if (!compiled) throw new Error(`methodology ${cycle.methodologyId} v${cycle.methodologyVersion} is missing`);
  const records = await unitRecords(d, cycle.unitType);
  const units = unitsAssessedIn(records, cycle.unitType, cycle.year).map((u) => ({ code: u.code, ranked: u.ranked, attributes: { region: u.region } }));
  return { compiled, records, units };
}

async function computeReport(d: Driver, cycle: CycleRow, previous: CycleRow | undefined): Promise<CycleReport> {
  const { compiled, records, units } = await cycleInputs(d, cycle);
  const computed = computeCycle({ methodology: compiled, scores: await scoreInputs(d, cycle.id), units });
  const domains = domainCodes(compiled);
  const changes = previous
    ? compareWithPrevious(computed.results, await previousRows(d, previous), lineageOf(records), domains)
    : new Map<string, Change>();
  const byCode = new Map(records.map((u) => [u.code, u]));
  return {
    cycle: {
      year: cycle.year, unitType: cycle.unitType, status: cycle.status, dataVersion: cycle.dataVersion,
      synthetic: cycle.synthetic, methodology: { id: cycle.methodologyId, version: cycle.methodologyVersion },
    },
    domains: domains.map((code) => {
      const node = compiled.nodes[compiled.byCode.get(code)!];
      return { code, name: node.name, max: Number.isFinite(node.max) ? node.max : null };
    }),
    leaves: compiled.leaves.map((i) => ({ code: compiled.nodes[i].code, name: compiled.nodes[i].name })),
    rows: computed.results.map((r) => ({
      ...r,
      name: byCode.get(r.unit)!.name,
      region: byCode.get(r.unit)!.region,
      change: changes.get(r.unit) ?? null,
    })),
    statistics: computed.statistics,
    computedAt: new Date().toISOString(),
  };
}

export type { NodeResult };
