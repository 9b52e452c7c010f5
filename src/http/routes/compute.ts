// Stateless computation for third parties and what-if work: methodology, scores and units in,
// ranked results and statistics out; nothing is stored.
import { z } from '@hono/zod-openapi';
import {
  applyPipeline, BUDGETS, checkAnswerBudget, checkChoiceBudget, checkComputeBudget, checkPanelBudget, checkSensitivityBudget, checkUncertaintyBudget,
  choiceSensitivity, choiceUncertainty, compileMethodology, declaredChoices, describeEvaluation, EngineError, evaluate,
  EXAMPLE_METHODOLOGY, MethodologyInput, MissingRule, Mode, rankUncertainty, rawData, UnitInput,
  type CompiledMethodology, type PanelScore, type UncertaintyOptions,
} from '../../engine/index.js';
import { ChoicesIn, ChoiceUncertaintyOut, PanelScoreIn, PipelineOut, SensitivityIn, SensitivityOut, Year } from './compute-schemas.js';
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
  `choices and sensitivity: ${n(BUDGETS.draws)} runs (a Saltelli design: ${n(BUDGETS.sensitivityRuns)}), ${n(BUDGETS.choiceCells)} runs × units × nodes, ${n(BUDGETS.combinationCells)} combinations × units × nodes (422)`,
  `panel: ${n(BUDGETS.panelCells)} years × units × leaves (422)`,
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
const EXAMPLE_OUT = JSON.parse(computeText(compileMethodology(EXAMPLE_METHODOLOGY), { scores: EXAMPLE_IN.scores, units: EXAMPLE_IN.units }));

const ComputeIn = z.object({
  methodology: MethodologyInput,
  scores: z.array(PanelScoreIn).describe('one row per unit, indicator (and source); panel data: also per year, each row naming its year'),
  year: Year.optional().describe('panel data: the year computed (default: the latest a row names); the other years feed the panel imputation methods (latest, interpolate)'),
  units: z.array(UnitInput).optional().describe('units with attributes such as region; default: the units the scores name'),
  uncertainty: UncertaintyIn.optional().describe('also run the Monte Carlo rank uncertainty over the domain weights'),
  choices: ChoicesIn.optional().describe('weighted mode: also run the Monte Carlo uncertainty over the declared choices (answered as choiceUncertainty)'),
  sensitivity: SensitivityIn.optional().describe('weighted mode: also estimate first- and total-order sensitivity indices of the declared choices'),
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
  pipeline: PipelineOut.optional().describe('present when the methodology declares imputation, treatment or a denominator'),
  uncertainty: UncertaintyOut.optional(),
  choiceUncertainty: ChoiceUncertaintyOut.optional().describe('present when the request asks for choices'),
  sensitivity: SensitivityOut.optional().describe('present when the request asks for sensitivity'),
}).openapi('ComputeOut', { examples: [EXAMPLE_OUT] });

const router = createRouter();
// Validated where it is computed (answerCompute), so the route declares the schema by reference:
// @hono/zod-openapi validates only the bodies whose schema is a zod type.
// UncertaintyIn first: registered after, it would take the description ComputeIn gives its use.
router.openAPIRegistry.register('UncertaintyIn', UncertaintyIn);
router.openAPIRegistry.register('ChoiceUncertaintyIn', ChoicesIn);
router.openAPIRegistry.register('SensitivityIn', SensitivityIn);
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
    checkPanelBudget(compiled, units.length, new Set(body.scores.map((s) => s.year ?? body.year)).size, ['scores']);
    if (body.uncertainty) checkUncertaintyBudget(compiled, units.length, body.uncertainty.draws, ['uncertainty', 'draws']);
    if (body.choices) checkChoiceBudget(compiled, units.length, body.choices.draws, body.choices.choices, ['choices', 'draws']);
    if (body.sensitivity) checkSensitivityBudget(compiled, units.length, body.sensitivity.n, body.sensitivity.choices, declaredChoices(body.sensitivity.choices).length, ['sensitivity', 'n']);
    checkAnswerBudget(compiled, units, body.uncertainty !== undefined || body.choices !== undefined);
  });
  return listingFirstErrors(() => computeText(compiled, body));
}

interface Asked {
  scores: PanelScore[];
  units?: UnitInput[];
  year?: number;
  uncertainty?: UncertaintyOptions;
  choices?: z.output<typeof ChoicesIn>;
  sensitivity?: z.output<typeof SensitivityIn>;
}

/** Scored and evaluated once, for the results and the analyses alike; the display rounding rides along. */
function computeText(compiled: CompiledMethodology, asked: Asked): string {
  const raw = rawData(compiled, asked.scores, asked.units, asked.year);
  const matrix = applyPipeline(compiled, raw.matrix, raw.panel);
  const evaluation = evaluate(compiled, matrix);
  const described = describeEvaluation(compiled, matrix, evaluation);
  return JSON.stringify({
    ...described,
    methodology: { ...described.methodology, rounding: compiled.methodology.rounding },
    ...(asked.uncertainty && { uncertainty: rankUncertainty(compiled, matrix.units, evaluation, asked.uncertainty) }),
    ...(asked.choices && { choiceUncertainty: choiceUncertainty(compiled, raw, asked.choices) }),
    ...(asked.sensitivity && { sensitivity: choiceSensitivity(compiled, raw, asked.sensitivity) }),
  });
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
