// Methodologies: the versioned definitions of each index (tree, maxima or weights, rules).
// The document's schema is the engine's own (MethodologyDocument): the contract cannot drift
// from what the engine accepts.
import { z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import {
  BUDGETS, BudgetError, compileMethodology, describeIssue, EngineError, EXAMPLE_METHODOLOGY, exportMethodologySheets, importMethodologySheets,
  jsonPointer, measureMethodology, MethodologyInput, Mode, place, SheetError, treeSummary, type CompiledMethodology, type MethodologySheets,
} from '../../engine/index.js';
import { compiledOf, contentHash, getMethodology, listMethodologies, methodologyInsert, provisionalNodes, type MethodologyRow, METHODOLOGY_DOCUMENT_LIMIT, sameContent } from '../../store/methodologies.js';
import { auditStep } from '../../store/audit.js';
import { requireRole, roleGuard } from '../auth.js';
import { conditional, IMMUTABLE, weakEtag } from '../conditional.js';
import { writeContext, type AppEnv } from '../env.js';
import { csvToSheets, sheetsToCsv, sheetsToXlsx, XLSX_LIMITS, XLSX_TYPE, xlsxToSheets } from '../methodology-sheets.js';
import { limitBody, mediaTypeOf, MiB, refuseReservedKey, requireMediaType } from '../middleware.js';
import { MAX_LISTED_ERRORS } from '../permissions.js';
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

/** A POST's answer: the stored version (its own component, so that the contract names what a POST gives). */
const MethodologyStored = MethodologySummary.extend({}).openapi('MethodologyStored', { examples: [EXAMPLE_SUMMARY] });

const MethodologyDryRun = z.object({
  dryRun: z.literal(true), id: z.string(), version: z.number().int(), mode: Mode,
  contentHash: z.string().describe('SHA-256 of the document that would be stored'),
  stored: z.enum(['new', 'same', 'conflict']).describe('new: not stored yet; same: this version is stored with this content; conflict: this version is stored with other content (the POST would answer 409)'),
  nodes: z.number().int(), leaves: z.number().int(),
  levels: z.array(z.number().int()).describe('nodes per level: the root, domains, criteria …'),
  total: z.number().nullable().describe('points mode: the root\'s maximum; weighted mode: null'),
  domains: z.array(z.object({
    code: z.string(), name: Name.optional(), max: z.number().nullable(), weight: z.number(), nodes: z.number().int(), leaves: z.number().int(),
  })).describe('the root\'s children: maximum (points mode), weight, nodes and leaves below each'),
}).openapi('MethodologyDryRun');

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
 * The problem type of a request beyond a budget (engine/budgets.ts). Until problem.ts has its own
 * type (budget-exceeded, 422), budgets answer validation-failed: switch it here, in one place.
 */
export const BUDGET_PROBLEM = 'budget-exceeded' as const;

/** A budget exceeded as a 422 naming the limit, pointing into the request (`base`: where the measured part sits). */
export function budgetProblem(e: BudgetError, base = ''): ApiProblem {
  const pointer = e.pointer(base);
  // The units of a computation keep the type they always had.
  return new ApiProblem(e.budget === 'computeUnits' ? 'too-many-units' : BUDGET_PROBLEM, `This request asks more than one request may: ${e.issues[0].message}. Nothing was computed or written.`, [
    { pointer, field: e.budget, message: e.issues[0].message },
  ]);
}

/** Runs a check, answering its BudgetError as the budget problem. */
export function checkBudget(check: () => void, base = ''): void {
  try {
    check();
  } catch (e) {
    throw e instanceof BudgetError ? budgetProblem(e, base) : e;
  }
}

/**
 * Looks at the raw JSON body before schema validation reads it: a key __proto__ anywhere (validation
 * would drop it without a word) is 422, and `check` (the route's budgets on the raw document, such as
 * a methodology's nodes and depth, which validation would recurse through) runs first of all. A
 * body that is not JSON is left to the validator, which answers 400; a body past its limit, 413.
 */
export function preflight(check: (body: unknown) => void): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch (e) {
      if (e instanceof SyntaxError) return next();
      throw e;
    }
    // Parsed once: the validator and the handler read this same value (hono would parse the text again for each).
    Object.defineProperty(c.req, 'json', { value: async () => body, configurable: true });
    check(body);
    refuseReservedKey(body);
    await next();
  };
}

/** The budget check of a raw methodology document found at `base` in the body: nodes and depth. */
export const methodologyBudget = (base: string, pick: (body: unknown) => unknown = (b) => b) => (body: unknown) => {
  checkBudget(() => measureMethodology(pick(body)), base);
};

/** What the contract says of a methodology's budgets (route descriptions). */
export const METHODOLOGY_LIMITS = `at most ${BUDGETS.methodologyNodes.toLocaleString('en')} nodes and ${BUDGETS.methodologyDepth} levels below the root (422, before validation)`;

/** The detail's note when a problem lists only the first MAX_LISTED_ERRORS of its errors. */
export const cutNote = (total: number) => (total > MAX_LISTED_ERRORS ? ` ${total} errors in all; the first ${MAX_LISTED_ERRORS} are listed.` : '');

/**
 * Compiles a methodology from a request, its problems as 422 with a JSON Pointer into the request
 * (`base`: where the document sits in the body, '' when it is the body) for every issue the engine
 * places, structural ones included (duplicate code, missing parent, sums).
 */
export function compileDocument(document: unknown, base: string): CompiledMethodology {
  try {
    return compileMethodology(document);
  } catch (e) {
    if (e instanceof BudgetError) throw budgetProblem(e, base);
    if (!(e instanceof EngineError) || e.kind !== 'invalid-methodology') throw e;
    const errors = issuesToErrors(e.issues.slice(0, MAX_LISTED_ERRORS), base).map((error, k) => {
      const path = e.issues[k].path;
      const last = path?.[path.length - 1];
      return path ? { ...error, pointer: jsonPointer(path, base), ...(typeof last === 'string' && { field: last }) } : error;
    });
    const first = `${describeIssue(e.issues[0])}${errors[0].pointer ? ` (at ${errors[0].pointer})` : ''}`;
    throw new ApiProblem('invalid-methodology', `${e.issues.length} problem(s); nothing was written. First: ${first}${cutNote(e.issues.length)}`, errors);
  }
}

const SHEET_RULES = `Spreadsheet headers in Vietnamese or English; a blank parent is the code's dotted prefix (1.2 for 1.2.3) or the root (the first row); numbers with a decimal point; bands as ≥100:1; ≥80:0.5; else:0 (points) or ≥80:50% (a share of the max); survey options A=1; B=0.6; groups A≥90; B≥80. Every problem names its sheet, row and column (and node). XLSX: at most ${XLSX_LIMITS.entries} ZIP parts and ${XLSX_LIMITS.uncompressed / MiB} MiB uncompressed (413, checked on the ZIP directory before anything is inflated), ${XLSX_LIMITS.rows.toLocaleString('en')} rows and ${XLSX_LIMITS.cells.toLocaleString('en')} cells per worksheet (422, counted as it inflates, before it is read); external links refused (422); cells are read as values, and a formula, an error value or merged cells are refused where they stand (422, validation-failed, as in score workbooks: paste values).`;

/** The media type of the request body (requireMediaType has checked it is one of those taken). */
const bodyType = (c: Context<AppEnv>) => mediaTypeOf(c.req.header('content-type') ?? '') ?? '';

/** A JSON body's middleware, skipped for a spreadsheet. */
const jsonOnly = (mw: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> => async (c, next) => (bodyType(c) === 'application/json' ? mw(c, next) : next());

/** A methodology as sent: its media type (JSON, CSV or XLSX) and ways to read its body. */
export interface MethodologyUpload { type: string; json(): Promise<unknown>; text(): Promise<string>; bytes(): Promise<Uint8Array> }

/** The request's body as an upload (the workspace builds one from a form's file). */
const uploadOf = (c: Context<AppEnv>): MethodologyUpload => ({
  type: bodyType(c), json: () => c.req.json(), text: () => c.req.text(), bytes: async () => new Uint8Array(await c.req.arrayBuffer()),
});

/** The posted document and its compiled form, from JSON or from a spreadsheet's tables. */
async function documentOf(upload: MethodologyUpload): Promise<{ document: unknown; compiled: CompiledMethodology }> {
  const { type } = upload;
  if (type === 'application/json') {
    const document: unknown = await upload.json();
    return { document, compiled: compileDocument(document, '') };
  }
  try {
    const sheets = type === 'text/csv' ? csvToSheets(await upload.text()) : await xlsxToSheets(await upload.bytes());
    return importMethodologySheets(sheets);
  } catch (e) {
    if (e instanceof BudgetError) throw budgetProblem(e);
    if (!(e instanceof SheetError)) throw e;
    const errors = e.problems.slice(0, MAX_LISTED_ERRORS).map((p) => ({
      sheet: p.sheet, ...(p.row !== undefined && { row: p.row }), ...(p.column && { column: p.column }), ...(p.field && { field: p.field }), ...(p.node && { indicator: p.node }), message: p.message,
    }));
    const first = e.problems[0];
    throw new ApiProblem('invalid-methodology', `${e.problems.length} problem(s) in the spreadsheet; nothing was written. First: ${place(first)}${first.node ? ` (node ${first.node})` : ''}: ${first.message}${cutNote(e.problems.length)}`, errors);
  }
}

/** The representation asked by Accept when no format= is given: the first of csv or xlsx it names exactly, else JSON. */
function formatAccepted(c: Context<AppEnv>): 'json' | 'csv' | 'xlsx' {
  for (const part of (c.req.header('accept') ?? '').split(',')) {
    const type = part.split(';')[0].trim().toLowerCase();
    if (type === 'application/json') return 'json';
    if (type === 'text/csv') return 'csv';
    if (type === XLSX_TYPE) return 'xlsx';
  }
  return 'json';
}

/** A stored methodology as its tables, or 406 naming what they cannot carry. */
async function exported(c: Context<AppEnv>, row: MethodologyRow, format: 'csv' | 'xlsx', lang: 'vi' | 'en'): Promise<Response> {
  let sheets: MethodologySheets;
  try {
    sheets = exportMethodologySheets(row.document, lang);
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    throw new ApiProblem('not-acceptable', `Methodology ${row.id} version ${row.version} cannot be written as a spreadsheet without losing part of it: ${e.issues.map((i) => i.message).join('; ')}. Its JSON is served as stored.`,
      e.issues.map((i) => ({ ...(i.path && { pointer: jsonPointer(i.path) }), message: i.message })));
  }
  const filename = `${row.id}-v${row.version}.${format}`.replace(/[^A-Za-z0-9.-]+/g, '_');
  const headers = { 'content-disposition': `attachment; filename="${filename}"` };
  if (format === 'csv') return c.body(sheetsToCsv(sheets), 200, { ...headers, 'content-type': 'text/csv; charset=utf-8' });
  return c.body(await sheetsToXlsx(sheets), 200, { ...headers, 'content-type': XLSX_TYPE });
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
      query: z.object({
        version: QueryInt(1, 1_000_000).optional().openapi({ description: 'a version number; default the latest', example: 1 }),
        format: z.enum(['json', 'csv', 'xlsx']).optional().openapi({ description: 'the representation, instead of the Accept header: json (default), csv or xlsx (the spreadsheet shape POST takes back)' }),
        lang: z.enum(['vi', 'en']).optional().openapi({ description: 'csv and xlsx: the headers\' language, default vi (either is read back)' }),
      }),
    },
    responses: {
      200: {
        description: 'The methodology with its document; or, as CSV or XLSX (format= or Accept), its tables: importing them stores the same document (the same content hash)',
        headers: { 'Content-Disposition': { description: 'csv and xlsx: attachment; <id>-v<version>.csv|xlsx', schema: { type: 'string' } } },
        content: {
          'application/json': { schema: MethodologyDetail },
          'text/csv': { schema: z.string().openapi({ description: 'the methodology\'s fields as field,value rows, a blank row, then one row per node (its header first)' }) },
          [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary', description: 'sheets methodology and nodes' }) },
        },
      },
      ...problemResponses(400, 406),
    },
  }), async (c) => {
    const { id } = c.req.valid('param');
    const { version, format = formatAccepted(c), lang = 'vi' } = c.req.valid('query');
    const row = await getMethodology(c.get('driver'), id, version);
    if (!row) throw new ApiProblem('not-found', `No methodology ${id}${version ? ` version ${version}` : ''}.`);
    c.header('vary', 'Accept');
    const tag = format === 'json' ? [] : [format, lang];
    const notModified = conditional(c, weakEtag(row.id, row.version, row.contentHash.slice(0, 32), ...tag), version === undefined ? LATEST : IMMUTABLE);
    if (notModified) return notModified as never;
    if (format !== 'json') return exported(c, row, format, lang) as never;
    // The document is served as stored (the contract marks defaulted keys optional); hono types a response as the schema's output.
    return c.json({ ...summary(row), document: row.document as z.output<typeof MethodologyInput> }, 200);
  })
  .openapi(defineRoute({
    method: 'post', path: '/v1/methodologies', tags: ['Methodologies'],
    summary: 'Load a methodology version (validated; stored verbatim; versions are immutable)',
    description: `JSON, or the spreadsheet shape that GET …?format=csv|xlsx gives: CSV (the methodology's fields as field,value rows, a blank row, then one row per node under its header) or XLSX (sheets methodology and nodes). ${SHEET_RULES} ?dryRun=true validates and answers the tree (nodes per level, leaves, totals) without storing. Unknown keys are refused. Every problem (schema or structure: duplicate codes, missing parents, sums) names its node and carries a JSON Pointer into the document. Posting a version that exists with the same content answers 200; with different content 409: publish it as a new version. Limits: ${METHODOLOGY_DOCUMENT_LIMIT / MiB} MiB body (413: D1 stores a document in one row); ${METHODOLOGY_LIMITS}; codes and ids at most 100 characters; names NFC, without control or bidirectional characters.`,
    operationId: 'createMethodology', access: { roles: ['admin'] },
    middleware: [limitBody(METHODOLOGY_DOCUMENT_LIMIT), requireAdmin, requireMediaType('application/json', 'text/csv', XLSX_TYPE), jsonOnly(preflight(methodologyBudget('')))] as const,
    request: {
      query: z.object({ dryRun: z.enum(['true', 'false']).optional().transform((v) => v === 'true').openapi({ type: 'boolean', description: 'true: validate and answer the tree and its totals; nothing is stored' }) }),
      body: {
        required: false,
        content: {
          'application/json': { schema: MethodologyInput },
          'text/csv': { schema: z.string().openapi({ description: 'field,value rows; a blank row; the node table' }) },
          [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary', description: 'sheets methodology and nodes' }) },
        },
      },
    },
    responses: {
      201: {
        description: 'Stored',
        headers: { Location: { description: 'the stored version: /v1/methodologies/{id}?version={version}', schema: { type: 'string' }, required: true } },
        content: { 'application/json': { schema: MethodologyStored } },
      },
      200: { description: 'This version was already stored with the same content; or, with ?dryRun=true, what would be stored', content: { 'application/json': { schema: z.union([MethodologyStored, MethodologyDryRun]) } } },
      ...problemResponses(400, 409, 413, 415, 422),
    },
  }), async (c) => {
    const loaded = await loadMethodology(c, uploadOf(c), c.req.valid('query').dryRun);
    if (loaded.dryRun) return c.json(loaded.dryRun, 200);
    if (loaded.status === 201) c.header('location', `/v1/methodologies/${loaded.stored.id}?version=${loaded.stored.version}`);
    return c.json(loaded.stored, loaded.status);
  });

export type MethodologyDryRunAnswer = z.infer<typeof MethodologyDryRun>;
export type MethodologyStoredAnswer = z.infer<typeof MethodologyStored>;

/**
 * POST /v1/methodologies for the API and the workspace's upload alike: an admin's document read,
 * compiled and either described (dry run) or stored with its audit entry, atomically; 200 when this
 * version is stored with the same content, 409 with other content.
 */
export async function loadMethodology(c: Context<AppEnv>, upload: MethodologyUpload, dryRun: boolean):
  Promise<{ dryRun: MethodologyDryRunAnswer; status?: never; stored?: never } | { dryRun?: never; status: 200 | 201; stored: MethodologyStoredAnswer }> {
  requireRole(c, 'admin');
  const d = c.get('driver');
  // Stored verbatim, as sent (or as the tables read): the validated copy has its defaults filled in, and the content hash is the sender's.
  const { document, compiled } = await documentOf(upload);
  const ctx = writeContext(c);
  const { id, version } = compiled.methodology;
  const hash = await contentHash(document);
  const existing = await getMethodology(d, id, version);
  if (dryRun) {
    const stored = !existing ? 'new' as const : sameContent(existing, document) ? 'same' as const : 'conflict' as const;
    return { dryRun: { dryRun: true as const, id, version, mode: compiled.methodology.mode, contentHash: hash, stored, ...treeSummary(compiled) } };
  }
  if (existing) {
    if (!sameContent(existing, document)) throw new ApiProblem('conflict', `Methodology ${id} version ${version} exists with different content; versions are immutable: post it as version ${(await getMethodology(d, id))!.version + 1}.`);
    return { status: 200, stored: summary(existing) };
  }
  await d.atomic([
    methodologyInsert(d, document, compiled, hash),
    auditStep(ctx, [{ action: 'methodology.create', after: { id, version, contentHash: hash } }]),
  ]);
  return { status: 201, stored: summary((await getMethodology(d, id, version))!) };
}

