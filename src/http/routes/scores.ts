// Scores of a cycle: read them, or upsert them in bulk (JSON or CSV), all or nothing.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { EngineError, scoreRows, type CompiledMethodology, type UnitInput } from '../../engine/index.js';
import { getCycle, type CycleRow } from '../../store/cycles.js';
import { cycleInputs } from '../../store/results.js';
import { ingestScores, listScores, selfValues, type IngestRow, type ScoreRow } from '../../store/scores.js';
import { requireRole } from '../auth.js';
import { parseScoresCsv, toCsv, wantsCsv } from '../csv.js';
import { requireCycle } from '../cycle-context.js';
import { writeContext, type AppEnv } from '../env.js';
import { limitBody, MiB, requireMediaType } from '../middleware.js';
import { authorizePhase, authorizeRows, requireAdjustmentReasons } from '../permissions.js';
import { ApiProblem, issuesToErrors, problemResponses, zodToErrors, type FieldError } from '../problem.js';
import { createRouter, validationProblem } from '../router.js';
import { CyclePath, ScoreIn, ScoreOut, ScoresIn } from '../schemas.js';
import { viewFor } from '../visibility.js';

type ScoreRowOut = Omit<ScoreRow, 'cycleId'>;

const IngestResult = z.object({
  dryRun: z.boolean(), received: z.number().int(), inserted: z.number().int(), updated: z.number().int(), unchanged: z.number().int(),
  dataVersion: z.number().int(), changed: z.boolean().describe('false when the batch equals what is stored: nothing was written'),
  message: z.string(),
}).openapi('IngestResult');

const booleanQuery = z.enum(['true', 'false']).optional().transform((v) => v === 'true');

/** Role and phase are checked before the body is read: a bad body from a stranger is a 401, not a 422. */
const requireWriter: MiddlewareHandler<AppEnv> = async (c, next) => {
  const year = Number(c.req.param('year'));
  const unitType = c.req.param('unitType') ?? '';
  const cycle = Number.isInteger(year) ? await getCycle(c.get('driver'), year, unitType) : undefined;
  if (cycle) authorizePhase(c, cycle);
  else requireRole(c, 'admin', 'appraiser', 'unit');
  await next();
};

export const scores = createRouter()
  .openapi(createRoute({
    method: 'get', path: '/v1/cycles/{year}/{unitType}/scores', tags: ['Scores'], summary: 'Scores of a cycle (JSON or CSV)',
    request: {
      params: CyclePath,
      query: z.object({
        unit: z.string().optional(), indicator: z.string().optional(), source: z.string().optional(), format: z.enum(['json', 'csv']).optional(),
        revision: z.coerce.number().int().positive().optional().openapi({ description: 'a published revision; default: what your key may see (the live draft, or the latest publication)' }),
      }),
    },
    responses: {
      200: { description: 'Scores', content: { 'application/json': { schema: z.object({ revision: z.number().int().nullable().describe('null: the live draft'), scores: z.array(ScoreOut) }) }, 'text/csv': { schema: z.string() } } },
      ...problemResponses(400, 401, 403, 404),
    },
  }), async (c) => {
    const { year, unitType } = c.req.valid('param');
    const { format, revision, ...filter } = c.req.valid('query');
    const cycle = await requireCycle(c, year, unitType);
    const actor = c.get('actor');
    if (actor.role === 'unit' && !filter.unit && revision === undefined) filter.unit = actor.unit!;
    const view = await viewFor(c, cycle, { revision, unit: filter.unit });
    const rows = view.kind === 'live'
      ? (await listScores(c.get('driver'), cycle.id, filter)).map(({ cycleId: _, ...r }) => r)
      : view.frozen.scores.filter((r) => (!filter.unit || r.unit === filter.unit) && (!filter.indicator || r.indicator === filter.indicator) && (!filter.source || r.source === filter.source)) as ScoreRowOut[];
    if (wantsCsv(format, c.req.header('accept'))) {
      const csv = toCsv(['unit', 'indicator', 'source', 'value', 'points', 'note', 'evidence', 'updated_at', 'updated_by'],
        rows.map((r) => [r.unit, r.indicator, r.source, typeof r.value === 'object' && r.value !== null ? JSON.stringify(r.value) : r.value, r.points, r.note, r.evidence, r.updatedAt, r.updatedBy]));
      return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8' }) as never;
    }
    return c.json({ revision: view.kind === 'live' ? null : view.frozen.revision.revision, scores: rows }, 200);
  })
  .openapi(createRoute({
    method: 'put', path: '/v1/cycles/{year}/{unitType}/scores', tags: ['Scores'],
    summary: 'Upsert scores in bulk, all or nothing (JSON or CSV; ?dryRun=true validates only)',
    description: 'One bad row rejects the whole batch, listing every bad row. Sending the same batch twice changes nothing the second time (changed: false). CSV: header unit,indicator,source,value[,note,evidence]; UTF-8 with or without BOM; comma or semicolon; CRLF or LF.',
    middleware: [limitBody(64 * MiB), requireWriter, requireMediaType('application/json', 'text/csv')] as const,
    request: {
      params: CyclePath,
      query: z.object({ dryRun: booleanQuery.openapi({ type: 'string', enum: ['true', 'false'] }) }),
      body: { required: false, content: { 'application/json': { schema: ScoresIn }, 'text/csv': { schema: z.string() } } },
    },
    responses: {
      200: { description: 'What the batch did (or would do, for a dry run)', content: { 'application/json': { schema: IngestResult } } },
      ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422),
    },
  }), async (c) => {
    const { dryRun } = c.req.valid('query');
    const batch = await loadBatch(c);
    const rows = isJson(c) ? (c.req.valid('json') as { scores: IngestRow[] }).scores : await readCsvRows(c, batch);
    const actor = c.get('actor');
    authorizeRows(actor, rows);
    if (actor.role === 'appraiser') requireAdjustmentReasons(rows, await selfValues(c.get('driver'), batch.cycle.id));
    const outcome = await ingestScores(c.get('driver'), batch.cycle, batch.compiled, batch.units, rows, writeContext(c), dryRun);
    const changed = !dryRun && outcome.inserted + outcome.updated > 0;
    const message = dryRun
      ? `Dry run: every row is valid; ${outcome.inserted} would be inserted, ${outcome.updated} updated, ${outcome.unchanged} unchanged. Nothing was written.`
      : changed ? `${outcome.inserted} inserted, ${outcome.updated} updated, ${outcome.unchanged} unchanged.`
        : `All ${outcome.received} rows equal what is stored: nothing changed.`;
    return c.json({ ...outcome, changed, message }, 200);
  }, async (result, c): Promise<any> => {
    // A JSON batch that fails the schema is checked against the methodology too, so that the
    // problem lists every bad row at once, not only those the schema catches.
    if (result.success) return;
    const body = await c.req.json().catch(() => undefined);
    if (result.target === 'json' && Array.isArray(body?.scores) && body.scores.length > 0 && Object.keys(body).length === 1) {
      const path = c.req.param() as { year: string; unitType: string };
      await rejectRows(await loadBatch(c, Number(path.year), path.unitType), body.scores, []);
    }
    throw validationProblem(result.error.issues, result.target);
  });

interface Batch { cycle: CycleRow; compiled: CompiledMethodology; units: UnitInput[] }

async function loadBatch(c: Context<AppEnv>, year?: number, unitType?: string): Promise<Batch> {
  const path = year === undefined ? (c.req as any).valid('param') as { year: number; unitType: string } : { year, unitType: unitType! };
  const cycle = await requireCycle(c, path.year, path.unitType);
  const { compiled, units } = await cycleInputs(c.get('driver'), cycle);
  return { cycle, compiled, units };
}

function isJson(c: Context<AppEnv>): boolean {
  return (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase() === 'application/json';
}

/**
 * Checks each row against the schema. When some fail, throws one problem (validation-failed)
 * listing every bad row: schema errors, and the methodology's verdict (unknown unit or indicator,
 * range, duplicates) on the rows the schema accepted. Returns the rows when all pass the schema:
 * the methodology then checks them once, in ingestScores.
 */
async function rejectRows(batch: Batch, raw: unknown[], known: FieldError[]): Promise<IngestRow[]> {
  const errors = [...known];
  const knownRows = new Set(known.map((e) => e.row));
  const accepted: { row: IngestRow; index: number }[] = [];
  raw.forEach((row, index) => {
    if (knownRows.has(index + 1)) return;
    const parsed = ScoreIn.safeParse(row);
    if (parsed.success) accepted.push({ row: parsed.data as IngestRow, index });
    else errors.push(...zodToErrors(parsed.error.issues).map((e) => ({ ...e, row: index + 1, pointer: `/scores/${index}${e.pointer}` })));
  });
  if (errors.length === 0) return accepted.map((a) => a.row);
  try {
    scoreRows(batch.compiled, accepted.map((a) => a.row), batch.units);
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    errors.push(...issuesToErrors(e.issues.map((i) => ({ ...i, row: i.row === undefined ? undefined : accepted[i.row].index }))));
  }
  errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  throw new ApiProblem('validation-failed', `${new Set(errors.map((e) => e.row)).size} bad row(s); nothing was written. First: row ${errors[0].row}: ${errors[0].field ? `${errors[0].field}: ` : ''}${errors[0].message}`, errors);
}

/** Rows of a CSV body: cells, schema and methodology checked together. */
async function readCsvRows(c: Context<AppEnv>, batch: Batch): Promise<IngestRow[]> {
  const { rows, errors } = parseScoresCsv(await c.req.text());
  return rejectRows(batch, rows, errors.map((e) => ({ ...e, pointer: undefined })));
}
