// Stateless computation for third parties and what-if work: methodology, scores and units in,
// ranked results and statistics out; nothing is stored.
import { createRoute, z } from '@hono/zod-openapi';
import { compileMethodology, computeCycle, evaluate, prepareScores, rankUncertainty, ScoreInput, UnitInput } from '../../engine/index.js';
import { UncertaintyIn, UncertaintyOut } from './analysis.js';
import { limitBody, MiB, requireMediaType } from '../middleware.js';
import { ApiProblem, problemResponses } from '../problem.js';
import { createRouter } from '../router.js';
import { NodeResult, Statistics } from '../schemas.js';

export const MAX_COMPUTE_UNITS = 10_000;

const ComputeIn = z.object({
  methodology: z.record(z.string(), z.unknown()).describe('a methodology document (see GET /v1/methodologies/{id}); validated with messages naming the node'),
  scores: z.array(ScoreInput),
  units: z.array(UnitInput).optional().describe('units with attributes such as region; default: the units the scores name'),
  uncertainty: UncertaintyIn.optional().describe('also run the Monte Carlo rank uncertainty over the domain weights'),
}).strict().openapi('ComputeIn');

const ComputeOut = z.object({
  methodology: z.object({ id: z.string(), version: z.number().int(), mode: z.string(), missing: z.string() }),
  results: z.array(z.object({
    unit: z.string(), index: z.number().nullable(), rank: z.number().int().nullable(), group: z.string().nullable(),
    rankWithin: z.record(z.string(), z.number().int().nullable()), ranked: z.boolean(),
    attributes: z.record(z.string(), z.string().nullable()), missing: z.number().int(), imputed: z.number().int(),
    nodes: z.record(z.string(), NodeResult),
  })),
  statistics: Statistics,
  uncertainty: UncertaintyOut.optional(),
}).openapi('ComputeOut');

export const compute = createRouter().openapi(createRoute({
  method: 'post', path: '/v1/compute', tags: ['Compute'],
  summary: 'Compute an index from an inline methodology and scores; nothing is stored',
  description: `Limits: 5 MiB body (413), ${MAX_COMPUTE_UNITS.toLocaleString('en')} units (422).`,
  middleware: [limitBody(5 * MiB), requireMediaType('application/json')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: ComputeIn } } } },
  responses: {
    200: { description: 'Ranked results and statistics', content: { 'application/json': { schema: ComputeOut } } },
    ...problemResponses(400, 413, 415, 422),
  },
}), (c) => {
  const body = c.req.valid('json');
  const units = body.units ?? [...new Set(body.scores.map((s) => s.unit))].map((code) => ({ code }));
  if (units.length > MAX_COMPUTE_UNITS) throw new ApiProblem('too-many-units', `${units.length} units: at most ${MAX_COMPUTE_UNITS} per computation.`);
  const compiled = compileMethodology(body.methodology);
  const out = computeCycle({ methodology: compiled, scores: body.scores, units: body.units });
  if (!body.uncertainty) return c.json(out, 200);
  const matrix = prepareScores(compiled, body.scores, body.units);
  return c.json({ ...out, uncertainty: rankUncertainty(compiled, matrix.units, evaluate(compiled, matrix), body.uncertainty) } as never, 200);
});

