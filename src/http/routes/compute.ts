// Stateless computation for third parties and what-if work: methodology, scores and units in,
// ranked results and statistics out; nothing is stored.
import { z } from '@hono/zod-openapi';
import { computeCycle, evaluate, EXAMPLE_METHODOLOGY, MethodologyInput, MissingRule, Mode, prepareScores, rankUncertainty, ScoreInput, UnitInput } from '../../engine/index.js';
import { UncertaintyIn, UncertaintyOut } from './analysis.js';
import { compileDocument } from './methodologies.js';
import { limitBody, MiB, requireMediaType } from '../middleware.js';
import { ApiProblem, problemResponses } from '../problem.js';
import { createRouter, defineRoute } from '../router.js';
import { NodeResult, Statistics } from '../schemas.js';

export const MAX_COMPUTE_UNITS = 10_000;

const EXAMPLE_IN = {
  methodology: EXAMPLE_METHODOLOGY,
  scores: [
    { unit: '01', indicator: '1', value: 80 }, { unit: '01', indicator: '2', value: { A: 120, B: 30, C: 10, D: 5 } },
    { unit: '79', indicator: '1', value: 95 }, { unit: '79', indicator: '2', value: { A: 90, B: 60, C: 10, D: 0 } },
  ],
  units: [{ code: '01', attributes: { region: 'RRD' } }, { code: '79', attributes: { region: 'SE' } }],
};

function withRounding<T extends { methodology: object }>(out: T, rounding: number) {
  return { ...out, methodology: { ...out.methodology, rounding } };
}

/** The example answer is the engine's own answer to the example request: it cannot be wrong. */
const EXAMPLE_OUT = withRounding(computeCycle({ methodology: EXAMPLE_METHODOLOGY, scores: EXAMPLE_IN.scores, units: EXAMPLE_IN.units }), EXAMPLE_METHODOLOGY.rounding);

const ComputeIn = z.object({
  methodology: MethodologyInput,
  scores: z.array(ScoreInput),
  units: z.array(UnitInput).optional().describe('units with attributes such as region; default: the units the scores name'),
  uncertainty: UncertaintyIn.optional().describe('also run the Monte Carlo rank uncertainty over the domain weights'),
}).strict().openapi('ComputeIn', { examples: [EXAMPLE_IN] });

const ComputeOut = z.object({
  methodology: z.object({
    id: z.string(), version: z.number().int(), mode: Mode, missing: MissingRule,
    rounding: z.number().int().describe('decimals to show when displaying these numbers (they are not rounded)'),
  }),
  results: z.array(z.object({
    unit: z.string(),
    index: z.number().nullable().describe('index points: 0–100 in points mode (total / max × 100); null when the unit has no data'),
    rank: z.number().int().nullable().describe('competition rank (1, 2, 2, 4) on unrounded indexes; null for units not ranked'),
    group: z.string().nullable(),
    rankWithin: z.record(z.string(), z.number().int().nullable()).describe('rank among the units sharing an attribute, e.g. {"region": 3}'),
    ranked: z.boolean(),
    attributes: z.record(z.string(), z.string().nullable()),
    missing: z.number().int().describe('leaves without a value'), imputed: z.number().int().describe('leaves whose value was imputed'),
    nodes: z.record(z.string(), NodeResult).describe('every node by code'),
  })).describe('ranked units first, by rank'),
  statistics: Statistics,
  uncertainty: UncertaintyOut.optional(),
}).openapi('ComputeOut', { examples: [EXAMPLE_OUT] });

export const compute = createRouter().openapi(defineRoute({
  method: 'post', path: '/v1/compute', tags: ['Compute'],
  summary: 'Compute an index from an inline methodology and scores; nothing is stored',
  description: `The methodology is validated like POST /v1/methodologies: unknown keys are refused, and every problem carries a JSON Pointer into this body (/methodology/nodes/1/max). Limits: 5 MiB body (413), ${MAX_COMPUTE_UNITS.toLocaleString('en')} units (422).`,
  operationId: 'computeIndex', access: { public: true },
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
  const compiled = compileDocument(body.methodology, '/methodology');
  const out = withRounding(computeCycle({ methodology: compiled, scores: body.scores, units: body.units }), compiled.methodology.rounding);
  if (!body.uncertainty) return c.json(out, 200);
  const matrix = prepareScores(compiled, body.scores, body.units);
  return c.json({ ...out, uncertainty: rankUncertainty(compiled, matrix.units, evaluate(compiled, matrix), body.uncertainty) } as never, 200);
});
