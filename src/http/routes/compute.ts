// Stateless computation for third parties and what-if work: methodology, scores and units in,
// ranked results and statistics out; nothing is stored.
import { z } from '@hono/zod-openapi';
import {
  BUDGETS, checkAnswerBudget, checkComputeBudget, checkUncertaintyBudget, computeCycle, describeEvaluation, EngineError, evaluate,
  EXAMPLE_METHODOLOGY, MethodologyInput, MissingRule, Mode, prepareScores, rankUncertainty, ScoreInput, UnitInput,
} from '../../engine/index.js';
import { UncertaintyIn, UncertaintyOut } from './analysis.js';
import { checkBudget, compileDocument, cutNote, METHODOLOGY_LIMITS, methodologyBudget, preflight } from './methodologies.js';
import { limitBody, MiB, requireMediaType } from '../middleware.js';
import { MAX_LISTED_ERRORS } from '../permissions.js';
import { ApiProblem, issuesToErrors, problemResponses } from '../problem.js';
import { createRouter, defineRoute } from '../router.js';
import { NodeResult, Statistics } from '../schemas.js';

const n = (x: number) => x.toLocaleString('en');
/**
 * A provincial cycle inline is ~400 KiB (63 units × 100 leaves); 2 MiB holds the 50,000 scores the
 * cells budget allows. 5 MiB of bad rows took 0.6–1.8 s of CPU to validate and refuse.
 */
export const COMPUTE_BODY = 2 * MiB;
/** The limits of one computation, as the contract states them (from the engine's budgets). */
export const COMPUTE_LIMITS = [
  `${COMPUTE_BODY / MiB} MiB body (413)`,
  `${METHODOLOGY_LIMITS}`,
  `${n(BUDGETS.computeUnits)} units, ${n(BUDGETS.cells)} units × nodes and an answer estimated at ${BUDGETS.responseBytes / MiB} MiB (422, before computing)`,
  `uncertainty: ${n(BUDGETS.draws)} draws, ${n(BUDGETS.drawUnits)} draws × units and ${n(BUDGETS.drawCells)} draws × units × domains (422)`,
].join('; ');

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
  description: `The methodology is validated like POST /v1/methodologies: unknown keys are refused, and every problem carries a JSON Pointer into this body (/methodology/nodes/1/max). Limits (each answered with a problem naming the limit and nothing computed): ${COMPUTE_LIMITS}.`,
  operationId: 'computeIndex', access: { public: true },
  middleware: [limitBody(COMPUTE_BODY), requireMediaType('application/json'), preflight(methodologyBudget('/methodology', methodologyOf))] as const,
  request: { body: { required: true, content: { 'application/json': { schema: ComputeIn } } } },
  responses: {
    200: { description: 'Ranked results and statistics', content: { 'application/json': { schema: ComputeOut } } },
    ...problemResponses(400, 413, 415, 422),
  },
}), (c) => {
  const body = c.req.valid('json');
  const units = body.units ?? [...new Set(body.scores.map((s) => s.unit))].map((code) => ({ code }));
  const compiled = compileDocument(body.methodology, '/methodology');
  // Every budget before any work that grows with the request (the methodology's own is bounded).
  checkBudget(() => {
    checkComputeBudget(compiled, units);
    if (body.uncertainty) checkUncertaintyBudget(compiled, units.length, body.uncertainty.draws, ['uncertainty', 'draws']);
    checkAnswerBudget(compiled, units, body.uncertainty !== undefined);
  });
  // Scored and evaluated once, for the results and the uncertainty analysis alike.
  const { out, uncertainty } = listingFirstErrors(() => {
    const matrix = prepareScores(compiled, body.scores, body.units);
    const evaluation = evaluate(compiled, matrix);
    return {
      out: withRounding(describeEvaluation(compiled, matrix, evaluation), compiled.methodology.rounding),
      uncertainty: body.uncertainty && rankUncertainty(compiled, matrix.units, evaluation, body.uncertainty),
    };
  });
  if (!uncertainty) return c.json(out, 200);
  return c.json({ ...out, uncertainty } as never, 200);
});

/**
 * The engine's verdict on the scores as a problem listing the first errors, with the count of all
 * in the detail: 100,000 bad rows (5 MiB) were listed in a 16 MB answer built in 2 s of CPU.
 */
function listingFirstErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof EngineError) || (e.kind !== 'invalid-scores' && e.kind !== 'invalid-computation')) throw e;
    const type = e.kind === 'invalid-scores' ? 'invalid-scores' : 'computation-failed';
    throw new ApiProblem(type, `${e.issues.length} problem(s); nothing was computed. First: ${e.message.replace(/^[\w-]+: /, '')}.${cutNote(e.issues.length)}`, issuesToErrors(e.issues.slice(0, MAX_LISTED_ERRORS), '/scores'));
  }
}

function methodologyOf(body: unknown): unknown {
  return body !== null && typeof body === 'object' ? (body as { methodology?: unknown }).methodology : undefined;
}
