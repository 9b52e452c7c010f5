// Which version of a cycle a reader gets. Admins and appraisers read the live draft; a unit key
// reads its own unit's draft; everyone else reads the latest published revision (frozen), or
// a revision they name. A cycle never published is not shown to those who may not see drafts.
import type { Context } from 'hono';
import type { CycleRow } from '../store/cycles.js';
import { getRevision, type FrozenRevision } from '../store/workflow.js';
import { requireRole, seesDraftsOf } from './auth.js';
import type { AppEnv } from './env.js';
import { ApiProblem } from './problem.js';

export type View = { kind: 'live' } | { kind: 'revision'; frozen: FrozenRevision };

export async function viewFor(c: Context<AppEnv>, cycle: CycleRow, options: { revision?: number; unit?: string } = {}): Promise<View> {
  if (options.revision !== undefined) return { kind: 'revision', frozen: await revisionOf(c, cycle, options.revision) };
  if (seesDraftsOf(c.get('actor'), options.unit)) return { kind: 'live' };
  if (cycle.revision > 0) return { kind: 'revision', frozen: await revisionOf(c, cycle, cycle.revision) };
  requireRole(c, 'admin', 'appraiser');
  throw new ApiProblem('forbidden', 'This cycle is not published.');
}

export async function revisionOf(c: Context<AppEnv>, cycle: CycleRow, revision: number): Promise<FrozenRevision> {
  const frozen = revision >= 1 ? await getRevision(c.get('driver'), cycle.id, revision) : undefined;
  if (!frozen) throw new ApiProblem('not-found', `The ${cycle.year} ${cycle.unitType} cycle has no published revision ${revision} (latest: ${cycle.revision || 'none'}).`);
  return frozen;
}
