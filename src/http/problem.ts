// RFC 9457 problem details: every error the API returns, with a stable `type` per kind.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { describeIssue, jsonPointer, type Issue } from '../engine/index.js';

export const PROBLEM_TYPES = {
  'not-found': { status: 404, title: 'Not found' },
  'invalid-request': { status: 400, title: 'Invalid request' },
  'malformed-body': { status: 400, title: 'Malformed body' },
  'validation-failed': { status: 422, title: 'Validation failed' },
  'invalid-scores': { status: 422, title: 'Invalid scores' },
  'invalid-methodology': { status: 422, title: 'Invalid methodology' },
  'computation-failed': { status: 422, title: 'Computation failed' },
  'too-many-units': { status: 422, title: 'Too many units' },
  'budget-exceeded': { status: 422, title: 'Budget exceeded' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'payload-too-large': { status: 413, title: 'Payload too large' },
  conflict: { status: 409, title: 'Conflict' },
  'not-acceptable': { status: 406, title: 'Not acceptable' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  internal: { status: 500, title: 'Internal error' },
  busy: { status: 503, title: 'Busy' },
} as const;
export type ProblemType = keyof typeof PROBLEM_TYPES;

/** Problem type URIs are relative references, resolved against the API's own origin. */
export const problemUri = (type: ProblemType) => `/problems/${type}`;

export const FieldError = z.object({
  row: z.number().int().optional().describe('1-based data row of a bulk input (CSV: the header is not counted); in a spreadsheet (sheet given), the row number as the spreadsheet shows it'),
  sheet: z.string().optional().describe('the sheet of a spreadsheet (a methodology CSV: methodology or nodes, its two blocks)'),
  column: z.string().optional().describe('the column of a spreadsheet, A1-style (A, B … AA)'),
  pointer: z.string().optional().describe('JSON Pointer (RFC 6901) to the offending value'),
  field: z.string().optional(),
  unit: z.string().optional(),
  indicator: z.string().optional(),
  message: z.string(),
}).openapi('FieldError');
export type FieldError = z.infer<typeof FieldError>;

export const Problem = z.object({
  type: z.string().describe('stable identifier of the kind of problem, e.g. /problems/invalid-scores'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
  errors: z.array(FieldError).optional(),
}).openapi('Problem');

export class ApiProblem extends Error {
  constructor(readonly type: ProblemType, readonly detail: string, readonly errors?: FieldError[], readonly headers?: Record<string, string>) {
    super(detail);
  }
}

export function problemResponse(c: Context, p: ApiProblem): Response {
  const { status, title } = PROBLEM_TYPES[p.type];
  const body = {
    type: problemUri(p.type), title, status, detail: p.detail, instance: new URL(c.req.url).pathname,
    requestId: c.get('requestId'), ...(p.errors && { errors: p.errors }),
  };
  return c.body(JSON.stringify(body), status as ContentfulStatusCode, { ...p.headers, 'content-type': 'application/problem+json' });
}

/** Engine issues as per-row errors (engine rows are 0-based; people count from 1). */
export function issuesToErrors(issues: Issue[], pointerBase = '/scores'): FieldError[] {
  return issues.map((i) => ({
    ...(i.row !== undefined && { row: i.row + 1, pointer: `${pointerBase}/${i.row}${i.field ? `/${i.field}` : ''}` }),
    ...(i.row === undefined && i.path && { pointer: jsonPointer(i.path, pointerBase) }),
    ...(i.field && { field: i.field }),
    ...(i.unit && { unit: i.unit }),
    ...(i.node && { indicator: i.node }),
    message: i.row === undefined ? describeIssue(i) : i.message,
  }));
}

/** zod issues as per-field errors with JSON Pointers; an unknown key is named as the field. */
export function zodToErrors(issues: readonly { path: PropertyKey[]; message: string; code?: string; keys?: string[] }[]): FieldError[] {
  return issues.flatMap((i) => {
    const paths = i.code === 'unrecognized_keys' && i.keys?.length ? i.keys.map((k) => [...i.path.map(String), k]) : [i.path.map(String)];
    return paths.map((path) => {
      const rowIndex = path[0] === 'scores' && /^\d+$/.test(path[1] ?? '') ? Number(path[1]) : undefined;
      return {
        ...(rowIndex !== undefined && { row: rowIndex + 1 }),
        pointer: `/${path.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`,
        ...(path.length && { field: path[path.length - 1] }),
        message: i.code === 'unrecognized_keys' ? `unknown field ${path[path.length - 1]}` : i.message,
      };
    });
  });
}

/** The error responses every route documents. */
export function problemResponses(...statuses: number[]) {
  const content = { 'application/problem+json': { schema: Problem } };
  return Object.fromEntries(statuses.map((s) => [s, { description: describeStatus(s), content }]));
}

function describeStatus(status: number): string {
  return Object.values(PROBLEM_TYPES).filter((t) => t.status === status).map((t) => t.title).join(' / ') || 'Problem';
}
