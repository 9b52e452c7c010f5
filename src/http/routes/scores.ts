// Scores of a cycle: read them, or upsert them in bulk (JSON or CSV), all or nothing.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { unitsAssessedIn } from '../../engine/index.js';
import { compiledOf, getMethodology } from '../../store/methodologies.js';
import { ingestScores, listScores, type IngestRow } from '../../store/scores.js';
import { unitRecords } from '../../store/units.js';
import { requireCycle } from '../cycle-context.js';
import { parseScoresCsv, toCsv, wantsCsv } from '../csv.js';
import type { AppEnv } from '../env.js';
import { limitBody, MiB, requireMediaType } from '../middleware.js';
import { ApiProblem, problemResponses, zodToErrors, type FieldError } from '../problem.js';
import { createRouter } from '../router.js';
import { CyclePath, ScoreIn, ScoreOut, ScoresIn } from '../schemas.js';

const IngestResult = z.object({
  dryRun: z.boolean(), received: z.number().int(), inserted: z.number().int(), updated: z.number().int(), unchanged: z.number().int(),
  dataVersion: z.number().int(), changed: z.boolean().describe('false when the batch equals what is stored: nothing was written'),
  message: z.string(),
}).openapi('IngestResult');

const booleanQuery = z.enum(['true', 'false']).optional().transform((v) => v === 'true');

export const scores = createRouter()
  .openapi(createRoute({
    method: 'get', path: '/v1/cycles/{year}/{unitType}/scores', tags: ['Scores'], summary: 'Scores of a cycle (JSON or CSV)',
    request: {
      params: CyclePath,
      query: z.object({ unit: z.string().optional(), indicator: z.string().optional(), source: z.string().optional(), format: z.enum(['json', 'csv']).optional() }),
    },
    responses: {
      200: { description: 'Scores', content: { 'application/json': { schema: z.object({ scores: z.array(ScoreOut) }) }, 'text/csv': { schema: z.string() } } },
      ...problemResponses(400, 404),
    },
  }), async (c) => {
    const { year, unitType } = c.req.valid('param');
    const { format, ...filter } = c.req.valid('query');
    const cycle = await requireCycle(c, year, unitType);
    const rows = await listScores(c.get('driver'), cycle.id, filter);
    if (wantsCsv(format, c.req.header('accept'))) {
      const csv = toCsv(['unit', 'indicator', 'source', 'value', 'points', 'note', 'evidence', 'updated_at', 'updated_by'],
        rows.map((r) => [r.unit, r.indicator, r.source, typeof r.value === 'object' && r.value !== null ? JSON.stringify(r.value) : r.value, r.points, r.note, r.evidence, r.updatedAt, r.updatedBy]));
      return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8' }) as never;
    }
    return c.json({ scores: rows.map(({ cycleId: _, ...r }) => r) }, 200);
  })
  .openapi(createRoute({
    method: 'put', path: '/v1/cycles/{year}/{unitType}/scores', tags: ['Scores'],
    summary: 'Upsert scores in bulk, all or nothing (JSON or CSV; ?dryRun=true validates only)',
    description: 'One bad row rejects the whole batch, listing every bad row. Sending the same batch twice changes nothing the second time (changed: false). CSV: header unit,indicator,source,value[,note,evidence]; UTF-8 with or without BOM; comma or semicolon; CRLF or LF.',
    middleware: [limitBody(64 * MiB), requireMediaType('application/json', 'text/csv')] as const,
    request: {
      params: CyclePath,
      query: z.object({ dryRun: booleanQuery.openapi({ type: 'string', enum: ['true', 'false'] }) }),
      body: { required: false, content: { 'application/json': { schema: ScoresIn }, 'text/csv': { schema: z.string() } } },
    },
    responses: {
      200: { description: 'What the batch did (or would do, for a dry run)', content: { 'application/json': { schema: IngestResult } } },
      ...problemResponses(400, 404, 413, 415, 422),
    },
  }), async (c) => {
    const { year, unitType } = c.req.valid('param');
    const { dryRun } = c.req.valid('query');
    const d = c.get('driver');
    const cycle = await requireCycle(c, year, unitType);
    const rows = await readRows(c);
    const methodology = (await getMethodology(d, cycle.methodologyId, cycle.methodologyVersion))!;
    const assessed = unitsAssessedIn(await unitRecords(d, cycle.unitType), cycle.unitType, cycle.year);
    const outcome = await ingestScores(d, cycle, compiledOf(methodology), assessed.map((u) => ({ code: u.code, ranked: u.ranked })), rows, 'anonymous', dryRun);
    const changed = !dryRun && outcome.inserted + outcome.updated > 0;
    const message = dryRun
      ? `Dry run: every row is valid; ${outcome.inserted} would be inserted, ${outcome.updated} updated, ${outcome.unchanged} unchanged. Nothing was written.`
      : changed ? `${outcome.inserted} inserted, ${outcome.updated} updated, ${outcome.unchanged} unchanged.`
        : `All ${outcome.received} rows equal what is stored: nothing changed.`;
    return c.json({ ...outcome, changed, message }, 200);
  });

/** Rows from a JSON body (already validated by the route) or a CSV body (validated here). */
async function readRows(c: Context<AppEnv>): Promise<IngestRow[]> {
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') return (c.req as any).valid('json').scores as IngestRow[];
  const text = await c.req.text();
  const { rows, errors } = parseScoresCsv(text);
  const schemaErrors: FieldError[] = [];
  const valid = rows.map((row, i) => {
    const parsed = ScoreIn.safeParse(row);
    if (!parsed.success && !errors.some((e) => e.row === i + 1)) {
      schemaErrors.push(...zodToErrors(parsed.error.issues).map((e) => ({ ...e, row: i + 1, pointer: undefined, unit: row.unit, indicator: row.indicator })));
    }
    return parsed.success ? parsed.data : undefined;
  });
  const all = [...errors, ...schemaErrors].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  if (all.length) throw new ApiProblem('validation-failed', `${all.length} problem(s) in the CSV; nothing was written.`, all);
  return valid as IngestRow[];
}
