// Results of a cycle: the ranked table (JSON or CSV), a unit's scorecard, the statistics.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { listCycles, type CycleRow } from '../../store/cycles.js';
import { driverCache } from '../../store/driver.js';
import { cycleReport, reportKey, type CycleReport } from '../../store/results.js';
import { viewFor, type View } from '../visibility.js';
import { presentCycle, requireCycle } from '../cycle-context.js';
import { wantsCsv } from '../csv.js';
import type { Actor, AppEnv } from '../env.js';
import { resultsCsv, resultsJson } from '../present.js';
import { ApiProblem, problemResponses } from '../problem.js';
import { createRouter } from '../router.js';
import { Change, Cycle, CyclePath, Name, NodeResult, Statistics } from '../schemas.js';

const RevisionQuery = z.coerce.number().int().positive().optional()
  .openapi({ description: 'a published revision; default: the live draft for admins and appraisers, the latest publication for everyone else' });

const Revision = z.object({ revision: z.number().int(), contentHash: z.string(), publishedAt: z.string(), reason: z.string().nullable() }).nullable()
  .describe('the published revision served; null for the live draft').openapi('RevisionRef');

/** A publication is served as it was published, whatever the cycle's phase now: the same bytes. */
function asServed(cycle: CycleRow, view: View): CycleRow {
  if (view.kind === 'live') return cycle;
  return { ...cycle, status: 'published', revision: view.frozen.revision.revision, dataVersion: view.frozen.report.cycle.dataVersion };
}

function revisionInfo(view: View) {
  if (view.kind === 'live') return null;
  const r = view.frozen.revision;
  return { revision: r.revision, contentHash: r.contentHash, publishedAt: r.publishedAt, reason: r.reason };
}

const Domain = z.object({ code: z.string(), name: Name.optional(), max: z.number().nullable() }).openapi('Domain');
const ResultRow = z.object({
  unit: z.object({ code: z.string(), name: Name, region: z.string().nullable() }),
  index: z.number().nullable().describe('full precision; round only for display'),
  rank: z.number().int().nullable().describe('competition rank (1, 2, 2, 4); null when not ranked'),
  rankInRegion: z.number().int().nullable(), group: z.string().nullable(), ranked: z.boolean(),
  missing: z.number().int(), imputed: z.number().int(),
  domains: z.record(z.string(), NodeResult), change: Change.nullable(),
}).openapi('ResultRow');
const Results = z.object({
  cycle: Cycle, revision: Revision, notice: z.string().optional(), domains: z.array(Domain), results: z.array(ResultRow), statistics: Statistics, computedAt: z.string(),
}).openapi('Results');

const ResultsQuery = z.object({
  region: z.string().optional().openapi({ example: 'RRD' }),
  group: z.string().optional().openapi({ example: 'A' }),
  sort: z.enum(['rank', '-rank', 'index', '-index', 'unit', '-unit', 'name', '-name', 'region', '-region']).optional(),
  format: z.enum(['json', 'csv']).optional().openapi({ description: 'or Accept: text/csv' }),
  revision: RevisionQuery,
});


function cacheHeaders(cycle: CycleRow, etag: string): Record<string, string> {
  return { etag, 'cache-control': cycle.status === 'published' ? 'public, max-age=60, must-revalidate' : 'private, no-cache' };
}

/**
 * The Workers Cache API entry of a key; none on Node, where no Request is built for it (building
 * one costs more than the rest of an answer served from memory).
 */
function edgeEntry(key: string): { cache: Cache; request: Request } | undefined {
  const cache = (globalThis as { caches?: { default?: Cache } }).caches?.default;
  return cache && { cache, request: new Request(`https://results.cache.invalid/${encodeURIComponent(key)}`) };
}

/** Work that may finish after the response: waitUntil on Workers, awaited elsewhere. */
async function afterResponse(c: Context<AppEnv>, work: Promise<unknown>): Promise<void> {
  try { c.executionCtx.waitUntil(work); } catch { await work; }
}

/**
 * Serves a variant of the cycle's report, serialised once per data version: from the Workers
 * Cache API (shared by the isolates of a location), else from this process's memory, else
 * rendered now. The key names the data versions, so a change of scores is never served stale.
 */
async function serveReport(c: Context<AppEnv>, cycle: CycleRow, view: View, variant: string, render: (report: CycleReport) => string, type: string) {
  const base = view.kind === 'live' ? `live:${await reportKey(c.get('driver'), cycle)}:${cycle.status}`
    : `rev:${cycle.id}.${view.frozen.revision.revision}:${view.frozen.revision.contentHash.slice(0, 16)}`;
  const key = `${base}|${variant}`;
  const etag = `W/"${key.replace(/[^\w.:|-]/g, '_')}"`;
  const headers = { ...cacheHeaders(asServed(cycle, view), etag), 'content-type': type };
  if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
  const edge = edgeEntry(key);
  const hit = edge && await edge.cache.match(edge.request);
  if (hit) return c.body(new Uint8Array(await hit.arrayBuffer()), 200, { ...headers, 'x-results-cache': 'edge' });
  // Kept as UTF-8 bytes: encoded once, not on every request.
  const serialised = driverCache<string, Uint8Array<ArrayBuffer>>(c.get('driver'), 'bodies');
  let body = serialised.get(key);
  const source = body === undefined ? 'computed' : 'memory';
  if (body === undefined) {
    const report = view.kind === 'live' ? await cycleReport(c.get('driver'), cycle) : view.frozen.report;
    serialised.set(key, (body = new TextEncoder().encode(render(report))));
  }
  if (edge) await afterResponse(c, edge.cache.put(edge.request, new Response(body, { headers: { 'content-type': type, 'cache-control': 'public, max-age=86400' } })));
  return c.body(body, 200, { ...headers, 'x-results-cache': source });
}

const ScorecardDomain = z.object({
  code: z.string(), name: Name.optional(), points: z.number().nullable().optional(), max: z.number().optional(),
  percent: z.number().nullable().optional(), rank: z.number().int().nullable().optional(),
  nationalMean: z.number().nullable(), regionMean: z.number().nullable(),
}).openapi('ScorecardDomain');
const Scorecard = z.object({
  cycle: Cycle, revision: Revision, notice: z.string().optional(),
  unit: z.object({ code: z.string(), name: Name, region: z.string().nullable() }),
  index: z.number().nullable(), rank: z.number().int().nullable(), of: z.number().int().nullable().describe('null where the reader may not compare with other units\' drafts'), group: z.string().nullable(),
  rankInRegion: z.number().int().nullable(),
  domains: z.array(ScorecardDomain),
  lostPoints: z.array(z.object({ indicator: z.string(), name: Name.optional(), points: z.number().nullable(), max: z.number(), lost: z.number() }))
    .describe('the sub-criteria where the unit lost the most points'),
  change: Change.nullable(),
  history: z.array(z.object({ year: z.number().int(), unit: z.string(), index: z.number().nullable(), rank: z.number().int().nullable(), of: z.number().int().nullable(), group: z.string().nullable() })),
}).openapi('Scorecard');

export const results = createRouter()
  .openapi(createRoute({
    method: 'get', path: '/v1/cycles/{year}/{unitType}/results', tags: ['Results'],
    summary: 'Ranked results of a cycle, with each domain, the change since the previous cycle and statistics',
    description: 'JSON carries unrounded numbers; CSV (?format=csv or Accept: text/csv) rounds for display. Responses carry an ETag; If-None-Match answers 304.',
    request: { params: CyclePath, query: ResultsQuery },
    responses: {
      200: { description: 'The results table', content: { 'application/json': { schema: Results }, 'text/csv': { schema: z.string() } } },
      304: { description: 'Not modified' },
      ...problemResponses(400, 401, 403, 404),
    },
  }), async (c) => {
    const { year, unitType } = c.req.valid('param');
    const { format, revision, ...query } = c.req.valid('query');
    const cycle = await requireCycle(c, year, unitType);
    const view = await viewFor(c, cycle, { revision });
    const csv = wantsCsv(format, c.req.header('accept'));
    const variant = [csv ? 'csv' : 'json', query.region, query.group, query.sort].map((v) => encodeURIComponent(v ?? '')).join('|');
    const render = (report: CycleReport) => (csv ? resultsCsv(report, query, 2) : resultsJson(report, query, asServed(cycle, view), revisionInfo(view)));
    return serveReport(c, cycle, view, variant, render, csv ? 'text/csv; charset=utf-8' : 'application/json') as never;
  })
  .openapi(createRoute({
    method: 'get', path: '/v1/cycles/{year}/{unitType}/statistics', tags: ['Results'], summary: 'Statistics of a cycle: index and every domain, per region, groups',
    request: { params: CyclePath, query: z.object({ revision: RevisionQuery }) },
    responses: {
      200: { description: 'Statistics', content: { 'application/json': { schema: z.object({ cycle: Cycle, revision: Revision, domains: z.array(Domain), statistics: Statistics }) } } },
      ...problemResponses(400, 401, 403, 404),
    },
  }), async (c) => {
    const { year, unitType } = c.req.valid('param');
    const cycle = await requireCycle(c, year, unitType);
    const view = await viewFor(c, cycle, { revision: c.req.valid('query').revision });
    const report = await reportOf(c, cycle, view);
    return c.json({ cycle: presentCycle(cycle), revision: revisionInfo(view), domains: report.domains, statistics: report.statistics }, 200);
  })
  .openapi(createRoute({
    method: 'get', path: '/v1/cycles/{year}/{unitType}/units/{code}', tags: ['Results'],
    summary: 'A unit\'s scorecard: rank of n, each domain against the national and regional means, where it lost points, its history',
    request: {
      params: CyclePath.extend({ code: z.string().min(1).openapi({ param: { name: 'code', in: 'path' }, example: '01' }) }),
      query: z.object({ revision: RevisionQuery }),
    },
    responses: { 200: { description: 'The scorecard', content: { 'application/json': { schema: Scorecard } } }, ...problemResponses(400, 401, 403, 404) },
  }), async (c) => {
    const { year, unitType, code } = c.req.valid('param');
    const d = c.get('driver');
    const cycle = await requireCycle(c, year, unitType);
    const view = await viewFor(c, cycle, { revision: c.req.valid('query').revision, unit: code });
    const report = await reportOf(c, cycle, view);
    const row = report.rows.find((r) => r.unit === code);
    if (!row) throw new ApiProblem('not-found', `Unit ${code} is not assessed in the ${year} ${unitType} cycle.`);
    // A unit reading its own draft sees its own numbers; comparisons with other units' drafts
    // (means, ranks) only once results are computed for review, and means only once published.
    const actor = c.get('actor');
    const showRank = comparable(actor, view, cycle.status, ['review', 'published']);
    const showMeans = comparable(actor, view, cycle.status, ['published']);
    const regionStats = row.region && showMeans ? report.statistics.by.region?.[row.region] : undefined;
    const nationalStats = showMeans ? report.statistics : undefined;
    const of = report.rows.filter((r) => r.rank !== null).length;
    const history = [];
    for (const other of await listCycles(d, unitType)) {
      const otherView = await viewFor(c, other, { unit: code }).catch(() => undefined);
      if (!otherView) continue;
      const otherRows = (await reportOf(c, other, otherView)).rows;
      const r = otherRows.find((x) => x.unit === code);
      const hide = !comparable(actor, otherView, other.status, ['review', 'published']);
      if (r) history.push({ year: other.year, unit: code, index: r.index, rank: hide ? null : r.rank, of: hide ? null : otherRows.filter((x) => x.rank !== null).length, group: r.group });
    }
    return c.json({
      cycle: presentCycle(cycle), revision: revisionInfo(view),
      ...(cycle.synthetic && { notice: 'SYNTHETIC demo data: generated from a fixed seed, not real PAR INDEX scores.' }),
      unit: { code, name: row.name, region: row.region },
      index: row.index, rank: showRank ? row.rank : null, of: showRank ? of : null, group: row.group,
      rankInRegion: showRank ? row.rankWithin.region ?? null : null,
      domains: report.domains.map((dm) => ({
        code: dm.code, name: dm.name, ...pick(row.nodes[dm.code], showRank),
        nationalMean: nationalStats?.nodes[dm.code]?.mean ?? null,
        regionMean: regionStats?.nodes[dm.code]?.mean ?? null,
      })),
      lostPoints: report.leaves.map(({ code: k, name }) => {
        const n = row.nodes[k];
        return { indicator: k, name, points: n.points ?? null, max: n.max ?? 0, lost: (n.max ?? 0) - (n.points ?? 0) };
      })
        .filter((x) => x.lost > 1e-9).sort((a, b) => b.lost - a.lost || a.indicator.localeCompare(b.indicator)).slice(0, 10),
      change: row.change && !showRank ? { ...row.change, rankChange: null } : row.change,
      history,
    }, 200);
  });

/**
 * Whether a reader may compare a unit with the others: always on a publication or as admin or
 * appraiser; a unit key reading its own live draft only in the given phases.
 */
function comparable(actor: Actor, view: View, status: string, phases: string[]): boolean {
  return view.kind === 'revision' || actor.role !== 'unit' || phases.includes(status);
}

function reportOf(c: Context<AppEnv>, cycle: CycleRow, view: View): Promise<CycleReport> | CycleReport {
  return view.kind === 'live' ? cycleReport(c.get('driver'), cycle) : view.frozen.report;
}

function pick(n: z.infer<typeof NodeResult> | undefined, withRank: boolean) {
  return n ? { points: n.points, max: n.max, percent: n.percent, rank: withRank ? n.rank : null } : {};
}
