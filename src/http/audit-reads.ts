// Reading the audit trail, the one path for the API (GET /v1/audit) and the workspace's audit
// screen: admins read everything, a unit key its own unit's; filters, newest first, a page at a time.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AUDIT_ACTIONS, auditPeriod, listAudit } from '../store/audit.js';
import { getCycle, getCycleById } from '../store/cycles.js';
import type { Driver } from '../store/driver.js';
import { requireRole } from './auth.js';
import type { AppEnv } from './env.js';
import { ApiProblem } from './problem.js';
import { QueryInt, UnitType } from './schemas.js';

const isoTime = z.string().max(40).refine((t) => auditPeriod(t) !== undefined, 'a real date (YYYY-MM-DD) or time (YYYY-MM-DDThh:mm[:ss[.sss]][Z|±hh:mm])');

export const AuditAction = z.enum(AUDIT_ACTIONS);

export const AuditQuery = z.object({
  year: QueryInt(1990, 2100).optional(), unitType: UnitType.optional(), unit: z.string().max(40).optional(),
  actor: z.string().max(100).optional().describe('key id'),
  action: AuditAction.optional().describe('one kind of write'),
  from: isoTime.optional().openapi({ description: 'from the start of the period it names: a date is the whole day (UTC unless an offset is given)', example: '2026-12-01' }),
  to: isoTime.optional().openapi({ description: 'to the end of the period it names, inclusive: to=2026-12-02 is the whole of that day', example: '2026-12-02' }),
  cursor: z.string().regex(/^[1-9]\d{0,15}$/).optional().openapi({ description: 'from the previous page\'s `next` (or its Link rel="next")' }),
  limit: QueryInt(1, 1000).optional().openapi({ description: 'entries per page, default 100' }),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

/** A page of the audit trail as the caller may read it; `next`: the cursor of the following page, or null. */
export async function readAudit(c: Context<AppEnv>, q: AuditQuery) {
  const actor = requireRole(c, 'admin', 'unit');
  if (actor.role === 'unit' && q.unit && q.unit !== actor.unit) throw new ApiProblem('forbidden', `Your key sees the audit of unit ${actor.unit} only.`);
  const d = c.get('driver');
  let cycleId: number | undefined;
  if (q.year !== undefined || q.unitType) {
    const cycle = q.year !== undefined && q.unitType ? await getCycle(d, q.year, q.unitType) : undefined;
    if (!cycle) throw new ApiProblem('not-found', 'Filter by cycle with both year and unitType of an existing cycle.');
    cycleId = cycle.id;
  }
  const limit = q.limit ?? 100;
  const rows = await listAudit(d, {
    cycleId, unit: actor.role === 'unit' ? actor.unit! : q.unit, actor: q.actor, action: q.action, from: q.from, to: q.to,
    before: q.cursor === undefined ? undefined : Number(q.cursor), limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const next = rows.length > limit ? String(page[page.length - 1].id) : null;
  const cycles = new Map<number, { year: number; unitType: string }>();
  for (const r of page) if (r.cycleId !== null && !cycles.has(r.cycleId)) cycles.set(r.cycleId, await cycleRef(d, r.cycleId));
  return { entries: page.map(({ cycleId: id, ...r }) => ({ ...r, cycle: id === null ? null : cycles.get(id)! })), next };
}

export type AuditPage = Awaited<ReturnType<typeof readAudit>>;

async function cycleRef(d: Driver, id: number) {
  const row = await getCycleById(d, id);
  return row ? { year: row.year, unitType: row.unitType } : { year: 0, unitType: 'unknown' };
}
