// Cycles: a year of one unit type scored with one methodology version.
import { createRoute, z } from '@hono/zod-openapi';
import { cycleInsert, getCycle, listCycles } from '../../store/cycles.js';
import { getMethodology } from '../../store/methodologies.js';
import { presentCycle } from '../cycle-context.js';
import { requireMediaType } from '../middleware.js';
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
  }), async (c) => c.json({ cycles: (await listCycles(c.get('driver'), c.req.valid('query').unitType)).map(presentCycle) }, 200))
  .openapi(createRoute({
    method: 'post', path: '/v1/cycles', tags: ['Cycles'], summary: 'Open a cycle for a year and unit type',
    middleware: [requireMediaType('application/json')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: CycleIn } } } },
    responses: {
      201: { description: 'The new cycle', content: { 'application/json': { schema: Cycle } } },
      ...problemResponses(400, 404, 409, 415, 422),
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
    await d.atomic([cycleInsert(d, { year: body.year, unitType: body.unitType, methodologyId: methodology.id, methodologyVersion: methodology.version })]);
    const created = (await getCycle(d, body.year, body.unitType))!;
    c.header('location', `/v1/cycles/${created.year}/${created.unitType}/results`);
    return c.json(presentCycle(created), 201);
  });
