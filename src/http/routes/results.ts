// Results of a cycle: the ranked table (JSON, or CSV and XLSX at their own URLs), a unit's scorecard, the statistics.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { listCycles, type CycleRow } from '../../store/cycles.js';
import { driverCache } from '../../store/driver.js';
import { cycleReport, reportKey, type CycleReport } from '../../store/results.js';
import { regionCodes } from '../../store/units.js';
import { cachePolicy, viewFor, type View } from '../visibility.js';
import { provenance, requireCycle, servedRevision } from '../cycle-context.js';
import { conditional, fnv1a, jsonConditional, weakEtag } from '../conditional.js';
import type { Actor, AppEnv } from '../env.js';
import { contentDisposition, lostPoints, resultRow, resultsCsv, resultsCsvMetadata, selectRows } from '../present.js';
import { ApiProblem, problemResponses } from '../problem.js';
import { resultsXlsx } from '../results-sheets.js';
import { createRouter, defineRoute } from '../router.js';
import { XLSX_TYPE } from '../workbook.js';
import { Change, CsvwMetadata, Domain, orNull, CyclePath, Name, NodeResult, Provenance, RevisionParam, Statistics, UnitRef } from '../schemas.js';

const ResultRow = z.object({
  unit: UnitRef,
  index: z.number().nullable().describe('index points out of 100, full precision; round only for display'),
  rank: z.number().int().nullable().describe('competition rank (1, 2, 2, 4); null when not ranked'),
  rankInRegion: z.number().int().nullable().describe('competition rank among the units of the same region'),
  group: z.string().nullable().describe('the group of the index (A ≥ 90, B ≥ 80 … by the methodology)'), ranked: z.boolean(),
  missing: z.number().int().describe('leaves without data'), imputed: z.number().int().describe('leaves imputed by the missing-data rule'),
  domains: z.record(z.string(), NodeResult).describe('each domain by its code'), change: orNull(Change),
}).openapi('ResultRow');
const Results = z.object({
  ...Provenance, domains: z.array(Domain), results: z.array(ResultRow), statistics: Statistics, computedAt: z.iso.datetime(),
}).openapi('Results');

const Filters = {
  region: z.string().max(20).optional().openapi({ description: 'a region code (GET /v1/units lists them with each unit)', example: 'RRD' }),
  group: z.string().max(20).optional().openapi({ description: 'a group of the methodology', example: 'A' }),
  sort: z.enum(['rank', '-rank', 'index', '-index', 'unit', '-unit', 'name', '-name', 'region', '-region']).optional()
    .openapi({ description: 'a column, descending with a leading minus; default rank' }),
  revision: RevisionParam,
};
const ResultsQuery = z.object(Filters);

/** 400 for a region that does not exist (a typo must not look like an empty region). */
async function checkRegion(c: Context<AppEnv>, region: string | undefined): Promise<void> {
  if (region !== undefined && !(await regionCodes(c.get('driver'))).has(region)) {
    throw new ApiProblem('invalid-request', `No region ${region}.`, [{ pointer: '/region', field: 'region', message: 'unknown region' }]);
  }
}

function checkGroup(report: CycleReport, group: string | undefined): void {
  if (group !== undefined && !(group in report.statistics.groups)) {
    throw new ApiProblem('invalid-request', `No group ${group} in this methodology (groups: ${Object.keys(report.statistics.groups).join(', ')}).`, [{ pointer: '/group', field: 'group', message: 'unknown group' }]);
  }
}

/**
 * The Workers Cache API entry of a key; none on Node, where no Request is built for it (building
 * one costs more than the rest of an answer served from memory).
 */
function edgeEntry(key: string): { cache: Cache; request: Request } | undefined {
  const cache = (globalThis as { caches?: { default?: Cache } }).caches?.default;
  return cache && { cache, request: new Request(`https://results.cache.invalid/${encodeURIComponent(key)}`) };
}

/** Work that may finish after the response: waitUntil on Workers (and the Node server), awaited elsewhere. */
async function afterResponse(c: Context<AppEnv>, work: Promise<unknown>): Promise<void> {
  try { c.executionCtx.waitUntil(work); } catch { await work; }
}

/** A report's database cache written after the answer, in a task of its own (not before the answer is sent). */
const storeLater = (c: Context<AppEnv>) => (work: () => Promise<void>) =>
  afterResponse(c, new Promise((resolve) => setTimeout(resolve, 0)).then(work));

type Rendered = string | Uint8Array<ArrayBuffer>;
type Render = (report: CycleReport) => Rendered | Promise<Rendered>;

/**
 * Serves a variant of the cycle's report, serialised once per data version: from the Workers
 * Cache API (shared by the isolates of a location), else from this process's memory, else
 * rendered now. The key names the data versions, so a change of scores is never served stale.
 */
async function serveReport(c: Context<AppEnv>, cycle: CycleRow, view: View, revision: string | undefined, variant: string, render: Render, headers: Record<string, string>) {
  // A live body names the cycle's status and latest revision in its provenance: both are in its
  // key, or a second correction (same data, same status) would serve the first one's revision.
  const base = view.kind === 'live' ? `live:${await reportKey(c.get('driver'), cycle)}:${cycle.status}.r${cycle.revision}`
    : `rev:${cycle.id}.${view.frozen.revision.revision}:${view.frozen.revision.contentHash.slice(0, 16)}`;
  const key = `${base}|${variant}`;
  const notModified = conditional(c, weakEtag(base.replace(/:.*$/, ''), fnv1a(key)), cachePolicy(view, revision));
  if (notModified) return notModified;
  const edge = edgeEntry(key);
  const hit = edge && await edge.cache.match(edge.request);
  if (hit) return c.body(new Uint8Array(await hit.arrayBuffer()), 200, { ...headers, 'x-results-cache': 'edge' });
  // Kept as UTF-8 bytes: encoded once, not on every request.
  const serialised = driverCache<string, Uint8Array<ArrayBuffer>>(c.get('driver'), 'bodies');
  let body = serialised.get(key);
  const source = body === undefined ? 'computed' : 'memory';
  if (body === undefined) {
    const report = view.kind === 'live' ? await cycleReport(c.get('driver'), cycle, { later: storeLater(c) }) : view.frozen.report;
    const rendered = await render(report);
    serialised.set(key, (body = typeof rendered === 'string' ? new TextEncoder().encode(rendered) : rendered));
  }
  if (edge) await afterResponse(c, edge.cache.put(edge.request, new Response(body, { headers: { 'content-type': headers['content-type'], 'cache-control': 'public, max-age=86400' } })));
  return c.body(body, 200, { ...headers, 'x-results-cache': source });
}

/** The view of a cycle a results read asks for, and its query's filters checked. */
async function resultsView(c: Context<AppEnv>, path: { year: number; unitType: string }, query: { region?: string; revision?: string }) {
  const cycle = await requireCycle(c, path.year, path.unitType);
  const view = await viewFor(c, cycle, { revision: query.revision });
  await checkRegion(c, query.region);
  return { cycle, view, revision: query.revision };
}

const ScorecardDomain = z.object({
  code: z.string(), name: Name.optional(),
  points: z.number().nullable().optional().describe('points (points mode)'), max: z.number().optional().describe('maximum points'),
  percent: z.number().nullable().optional().describe('percent of the domain\'s maximum (0–100)'), rank: z.number().int().nullable().optional(),
  nationalMean: z.number().nullable().describe('mean of all units, in the unit of the domain\'s headline number (percent of max in points mode)'),
  regionalMean: z.number().nullable().describe('mean of the unit\'s region, same unit'),
}).openapi('ScorecardDomain');
const Scorecard = z.object({
  ...Provenance,
  unit: UnitRef,
  index: z.number().nullable().describe('index points out of 100'), rank: z.number().int().nullable(),
  of: z.number().int().nullable().describe('ranked units; null where the reader may not compare with other units\' drafts'), group: z.string().nullable(),
  rankInRegion: z.number().int().nullable(),
  domains: z.array(ScorecardDomain),
  lostPoints: z.array(z.object({ indicator: z.string(), name: Name.optional(), points: z.number().nullable(), max: z.number(), lost: z.number().describe('max − points, in points') }))
    .describe('the sub-criteria where the unit lost the most points'),
  change: orNull(Change),
  history: z.array(z.object({
    year: z.number().int(), unit: z.string(), index: z.number().nullable(), rank: z.number().int().nullable(), of: z.number().int().nullable(), group: z.string().nullable(),
    revision: z.number().int().nullable().describe('the publication read; null for the draft being read'),
  })).describe('every cycle of this unit type that is published (and the one read), oldest first'),
}).openapi('Scorecard');

/** The cache key part of a table's representation and filters. */
const variantOf = (kind: string, q: { region?: string; group?: string; sort?: string }) =>
  [kind, q.region, q.group, q.sort].map((v) => encodeURIComponent(v ?? '')).join('|');

const UnitPath = CyclePath.extend({ code: z.string().min(1).max(40).openapi({ param: { name: 'code', in: 'path' }, example: '01' }) });
const drafts = { public: true, draftsFor: ['admin', 'appraiser'] } as const;

export const results = createRouter()
  .openapi(defineRoute({
    method: 'get', path: '/v1/cycles/{year}/{unitType}/results', tags: ['Results'],
    summary: 'Ranked results of a cycle, with each domain, the change since the previous cycle and statistics',
    description: 'Unrounded numbers; the same table with display rounding is at …/results.csv and …/results.xlsx.',
    operationId: 'getResults', access: drafts, conditional: true,
    request: { params: CyclePath, query: ResultsQuery },
    responses: {
      200: { description: 'The results table', content: { 'application/json': { schema: Results } } },
      ...problemResponses(400, 403, 404),
    },
  }), async (c) => {
    const { revision, ...query } = c.req.valid('query');
    const { cycle, view, revision: asked } = await resultsView(c, c.req.valid('param'), c.req.valid('query'));
    const variant = variantOf('json', query);
    const render = async (report: CycleReport) => {
      checkGroup(report, query.group);
      return JSON.stringify({
        ...(await provenance(c, cycle, view)), domains: report.domains,
        results: selectRows(report, query).map((r) => resultRow(report, r)), statistics: report.statistics, computedAt: report.computedAt,
      });
    };
    return serveReport(c, cycle, view, asked, variant, render, { 'content-type': 'application/json' }) as never;
  })
  .openapi(defineRoute({
    method: 'get', path: '/v1/cycles/{year}/{unitType}/results.csv', tags: ['Results'],
    summary: 'The results table as CSV, with the methodology\'s display rounding',
    description: 'UTF-8 with a BOM (spreadsheets show the diacritics), CRLF. Column names are the JSON paths of …/results joined by dots (unit.code, domains.1.percent …). Provenance and column titles: the CSVW metadata document linked with rel="describedby".',
    operationId: 'getResultsCsv', access: drafts, conditional: true,
    request: { params: CyclePath, query: ResultsQuery },
    responses: {
      200: {
        description: 'The results table as CSV',
        headers: {
          'Content-Disposition': { description: 'attachment; a file name with year, unit type and revision', schema: { type: 'string' }, required: true },
          Link: { description: 'the CSVW metadata document (rel="describedby")', schema: { type: 'string' }, required: true },
        },
        content: { 'text/csv': { schema: z.string().openapi({ example: '\ufeffrank,unit.code,unit.name.vi,…' }) } },
      },
      ...problemResponses(400, 403, 404),
    },
  }), async (c) => {
    const { revision, ...query } = c.req.valid('query');
    const { year, unitType } = c.req.valid('param');
    const { cycle, view, revision: asked } = await resultsView(c, { year, unitType }, c.req.valid('query'));
    const variant = variantOf('csv', query);
    // The provenance (database reads) only when the table is rendered, not for every request served from the cache.
    const render = async (report: CycleReport) => { checkGroup(report, query.group); return resultsCsv(report, query, await provenance(c, cycle, view)); };
    const metadata = `/v1/cycles/${year}/${unitType}/results.csv-metadata.json${revision ? `?revision=${revision}` : ''}`;
    return serveReport(c, cycle, view, asked, variant, render, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': contentDisposition({ cycle: { year, unitType }, revision: servedRevision(cycle, view) }, 'results'),
      link: `<${metadata}>; rel="describedby"; type="application/csvm+json"`,
    }) as never;
  })
  .openapi(defineRoute({
    method: 'get', path: '/v1/cycles/{year}/{unitType}/results.xlsx', tags: ['Results'],
    summary: 'The results as XLSX: a sheet per level (index and domains; sub-criteria) and the publication\'s metadata',
    description: 'Numbers are stored as numbers at the methodology\'s display rounding (as in results.csv), formatted to that many places. Headers in Vietnamese (lang=en: English). The metadata sheet names the cycle, the methodology, the revision, its content hash, the decision that published it and, for synthetic data, the notice.',
    operationId: 'getResultsXlsx', access: drafts, conditional: true,
    request: { params: CyclePath, query: ResultsQuery.extend({ lang: z.enum(['vi', 'en']).optional().openapi({ description: 'the sheets\' and headers\' language, default vi' }) }) },
    responses: {
      200: {
        description: 'The results workbook',
        headers: { 'Content-Disposition': { description: 'attachment; a file name with year, unit type and revision', schema: { type: 'string' }, required: true } },
        content: { [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary', description: 'sheets chỉ số và lĩnh vực, tiêu chí thành phần, thông tin (index and domains, sub-criteria, metadata)' }) } },
      },
      ...problemResponses(400, 403, 404),
    },
  }), async (c) => {
    const { revision, lang = 'vi', ...query } = c.req.valid('query');
    const { year, unitType } = c.req.valid('param');
    const { cycle, view, revision: asked } = await resultsView(c, { year, unitType }, c.req.valid('query'));
    const render = async (report: CycleReport) => { checkGroup(report, query.group); return resultsXlsx(report, query, await provenance(c, cycle, view), lang); };
    return serveReport(c, cycle, view, asked, `${variantOf('xlsx', query)}|${lang}`, render, {
      'content-type': XLSX_TYPE,
      'content-disposition': contentDisposition({ cycle: { year, unitType }, revision: servedRevision(cycle, view) }, 'results').replace(/\.csv"$/, '.xlsx"'),
    }) as never;
  })
  .openapi(defineRoute({
    method: 'get', path: '/v1/cycles/{year}/{unitType}/results.csv-metadata.json', tags: ['Results'],
    summary: 'The CSVW metadata of results.csv: column names and titles (domain names in Vietnamese and English), datatypes and the provenance',
    operationId: 'getResultsCsvMetadata', access: drafts, conditional: true,
    request: { params: CyclePath, query: z.object({ revision: RevisionParam }) },
    responses: {
      200: { description: 'A W3C CSV on the Web metadata document (JSON-LD)', content: { 'application/csvm+json': { schema: CsvwMetadata } } },
      ...problemResponses(400, 403, 404),
    },
  }), async (c) => {
    const { revision } = c.req.valid('query');
    const { year, unitType } = c.req.valid('param');
    const { cycle, view, revision: asked } = await resultsView(c, { year, unitType }, c.req.valid('query'));
    const csvUrl = `/v1/cycles/${year}/${unitType}/results.csv${revision ? `?revision=${revision}` : ''}`;
    const render = async (report: CycleReport) => JSON.stringify(resultsCsvMetadata(report, await provenance(c, cycle, view), csvUrl));
    return serveReport(c, cycle, view, asked, 'csvw', render, { 'content-type': 'application/csvm+json' }) as never;
  })
  .openapi(defineRoute({
    method: 'get', path: '/v1/cycles/{year}/{unitType}/statistics', tags: ['Results'], summary: 'Statistics of a cycle: index and every domain, per region, groups',
    operationId: 'getStatistics', access: drafts, conditional: true,
    request: { params: CyclePath, query: z.object({ revision: RevisionParam }) },
    responses: {
      200: { description: 'Statistics', content: { 'application/json': { schema: z.object({ ...Provenance, domains: z.array(Domain), statistics: Statistics }).openapi('CycleStatistics') } } },
      ...problemResponses(400, 403, 404),
    },
  }), async (c) => {
    const { cycle, view, revision: asked } = await resultsView(c, c.req.valid('param'), c.req.valid('query'));
    const render = async (report: CycleReport) => JSON.stringify({ ...(await provenance(c, cycle, view)), domains: report.domains, statistics: report.statistics });
    return serveReport(c, cycle, view, asked, 'statistics', render, { 'content-type': 'application/json' }) as never;
  })
  .openapi(defineRoute({
    method: 'get', path: '/v1/cycles/{year}/{unitType}/units/{code}', tags: ['Results'],
    summary: 'A unit\'s scorecard: rank of n, each domain against the national and regional means, where it lost points, its history',
    operationId: 'getScorecard', access: { public: true, draftsFor: ['admin', 'appraiser', 'unit'] }, conditional: true,
    description: 'A unit key reads its own unit\'s draft scorecard with ?revision=draft: ranks from review on, means once published.',
    request: { params: UnitPath, query: z.object({ revision: RevisionParam }) },
    responses: { 200: { description: 'The scorecard', content: { 'application/json': { schema: Scorecard } } }, ...problemResponses(400, 403, 404) },
  }), async (c) => {
    const { year, unitType, code } = c.req.valid('param');
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
    const scorecard: z.infer<typeof Scorecard> = {
      ...(await provenance(c, cycle, view)),
      unit: { code, name: row.name, region: row.region },
      index: row.index, rank: showRank ? row.rank : null, of: showRank ? of : null, group: row.group,
      rankInRegion: showRank ? row.rankWithin.region ?? null : null,
      domains: report.domains.map((dm) => ({
        code: dm.code, name: dm.name, ...pick(row.nodes[dm.code], showRank),
        nationalMean: nationalStats?.domains[dm.code]?.mean ?? null,
        regionalMean: regionStats?.domains[dm.code]?.mean ?? null,
      })),
      lostPoints: lostPoints(report, row).slice(0, 10),
      change: row.change && !showRank ? { ...row.change, restatedRank: null, rankChange: null } : row.change,
      history: await history(c, cycle, view, code),
    };
    // The history reads other cycles' latest publications: revalidated even when this one is pinned.
    return jsonConditional(c, scorecard, cachePolicy(view, undefined)) as never;
  });

/**
 * A unit's index across every cycle of its type: each other cycle's latest publication, and the
 * cycle being read as it is served.
 */
async function history(c: Context<AppEnv>, current: CycleRow, currentView: View, code: string) {
  const out = [];
  const actor = c.get('actor');
  for (const other of await listCycles(c.get('driver'), current.unitType)) {
    const view = other.id === current.id ? currentView : other.revision > 0 ? await viewFor(c, other) : undefined;
    if (!view) continue;
    const rows = (await reportOf(c, other, view)).rows;
    const r = rows.find((x) => x.unit === code);
    const hide = !comparable(actor, view, other.status, ['review', 'published']);
    if (r) {
      out.push({
        year: other.year, unit: code, index: r.index, rank: hide ? null : r.rank, of: hide ? null : rows.filter((x) => x.rank !== null).length,
        group: r.group, revision: view.kind === 'live' ? null : view.frozen.revision.revision,
      });
    }
  }
  return out;
}

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
