// One router factory for every resource: validation failures become problem+json.
import { createRoute, OpenAPIHono, z, type RouteConfig } from '@hono/zod-openapi';
import type { AppEnv, Role } from './env.js';
import { negotiate } from './middleware.js';
import { ApiProblem, problemResponses, zodToErrors } from './problem.js';

export function createRouter() {
  const router = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationProblem(result.error.issues, (result as { target?: string }).target);
    },
  });
  const openapi = router.openapi;
  router.openapi = ((route: RouteConfig, ...rest: unknown[]) => (openapi as Function)(documentedOnly(router, parsedInSync(route)), ...rest)) as typeof openapi;
  return router;
}

/**
 * The If-None-Match header is in the contract, but no value can fail its schema: validating it
 * would only copy every request header into an object (3–4 µs a request). So a route with it is
 * registered in the document as it is, and served without that validator (hide: it is registered).
 */
function documentedOnly(router: OpenAPIHono<AppEnv>, route: RouteConfig): RouteConfig {
  const { headers, ...request } = route.request ?? {};
  if (headers !== IF_NONE_MATCH) return route;
  const { middleware: _, ...documented } = route;
  router.openAPIRegistry.registerPath(documented);
  return { ...route, request, hide: true };
}

/** The request header of a conditional read (an ETag from an earlier answer). */
const IF_NONE_MATCH = z.object({
  'if-none-match': z.string().optional().openapi({ description: 'an ETag from an earlier answer: 304 when it still matches (weak comparison, lists and * honoured)' }),
});

/**
 * @hono/zod-validator always parses asynchronously, and zod compiles its fast object parser for
 * synchronous parses only: a 6,000-row upload validates in half the time in sync. So each request
 * schema's async parse runs the sync one; a schema whose sync parse throws (an async check or
 * transform, which zod's compiled parser may report as any error) goes async from then on.
 */
function parsedInSync(route: RouteConfig): RouteConfig {
  const { query, params, headers, cookies, body } = route.request ?? {};
  const schemas = [query, params, headers, cookies, ...Object.values(body?.content ?? {}).map((m) => (m && 'schema' in m ? m.schema : undefined))];
  for (const schema of schemas) {
    if (!(schema instanceof z.ZodType) || syncFirst.has(schema)) continue;
    const parseAsync = schema.safeParseAsync.bind(schema);
    let sync = true;
    schema.safeParseAsync = async (data, options) => {
      if (sync) {
        try {
          return schema.safeParse(data, options);
        } catch {
          sync = false;
        }
      }
      return parseAsync(data, options);
    };
    syncFirst.add(schema);
  }
  return route;
}

const syncFirst = new WeakSet<z.ZodType>();

/** A failed zod validation as a problem: 422 for a body, 400 for path, query or headers. */
export function validationProblem(issues: Parameters<typeof zodToErrors>[0], target: string | undefined): ApiProblem {
  const errors = zodToErrors(issues);
  if (target === 'json') {
    return new ApiProblem('validation-failed', `The request body does not match the schema: ${errors.length} problem(s), first: ${errors[0]?.pointer} ${errors[0]?.message}`, errors);
  }
  return new ApiProblem('invalid-request', `Invalid ${target ?? 'request'} parameter(s): ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, errors);
}

/** Who may call an operation: the public (no key needed), or keys of the given roles. */
export type Access = { public: true; draftsFor?: readonly Role[] } | { roles: readonly Role[] };

export const BEARER = 'bearerKey';
/** The answers that tell when to come back: rate-limited (429) and busy (503). */
const RETRIED = ['429', '503'];
const RETRY_AFTER = { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' }, required: true } };
const declaredHeaders = {
  'x-request-id': { description: 'the server\'s id of this request, also in the log and the audit', schema: { type: 'string' }, required: true },
  'x-client-request-id': { description: 'the x-request-id the client sent, when well-formed (1 to 100 of A-Z a-z 0-9 _ . : -): echoed for correlation, logged beside the server\'s id, never recorded as it', schema: { type: 'string' } },
  RateLimit: { description: 'draft-7 rate limit state: remaining requests and seconds to reset (IETF draft-ietf-httpapi-ratelimit-headers)', schema: { type: 'string' } },
  'RateLimit-Policy': { description: 'the rate limit policy: requests per window', schema: { type: 'string' } },
} as const;
const cacheHeaders = {
  ETag: { description: 'a weak validator of this representation; send it back in If-None-Match', schema: { type: 'string' }, required: true },
  'Cache-Control': { description: 'public and long-lived for published revisions and reference data; private, no-cache for drafts', schema: { type: 'string' }, required: true },
} as const;

export interface OperationOptions {
  operationId: string;
  access: Access;
  /** reads of versioned data: ETag, Cache-Control, If-None-Match and 304 */
  conditional?: boolean;
}

/**
 * A route with what every operation of this API declares: its operationId, its security and the
 * roles that may call it (in the description), the headers every response carries, and the
 * problems that can happen anywhere (401 for a bad key, 403, 404, 429 and a default problem).
 */
export function defineRoute<R extends RouteConfig>(route: R & OperationOptions): R {
  const { operationId, access, conditional, ...config } = route;
  const isPublic = 'public' in access;
  const who = isPublic
    ? `Public: no key needed.${access.draftsFor?.length ? ` Drafts (?revision=draft) for keys of the role ${access.draftsFor.join(', ')}.` : ''}`
    : `Needs a key (Authorization: Bearer) of the role ${access.roles.join(' or ')}.`;
  const responses: Record<string, any> = {};
  for (const [status, response] of Object.entries(config.responses)) {
    const cached = conditional && status === '200';
    responses[status] = { ...response, headers: { ...declaredHeaders, ...(cached && cacheHeaders), ...(RETRIED.includes(status) && RETRY_AFTER), ...(response as { headers?: object }).headers } };
  }
  if (conditional) responses[304] = { description: 'Not modified: the representation matches If-None-Match (no body)', headers: { ...declaredHeaders, ...cacheHeaders } };
  // Every body is bounded (413) and typed (415): a route with a body declares both.
  const bodied = config.request?.body ? [413, 415] : [];
  const problems = problemResponses(...(isPublic ? [401, 404] : [401, 403, 404]), ...bodied, 429);
  const anyProblem = { ...problemResponses(500)[500], description: 'Any other problem, as RFC 9457 problem+json (500 internal: logged with the request id)' };
  for (const [status, p] of Object.entries({ ...problems, default: anyProblem })) {
    responses[status] ??= { ...p, headers: { ...declaredHeaders, ...(RETRIED.includes(status) && RETRY_AFTER) } };
  }
  // Unknown query parameters are refused (400), not silently ignored: a typo must not look like a filter.
  const request = {
    ...config.request,
    query: ((config.request?.query ?? z.object({})) as z.ZodObject).strict(),
    ...(conditional && { headers: IF_NONE_MATCH }),
  };
  const answers = Object.entries(config.responses).filter(([status]) => /^2/.test(status))
    .flatMap(([, r]) => Object.keys((r as { content?: object }).content ?? {}));
  return createRoute({
    ...config,
    middleware: [...(answers.length ? [negotiate([...new Set(answers)])] : []), ...[config.middleware ?? []].flat()],
    operationId,
    request,
    description: [config.description, who].filter(Boolean).join('\n\n'),
    security: isPublic ? (access.draftsFor?.length ? [{}, { [BEARER]: [] }] : []) : [{ [BEARER]: [] }],
    responses,
  } as unknown as R) as R;
}
