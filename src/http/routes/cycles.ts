// Cycles: a year of one unit type scored with one methodology version.
import { createRoute, z } from '@hono/zod-openapi';
import { cycleInsert, getCycle, listCycles } from '../../store/cycles.js';
import { getMethodology } from '../../store/methodologies.js';
import { auditCycleCreate } from '../../store/audit.js';
import { diffRevisions, listRevisions, STATUSES, transition, TRANSITIONS } from '../../store/workflow.js';
import { requireRole, roleGuard } from '../auth.js';
import { writeContext } from '../env.js';
import { presentCycle as present, requireCycle } from '../cycle-context.js';
import { requireMediaType } from '../middleware.js';
import { nfcText, CyclePath } from '../schemas.js';
import { revisionOf } from '../visibility.js';

const requireAdmin = roleGuard('admin');

const StatusIn = z.object({
  status: z.enum(STATUSES),
  reason: nfcText(2000).optional().describe('required to open a correction; recorded in the audit'),
}).strict().openapi('StatusIn');

const RevisionOut = z.object({
  revision: z.number().int(), methodologyId: z.string(), methodologyVersion: z.number().int(), contentHash: z.string(),
  publishedAt: z.string(), publishedBy: z.string(), reason: z.string().nullable(),
}).openapi('Revision');

const Diff = z.object({
  from: z.number().int(), to: z.number().int(),
  scores: z.array(z.object({ unit: z.string(), indicator: z.string(), source: z.string(), before: z.unknown(), after: z.unknown() })),
  units: z.array(z.object({
    unit: z.string(),
    index: z.object({ before: z.number().nullable(), after: z.number().nullable() }),
    rank: z.object({ before: z.number().int().nullable(), after: z.number().int().nullable() }),
    group: z.object({ before: z.string().nullable(), after: z.string().nullable() }),
  })),
}).openapi('RevisionDiff');
import { ApiProblem, problemResponses } from '../problem.js';
import { createRouter } from '../router.js';
import { Cycle, UnitType } from '../schemas.js';

const CycleIn = z.object({
  year: z.number().int().min(1990).max(2100),
  unitType: UnitType,
  methodology: z.string().min(1).describe('methodology id'),
  methodologyVersion: z.number().int().positive().optional().describe('default: the latest version'),
}).strict().openapi('CycleIn');

export const cycles = createRouter()
  .openapi(createRoute({
    method: 'get', path: '/v1/cycles', tags: ['Cycles'], summary: 'Every cycle',
    request: { query: z.object({ unitType: UnitType.optional() }) },
    responses: { 200: { description: 'Cycles by unit type and year', content: { 'application/json': { schema: z.object({ cycles: z.array(Cycle) }) } } }, ...problemResponses(400) },
  }), async (c) => c.json({ cycles: (await listCycles(c.get('driver'), c.req.valid('query').unitType)).map(present) }, 200))
  .openapi(createRoute({
    method: 'post', path: '/v1/cycles', tags: ['Cycles'], summary: 'Open a cycle for a year and unit type',
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
    c.header('location', `/v1/cycles/${created.year}/${created.unitType}/results`);
    return c.json(present(created), 201);
  })
  .openapi(createRoute({
    method: 'post', path: '/v1/cycles/{year}/{unitType}/status', tags: ['Cycles'],
    summary: 'Move a cycle to its next phase: open → appraisal → review → published; published → correction → published (next revision)',
    description: 'appraisal: admin; review: admin or appraiser; published: admin (freezes a revision with a content hash); correction: admin, with a reason. From any other phase: 409.',
    middleware: [roleGuard('admin', 'appraiser'), requireMediaType('application/json')] as const,
    request: { params: CyclePath, body: { required: true, content: { 'application/json': { schema: StatusIn } } } },
    responses: {
      200: { description: 'The cycle after the transition', content: { 'application/json': { schema: Cycle.extend({ published: RevisionOut.nullable() }) } } },
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
    return c.json({ ...present(after), published: revision ? published : null }, 200);
  })
  .openapi(createRoute({
    method: 'get', path: '/v1/cycles/{year}/{unitType}/revisions', tags: ['Cycles'], summary: 'Published revisions of a cycle, latest first',
    request: { params: CyclePath },
    responses: { 200: { description: 'Revisions', content: { 'application/json': { schema: z.object({ revisions: z.array(RevisionOut) }) } } }, ...problemResponses(400, 404) },
  }), async (c) => {
    const { year, unitType } = c.req.valid('param');
    const cycle = await requireCycle(c, year, unitType);
    return c.json({ revisions: (await listRevisions(c.get('driver'), cycle.id)).map(({ cycleId: _, ...r }) => r) }, 200);
  })
  .openapi(createRoute({
    method: 'get', path: '/v1/cycles/{year}/{unitType}/revisions/{a}/diff/{b}', tags: ['Cycles'],
    summary: 'What changed between two published revisions: scores, indexes, ranks, groups',
    request: { params: CyclePath.extend({ a: z.coerce.number().int().positive().openapi({ param: { name: 'a', in: 'path' } }), b: z.coerce.number().int().positive().openapi({ param: { name: 'b', in: 'path' } }) }) },
    responses: { 200: { description: 'The differences', content: { 'application/json': { schema: Diff } } }, ...problemResponses(400, 404) },
  }), async (c) => {
    const { year, unitType, a, b } = c.req.valid('param');
    const cycle = await requireCycle(c, year, unitType);
    const diff = diffRevisions(await revisionOf(c, cycle, a), await revisionOf(c, cycle, b));
    return c.json({ from: a, to: b, ...diff } as never, 200);
  });
