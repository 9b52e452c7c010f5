// Methodologies: the versioned definitions of each index (tree, maxima or weights, rules).
// The document's schema is the engine's own (MethodologyDocument): the contract cannot drift
// from what the engine accepts.
import { z } from '@hono/zod-openapi';
import { compileMethodology, describeIssue, EngineError, EXAMPLE_METHODOLOGY, jsonPointer, MethodologyInput, Mode, type CompiledMethodology } from '../../engine/index.js';
import { compiledOf, contentHash, getMethodology, listMethodologies, methodologyInsert, provisionalNodes, type MethodologyRow } from '../../store/methodologies.js';
import { auditStep } from '../../store/audit.js';
import { roleGuard } from '../auth.js';
import { conditional, IMMUTABLE, weakEtag } from '../conditional.js';
import { writeContext } from '../env.js';
import { limitBody, MiB, requireMediaType } from '../middleware.js';
import { ApiProblem, issuesToErrors, problemResponses } from '../problem.js';
import { createRouter, defineRoute } from '../router.js';
import { DateTime, Name, orNull, QueryInt } from '../schemas.js';

const requireAdmin = roleGuard('admin');

/*
 * Examples sit on the component schemas, as JSON Schema `examples` (OpenAPI 3.1). The engine's
 * MethodologyDocument carries its own (EXAMPLE_METHODOLOGY); the summaries below describe it.
 */
const EXAMPLE_SUMMARY = {
  id: EXAMPLE_METHODOLOGY.id, version: 1, name: EXAMPLE_METHODOLOGY.name, unitType: 'province', mode: 'points', years: [2026],
  nodes: 3, leaves: 2, provisionalNodes: 1, rounding: 2,
  contentHash: '3f1c5b0e8e1d4b7a9c2f6d8e0a1b3c5d7e9f1a2b4c6d8e0f2a4b6c8d0e2f4a6b', createdAt: '2026-01-05T08:30:00.000Z',
};

/** The latest version of a methodology may change (a new version): cached for a while, then revalidated. */
const LATEST = 'public, max-age=300';

const MethodologySummary = z.object({
  id: z.string(), version: z.number().int(), name: orNull(Name), unitType: z.string(), mode: Mode,
  years: z.array(z.number().int()), nodes: z.number().int().describe('how many nodes the tree has'), leaves: z.number().int().describe('how many leaves (indicators that receive scores)'),
  provisionalNodes: z.number().int().describe('nodes whose numbers are not from an official source'),
  rounding: z.number().int().describe('decimals shown when results are displayed (CSV and pages); computation is unrounded'),
  contentHash: z.string().describe('SHA-256 of the stored document'),
  createdAt: DateTime,
}).openapi('MethodologySummary', { examples: [EXAMPLE_SUMMARY] });

// The document as loaded, defaults not filled in (a described copy of the schema would be inlined, not referenced).
const MethodologyDetail = MethodologySummary.extend({ document: MethodologyInput })
  .openapi('Methodology', {
    description: 'a methodology version: its summary and its document exactly as loaded (defaults not filled in)',
    examples: [{ ...EXAMPLE_SUMMARY, document: EXAMPLE_METHODOLOGY }],
  });

const MethodologyList = z.object({ methodologies: z.array(MethodologySummary) }).openapi('MethodologyList', { examples: [{ methodologies: [EXAMPLE_SUMMARY] }] });

function summary(row: MethodologyRow) {
  const c = compiledOf(row);
  return {
    id: row.id, version: row.version, name: row.nameVi && row.nameEn ? { vi: row.nameVi, en: row.nameEn } : null,
    unitType: row.unitType, mode: c.methodology.mode, years: c.methodology.years, nodes: c.nodes.length, leaves: c.leaves.length,
    provisionalNodes: provisionalNodes(c), rounding: c.methodology.rounding,
    contentHash: row.contentHash, createdAt: row.createdAt,
  };
}

/**
 * Compiles a methodology from a request, its problems as 422 with a JSON Pointer into the request
 * (`base`: where the document sits in the body, '' when it is the body) for every issue the engine
 * places, structural ones included (duplicate code, missing parent, sums).
 */
export function compileDocument(document: unknown, base: string): CompiledMethodology {
  try {
    return compileMethodology(document);
  } catch (e) {
    if (!(e instanceof EngineError) || e.kind !== 'invalid-methodology') throw e;
    const errors = issuesToErrors(e.issues, base).map((error, k) => {
      const path = e.issues[k].path;
      const last = path?.[path.length - 1];
      return path ? { ...error, pointer: jsonPointer(path, base), ...(typeof last === 'string' && { field: last }) } : error;
    });
    const first = `${describeIssue(e.issues[0])}${errors[0].pointer ? ` (at ${errors[0].pointer})` : ''}`;
    throw new ApiProblem('invalid-methodology', `${e.issues.length} problem(s); nothing was written. First: ${first}`, errors);
  }
}

export const methodologies = createRouter()
  .openapi(defineRoute({
    method: 'get', path: '/v1/methodologies', tags: ['Methodologies'], summary: 'Every methodology version',
    operationId: 'listMethodologies', access: { public: true },
    responses: {
      200: {
        description: 'Methodologies, by id, latest version first',
        content: { 'application/json': { schema: MethodologyList } },
      },
    },
  }), async (c) => c.json({ methodologies: (await listMethodologies(c.get('driver'))).map(summary) }, 200))
  .openapi(defineRoute({
    method: 'get', path: '/v1/methodologies/{id}', tags: ['Methodologies'], summary: 'One methodology (latest version unless ?version=)',
    description: 'A version never changes: with ?version= the answer is cached for a year (immutable); the latest version for five minutes. Both carry an ETag; If-None-Match answers 304.',
    operationId: 'getMethodology', access: { public: true }, conditional: true,
    request: {
      params: z.object({ id: z.string().min(1).openapi({ param: { name: 'id', in: 'path' }, example: 'par-province-2022' }) }),
      query: z.object({ version: QueryInt(1, 1_000_000).optional().openapi({ description: 'a version number; default the latest', example: 1 }) }),
    },
    responses: {
      200: {
        description: 'The methodology with its document',
        content: { 'application/json': { schema: MethodologyDetail } },
      },
      ...problemResponses(400),
    },
  }), async (c) => {
    const { id } = c.req.valid('param');
    const { version } = c.req.valid('query');
    const row = await getMethodology(c.get('driver'), id, version);
    if (!row) throw new ApiProblem('not-found', `No methodology ${id}${version ? ` version ${version}` : ''}.`);
    const notModified = conditional(c, weakEtag(row.id, row.version, row.contentHash.slice(0, 32)), version === undefined ? LATEST : IMMUTABLE);
    if (notModified) return notModified as never;
    // The document is served as stored (the contract marks defaulted keys optional); hono types a response as the schema's output.
    return c.json({ ...summary(row), document: row.document as z.output<typeof MethodologyInput> }, 200);
  })
  .openapi(defineRoute({
    method: 'post', path: '/v1/methodologies', tags: ['Methodologies'],
    summary: 'Load a methodology version (validated; stored verbatim; versions are immutable)',
    description: 'Unknown keys are refused. Every problem (schema or structure: duplicate codes, missing parents, sums) names its node and carries a JSON Pointer into the document. Posting a version that exists with the same content answers 200; with different content 409: publish it as a new version.',
    operationId: 'createMethodology', access: { roles: ['admin'] },
    middleware: [limitBody(5 * MiB), requireAdmin, requireMediaType('application/json')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: MethodologyInput } } } },
    responses: {
      201: {
        description: 'Stored',
        headers: { Location: { description: 'the stored version: /v1/methodologies/{id}?version={version}', schema: { type: 'string' }, required: true } },
        content: { 'application/json': { schema: MethodologySummary } },
      },
      200: { description: 'This version was already stored with the same content', content: { 'application/json': { schema: MethodologySummary } } },
      ...problemResponses(400, 409, 413, 415, 422),
    },
  }), async (c) => {
    const d = c.get('driver');
    // Validated against MethodologyDocument before this runs; stored verbatim, as sent (the validated copy has its defaults filled in): the content hash is the sender's.
    const document: unknown = await c.req.json();
    const ctx = writeContext(c);
    const compiled = compileDocument(document, '');
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
