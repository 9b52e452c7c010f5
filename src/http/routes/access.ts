// API keys (admin) and the audit trail (admin; a unit key sees its own unit's).
import { createRoute, z } from '@hono/zod-openapi';
import { listAudit } from '../../store/audit.js';
import { getCycle, getCycleById } from '../../store/cycles.js';
import { createKey, listKeys, revokeKey, type KeyRow } from '../../store/keys.js';
import { getUnit } from '../../store/units.js';
import { requireRole, roleGuard } from '../auth.js';
import { writeContext } from '../env.js';
import { requireMediaType } from '../middleware.js';
import { ApiProblem, problemResponses } from '../problem.js';
import { createRouter } from '../router.js';
import { nfcText } from '../schemas.js';

const KeyIn = z.object({
  role: z.enum(['admin', 'appraiser', 'unit']),
  unit: z.string().min(1).optional().describe('required for role unit: the province or ministry the key acts for'),
  label: nfcText(200).optional(),
}).strict().openapi('ApiKeyIn');

const KeyOut = z.object({
  id: z.string(), role: z.string(), unit: z.string().nullable(), label: z.string().nullable(),
  createdAt: z.string(), createdBy: z.string(), revokedAt: z.string().nullable(),
}).openapi('ApiKey');

const ScoreState = z.object({ value: z.unknown(), note: z.string().nullable(), evidence: z.string().nullable() });
const ScoreChange = z.object({
  indicator: z.string(), source: z.string(), before: ScoreState.nullable().describe('null: a new score'), after: ScoreState, reason: z.string().nullable(),
}).openapi('AuditScoreChange');

const AuditRow = z.object({
  id: z.number().int(), at: z.string(), requestId: z.string(), actorKey: z.string(), actorRole: z.string(), action: z.string(),
  cycle: z.object({ year: z.number().int(), unitType: z.string() }).nullable(),
  unit: z.string().nullable(), indicator: z.string().nullable(), source: z.string().nullable(),
  before: z.unknown(), after: z.unknown(), reason: z.string().nullable(),
  changes: z.array(ScoreChange).nullable().describe('scores.upsert: the upload\'s changes to this unit\'s scores'),
}).openapi('AuditEntry');

const present = ({ secretHash: _, ...k }: KeyRow) => k;
const isoTime = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/, 'an ISO date or time');

export const access = createRouter()
  .openapi(createRoute({
    method: 'post', path: '/v1/api-keys', tags: ['Access'], summary: 'Create an API key (admin); the key is returned once, only its hash is kept',
    middleware: [roleGuard('admin'), requireMediaType('application/json')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: KeyIn } } } },
    responses: {
      201: { description: 'The key, shown this once', content: { 'application/json': { schema: KeyOut.extend({ key: z.string() }) } } },
      ...problemResponses(400, 401, 403, 415, 422),
    },
  }), async (c) => {
    const body = c.req.valid('json');
    if ((body.role === 'unit') !== (body.unit !== undefined)) {
      throw new ApiProblem('validation-failed', 'A unit key names its unit; other roles do not.', [{ pointer: '/unit', field: 'unit', message: body.role === 'unit' ? 'required for role unit' : 'only for role unit' }]);
    }
    if (body.unit && !(await getUnit(c.get('driver'), body.unit))) {
      throw new ApiProblem('validation-failed', `No unit ${body.unit}.`, [{ pointer: '/unit', field: 'unit', message: 'unknown unit' }]);
    }
    const { key, row } = await createKey(c.get('driver'), writeContext(c), body.role, body.unit ?? null, body.label ?? null);
    return c.json({ ...present(row), key }, 201);
  })
  .openapi(createRoute({
    method: 'get', path: '/v1/api-keys', tags: ['Access'], summary: 'Every API key, without secrets (admin)',
    responses: { 200: { description: 'Keys', content: { 'application/json': { schema: z.object({ keys: z.array(KeyOut) }) } } }, ...problemResponses(401, 403) },
  }), async (c) => {
    requireRole(c, 'admin');
    return c.json({ keys: (await listKeys(c.get('driver'))).map(present) }, 200);
  })
  .openapi(createRoute({
    method: 'delete', path: '/v1/api-keys/{id}', tags: ['Access'], summary: 'Revoke an API key (admin)',
    request: { params: z.object({ id: z.string().min(1).openapi({ param: { name: 'id', in: 'path' } }) }) },
    responses: { 200: { description: 'The revoked key', content: { 'application/json': { schema: KeyOut } } }, ...problemResponses(401, 403, 404) },
  }), async (c) => {
    requireRole(c, 'admin');
    const row = await revokeKey(c.get('driver'), writeContext(c), c.req.valid('param').id);
    if (!row) throw new ApiProblem('not-found', `No key ${c.req.valid('param').id}.`);
    return c.json(present(row), 200);
  })
  .openapi(createRoute({
    method: 'get', path: '/v1/audit', tags: ['Access'], summary: 'The audit trail (admin; a unit key sees its own unit\'s), newest first',
    request: {
      query: z.object({
        year: z.coerce.number().int().optional(), unitType: z.string().optional(), unit: z.string().optional(),
        actor: z.string().optional().describe('key id'), from: isoTime.optional(), to: isoTime.optional(),
        limit: z.coerce.number().int().min(1).max(5000).optional(),
      }),
    },
    responses: { 200: { description: 'Audit entries', content: { 'application/json': { schema: z.object({ entries: z.array(AuditRow) }) } } }, ...problemResponses(400, 401, 403, 404) },
  }), async (c) => {
    const actor = requireRole(c, 'admin', 'unit');
    const q = c.req.valid('query');
    if (actor.role === 'unit' && q.unit && q.unit !== actor.unit) throw new ApiProblem('forbidden', `Your key sees the audit of unit ${actor.unit} only.`);
    const d = c.get('driver');
    let cycleId: number | undefined;
    if (q.year !== undefined || q.unitType) {
      const cycle = q.year !== undefined && q.unitType ? await getCycle(d, q.year, q.unitType) : undefined;
      if (!cycle) throw new ApiProblem('not-found', 'Filter by cycle with both year and unitType of an existing cycle.');
      cycleId = cycle.id;
    }
    const rows = await listAudit(d, { cycleId, unit: actor.role === 'unit' ? actor.unit! : q.unit, actor: q.actor, from: q.from, to: q.to, limit: q.limit });
    const cycles = new Map<number, { year: number; unitType: string }>();
    for (const r of rows) if (r.cycleId !== null && !cycles.has(r.cycleId)) cycles.set(r.cycleId, await cycleRef(d, r.cycleId));
    return c.json({ entries: rows.map(({ cycleId: id, ...r }) => ({ ...r, cycle: id === null ? null : cycles.get(id)! })) }, 200);
  });

async function cycleRef(d: Parameters<typeof listAudit>[0], id: number) {
  const row = await getCycleById(d, id);
  return row ? { year: row.year, unitType: row.unitType } : { year: 0, unitType: 'unknown' };
}
