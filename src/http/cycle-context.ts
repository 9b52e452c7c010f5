// Finding the cycle a route names, and presenting cycles with the provenance of every answer.
import type { Context } from 'hono';
import { getCycle, type CycleRow } from '../store/cycles.js';
import type { Driver } from '../store/driver.js';
import { methodologyRef } from '../store/methodologies.js';
import { decisionOf, type Status } from '../store/workflow.js';
import type { AppEnv } from './env.js';
import { ApiProblem } from './problem.js';
import type { View } from './visibility.js';

export const SYNTHETIC_NOTICE = 'SYNTHETIC demo data: generated from a fixed seed, not real PAR INDEX scores.';

export async function requireCycle(c: Context<AppEnv>, year: number, unitType: string): Promise<CycleRow> {
  const cycle = await getCycle(c.get('driver'), year, unitType);
  if (!cycle) throw new ApiProblem('not-found', `No ${unitType} cycle for ${year}. GET /v1/cycles lists them.`);
  return cycle;
}

export async function presentCycle(d: Driver, cycle: CycleRow) {
  return presentCycleWith(cycle, await methodologyRef(d, cycle.methodologyId, cycle.methodologyVersion));
}

/** A cycle as the API shows it, its methodology reference read already (a list reads them all in one query). */
export function presentCycleWith(cycle: CycleRow, methodology: Awaited<ReturnType<typeof methodologyRef>>) {
  return {
    year: cycle.year, unitType: cycle.unitType as 'province' | 'ministry',
    methodology,
    status: cycle.status as Status, revision: cycle.revision, dataVersion: cycle.dataVersion, synthetic: cycle.synthetic, createdAt: cycle.createdAt,
  };
}

/** A publication is served as it was published, whatever the cycle's phase now. */
export function asServed(cycle: CycleRow, view: View): CycleRow {
  if (view.kind === 'live') return cycle;
  const { revision } = view.frozen;
  return {
    ...cycle, status: 'published', revision: revision.revision, dataVersion: view.frozen.report.cycle.dataVersion,
    methodologyId: revision.methodologyId, methodologyVersion: revision.methodologyVersion,
  };
}

export function servedRevision(cycle: CycleRow, view: View) {
  if (view.kind === 'live') return { kind: 'draft' as const, dataVersion: cycle.dataVersion };
  const r = view.frozen.revision;
  return { kind: 'publication' as const, revision: r.revision, contentHash: r.contentHash, publishedAt: r.publishedAt, reason: r.reason, decision: decisionOf(r) };
}

/** The provenance block of an answer built from the cycle's data as the view serves it. */
export async function provenance(c: Context<AppEnv>, cycle: CycleRow, view: View) {
  return {
    cycle: await presentCycle(c.get('driver'), asServed(cycle, view)),
    revision: servedRevision(cycle, view),
    notice: cycle.synthetic ? SYNTHETIC_NOTICE : null,
  };
}
