// Opening a cycle and moving it through its phases: the one path for the API (POST /v1/cycles,
// POST …/status) and the secretariat's workspace forms. The same schemas validate both, the same
// guards (role, phase, reason, decision) refuse both, and the same store functions write.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { auditCycleCreate } from '../store/audit.js';
import { cycleInsert, getCycle, type CycleRow } from '../store/cycles.js';
import { getMethodology } from '../store/methodologies.js';
import { STATUSES, transition, TRANSITIONS, type RevisionRow } from '../store/workflow.js';
import { requireRole } from './auth.js';
import { requireCycle } from './cycle-context.js';
import { writeContext, type AppEnv } from './env.js';
import { ApiProblem } from './problem.js';
import { validationProblem } from './router.js';
import { Decision, nfcText, UnitType } from './schemas.js';

export const CycleIn = z.object({
  year: z.number().int().min(1990).max(2100).openapi({ example: 2025 }),
  unitType: UnitType,
  methodology: z.string().min(1).max(100).describe('methodology id').openapi({ example: 'par-province-2022' }),
  methodologyVersion: z.number().int().positive().optional().describe('default: the latest version'),
}).strict().openapi('CycleIn');
export type CycleInput = z.infer<typeof CycleIn>;

export const StatusIn = z.object({
  status: z.enum(STATUSES),
  reason: nfcText(2000, { multiline: true }).optional().describe('required to open a correction; recorded in the audit'),
  decision: Decision.optional().describe('with status published only: the decision that publishes the revision (each correction\'s publication has its own). Optional, so that clients written before it still publish; the workspace always asks for it'),
}).strict().openapi('StatusIn');
export type StatusInput = z.infer<typeof StatusIn>;

/** A body checked by a route's own schema, outside the route (a workspace form): 422 listing its errors. */
export function validated<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationProblem(parsed.error.issues, 'json');
  return parsed.data;
}

/** Opens a cycle with a stored methodology (the latest version unless one is named); audited. */
export async function openCycle(c: Context<AppEnv>, body: CycleInput): Promise<CycleRow> {
  requireRole(c, 'admin');
  const d = c.get('driver');
  const methodology = await getMethodology(d, body.methodology, body.methodologyVersion);
  if (!methodology) throw new ApiProblem('validation-failed', `No methodology ${body.methodology}${body.methodologyVersion ? ` version ${body.methodologyVersion}` : ''}.`, [{ pointer: '/methodology', field: 'methodology', message: 'unknown methodology' }]);
  if (methodology.unitType !== body.unitType) {
    throw new ApiProblem('validation-failed', `Methodology ${methodology.id} ranks ${methodology.unitType} units, not ${body.unitType}.`, [{ pointer: '/unitType', field: 'unitType', message: `must be ${methodology.unitType} for this methodology` }]);
  }
  if (await getCycle(d, body.year, body.unitType)) throw new ApiProblem('conflict', `A ${body.unitType} cycle for ${body.year} already exists.`);
  await d.atomic([
    cycleInsert(d, { year: body.year, unitType: body.unitType, methodologyId: methodology.id, methodologyVersion: methodology.version }),
    auditCycleCreate(d, writeContext(c), body.year, body.unitType, { year: body.year, unitType: body.unitType, methodology: { id: methodology.id, version: methodology.version } }),
  ]);
  return (await getCycle(d, body.year, body.unitType))!;
}

/**
 * Moves a cycle to its next phase if the caller's role may make that move from its phase now:
 * a correction needs a reason, a decision goes with a publication only. Returns the cycle after
 * the move and the revision it published (null for other moves).
 */
export async function changeStatus(c: Context<AppEnv>, year: number, unitType: string, body: StatusInput): Promise<{ cycle: CycleRow; published: RevisionRow | null }> {
  requireRole(c, 'admin', 'appraiser');
  const { status, reason, decision } = body;
  const cycle = await requireCycle(c, year, unitType);
  if (status === 'open') throw new ApiProblem('conflict', 'A cycle opens when it is created; it cannot go back to open.');
  const rule = TRANSITIONS[status];
  requireRole(c, ...(rule.roles as ('admin' | 'appraiser')[]));
  if (!rule.from.includes(cycle.status as never)) {
    throw new ApiProblem('conflict', `The cycle is ${cycle.status}; ${status} follows ${rule.from.join(' or ')} only.`);
  }
  if (rule.reason && !reason) throw new ApiProblem('validation-failed', `Moving to ${status} needs a reason.`, [{ pointer: '/reason', field: 'reason', message: 'required' }]);
  if (decision && status !== 'published') throw new ApiProblem('validation-failed', 'A decision goes with a publication (status published) only.', [{ pointer: '/decision', field: 'decision', message: 'only with status published' }]);
  const published = await transition(c.get('driver'), writeContext(c), cycle, status, reason ?? null, decision ?? null);
  return { cycle: (await getCycle(c.get('driver'), year, unitType))!, published };
}
