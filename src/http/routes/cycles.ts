// Cycles: a year of one unit type scored with one methodology version.
import { z } from '@hono/zod-openapi';
import { cycleInsert, getCycle, listCycles } from '../../store/cycles.js';
import { getMethodology } from '../../store/methodologies.js';
import { auditCycleCreate } from '../../store/audit.js';
import { diffRevisions, listRevisions, STATUSES, transition, TRANSITIONS } from '../../store/workflow.js';
import { requireRole, roleGuard } from '../auth.js';
import { writeContext } from '../env.js';
import { presentCycle, provenance, requireCycle } from '../cycle-context.js';
import { conditional, IMMUTABLE, REVALIDATE, weakEtag } from '../conditional.js';
import { requireMediaType } from '../middleware.js';
import { nfcText, CyclePath, CycleStatus, DateTime, orNull, Provenance, ScoreValueOut } from '../schemas.js';
import { revisionOf } from '../visibility.js';

const requireAdmin = roleGuard('admin');

const StatusIn = z.object({
  status: z.enum(STATUSES),
  reason: nfcText(2000).optional().describe('required to open a correction; recorded in the audit'),
}).strict().openapi('StatusIn');

const RevisionOut = z.object({
  revision: z.number().int(), methodologyId: z.string(), methodologyVersion: z.number().int(),
  contentHash: z.string().describe('SHA-256 (hex) of the frozen revision'),
  publishedAt: DateTime, publishedBy: z.string().describe('the publishing key\'s id'), reason: z.string().nullable(),
}).openapi('Revision');

const fromTo = <T extends z.ZodType>(t: T) => z.object({ from: t, to: t });
const Diff = z.object({
  ...Provenance,
  from: z.number().int().describe('the earlier revision'), to: z.number().int().describe('the later revision'),
  scores: z.array(z.object({ unit: z.string(), indicator: z.string(), source: z.string(), from: ScoreValueOut, to: ScoreValueOut })),
  units: z.array(z.object({
    unit: z.string(),
    index: fromTo(z.number().nullable()).describe('index points'),
    rank: fromTo(z.number().int().nullable()),
    group: fromTo(z.string().nullable()),
  })),
}).openapi('RevisionDiff');
import { ApiProblem, problemResponses } from '../problem.js';
import { createRouter, defineRoute } from '../router.js';
import { Cycle, UnitType } from '../schemas.js';
import type { Context } from 'hono';
import type { AppEnv } from '../env.js';
import type { CycleRow } from '../../store/cycles.js';

const CycleIn = z.object({
  year: z.number().int().min(1990).max(2100).openapi({ example: 2025 }),
  unitType: UnitType,
  methodology: z.string().min(1).max(100).describe('methodology id').openapi({ example: 'par-province-2022' }),
  methodologyVersion: z.number().int().positive().optional().describe('default: the latest version'),
}).strict().openapi('CycleIn');

const CycleList = z.object({
  cycles: z.array(Cycle),
  latestPublication: z.record(z.string(), z.number().int()).describe('per unit type: the year of its latest published cycle'),
}).openapi('CycleList');

/** Cycles change with every write: revalidated by their state, never cached as immutable. */
function cycleListEtag(rows: CycleRow[]): string {
  return weakEtag('cycles', ...rows.map((r) => `${r.id}-${r.status}-${r.revision}-${r.dataVersion}`));
}

async function presentAll(c: Context<AppEnv>, rows: CycleRow[]) {
  return Promise.all(rows.map((r) => presentCycle(c.get('driver'), r)));
}

export const cycles = createRouter()
  .openapi(defineRoute({
    method: 'get', path: '/v1/cycles', tags: ['Cycles'], summary: 'Every cycle, with the latest publication per unit type',
    operationId: 'listCycles', access: { public: true }, conditional: true,
    request: { query: z.object({ unitType: UnitType.optional(), status: CycleStatus.optional() }) },
    responses: { 200: { description: 'Cycles by unit type and year', content: { 'application/json': { schema: CycleList } } }, ...problemResponses(400) },
  }), async (c) => {
    const { unitType, status } = c.req.valid('query');
    const all = await listCycles(c.get('driver'), unitType);
    const notModified = conditional(c, cycleListEtag(all), REVALIDATE);
    if (notModified) return notModified as never;
    const latestPublication: Record<string, number> = {};
    for (const r of all) if (r.revision > 0) latestPublication[r.unitType] = Math.max(latestPublication[r.unitType] ?? 0, r.year);
    return c.json({ cycles: await presentAll(c, all.filter((r) => !status || r.status === status)), latestPublication }, 200);
  })
  .openapi(defineRoute({
    method: 'post', path: '/v1/cycles', tags: ['Cycles'], summary: 'Open a cycle for a year and unit type',
    operationId: 'createCycle', access: { roles: ['admin'] },
    middleware: [requireAdmin, requireMediaType('application/json')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: CycleIn } } } },
    responses: {
      201: { description: 'The new cycle', content: { 'application/json': { schema: Cycle } } },
      ...problemResponses(400, 401, 403, 404, 409, 415, 422),
    },
  }), async (c) => {
    const d = c.get('driver');
    const body = c.req.valid('json');
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
    const created = (await getCycle(d, body.year, body.unitType))!;
    c.header('location', `/v1/cycles?unitType=${created.unitType}`);
    return c.json(await presentCycle(d, created), 201);
  })
  .openapi(defineRoute({
    method: 'post', path: '/v1/cycles/{year}/{unitType}/status', tags: ['Cycles'],
    summary: 'Move a cycle to its next phase: open → appraisal → review → published; published → correction → published (next revision)',
    description: 'appraisal: admin; review: admin or appraiser; published: admin (freezes a revision with a content hash); correction: admin, with a reason. From any other phase: 409.',
    operationId: 'changeCycleStatus', access: { roles: ['admin', 'appraiser'] },
    middleware: [roleGuard('admin', 'appraiser'), requireMediaType('application/json')] as const,
    request: { params: CyclePath, body: { required: true, content: { 'application/json': { schema: StatusIn } } } },
    responses: {
      200: { description: 'The cycle after the transition', content: { 'application/json': { schema: Cycle.extend({ published: orNull(RevisionOut).describe('the revision this transition published; null for other transitions') }).openapi('CycleTransition') } } },
      ...problemResponses(400, 401, 403, 404, 409, 415, 422),
    },
  }), async (c) => {
    const { year, unitType } = c.req.valid('param');
    const { status, reason } = c.req.valid('json');
    const cycle = await requireCycle(c, year, unitType);
    if (status === 'open') throw new ApiProblem('conflict', 'A cycle opens when it is created; it cannot go back to open.');
    const rule = TRANSITIONS[status];
    requireRole(c, ...(rule.roles as ('admin' | 'appraiser')[]));
    if (!rule.from.includes(cycle.status as never)) {
      throw new ApiProblem('conflict', `The cycle is ${cycle.status}; ${status} follows ${rule.from.join(' or ')} only.`);
    }
    if (rule.reason && !reason) throw new ApiProblem('validation-failed', `Moving to ${status} needs a reason.`, [{ pointer: '/reason', field: 'reason', message: 'required' }]);
    const revision = await transition(c.get('driver'), writeContext(c), cycle, status, reason ?? null);
    const after = (await getCycle(c.get('driver'), year, unitType))!;
    const { cycleId: _c, ...published } = revision ?? ({} as never);
    return c.json({ ...(await presentCycle(c.get('driver'), after)), published: revision ? published : null }, 200);
  })
  .openapi(defineRoute({
    method: 'get', path: '/v1/cycles/{year}/{unitType}/revisions', tags: ['Cycles'], summary: 'Published revisions of a cycle, latest first',
    operationId: 'listRevisions', access: { public: true }, conditional: true,
    request: { params: CyclePath },
    responses: { 200: { description: 'Revisions', content: { 'application/json': { schema: z.object({ revisions: z.array(RevisionOut) }).openapi('RevisionList') } } }, ...problemResponses(400, 404) },
  }), async (c) => {
    const { year, unitType } = c.req.valid('param');
    const cycle = await requireCycle(c, year, unitType);
    const notModified = conditional(c, weakEtag('revisions', cycle.id, cycle.revision), REVALIDATE);
    if (notModified) return notModified as never;
    return c.json({ revisions: (await listRevisions(c.get('driver'), cycle.id)).map(({ cycleId: _, ...r }) => r) }, 200);
  })
  .openapi(defineRoute({
    method: 'get', path: '/v1/cycles/{year}/{unitType}/revisions/{from}/diff/{to}', tags: ['Cycles'],
    summary: 'What changed between two published revisions: scores, indexes, ranks, groups',
    operationId: 'diffRevisions', access: { public: true }, conditional: true,
    request: { params: CyclePath.extend({ from: RevisionNumber('from'), to: RevisionNumber('to') }) },
    responses: { 200: { description: 'The differences', content: { 'application/json': { schema: Diff } } }, ...problemResponses(400, 404) },
  }), async (c) => {
    const { year, unitType, from, to } = c.req.valid('param');
    const cycle = await requireCycle(c, year, unitType);
    const [a, b] = [await revisionOf(c, cycle, from), await revisionOf(c, cycle, to)];
    const notModified = conditional(c, weakEtag('diff', cycle.id, a.revision.contentHash.slice(0, 16), b.revision.contentHash.slice(0, 16)), IMMUTABLE);
    if (notModified) return notModified as never;
    const view = { kind: 'revision' as const, frozen: b };
    return c.json({ ...(await provenance(c, cycle, view)), from, to, ...diffRevisions(a, b) } as never, 200);
  });

function RevisionNumber(name: string) {
  return z.string().regex(/^[1-9]\d{0,8}$/, 'a published revision number').transform(Number)
    .openapi({ param: { name, in: 'path' }, type: 'integer', minimum: 1, example: 1 });
}
