// API keys (admin) and the audit trail (admin; a unit key sees its own unit's).
import { z } from '@hono/zod-openapi';
import { listKeys } from '../../store/keys.js';
import { AuditAction, AuditQuery, readAudit } from '../audit-reads.js';
import { requireRole, roleGuard } from '../auth.js';
import { issueKey, KeyIn, presentKey, Role, withdrawKey } from '../key-writes.js';
import { requireMediaType } from '../middleware.js';
import { problemResponses } from '../problem.js';
import { createRouter, defineRoute } from '../router.js';
import { DateTime, JsonValue, orNull, ScoreValueOut } from '../schemas.js';

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
  action: AuditAction,
  cycle: z.object({ year: z.number().int(), unitType: z.string() }).nullable(),
  unit: z.string().nullable(), indicator: z.string().nullable(), source: z.string().nullable(),
  before: JsonValue, after: JsonValue, reason: z.string().nullable(),
  changes: z.array(ScoreChange).nullable().describe('scores.upsert: the upload\'s changes to this unit\'s scores'),
}).openapi('AuditEntry', { description: 'One accepted write. before and after are the state before and after it, their shape per action (null before a creation); scores.upsert lists its score changes in changes.' });

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
  }), async (c) => c.json(await issueKey(c, c.req.valid('json')), 201))
  .openapi(defineRoute({
    method: 'get', path: '/v1/api-keys', tags: ['Access'], summary: 'Every API key, without secrets (admin)',
    operationId: 'listApiKeys', access: { roles: ['admin'] },
    responses: { 200: { description: 'Keys', content: { 'application/json': { schema: z.object({ keys: z.array(KeyOut) }).openapi('ApiKeyList') } } }, ...problemResponses(401, 403) },
  }), async (c) => {
    requireRole(c, 'admin');
    return c.json({ keys: (await listKeys(c.get('driver'))).map(presentKey) }, 200);
  })
  .openapi(defineRoute({
    method: 'delete', path: '/v1/api-keys/{id}', tags: ['Access'], summary: 'Revoke an API key (admin)',
    operationId: 'revokeApiKey', access: { roles: ['admin'] },
    request: { params: z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) }) },
    responses: { 200: { description: 'The revoked key', content: { 'application/json': { schema: KeyOut } } }, ...problemResponses(401, 403, 404) },
  }), async (c) => c.json(await withdrawKey(c, c.req.valid('param').id), 200))
  .openapi(defineRoute({
    method: 'get', path: '/v1/audit', tags: ['Access'], summary: 'The audit trail (admin; a unit key sees its own unit\'s), newest first',
    operationId: 'listAudit', access: { roles: ['admin', 'unit'] },
    request: { query: AuditQuery },
    responses: {
      200: {
        description: 'A page of audit entries',
        headers: { Link: { description: 'rel="next": the next page (absent on the last page)', schema: { type: 'string' } } },
        content: { 'application/json': { schema: z.object({ entries: z.array(AuditRow), next: z.string().nullable().describe('cursor of the next page; null on the last page') }).openapi('AuditPage') } },
      },
      ...problemResponses(400, 401, 403, 404),
    },
  }), async (c) => {
    const page = await readAudit(c, c.req.valid('query'));
    if (page.next) {
      const url = new URL(c.req.url);
      url.searchParams.set('cursor', page.next);
      c.header('link', `<${url.pathname}${url.search}>; rel="next"`);
    }
    return c.json(page as never, 200);
  });
