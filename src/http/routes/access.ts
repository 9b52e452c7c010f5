// API keys (admin) and the audit trail (admin; a unit key sees its own unit's).
import { z } from '@hono/zod-openapi';
import { auditPeriod, listAudit } from '../../store/audit.js';
import { getCycle, getCycleById } from '../../store/cycles.js';
import { createKey, listKeys, revokeKey, type KeyRow } from '../../store/keys.js';
import { getUnit } from '../../store/units.js';
import { requireRole, roleGuard } from '../auth.js';
import { writeContext } from '../env.js';
import { requireMediaType } from '../middleware.js';
import { ApiProblem, problemResponses } from '../problem.js';
import { createRouter, defineRoute } from '../router.js';
import { DateTime, JsonValue, nfcText, orNull, QueryInt, ROLES, ScoreValueOut, UnitType } from '../schemas.js';

const Role = z.enum(ROLES).openapi('Role');
const KeyIn = z.object({
  role: Role,
  unit: z.string().min(1).max(40).optional().describe('required for role unit: the province or ministry the key acts for'),
  label: nfcText(200).optional().describe('what the key is for, one line: NFC, no control or bidirectional-control character'),
}).strict().openapi('ApiKeyIn');

const KeyOut = z.object({
  id: z.string(), role: Role, unit: z.string().nullable(), label: z.string().nullable(),
  createdAt: DateTime, createdBy: z.string().describe('the creating key\'s id'), revokedAt: DateTime.nullable(),
}).openapi('ApiKey');

const ScoreState = z.object({ value: ScoreValueOut, note: z.string().nullable(), evidence: z.string().nullable() }).openapi('AuditScoreState');
const ScoreChange = z.object({
  indicator: z.string(), source: z.string(), before: orNull(ScoreState).describe('null: a new score'), after: ScoreState, reason: z.string().nullable(),
}).openapi('AuditScoreChange');

const AuditRow = z.object({
  id: z.number().int(), at: DateTime, requestId: z.string().describe('the server\'s request id'), actorKey: z.string(),
  actorRole: z.enum(['admin', 'appraiser', 'unit', 'system']).describe('system: the seeding of reference and demo data'),
  action: z.enum(['methodology.create', 'cycle.create', 'cycle.status', 'cycle.publish', 'scores.upsert', 'api-key.create', 'api-key.revoke']),
  cycle: z.object({ year: z.number().int(), unitType: z.string() }).nullable(),
  unit: z.string().nullable(), indicator: z.string().nullable(), source: z.string().nullable(),
  before: JsonValue, after: JsonValue, reason: z.string().nullable(),
  changes: z.array(ScoreChange).nullable().describe('scores.upsert: the upload\'s changes to this unit\'s scores'),
}).openapi('AuditEntry', { description: 'One accepted write. before and after are the state before and after it, their shape per action (null before a creation); scores.upsert lists its score changes in changes.' });

const present = ({ secretHash: _, ...k }: KeyRow) => ({ ...k, role: k.role as z.infer<typeof Role> });
const isoTime = z.string().max(40).refine((t) => auditPeriod(t) !== undefined, 'a real date (YYYY-MM-DD) or time (YYYY-MM-DDThh:mm[:ss[.sss]][Z|±hh:mm])');

export const access = createRouter()
  .openapi(defineRoute({
    method: 'post', path: '/v1/api-keys', tags: ['Access'], summary: 'Create an API key (admin); the key is returned once, only its hash is kept',
    operationId: 'createApiKey', access: { roles: ['admin'] },
    middleware: [roleGuard('admin'), requireMediaType('application/json')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: KeyIn } } } },
    responses: {
      201: { description: 'The key, shown this once', content: { 'application/json': { schema: KeyOut.extend({ key: z.string().describe('par_<id>_<secret>: send as Authorization: Bearer <key>') }).openapi('NewApiKey') } } },
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
  .openapi(defineRoute({
    method: 'get', path: '/v1/api-keys', tags: ['Access'], summary: 'Every API key, without secrets (admin)',
    operationId: 'listApiKeys', access: { roles: ['admin'] },
    responses: { 200: { description: 'Keys', content: { 'application/json': { schema: z.object({ keys: z.array(KeyOut) }).openapi('ApiKeyList') } } }, ...problemResponses(401, 403) },
  }), async (c) => {
    requireRole(c, 'admin');
    return c.json({ keys: (await listKeys(c.get('driver'))).map(present) }, 200);
  })
  .openapi(defineRoute({
    method: 'delete', path: '/v1/api-keys/{id}', tags: ['Access'], summary: 'Revoke an API key (admin)',
    operationId: 'revokeApiKey', access: { roles: ['admin'] },
    request: { params: z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) }) },
    responses: { 200: { description: 'The revoked key', content: { 'application/json': { schema: KeyOut } } }, ...problemResponses(401, 403, 404) },
  }), async (c) => {
    requireRole(c, 'admin');
    const row = await revokeKey(c.get('driver'), writeContext(c), c.req.valid('param').id);
    if (!row) throw new ApiProblem('not-found', `No key ${c.req.valid('param').id}.`);
    return c.json(present(row), 200);
  })
  .openapi(defineRoute({
    method: 'get', path: '/v1/audit', tags: ['Access'], summary: 'The audit trail (admin; a unit key sees its own unit\'s), newest first',
    operationId: 'listAudit', access: { roles: ['admin', 'unit'] },
    request: {
      query: z.object({
        year: QueryInt(1990, 2100).optional(), unitType: UnitType.optional(), unit: z.string().max(40).optional(),
        actor: z.string().max(100).optional().describe('key id'),
        from: isoTime.optional().openapi({ description: 'from the start of the period it names: a date is the whole day (UTC unless an offset is given)', example: '2026-12-01' }),
        to: isoTime.optional().openapi({ description: 'to the end of the period it names, inclusive: to=2026-12-02 is the whole of that day', example: '2026-12-02' }),
        cursor: z.string().regex(/^[1-9]\d{0,15}$/).optional().openapi({ description: 'from the previous page\'s `next` (or its Link rel="next")' }),
        limit: QueryInt(1, 1000).optional().openapi({ description: 'entries per page, default 100' }),
      }),
    },
    responses: {
      200: {
        description: 'A page of audit entries',
        headers: { Link: { description: 'rel="next": the next page (absent on the last page)', schema: { type: 'string' } } },
        content: { 'application/json': { schema: z.object({ entries: z.array(AuditRow), next: z.string().nullable().describe('cursor of the next page; null on the last page') }).openapi('AuditPage') } },
      },
      ...problemResponses(400, 401, 403, 404),
    },
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
    const limit = q.limit ?? 100;
    const rows = await listAudit(d, {
      cycleId, unit: actor.role === 'unit' ? actor.unit! : q.unit, actor: q.actor, from: q.from, to: q.to,
      before: q.cursor === undefined ? undefined : Number(q.cursor), limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const next = rows.length > limit ? String(page[page.length - 1].id) : null;
    if (next) {
      const url = new URL(c.req.url);
      url.searchParams.set('cursor', next);
      c.header('link', `<${url.pathname}${url.search}>; rel="next"`);
    }
    const cycles = new Map<number, { year: number; unitType: string }>();
    for (const r of page) if (r.cycleId !== null && !cycles.has(r.cycleId)) cycles.set(r.cycleId, await cycleRef(d, r.cycleId));
    return c.json({ entries: page.map(({ cycleId: id, ...r }) => ({ ...r, cycle: id === null ? null : cycles.get(id)! })), next } as never, 200);
  });

async function cycleRef(d: Parameters<typeof listAudit>[0], id: number) {
  const row = await getCycleById(d, id);
  return row ? { year: row.year, unitType: row.unitType } : { year: 0, unitType: 'unknown' };
}
