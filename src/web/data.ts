// What a page shows, read through the JSON API's own code: the cycle (requireCycle), the version
// the public may see (viewFor: the latest publication, or a pinned one), the provenance block, and
// the frozen report. Pages never read a draft: a cycle never published is a 404 page, as in JSON.
import type { Context } from 'hono';
import { compareWithPrevious, lineageOf, type CompiledMethodology } from '../engine/index.js';
import { provenance, requireCycle } from '../http/cycle-context.js';
import type { AppEnv } from '../http/env.js';
import { ApiProblem } from '../http/problem.js';
import { viewFor, type View } from '../http/visibility.js';
import { listCycles, type CycleRow } from '../store/cycles.js';
import { driverCache } from '../store/driver.js';
import { compiledMethodology } from '../store/methodologies.js';
import type { CycleReport, ReportRow } from '../store/results.js';
import { listRegions, unitRecords } from '../store/units.js';

export type Served = Awaited<ReturnType<typeof provenance>>;
type Published = Extract<View, { kind: 'revision' }>;

export interface Publication {
  cycle: CycleRow;
  view: Published;
  report: CycleReport;
  served: Served;
  /** the revision the URL pinned (?revision=N), else undefined: the latest publication */
  pinned: string | undefined;
  rounding: number;
  regions: Map<string, { vi: string; en: string }>;
}

const YEAR = /^\d{4}$/;
const REVISION = /^[1-9]\d{0,8}$/;

/** The publication a page shows; an ApiProblem (404, 400) for anything else, as the JSON routes answer. */
export async function publication(c: Context<AppEnv>, year: string, unitType: string, revision: string | undefined): Promise<Publication> {
  if (!YEAR.test(year)) throw new ApiProblem('not-found', `No cycle for year ${year.slice(0, 20)}.`);
  // Drafts are not pages: ?revision=draft (or anything but a revision number) is refused, whoever asks.
  if (revision !== undefined && !REVISION.test(revision)) throw new ApiProblem('invalid-request', 'revision must be a revision number (1, 2 …); pages show publications only.');
  const cycle = await requireCycle(c, Number(year), unitType);
  const view = await viewFor(c, cycle, { revision });
  if (view.kind !== 'revision') throw new ApiProblem('not-found', 'Pages show publications only.');
  const { served, regions } = await publishedDetails(c, cycle, view);
  return { cycle, view, report: view.frozen.report, served, pinned: revision, rounding: served.cycle.methodology.rounding, regions };
}

/**
 * The provenance and region names of a publication, read once per revision: a revision never
 * changes, and regions are written only at seeding. A page served from memory then costs the two
 * reads that find the cycle and its latest revision, as a JSON results read does.
 */
async function publishedDetails(c: Context<AppEnv>, cycle: CycleRow, view: Published) {
  const { revision, contentHash } = view.frozen.revision;
  const known = driverCache<string, Pick<Publication, 'served' | 'regions'>>(c.get('driver'), 'web-publications', 200);
  const key = `${cycle.id}.r${revision}:${contentHash}`;
  let details = known.get(key);
  if (!details) {
    const served = await provenance(c, cycle, view);
    const regions = new Map((await listRegions(c.get('driver'))).map((r) => [r.code, { vi: r.nameVi, en: r.nameEn }]));
    known.set(key, (details = { served, regions }));
  }
  return details;
}

/** The methodology version the publication was computed with: its tree, names, maxima and provenance. */
export async function methodologyOf(c: Context<AppEnv>, p: Publication): Promise<CompiledMethodology> {
  const { methodologyId, methodologyVersion } = p.view.frozen.revision;
  const compiled = await compiledMethodology(c.get('driver'), methodologyId, methodologyVersion);
  if (!compiled) throw new Error(`methodology ${methodologyId} v${methodologyVersion} is missing`);
  return compiled;
}

/** Every published cycle (of a unit type, when given), by unit type and year. */
export async function publishedCycles(c: Context<AppEnv>, unitType?: string): Promise<CycleRow[]> {
  return (await listCycles(c.get('driver'), unitType)).filter((x) => x.revision > 0);
}

export interface HistoryEntry {
  year: number;
  index: number | null;
  rank: number | null;
  of: number | null;
  group: string | null;
  revision: number;
  /** how the year was matched: the engine's change rule (same unit, or its predecessors' mean) */
  rule: string;
  predecessors: string[];
  current: boolean;
}

/**
 * A unit across every published cycle of its type: the cycle read as served, the others at their
 * latest publication (as the JSON scorecard's history). A year where the unit did not exist is
 * matched through its lineage by the engine's own change rule (compareWithPrevious), so a merged
 * province shows its predecessors' mean, with the rule named, and no rank.
 */
export async function unitHistory(c: Context<AppEnv>, p: Publication, row: ReportRow): Promise<HistoryEntry[]> {
  const records = await unitRecords(c.get('driver'), p.cycle.unitType);
  const lineage = lineageOf(records);
  const out: HistoryEntry[] = [];
  for (const other of await publishedCycles(c, p.cycle.unitType)) {
    const current = other.id === p.cycle.id;
    const view = current ? p.view : await viewFor(c, other);
    if (view.kind !== 'revision') continue;
    const rows = view.frozen.report.rows;
    const of = rows.filter((r) => r.rank !== null).length;
    const same = rows.find((r) => r.unit === row.unit);
    if (same) {
      out.push({ year: other.year, index: same.index, rank: same.rank, of, group: same.group, revision: view.frozen.revision.revision, rule: 'same-unit', predecessors: [], current });
      continue;
    }
    // No domains asked: only the index is compared across years here.
    const change = compareWithPrevious([row], rows, lineage, []).get(row.unit);
    if (!change || change.rule === 'no-lineage') continue;
    out.push({ year: other.year, index: change.previousIndex, rank: null, of: null, group: null, revision: view.frozen.revision.revision, rule: change.rule, predecessors: change.predecessors, current });
  }
  return out;
}
