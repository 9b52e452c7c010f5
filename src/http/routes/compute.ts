// Stateless computation for third parties and what-if work: methodology, scores and units in,
// ranked results and statistics out; nothing is stored.
import { z } from '@hono/zod-openapi';
import {
  BUDGETS, checkAnswerBudget, checkComputeBudget, checkUncertaintyBudget, compileMethodology, describeEvaluation, EngineError, evaluate,
  EXAMPLE_METHODOLOGY, MethodologyInput, MissingRule, Mode, prepareScores, rankUncertainty, ScoreInput, UnitInput,
  type CompiledMethodology, type UncertaintyOptions,
} from '../../engine/index.js';
import { UncertaintyIn, UncertaintyOut } from './analysis.js';
import { checkBudget, compileDocument, cutNote, METHODOLOGY_LIMITS, methodologyBudget } from './methodologies.js';
import { limitBody, MiB, refuseReservedKey, requireMediaType } from '../middleware.js';
import { MAX_LISTED_ERRORS } from '../permissions.js';
import { ApiProblem, issuesToErrors, problemResponses } from '../problem.js';
import { createRouter, defineRoute, validationProblem } from '../router.js';
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

/** The example answer is the engine's own answer to the example request: it cannot be wrong. */
const EXAMPLE_OUT = JSON.parse(computeText(compileMethodology(EXAMPLE_METHODOLOGY), EXAMPLE_IN.scores, EXAMPLE_IN.units, undefined));

const ComputeIn = z.object({
  methodology: MethodologyInput,
  scores: z.array(ScoreInput),
  units: z.array(UnitInput).optional().describe('units with attributes such as region; default: the units the scores name'),
  uncertainty: UncertaintyIn.optional().describe('also run the Monte Carlo rank uncertainty over the domain weights'),
}).strict().openapi('ComputeIn', { examples: [EXAMPLE_IN] });

const ShapeCheck = z.object({
  skewness: z.number().nullable().describe('sample skewness (Excel, e1071 type 2); null below 3 values or for a constant indicator'),
  kurtosis: z.number().nullable().describe('sample excess kurtosis (Excel, e1071 type 2); null below 4 values or for a constant indicator'),
  passes: z.boolean().describe('false when |skewness| and kurtosis both reach the thresholds'),
});
const PipelineOut = z.object({
  denomination: z.array(z.object({
    indicator: z.string(), by: z.string().describe('the unit attribute divided by'),
    cells: z.number().int().describe('values divided'),
    unknown: z.array(z.string()).describe('units whose value became missing: the attribute is absent'),
  })).optional(),
  imputation: z.object({
    method: z.enum(['mean', 'median', 'groupMean', 'groupMedian']), by: z.string().optional(),
    cells: z.array(z.object({ indicator: z.string(), unit: z.string(), value: z.number().describe('the raw value imputed') })),
  }).optional(),
  treatment: z.array(z.object({
    indicator: z.string(),
    parameters: z.object({ skewness: z.number(), kurtosis: z.number(), winsoriseMax: z.number().int(), transform: z.enum(['log', 'logSkew', 'none']) }),
    before: ShapeCheck,
    action: z.enum(['none', 'winsorised', 'log', 'logNegative']).describe('none: passed; winsorised; log: log(x − min + shift); logNegative: −log(max + shift − x)'),
    winsorised: z.array(z.object({ unit: z.string(), side: z.enum(['high', 'low']), from: z.number(), to: z.number() })),
    transform: z.object({ min: z.number(), max: z.number(), shift: z.number() }).optional().describe('the log transform\'s parameters (of the original values)'),
    after: ShapeCheck,
  })).optional().describe('every treated leaf, in the methodology\'s order'),
}).openapi('PipelineRecord', { description: 'What the methodology\'s data-treatment steps did, in their order (denominate, impute, treat), before normalisation: enough to trace and regenerate every value' });

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
  pipeline: PipelineOut.optional().describe('present when the methodology declares imputation, treatment or a denominator'),
  uncertainty: UncertaintyOut.optional(),
}).openapi('ComputeOut', { examples: [EXAMPLE_OUT] });

const router = createRouter();
// Validated where it is computed (answerCompute), so the route declares the schema by reference:
// @hono/zod-openapi validates only the bodies whose schema is a zod type.
// UncertaintyIn first: registered after, it would take the description ComputeIn gives its use.
router.openAPIRegistry.register('UncertaintyIn', UncertaintyIn);
router.openAPIRegistry.register('ComputeIn', ComputeIn);

export const compute = router.openapi(defineRoute({
  method: 'post', path: '/v1/compute', tags: ['Compute'],
  summary: 'Compute an index from an inline methodology and scores; nothing is stored',
  description: `The methodology is validated like POST /v1/methodologies: unknown keys are refused, and every problem carries a JSON Pointer into this body (/methodology/nodes/1/max). Limits (each answered with a problem naming the limit and nothing computed): ${COMPUTE_LIMITS}.`,
  operationId: 'computeIndex', access: { public: true },
  middleware: [limitBody(COMPUTE_BODY), requireMediaType('application/json')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ComputeIn' } } } } },
  responses: {
    200: { description: 'Ranked results and statistics', content: { 'application/json': { schema: ComputeOut } } },
    ...problemResponses(400, 413, 415, 422, 503),
  },
}), async (c) => {
  const answer = await c.get('analyse')({ kind: 'compute', body: await c.req.text() });
  return c.body(answer, 200, { 'content-type': 'application/json' }) as never;
});

/**
 * The whole of a computation from its body's text, wherever it runs: the checks the routes make
 * on raw bodies (the methodology's budgets, then a reserved key), the schema, every budget before
 * any work that grows with the request, then the engine. Errors are thrown as problems.
 */
export function answerCompute(text: string): string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ApiProblem('malformed-body', 'The body could not be parsed: Malformed JSON in request body.');
  }
  methodologyBudget('/methodology', methodologyOf)(raw);
  refuseReservedKey(raw);
  const parsed = ComputeIn.safeParse(raw);
  if (!parsed.success) throw validationProblem(parsed.error.issues, 'json');
  const body = parsed.data;
  const units = body.units ?? [...new Set(body.scores.map((s) => s.unit))].map((code) => ({ code }));
  const compiled = compileDocument(body.methodology, '/methodology');
  checkBudget(() => {
    checkComputeBudget(compiled, units);
    if (body.uncertainty) checkUncertaintyBudget(compiled, units.length, body.uncertainty.draws, ['uncertainty', 'draws']);
    checkAnswerBudget(compiled, units, body.uncertainty !== undefined);
  });
  return listingFirstErrors(() => computeText(compiled, body.scores, body.units, body.uncertainty));
}

/** Scored and evaluated once, for the results and the uncertainty analysis alike; the display rounding rides along. */
function computeText(compiled: CompiledMethodology, scores: ScoreInput[], units: UnitInput[] | undefined, uncertainty: UncertaintyOptions | undefined): string {
  const matrix = prepareScores(compiled, scores, units);
  const evaluation = evaluate(compiled, matrix);
  const described = describeEvaluation(compiled, matrix, evaluation);
  const out = { ...described, methodology: { ...described.methodology, rounding: compiled.methodology.rounding } };
  return JSON.stringify(uncertainty ? { ...out, uncertainty: rankUncertainty(compiled, matrix.units, evaluation, uncertainty) } : out);
}

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
