// Methodologies: the versioned definitions of each index (tree, maxima or weights, rules).
import { createRoute, z } from '@hono/zod-openapi';
import { compileMethodology } from '../../engine/index.js';
import { compiledOf, contentHash, getMethodology, listMethodologies, methodologyInsert, type MethodologyRow } from '../../store/methodologies.js';
import { auditStep } from '../../store/audit.js';
import { roleGuard } from '../auth.js';
import { writeContext } from '../env.js';
import { limitBody, MiB, requireMediaType } from '../middleware.js';

const requireAdmin = roleGuard('admin');
import { ApiProblem, problemResponses } from '../problem.js';
import { createRouter } from '../router.js';
import { Name } from '../schemas.js';

const MethodologySummary = z.object({
  id: z.string(), version: z.number().int(), name: Name.nullable(), unitType: z.string(), mode: z.string(),
  years: z.array(z.number().int()), nodes: z.number().int(), leaves: z.number().int(),
  provisionalNodes: z.number().int().describe('nodes whose numbers are not from an official source'),
  contentHash: z.string().describe('SHA-256 of the stored document'),
  createdAt: z.string(),
}).openapi('MethodologySummary');

const MethodologyDetail = MethodologySummary.extend({
  document: z.record(z.string(), z.unknown()).describe('the methodology exactly as loaded'),
}).openapi('Methodology');

function summary(row: MethodologyRow) {
  const c = compiledOf(row);
  return {
    id: row.id, version: row.version, name: row.nameVi && row.nameEn ? { vi: row.nameVi, en: row.nameEn } : null,
    unitType: row.unitType, mode: row.mode, years: c.methodology.years, nodes: c.nodes.length, leaves: c.leaves.length,
    provisionalNodes: c.nodes.filter((n) => n.provenance?.status === 'provisional').length,
    contentHash: row.contentHash, createdAt: row.createdAt,
  };
}

export const methodologies = createRouter()
  .openapi(createRoute({
    method: 'get', path: '/v1/methodologies', tags: ['Methodologies'], summary: 'Every methodology version',
    responses: { 200: { description: 'Methodologies, latest version first', content: { 'application/json': { schema: z.object({ methodologies: z.array(MethodologySummary) }) } } } },
  }), async (c) => c.json({ methodologies: (await listMethodologies(c.get('driver'))).map(summary) }, 200))
  .openapi(createRoute({
    method: 'get', path: '/v1/methodologies/{id}', tags: ['Methodologies'], summary: 'One methodology (latest version unless ?version=)',
    request: {
      params: z.object({ id: z.string().min(1).openapi({ param: { name: 'id', in: 'path' }, example: 'par-province-2022' }) }),
      query: z.object({ version: z.coerce.number().int().positive().optional() }),
    },
    responses: {
      200: { description: 'The methodology with its document', content: { 'application/json': { schema: MethodologyDetail } } },
      ...problemResponses(400, 404),
    },
  }), async (c) => {
    const { id } = c.req.valid('param');
    const { version } = c.req.valid('query');
    const row = await getMethodology(c.get('driver'), id, version);
    if (!row) throw new ApiProblem('not-found', `No methodology ${id}${version ? ` version ${version}` : ''}.`);
    return c.json({ ...summary(row), document: row.document as Record<string, unknown> }, 200);
  })
  .openapi(createRoute({
    method: 'post', path: '/v1/methodologies', tags: ['Methodologies'],
    summary: 'Load a methodology version (validated; stored verbatim; versions are immutable)',
    description: 'Validation names the node of every problem. Posting a version that exists with the same content answers 200; with different content 409: publish it as a new version.',
    middleware: [limitBody(5 * MiB), requireAdmin, requireMediaType('application/json')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: z.record(z.string(), z.unknown()).openapi('MethodologyDocument') } } } },
    responses: {
      201: { description: 'Stored', content: { 'application/json': { schema: MethodologySummary } } },
      200: { description: 'This version was already stored with the same content', content: { 'application/json': { schema: MethodologySummary } } },
      ...problemResponses(400, 401, 403, 409, 413, 415, 422),
    },
  }), async (c) => {
    const d = c.get('driver');
    const document = c.req.valid('json');
    const ctx = writeContext(c);
    const compiled = compileMethodology(document);
    const { id, version } = compiled.methodology;
    const hash = await contentHash(document);
    const existing = await getMethodology(d, id, version);
    if (existing) {
      if (existing.contentHash !== hash) throw new ApiProblem('conflict', `Methodology ${id} version ${version} exists with different content; versions are immutable: post it as version ${(await getMethodology(d, id))!.version + 1}.`);
      return c.json(summary(existing), 200);
    }
    await d.atomic([
      methodologyInsert(d, document, compiled, hash),
      auditStep(ctx, [{ action: 'methodology.create', after: { id, version, contentHash: hash } }]),
    ]);
    c.header('location', `/v1/methodologies/${id}?version=${version}`);
    return c.json(summary((await getMethodology(d, id, version))!), 201);
  });
