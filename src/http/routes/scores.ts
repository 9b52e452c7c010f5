// Scores of a cycle: read them, download a template to fill, or upsert them in bulk (JSON, CSV or XLSX), all or nothing.
import { z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { getCycle } from '../../store/cycles.js';
import { writerRoles } from '../../store/keys.js';
import { listScores, scoreKey, type IngestRow, type ScoreRow } from '../../store/scores.js';
import { requireRole } from '../auth.js';
import { jsonConditional, textConditional } from '../conditional.js';
import { contentDisposition, scoresCsv } from '../present.js';
import { provenance, requireCycle } from '../cycle-context.js';
import type { AppEnv } from '../env.js';
import { limitBody, MiB, refuseReservedKey, requireMediaType } from '../middleware.js';
import { authorizePhase, authorizeWriter, capped, MAX_LISTED_ERRORS } from '../permissions.js';
import { ApiProblem, problemResponses } from '../problem.js';
import { SCORE_XLSX_LIMITS, templateDownload, workbookScoreRows } from '../score-sheets.js';
import { checkedRows, checkRowCount, csvScoreRows, MAX_UPLOAD_ROWS, scoreBatch, writeScores } from '../score-writes.js';
import { XLSX_TYPE } from '../workbook.js';
import { createRouter, defineRoute, validationProblem } from '../router.js';
import { CyclePath, Provenance, QueryInt, RevisionParam, ScoreOut, ScoresIn } from '../schemas.js';
import { cachePolicy, viewFor } from '../visibility.js';

type ScoreRowOut = Omit<ScoreRow, 'cycleId'>;

const IngestResult = z.object({
  dryRun: z.boolean(), received: z.number().int(), inserted: z.number().int(), updated: z.number().int(), unchanged: z.number().int(),
  dataVersion: z.number().int(), changed: z.boolean().describe('false when the batch equals what is stored: nothing was written'),
  message: z.string(),
}).openapi('IngestResult');

const booleanQuery = z.enum(['true', 'false']).optional().transform((v) => v === 'true');

/**
 * Before the schema reads a row of a JSON upload: the row limit, and for a unit or appraiser key
 * that every row is theirs to write (403 at once, listing the first rows at fault). The body is
 * parsed once: the validator after this reads the same parsed value. A body that is not JSON is
 * left to the validator, which answers 400.
 */
const preflight: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!isJson(c)) return next();
  let body: unknown;
  let text: string;
  try { body = JSON.parse(text = await c.req.text()); } catch { return next(); }
  (c.req as { json: () => Promise<unknown> }).json = () => Promise.resolve(body);
  const rows = (body as { scores?: unknown } | null)?.scores;
  if (Array.isArray(rows)) {
    checkRowCount(rows.length, true);
    authorizeWriter(c.get('actor'), rows);
  }
  // Walking every row costs more than searching the text, which finds most bodies clean (a key can
  // hide behind an escape such as \u005f, so any escape means a walk).
  if (text.includes('__proto__') || text.includes('\\u')) refuseReservedKey(body);
  await next();
};

const DEFAULT_PAGE = 1000;
const MAX_PAGE = 10_000;

/** Role and phase are checked before the body is read: a bad body from a stranger is a 401, not a 422. */
const requireWriter: MiddlewareHandler<AppEnv> = async (c, next) => {
  const year = Number(c.req.param('year'));
  const unitType = c.req.param('unitType') ?? '';
  const cycle = Number.isInteger(year) ? await getCycle(c.get('driver'), year, unitType) : undefined;
  if (cycle) authorizePhase(c, cycle);
  else requireRole(c, 'admin', 'appraiser', 'unit');
  await next();
};

const ScoreFilters = {
  unit: z.string().max(40).optional().openapi({ description: 'a unit code; a unit key reading a draft reads its own unit' }),
  indicator: z.string().max(40).optional(), source: z.string().max(40).optional(),
  revision: RevisionParam,
};
const PageQuery = z.object({
  ...ScoreFilters,
  cursor: z.string().max(400).optional().openapi({ description: 'from the previous page\'s `next` (or its Link rel="next")' }),
  limit: QueryInt(1, MAX_PAGE).optional().openapi({ description: `scores per page, default ${DEFAULT_PAGE}` }),
});

const ScorePage = z.object({
  ...Provenance,
  scores: z.array(ScoreOut).describe('ordered by unit, indicator, source'),
  next: z.string().nullable().describe('cursor of the next page; null on the last page'),
}).openapi('ScorePage');

/** The scores a reader asked for, as the view serves them, ordered by unit, indicator and source. */
async function servedScores(c: Context<AppEnv>, path: { year: number; unitType: string }, query: { unit?: string; indicator?: string; source?: string; revision?: string }) {
  const { revision, ...filter } = query;
  const cycle = await requireCycle(c, path.year, path.unitType);
  const actor = c.get('actor');
  if (actor.role === 'unit' && revision === 'draft' && !filter.unit) filter.unit = actor.unit!;
  const view = await viewFor(c, cycle, { revision, unit: filter.unit });
  c.header('cache-control', cachePolicy(view, revision));
  const rows: ScoreRowOut[] = view.kind === 'live'
    ? (await listScores(c.get('driver'), cycle.id, filter)).map(({ cycleId: _, ...r }) => r)
    : (view.frozen.scores as ScoreRowOut[]).filter((r) => (!filter.unit || r.unit === filter.unit) && (!filter.indicator || r.indicator === filter.indicator) && (!filter.source || r.source === filter.source));
  const key = (r: ScoreRowOut) => scoreKey(r.unit, r.indicator, r.source);
  const named = view.kind === 'live' && actor.role === 'admin' ? rows : await byRole(c, rows);
  return { cycle, view, cacheControl: cachePolicy(view, revision), rows: named.map((r) => [key(r), r] as const).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)) };
}

/**
 * Writers named by role, not key id, for everyone but an admin reading a draft: a key id is
 * half of a key, and publications are public. (Frozen revisions already store roles.)
 */
async function byRole(c: Context<AppEnv>, rows: ScoreRowOut[]): Promise<ScoreRowOut[]> {
  const roleOf = await writerRoles(c.get('driver'), rows.map((r) => r.updatedBy));
  return rows.map((r) => { const role = roleOf(r.updatedBy); return role === r.updatedBy ? r : { ...r, updatedBy: role }; });
}

const encodeCursor = (key: string) => btoa(unescape(encodeURIComponent(key))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
function decodeCursor(cursor: string): string {
  try {
    return decodeURIComponent(escape(atob(cursor.replace(/-/g, '+').replace(/_/g, '/'))));
  } catch {
    throw new ApiProblem('invalid-request', 'The cursor is not one this API gave.', [{ pointer: '/cursor', field: 'cursor', message: 'invalid cursor' }]);
  }
}

export const scores = createRouter()
  .openapi(defineRoute({
    method: 'get', path: '/v1/cycles/{year}/{unitType}/scores', tags: ['Scores'], summary: 'Scores of a cycle, a page at a time',
    description: 'Pages follow a cursor: `next` in the body and a Link header with rel="next". The whole table as CSV is at …/scores.csv.',
    operationId: 'listScores', access: { public: true, draftsFor: ['admin', 'appraiser', 'unit'] }, conditional: true,
    request: { params: CyclePath, query: PageQuery },
    responses: {
      200: {
        description: 'A page of scores',
        headers: { Link: { description: 'rel="next": the next page (absent on the last page)', schema: { type: 'string' } } },
        content: { 'application/json': { schema: ScorePage } },
      },
      ...problemResponses(400, 403, 404),
    },
  }), async (c) => {
    const { cursor, limit, ...query } = c.req.valid('query');
    const { cycle, view, rows, cacheControl } = await servedScores(c, c.req.valid('param'), query);
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const start = after === undefined ? 0 : rows.findIndex(([k]) => k > after);
    const size = limit ?? DEFAULT_PAGE;
    const page = start < 0 ? [] : rows.slice(start, start + size);
    const next = start >= 0 && start + size < rows.length ? encodeCursor(page[page.length - 1][0]) : null;
    if (next) {
      const url = new URL(c.req.url);
      url.searchParams.set('cursor', next);
      c.header('link', `<${url.pathname}${url.search}>; rel="next"`);
    }
    const body: z.infer<typeof ScorePage> = { ...(await provenance(c, cycle, view)), scores: page.map(([, r]) => r), next };
    return jsonConditional(c, body, cacheControl) as never;
  })
  .openapi(defineRoute({
    method: 'get', path: '/v1/cycles/{year}/{unitType}/scores.csv', tags: ['Scores'], summary: 'Scores of a cycle as CSV (the whole filtered table)',
    description: 'Column names are the JSON names of …/scores; values exactly as stored. UTF-8 with a BOM, CRLF.',
    operationId: 'getScoresCsv', access: { public: true, draftsFor: ['admin', 'appraiser', 'unit'] }, conditional: true,
    request: { params: CyclePath, query: z.object(ScoreFilters) },
    responses: {
      200: {
        description: 'Scores as CSV',
        headers: { 'Content-Disposition': { description: 'attachment; a file name with year, unit type and revision', schema: { type: 'string' }, required: true } },
        content: { 'text/csv': { schema: z.string().openapi({ example: '\ufeffunit,indicator,source,value,points,note,evidence,updatedAt,updatedBy' }) } },
      },
      ...problemResponses(400, 403, 404),
    },
  }), async (c) => {
    const { cycle, view, rows, cacheControl } = await servedScores(c, c.req.valid('param'), c.req.valid('query'));
    c.header('content-disposition', contentDisposition(await provenance(c, cycle, view), 'scores'));
    return textConditional(c, scoresCsv(rows.map(([, r]) => r)), 'text/csv; charset=utf-8', cacheControl) as never;
  })
  .openapi(defineRoute({
    method: 'get', path: '/v1/cycles/{year}/{unitType}/scores/template', tags: ['Scores'],
    summary: 'The score template of a cycle as XLSX: one row per unit × sub-criterion the key may write',
    description: [
      'Sheets: a read-me (the cycle, the methodology, how to fill, what is checked) and the scores (Vietnamese names; English with lang=en; either is read back).',
      'A unit key gets its own unit\'s self-assessment rows, an appraiser the appraised sub-criteria of every unit, an admin every sub-criterion of every unit (by its first source). Reference columns (unit, names, maximum, the rule in words, source) are locked; value, evidence, note and reason are input cells, the value validated where the rule bounds it (0 to the maximum, done 1 / not done 0). Stored values the key may read are filled in.',
      'Filled, it uploads to PUT …/scores with the XLSX Content-Type.',
    ].join('\n\n'),
    operationId: 'getScoreTemplate', access: { roles: ['admin', 'appraiser', 'unit'] },
    request: { params: CyclePath, query: z.object({ lang: z.enum(['vi', 'en']).optional().openapi({ description: 'the sheets\' and headers\' language, default vi' }) }) },
    responses: {
      200: {
        description: 'The template',
        headers: { 'Content-Disposition': { description: 'attachment; par-index-<year>-<unitType>-template[-<unit>].xlsx', schema: { type: 'string' }, required: true } },
        content: { [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary', description: 'sheets hướng dẫn (read me) and điểm (scores)' }) } },
      },
      ...problemResponses(401, 403, 404),
    },
  }), async (c) => {
    requireRole(c, 'admin', 'appraiser', 'unit');
    const { year, unitType } = c.req.valid('param');
    return templateDownload(c, await scoreBatch(c, year, unitType), c.req.valid('query').lang ?? 'vi') as never;
  })
  .openapi(defineRoute({
    method: 'put', path: '/v1/cycles/{year}/{unitType}/scores', tags: ['Scores'],
    operationId: 'putScores', access: { roles: ['admin', 'appraiser', 'unit'] },
    summary: 'Upsert scores in bulk, all or nothing (JSON, CSV or XLSX; ?dryRun=true validates only)',
    description: [
      `One bad row rejects the whole batch; the problem lists the first ${MAX_LISTED_ERRORS} errors in row order, and its detail says how many there are in all. Sending the same batch twice changes nothing the second time (changed: false).`,
      `At most ${MAX_UPLOAD_ROWS.toLocaleString('en')} rows and 64 MiB per request (413 beyond). Who may write is checked before any row is validated: a unit or appraiser key's rows outside what it may write are 403 at once.`,
      'CSV: header unit,indicator,source,value[,note,evidence,reason]; UTF-8 with or without BOM; comma or semicolon; CRLF or LF. Text (note, evidence, reason) is NFC, with no control or bidirectional-control character; a note or reason may hold line feeds.',
      `XLSX: the template of GET …/scores/template, filled (a sheet named điểm or scores; header row 1 with unit, indicator, value and optionally source, evidence, note, reason, in Vietnamese or English; reference columns are ignored). A row whose value, evidence, note and reason are all empty is not sent. Cells are read as values; refused (422), each named by sheet, row and column: formulas (never computed, their stored results not trusted), error values, dates or TRUE/FALSE where a number belongs, numbers typed as text with a decimal comma, merged cells, hidden sheets or rows, empty rows between rows with data. The ZIP is checked before anything is read: at most ${SCORE_XLSX_LIMITS.entries} parts and ${SCORE_XLSX_LIMITS.uncompressed / MiB} MiB uncompressed, ${SCORE_XLSX_LIMITS.rows.toLocaleString('en')} rows and ${SCORE_XLSX_LIMITS.cells.toLocaleString('en')} cells per sheet (413), no external links or macros (422).`,
      'Phases: a unit writes its own self-assessment (source self, with evidence or a note explaining why there is none) while the cycle is open; an appraiser writes source appraisal during appraisal (a reason where it differs from the self-assessment); an admin writes anything until review, and during a correction.',
    ].join('\n\n'),
    middleware: [limitBody(64 * MiB), requireWriter, requireMediaType('application/json', 'text/csv', XLSX_TYPE), preflight] as const,
    request: {
      params: CyclePath,
      query: z.object({ dryRun: booleanQuery.openapi({ type: 'boolean', description: 'true: validate and report what would change; nothing is written' }) }),
      body: { required: false, content: { 'application/json': { schema: ScoresIn }, 'text/csv': { schema: z.string() }, [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary', description: 'the filled template (sheet điểm or scores)' }) } } },
    },
    responses: {
      200: { description: 'What the batch did (or would do, for a dry run)', content: { 'application/json': { schema: IngestResult } } },
      ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422),
    },
  }), async (c) => {
    const { dryRun } = c.req.valid('query');
    const path = c.req.valid('param');
    const batch = await scoreBatch(c, path.year, path.unitType);
    if (mediaType(c) === XLSX_TYPE) {
      const sheet = await workbookScoreRows(c, batch, new Uint8Array(await c.req.arrayBuffer()));
      return c.json(await writeScores(c, batch, sheet.rows, dryRun).catch(sheet.place), 200);
    }
    const rows = isJson(c) ? (c.req.valid('json') as { scores: IngestRow[] }).scores : await csvScoreRows(c, batch, await c.req.text());
    const outcome = await writeScores(c, batch, rows, dryRun);
    return c.json(outcome, 200);
  }, async (result, c): Promise<any> => {
    // A JSON batch that fails the schema is checked against the methodology too, so that the
    // problem lists every bad row at once, not only those the schema catches.
    if (result.success) return;
    const body = await c.req.json().catch(() => undefined);
    if (result.target === 'json' && Array.isArray(body?.scores) && body.scores.length > 0 && Object.keys(body).length === 1) {
      const path = c.req.param() as { year: string; unitType: string };
      await checkedRows(await scoreBatch(c, Number(path.year), path.unitType), body.scores, []);
    }
    throw capped(validationProblem(result.error.issues, result.target));
  });

const mediaType = (c: Context<AppEnv>) => (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
const isJson = (c: Context<AppEnv>) => mediaType(c) === 'application/json';
