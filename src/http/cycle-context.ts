// Finding the cycle a route names, and presenting cycles.
import type { Context } from 'hono';
import { getCycle, type CycleRow } from '../store/cycles.js';
import type { Status } from '../store/workflow.js';
import type { AppEnv } from './env.js';
import { ApiProblem } from './problem.js';

export async function requireCycle(c: Context<AppEnv>, year: number, unitType: string): Promise<CycleRow> {
  const cycle = await getCycle(c.get('driver'), year, unitType);
  if (!cycle) throw new ApiProblem('not-found', `No ${unitType} cycle for ${year}. GET /v1/cycles lists them.`);
  return cycle;
}

export function presentCycle(cycle: CycleRow) {
  return {
    year: cycle.year, unitType: cycle.unitType,
    methodology: { id: cycle.methodologyId, version: cycle.methodologyVersion },
    status: cycle.status as Status, revision: cycle.revision, dataVersion: cycle.dataVersion, synthetic: cycle.synthetic, createdAt: cycle.createdAt,
  };
}
