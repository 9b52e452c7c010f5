// Cycles: a year of one unit type scored with one methodology version.
import { z } from '@hono/zod-openapi';
import { listCyclesWithMethodologies } from '../../store/cycles-list.js';
import { writerRoles } from '../../store/keys.js';
import { BUNDLE_FORMAT, decisionOf, diffRevisions, listRevisions, revisionBundle, type RevisionRow } from '../../store/workflow.js';
import type { Driver } from '../../store/driver.js';
import { roleGuard } from '../auth.js';
import { changeStatus, CycleIn, openCycle, StatusIn } from '../cycle-writes.js';
import { presentCycle, presentCycleWith, provenance, requireCycle } from '../cycle-context.js';
import { conditional, IMMUTABLE, REVALIDATE, weakEtag } from '../conditional.js';
import { requireMediaType } from '../middleware.js';
import { Change, CyclePath, CycleStatus, DateTime, Decision, Domain, Name, NodeResult, orNull, Provenance, ScoreOut, ScoreValueOut, Statistics } from '../schemas.js';
import { forCaller, revisionOf } from '../visibility.js';

const requireAdmin = roleGuard('admin');

const RevisionOut = z.object({
  revision: z.number().int(), methodologyId: z.string(), methodologyVersion: z.number().int(),
  contentHash: z.string().describe('SHA-256 (hex) of the revision\'s bundle (GET …/revisions/{revision}/bundle), byte for byte'),
  publishedAt: DateTime, publishedBy: z.string().describe('the publishing role: admin, or system for the demo data published at seeding (the audit names the key)'),
  reason: z.string().nullable(),
  decision: orNull(Decision).describe('the decision that published the revision; null for one published without it'),
}).openapi('Revision');

/** Revisions as the API shows them: the publisher by role, never by key id; the decision as one object. */
async function presentRevisions(d: Driver, rows: RevisionRow[]) {
  const roleOf = await writerRoles(d, rows.map((r) => r.publishedBy));
  return rows.map(({ cycleId: _, decisionNumber: _n, decisionDate: _d, ...r }, i) => ({ ...r, publishedBy: roleOf(r.publishedBy), decision: decisionOf(rows[i]) }));
}

const BundleRow = z.object({
  unit: z.string(), name: Name, region: z.string().nullable(), ranked: z.boolean(),
  attributes: z.record(z.string(), z.string().nullable()).describe('the unit attributes ranked within (region)'),
  index: z.number().nullable(), rank: z.number().int().nullable(), rankWithin: z.record(z.string(), z.number().int().nullable()).describe('rank within each attribute: rankWithin.region'),
  group: z.string().nullable(), missing: z.number().int(), imputed: z.number().int(),
  nodes: z.record(z.string(), NodeResult).describe('every node of the methodology by its code, the index\'s root included'),
  change: orNull(Change),
}).openapi('BundleRow');
const PublicationBundle = z.object({
  format: z.literal(BUNDLE_FORMAT).describe('the shape of this document; a new shape gets a new number'),
  cycle: z.object({ year: z.number().int(), unitType: z.string() }),
  revision: z.number().int().min(1),
  methodology: z.object({ id: z.string(), version: z.number().int() }).describe('the exact methodology version (GET /v1/methodologies/{id}?version=…)'),
  publishedAt: DateTime, reason: z.string().nullable().describe('why a correction was published; null for the first publication'),
  decision: Decision.optional().describe('the decision that publishes the revision; absent from a bundle published without one'),
  report: z.object({
    cycle: z.object({
      year: z.number().int(), unitType: z.string(), status: z.string(), dataVersion: z.number().int(), synthetic: z.boolean(),
      methodology: z.object({ id: z.string(), version: z.number().int() }),
    }),
    domains: z.array(Domain), leaves: z.array(z.object({ code: z.string(), name: Name.optional() })).describe('the scored nodes, in methodology order'),
    rows: z.array(BundleRow).describe('every unit assessed, as computed: unrounded'),
    statistics: Statistics, computedAt: DateTime,
  }).describe('the results as published: what every read of this revision serves'),
  scores: z.array(ScoreOut).describe('every stored score, ordered by unit, indicator, source; updatedBy is the writer\'s role'),
}).openapi('PublicationBundle');

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
import { problemResponses } from '../problem.js';
import { createRouter, defineRoute } from '../router.js';
import { Cycle, UnitType } from '../schemas.js';
import type { CycleRow } from '../../store/cycles.js';


const CycleList = z.object({
  cycles: z.array(Cycle),
  latestPublication: z.record(z.string(), z.number().int()).describe('per unit type: the year of its latest published cycle'),
}).openapi('CycleList');

/** Cycles change with every write: revalidated by their state, never cached as immutable. */
function cycleListEtag(rows: CycleRow[]): string {
  return weakEtag('cycles', ...rows.map((r) => `${r.id}-${r.status}-${r.revision}-${r.dataVersion}`));
}

export const cycles = createRouter()
  .openapi(defineRoute({
    method: 'get', path: '/v1/cycles', tags: ['Cycles'], summary: 'Every cycle, with the latest publication per unit type',
    operationId: 'listCycles', access: { public: true }, conditional: true,
    request: { query: z.object({ unitType: UnitType.optional(), status: CycleStatus.optional() }) },
    responses: { 200: { description: 'Cycles by unit type and year', content: { 'application/json': { schema: CycleList } } }, ...problemResponses(400) },
  }), async (c) => {
    const { unitType, status } = c.req.valid('query');
    const listed = await listCyclesWithMethodologies(c.get('driver'), unitType);
    const all = listed.map((r) => r.cycle);
    const notModified = conditional(c, cycleListEtag(all), forCaller(c, REVALIDATE));
    if (notModified) return notModified as never;
    const latestPublication: Record<string, number> = {};
    for (const r of all) if (r.revision > 0) latestPublication[r.unitType] = Math.max(latestPublication[r.unitType] ?? 0, r.year);
    const cycles = listed.filter((r) => !status || r.cycle.status === status).map((r) => presentCycleWith(r.cycle, r.methodology));
    return c.json({ cycles, latestPublication }, 200);
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
    const created = await openCycle(c, c.req.valid('json'));
    c.header('location', `/v1/cycles?unitType=${created.unitType}`);
    return c.json(await presentCycle(c.get('driver'), created), 201);
  })
  .openapi(defineRoute({
    method: 'post', path: '/v1/cycles/{year}/{unitType}/status', tags: ['Cycles'],
    summary: 'Move a cycle to its next phase: open → appraisal → review → published; published → correction → published (next revision)',
    description: 'appraisal: admin; review: admin or appraiser; published: admin (freezes a revision with a content hash), with the decision that publishes it (number and date; stored on the revision, covered by its hash, shown on the public pages); correction: admin, with a reason. From any other phase: 409.',
    operationId: 'changeCycleStatus', access: { roles: ['admin', 'appraiser'] },
    middleware: [roleGuard('admin', 'appraiser'), requireMediaType('application/json')] as const,
    request: { params: CyclePath, body: { required: true, content: { 'application/json': { schema: StatusIn } } } },
    responses: {
      200: { description: 'The cycle after the transition', content: { 'application/json': { schema: Cycle.extend({ published: orNull(RevisionOut).describe('the revision this transition published; null for other transitions') }).openapi('CycleTransition') } } },
      ...problemResponses(400, 401, 403, 404, 409, 415, 422),
    },
  }), async (c) => {
    const { year, unitType } = c.req.valid('param');
    const moved = await changeStatus(c, year, unitType, c.req.valid('json'));
    const published = moved.published ? (await presentRevisions(c.get('driver'), [moved.published]))[0] : null;
    return c.json({ ...(await presentCycle(c.get('driver'), moved.cycle)), published }, 200);
  })
  .openapi(defineRoute({
    method: 'get', path: '/v1/cycles/{year}/{unitType}/revisions', tags: ['Cycles'], summary: 'Published revisions of a cycle, latest first',
    operationId: 'listRevisions', access: { public: true }, conditional: true,
    request: { params: CyclePath },
    responses: { 200: { description: 'Revisions', content: { 'application/json': { schema: z.object({ revisions: z.array(RevisionOut) }).openapi('RevisionList') } } }, ...problemResponses(400, 404) },
  }), async (c) => {
    const { year, unitType } = c.req.valid('param');
    const cycle = await requireCycle(c, year, unitType);
    const notModified = conditional(c, weakEtag('revisions', cycle.id, cycle.revision), forCaller(c, REVALIDATE));
    if (notModified) return notModified as never;
    return c.json({ revisions: await presentRevisions(c.get('driver'), await listRevisions(c.get('driver'), cycle.id)) }, 200);
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
    const notModified = conditional(c, weakEtag('diff', cycle.id, a.revision.contentHash.slice(0, 16), b.revision.contentHash.slice(0, 16)), forCaller(c, IMMUTABLE));
    if (notModified) return notModified as never;
    const view = { kind: 'revision' as const, frozen: b };
    return c.json({ ...(await provenance(c, cycle, view)), from, to, ...diffRevisions(a, b) } as never, 200);
  })

  .openapi(defineRoute({
    method: 'get', path: '/v1/cycles/{year}/{unitType}/revisions/{revision}/bundle', tags: ['Cycles'],
    summary: 'A publication as one canonical document, byte for byte what its contentHash is the SHA-256 of',
    description: [
      'Everything the revision publishes: the frozen report (every unit and node, unrounded, with its change since the previous cycle, and the statistics) and every score, with the methodology version, the time and the reason.',
      'The revision\'s `contentHash` (GET …/revisions, and `revision.contentHash` in every answer built from it) is the SHA-256, in hex, of exactly these bytes; `Content-Digest` (RFC 9530) carries the same digest in base64. To verify: `curl -s <url> | sha256sum` prints the contentHash.',
      'The bytes are canonical JSON (RFC 8785 JCS): object keys sorted by UTF-16 code units at every depth, no whitespace, numbers in their shortest round-trip form, UTF-8. They are stored as published, never re-serialised. Scores name their writer\'s role (admin, appraiser, unit, system), never a key.',
      'Immutable, and `no-transform`: no intermediary may re-encode it.',
    ].join('\n\n'),
    operationId: 'getPublicationBundle', access: { public: true }, conditional: true,
    request: { params: CyclePath.extend({ revision: RevisionNumber('revision') }) },
    responses: {
      200: {
        description: 'The bundle: canonical JSON',
        headers: { 'Content-Digest': { description: 'sha-256=:<base64>: of the body (RFC 9530): the contentHash in base64', schema: { type: 'string' }, required: true } },
        content: { 'application/json': { schema: PublicationBundle } },
      },
      ...problemResponses(400, 404),
    },
  }), async (c) => {
    const { year, unitType, revision } = c.req.valid('param');
    const cycle = await requireCycle(c, year, unitType);
    const frozen = await revisionOf(c, cycle, revision);
    // Strong: the validator is the digest of these very bytes (an opaque, fixed one for a revision published before bundles).
    const notModified = conditional(c, `"${frozen.revision.contentHash}"`, forCaller(c, `${IMMUTABLE}, no-transform`));
    if (notModified) return notModified as never;
    const bundle = await revisionBundle(c.get('driver'), cycle, frozen);
    return c.body(bundle.text, 200, { 'content-type': 'application/json', 'content-digest': digestField(bundle.sha256) }) as never;
  });

/** An RFC 9530 digest field of a SHA-256 given in hex: sha-256=:<base64>: */
function digestField(hex: string): string {
  return `sha-256=:${btoa(String.fromCharCode(...(hex.match(/../g) ?? []).map((b) => parseInt(b, 16))))}:`;
}

function RevisionNumber(name: string) {
  return z.string().regex(/^[1-9]\d{0,8}$/, 'a published revision number').transform(Number)
    .openapi({ param: { name, in: 'path' }, type: 'integer', minimum: 1, example: 1 });
}
