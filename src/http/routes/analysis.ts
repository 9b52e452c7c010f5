// Analysis of a cycle: rank uncertainty and sensitivity, what-if for a unit with its cheapest
// paths, strengths and weaknesses, peers. Computed on what the reader may see (see visibility).
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  BUDGETS, checkUncertaintyBudget, Code, EngineError, MAX_PAIRS, peers, prepareScores, profile, ScoreValue,
  type CompiledMethodology, type ScoreInput, type UnitInput, type WhatIf,
} from '../../engine/index.js';
import type { CycleRow } from '../../store/cycles.js';
import { cycleInputs, cycleReport } from '../../store/results.js';
import { scoreInputs } from '../../store/scores.js';
import { provenance, requireCycle } from '../cycle-context.js';
import { jsonConditional } from '../conditional.js';
import type { AppEnv } from '../env.js';
import { limitBody, requireMediaType } from '../middleware.js';
import { MAX_LISTED_ERRORS } from '../permissions.js';
import { checkBudget, cutNote, preflight } from './methodologies.js';
import { ApiProblem, issuesToErrors, problemResponses } from '../problem.js';
import { createRouter, defineRoute } from '../router.js';
import { CyclePath, Name, NodeResult, orNull, Provenance, QueryInt, RevisionParam, UnitRef } from '../schemas.js';
import { cachePolicy, viewFor, type View } from '../visibility.js';

const KiB = 1024;
/** Bodies as large as the routes legitimately take: four numbers; a change per leaf of a unit. */
const UNCERTAINTY_BODY = 1 * KiB;
const WHAT_IF_BODY = 512 * KiB;
const n = (x: number) => x.toLocaleString('en');
/** The uncertainty analysis's budgets, as the contract states them. */
export const UNCERTAINTY_LIMITS = `at most ${n(BUDGETS.draws)} draws, ${n(BUDGETS.drawUnits)} draws × units and ${n(BUDGETS.drawCells)} draws × units × domains (the root's children) (422, before computing)`;

export const UncertaintyIn = z.object({
  draws: z.number().int().min(1).max(BUDGETS.draws).default(1000).describe(`Monte Carlo draws; ${UNCERTAINTY_LIMITS}`),
  perturbation: z.number().min(0).max(0.95).default(0.2).describe('each domain weight (or max points) varies within ±perturbation, renormalised to the same total'),
  distribution: z.enum(['uniform', 'normal']).default('uniform').describe('normal: σ = perturbation / 2'),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
}).strict().openapi('UncertaintyIn');

export const UncertaintyOut = z.object({
  options: z.object({ draws: z.number().int(), perturbation: z.number(), distribution: z.enum(['uniform', 'normal']), seed: z.number().int() }),
  domains: z.array(z.string()),
  units: z.array(z.object({
    unit: z.string(), rank: z.number().int().nullable(), p5: z.number().int().nullable(), p50: z.number().int().nullable(), p95: z.number().int().nullable(),
    keepsRank: z.number().describe('share of draws in which the unit keeps its rank, 0–1'),
  })),
  indistinguishable: z.array(z.tuple([z.string(), z.string()])).describe(`pairs whose 5–95 % rank intervals overlap, in rank order: the first ${n(MAX_PAIRS)} when there are more (see indistinguishableTotal)`),
  indistinguishableTotal: z.number().int().describe('how many pairs overlap in all (the list stops at ' + n(MAX_PAIRS) + ')'),
  sensitivity: z.record(z.string(), z.number()).describe('per domain: first-order share (0–1) of rank variance explained by its weight'),
}).openapi('Uncertainty');

const UnitPath = CyclePath.extend({ code: z.string().min(1).openapi({ param: { name: 'code', in: 'path' }, example: '01' }) });
const Revision = z.object({ revision: RevisionParam });
const drafts = { public: true, draftsFor: ['admin', 'appraiser'] } as const;

const Standing = z.object({ index: z.number().nullable(), rank: z.number().int().nullable(), group: z.string().nullable() });
const PathOut = z.object({
  target: Standing.extend({ unit: z.string().optional() }), pointsNeeded: z.number(), reachable: z.boolean(),
  steps: z.array(z.object({ indicator: z.string(), from: z.number(), to: z.number(), gain: z.number() })),
}).nullable();

const Gap = z.object({
  code: z.string(), name: Name.optional(),
  value: z.number().describe('the unit\'s percent of the node\'s maximum (points mode) or value'),
  nationalMean: z.number(), regionalMean: z.number().nullable(),
  vsNational: z.number().describe('value − national mean, same unit'), vsRegion: z.number().nullable().describe('value − regional mean, same unit'),
}).openapi('Gap');
const PeerNode = z.object({
  points: z.number().nullable(), percent: z.number().nullable().describe('percent of the node\'s maximum'), value: z.number().nullable(), rank: z.number().int().nullable(),
}).openapi('PeerNode');
const Peer = z.object({
  unit: UnitRef, index: z.number().nullable(), rank: z.number().int().nullable(), group: z.string().nullable(),
  domains: z.record(z.string(), orNull(PeerNode)).describe('each domain by its code'),
}).openapi('Peer');
const Sides = z.object({ strengths: z.array(Gap), weaknesses: z.array(Gap) });
const StrengthsOut = z.object({
  ...Provenance, unit: z.string(), domains: Sides, subCriteria: Sides,
  largestDrops: z.array(z.object({ code: z.string(), change: z.number().describe('change of percent of max since the previous cycle, in percentage points') })),
}).openapi('Strengths');
const PeersOut = z.object({
  ...Provenance, unit: z.string(), domains: z.array(z.string()),
  neighbours: z.array(Peer).describe('the units ranked just above and below, and the unit'), region: z.array(Peer).describe('the units of the unit\'s region'),
}).openapi('Peers');

/** Analysis compares units, so a unit key analyses publications only, never drafts. */
async function analysisView(c: Context<AppEnv>, cycle: CycleRow, revision: string | undefined): Promise<View> {
  const view = await viewFor(c, cycle, { revision });
  c.header('cache-control', cachePolicy(view, revision));
  return view;
}

/**
 * The cycle's methodology and units, then its scores as a matrix. `check` runs between the two:
 * a budget on the size of the analysis is checked before the scores are read.
 */
async function matrixOf(c: Context<AppEnv>, cycle: CycleRow, view: View, check: (compiled: CompiledMethodology, units: UnitInput[]) => void = () => {}) {
  const { compiled, units } = await cycleInputs(c.get('driver'), cycle);
  check(compiled, units);
  const scores: ScoreInput[] = view.kind === 'live' ? await scoreInputs(c.get('driver'), cycle.id)
    : view.frozen.scores.map((s) => ({ unit: s.unit, indicator: s.indicator, source: s.source, value: s.value as ScoreInput['value'] }));
  return { compiled, matrix: prepareScores(compiled, scores, units) };
}

/** The report a unit's analysis reads, checking that the unit is assessed in the cycle. */
async function unitReport(c: Context<AppEnv>, path: { year: number; unitType: string; code: string }, revision: string | undefined) {
  const cycle = await requireCycle(c, path.year, path.unitType);
  const view = await analysisView(c, cycle, revision);
  const report = view.kind === 'live' ? await cycleReport(c.get('driver'), cycle) : view.frozen.report;
  if (!report.rows.some((r) => r.unit === path.code)) throw new ApiProblem('not-found', `Unit ${path.code} is not assessed in the ${path.year} ${path.unitType} cycle.`);
  return { report, served: await provenance(c, cycle, view), cacheControl: cachePolicy(view, revision) };
}

export const analysis = createRouter()
  .openapi(defineRoute({
    method: 'post', path: '/v1/cycles/{year}/{unitType}/uncertainty', tags: ['Analysis'],
    operationId: 'runUncertainty', access: drafts,
    summary: 'Monte Carlo rank uncertainty over the domain weights, with each domain\'s sensitivity (deterministic for a seed)',
    description: `Limits: ${UNCERTAINTY_BODY / KiB} KiB body (413); ${UNCERTAINTY_LIMITS}.`,
    middleware: [limitBody(UNCERTAINTY_BODY), requireMediaType('application/json'), preflight(() => {})] as const,
    request: { params: CyclePath, query: Revision, body: { required: true, content: { 'application/json': { schema: UncertaintyIn } } } },
    responses: { 200: { description: 'Rank intervals', content: { 'application/json': { schema: z.object({ ...Provenance, ...UncertaintyOut.shape }).openapi('CycleUncertainty') } } }, ...problemResponses(400, 403, 404, 413, 415, 422, 503) },
  }), async (c) => {
    const { year, unitType } = c.req.valid('param');
    const cycle = await requireCycle(c, year, unitType);
    const view = await analysisView(c, cycle, c.req.valid('query').revision);
    const options = c.req.valid('json');
    const { compiled, matrix } = await matrixOf(c, cycle, view, (m, units) => checkBudget(() => checkUncertaintyBudget(m, units.length, options.draws)));
    const uncertainty = await c.get('analyse')({ kind: 'uncertainty', compiled, matrix, options });
    return c.json({ ...(await provenance(c, cycle, view)), ...uncertainty } as never, 200);
  })
  .openapi(defineRoute({
    method: 'post', path: '/v1/cycles/{year}/{unitType}/units/{code}/what-if', tags: ['Analysis'],
    operationId: 'runWhatIf', access: drafts,
    summary: 'A unit\'s index, rank and group if some scores changed (nothing is written), and the cheapest paths to the next group and rank',
    description: `Limits: ${WHAT_IF_BODY / KiB} KiB body (413); at most ${n(BUDGETS.whatIfChanges)} changes (422).`,
    middleware: [limitBody(WHAT_IF_BODY), requireMediaType('application/json'), preflight(() => {})] as const,
    request: {
      params: UnitPath, query: Revision,
      body: { required: true, content: { 'application/json': { schema: z.object({ changes: z.array(z.object({ indicator: Code, source: Code.optional(), value: ScoreValue })).max(BUDGETS.whatIfChanges) }).strict().openapi('WhatIfIn') } } },
    },
    responses: {
      200: { description: 'Before, after and paths', content: { 'application/json': { schema: z.object({ ...Provenance, unit: z.string(), before: Standing, after: Standing, nextGroup: PathOut, nextRank: PathOut }).openapi('WhatIf') } } },
      ...problemResponses(400, 403, 404, 413, 415, 422, 503),
    },
  }), async (c) => {
    const { year, unitType, code } = c.req.valid('param');
    const cycle = await requireCycle(c, year, unitType);
    const view = await analysisView(c, cycle, c.req.valid('query').revision);
    const { compiled, matrix } = await matrixOf(c, cycle, view);
    if (!matrix.units.some((u) => u.code === code)) throw new ApiProblem('not-found', `Unit ${code} is not assessed in the ${year} ${unitType} cycle.`);
    const changes = c.req.valid('json').changes.map((ch) => ({ ...ch, unit: code }));
    let answer: WhatIf;
    try {
      answer = await c.get('analyse')({ kind: 'what-if', compiled, matrix, unit: code, changes });
    } catch (e) {
      // The engine counts rows of its scores; here they are the body's changes.
      if (!(e instanceof EngineError)) throw e;
      throw new ApiProblem('invalid-scores', `${e.issues.length} problem(s) in the changes. First: ${e.message.replace(/^[\w-]+: /, '')}.${cutNote(e.issues.length)}`, issuesToErrors(e.issues.slice(0, MAX_LISTED_ERRORS), '/changes'));
    }
    return c.json({ ...(await provenance(c, cycle, view)), ...answer }, 200);
  })
  .openapi(defineRoute({
    method: 'get', path: '/v1/cycles/{year}/{unitType}/units/{code}/strengths', tags: ['Analysis'],
    operationId: 'getStrengths', access: drafts, conditional: true,
    summary: 'Strengths and weaknesses: the domains and sub-criteria furthest above and below the national and regional means; the largest drops since the last cycle',
    request: { params: UnitPath, query: Revision.extend({ top: QueryInt(1, 50).optional().openapi({ description: 'how many each way (default 3 domains, 5 sub-criteria)' }) }) },
    responses: {
      200: { description: 'The profile', content: { 'application/json': { schema: StrengthsOut } } },
      ...problemResponses(400, 403, 404),
    },
  }), async (c) => {
    const { code } = c.req.valid('param');
    const { top } = c.req.valid('query');
    const { report, served, cacheControl } = await unitReport(c, c.req.valid('param'), c.req.valid('query').revision);
    const names = new Map([...report.domains, ...report.leaves].map((n) => [n.code, n.name]));
    const named = (gaps: ReturnType<typeof profile>['strengths']) => gaps.map((g) => ({ ...g, name: names.get(g.code) }));
    const domains = profile(report.rows, code, report.domains.map((d) => d.code), top ?? 3);
    const leaves = profile(report.rows, code, report.leaves.map((l) => l.code), top ?? 5);
    const body: z.infer<typeof StrengthsOut> = {
      ...served,
      unit: code,
      domains: { strengths: named(domains.strengths), weaknesses: named(domains.weaknesses) },
      subCriteria: { strengths: named(leaves.strengths), weaknesses: named(leaves.weaknesses) },
      largestDrops: domains.largestDrops,
    };
    return jsonConditional(c, body, cacheControl) as never;
  })
  .openapi(defineRoute({
    method: 'get', path: '/v1/cycles/{year}/{unitType}/units/{code}/peers', tags: ['Analysis'],
    operationId: 'getPeers', access: drafts, conditional: true,
    summary: 'Peers: the units ranked just above and below, and the unit\'s region, side by side by domain',
    request: { params: UnitPath, query: Revision.extend({ around: QueryInt(1, 10).optional().openapi({ description: 'units above and below (default 2)' }) }) },
    responses: {
      200: {
        description: 'Peers',
        content: { 'application/json': { schema: PeersOut } },
      },
      ...problemResponses(400, 403, 404),
    },
  }), async (c) => {
    const { code } = c.req.valid('param');
    const { around } = c.req.valid('query');
    const { report, served, cacheControl } = await unitReport(c, c.req.valid('param'), c.req.valid('query').revision);
    const side = (r: (typeof report.rows)[number]) => ({
      unit: { code: r.unit, name: r.name, region: r.region }, index: r.index, rank: r.rank, group: r.group,
      domains: Object.fromEntries(report.domains.map((d) => [d.code, pickNode(r.nodes[d.code])])),
    });
    const p = peers(report.rows, code, around ?? 2);
    const body: z.infer<typeof PeersOut> = { ...served, unit: code, domains: report.domains.map((d) => d.code), neighbours: p.neighbours.map(side), region: p.region.map(side) };
    return jsonConditional(c, body, cacheControl) as never;
  });

function pickNode(n: z.infer<typeof NodeResult> | undefined) {
  return n ? { points: n.points ?? null, percent: n.percent ?? null, value: n.value ?? null, rank: n.rank ?? null } : null;
}
