// createApp(): the whole API, independent of the runtime. Each entry point passes a function
// that gives the database driver for a request (better-sqlite3 on Node, D1 on Workers).
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { BudgetError, EngineError } from '../engine/index.js';
import { runInline, type AnalysisRunner } from './analyses.js';
import { MAX_LISTED_ERRORS } from './permissions.js';
import { budgetProblem, cutNote } from './routes/methodologies.js';
import { GUARD_FAILED, type Driver } from '../store/driver.js';
import type { AppEnv } from './env.js';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { authenticate } from './auth.js';
import { addressKey, closeIfBodyUnread, getConnInfo } from './conn-info.js';
import { boundBodies, requestId } from './middleware.js';
import { ApiProblem, issuesToErrors, PROBLEM_TYPES, problemResponse, type ProblemType } from './problem.js';
import { authGuard, memoryCounter, rateLimit, type RateCounter } from './rate-limit.js';
import { mountRoutes } from './routes/index.js';
import { docsRoutes } from './docs/index.js';
import { webRoutes } from '../web/index.js';
import { isWorkspacePath, workspaceRoutes } from '../web/workspace/index.js';
import { EMBED_PREFIX } from '../web/paths.js';
import { conditional, fnv1a, REVALIDATE, weakEtag } from './conditional.js';
import { withExamples } from './examples.js';
import { BEARER } from './router.js';

/** What the app logs: the request id on every line, then the request or the error. */
export type LogLine = { requestId: string } & Record<string, unknown>;

export interface AppOptions {
  driver: (c: Context<AppEnv>) => Driver | Promise<Driver>;
  /** the bootstrap admin key (PAR_ADMIN_TOKEN): an environment variable on Node, a secret on Workers */
  adminToken?: (c: Context<AppEnv>) => string | undefined;
  /** origins allowed by CORS (PAR_CORS_ORIGINS, comma-separated); none by default */
  corsOrigins?: (c: Context<AppEnv>) => string[];
  /** requests per minute per key and per client address (default 600) */
  rateLimit?: (c: Context<AppEnv>) => number;
  /** where the rate limit counts: in this app's memory by default (Node: one process); a Durable Object on Workers */
  rateCounter?: (c: Context<AppEnv>) => RateCounter;
  /** where the heavy analyses run: inline by default (Workers: each request has its own CPU); a thread pool on Node */
  analyse?: AnalysisRunner;
  /** a log line per request, and one per unexpected error (Node: pino on stdout); none in tests */
  log?: (line: LogLine, level?: 'info' | 'error') => void;
}

export const API_INFO = {
  title: 'PAR Index API',
  version: '0.1.0',
  description: [
    'Vietnam\'s Public Administration Reform Index (Chỉ số cải cách hành chính): methodologies, units and their lineage, scores, results, rankings and statistics.',
    'Reads serve the latest publication to every caller; `?revision=N` pins a publication (immutable), `?revision=draft` reads the live draft (roles named per operation).',
    'Versioning: `/v1` changes only by adding (new operations, new optional fields, new enum members are announced in the changelog); a breaking change becomes `/v2`, and `/v1` is kept for at least 12 months after, with a `Deprecation` header.',
  ].join('\n\n'),
  license: { name: 'MIT', identifier: 'MIT' },
  contact: { name: 'PAR Index service maintainers', url: 'https://github.com/par-index/par-index/issues' },
};

/** Top-level tags, in the order the docs show them. */
export const API_TAGS = [
  { name: 'Results', description: 'Ranked results, CSV downloads, statistics and a unit\'s scorecard' },
  { name: 'Analysis', description: 'Rank uncertainty, what-if, strengths and weaknesses, peers' },
  { name: 'Cycles', description: 'A year of one unit type: phases, publication, revisions and their differences' },
  { name: 'Scores', description: 'Reading and uploading scores (JSON or CSV), all or nothing' },
  { name: 'Methodologies', description: 'Versioned definitions of an index: tree, maxima or weights, rules' },
  { name: 'Units', description: 'Provinces and ministries, their regions and their lineage across the 2025 mergers' },
  { name: 'Compute', description: 'Any composite index computed inline; nothing stored' },
  { name: 'Access', description: 'API keys and the audit trail' },
  { name: 'Service', description: 'Health' },
];

export const API_SERVERS = [
  { url: '/', description: 'the origin this document is served from (npm start: http://localhost:8787, demo data)' },
];

/** The document's frame: what the routes do not say themselves. */
export const DOCUMENT = { openapi: '3.1.0', info: API_INFO, servers: API_SERVERS, tags: API_TAGS } as const;

export function createApp(options: AppOptions) {
  const app = new OpenAPIHono<AppEnv>();
  const analyse = options.analyse ?? runInline;
  app.use('*', closeIfBodyUnread);
  app.use('*', requestId);
  // The embeddable chart is for other sites' iframes: no X-Frame-Options (its CSP frame-ancestors says who may frame it).
  const secure = secureHeaders();
  const embeddable = secureHeaders({ xFrameOptions: false });
  // The workspace's forms must name this site's origin (no-referrer makes a browser send Origin: null).
  const forms = secureHeaders({ referrerPolicy: 'same-origin' });
  app.use('*', (c, next) => (c.req.path.startsWith(EMBED_PREFIX) ? embeddable(c, next) : isWorkspacePath(c.req.path) ? forms(c, next) : secure(c, next)));
  const corsHandler = cors({ origin: (origin, c) => ((options.corsOrigins?.(c) ?? []).includes(origin) ? origin : null), exposeHeaders: ['etag', 'x-request-id', 'x-client-request-id', 'retry-after'] });
  // CORS only concerns cross-origin requests; others skip it (it would copy every response to add headers).
  app.use('*', (c, next) => (c.req.header('origin') ? corsHandler(c, next) : (c.header('vary', 'Origin'), next())));
  app.use('*', async (c, next) => {
    const started = Date.now();
    c.set('clientAddress', addressKey(getConnInfo(c)));
    c.set('driver', await options.driver(c));
    c.set('analyse', analyse);
    await next();
    options.log?.({
      requestId: c.get('requestId'), clientRequestId: c.get('clientRequestId'), actor: c.get('actor')?.keyId,
      method: c.req.method, path: c.req.path, status: c.res.status, ms: Date.now() - started,
    });
  });
  app.use('*', boundBodies);
  const memory = memoryCounter();
  const limits = { limit: options.rateLimit ?? (() => 600), counter: options.rateCounter ?? (() => memory) };
  const adminToken = options.adminToken ?? (() => undefined);
  const guard = authGuard(limits);
  app.use('*', authenticate(adminToken, guard));
  app.use('*', rateLimit(limits));
  app.openAPIRegistry.registerComponent('securitySchemes', BEARER, {
    type: 'http', scheme: 'bearer', bearerFormat: 'par_<id>_<secret>',
    description: 'An API key created by an admin (POST /v1/api-keys), or the bootstrap admin token. A malformed, unknown or revoked key is refused with 401 on every operation, public reads included. Failed authentications count against the client address\'s rate limit: past it, any request from that address presenting a key is refused with 429 until the minute ends.',
  });
  mountRoutes(app);
  let contract: { doc: object; text: string; etag: string } | undefined;
  const served = () => {
    if (!contract) {
      const doc = withExamples(app.getOpenAPI31Document(DOCUMENT));
      const text = JSON.stringify(doc);
      contract = { doc, text, etag: weakEtag('openapi', fnv1a(text), text.length) };
    }
    return contract;
  };
  app.get('/openapi.json', (c) => conditional(c, served().etag, REVALIDATE) ?? c.body(served().text, 200, { 'content-type': 'application/json' }));
  app.route('/', docsRoutes(() => served().doc));
  app.route('/', webRoutes());
  app.route('/', workspaceRoutes({ adminToken, guard }));
  const allowed = allowedMethods(app);
  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    const allow = allowed(path);
    if (allow.length) return problemResponse(c, new ApiProblem('method-not-allowed', `${path} answers ${allow.join(', ')}, not ${c.req.method}.`, undefined, { allow: allow.join(', ') }));
    return problemResponse(c, new ApiProblem('not-found', `No route for ${c.req.method} ${path}.`));
  });
  app.onError((err, c) => problemResponse(c, toProblem(err, options.log, c)));
  return app;
}

export type App = ReturnType<typeof createApp>;

/** The methods the contract declares for a concrete path: a wrong method on a known path is 405 with Allow. */
function allowedMethods(app: OpenAPIHono<AppEnv>): (path: string) => string[] {
  let routes: { pattern: RegExp; method: string }[] | undefined;
  return (path) => {
    const documented = app.openAPIRegistry.definitions.flatMap((d) => (d.type === 'route' ? [{ method: d.route.method, path: d.route.path }] : []));
    routes ??= [...documented, ...['/', '/docs', '/openapi.json', '/vi', '/en'].map((path) => ({ method: 'get', path }))].map((r) => ({
      method: r.method.toUpperCase(),
      pattern: new RegExp(`^${r.path.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    }));
    const methods = routes.filter((r) => r.pattern.test(path)).map((r) => r.method);
    return methods.includes('GET') ? [...new Set([...methods, 'HEAD'])] : [...new Set(methods)];
  };
}

function toProblem(err: unknown, log: AppOptions['log'], c: Context<AppEnv>): ApiProblem {
  // A body past its limit fails whoever reads it (a validator answers "malformed" for it): it is a 413.
  const overflow = c.get('bodyOverflow');
  if (overflow) return overflow;
  if (err instanceof ApiProblem) return err;
  if (err instanceof BudgetError) return budgetProblem(err);
  if (err instanceof EngineError) {
    const type = err.kind === 'invalid-scores' ? 'invalid-scores' : err.kind === 'invalid-methodology' ? 'invalid-methodology' : 'computation-failed';
    const pointer = err.kind === 'invalid-methodology' ? '/methodology' : '/scores';
    return new ApiProblem(type, `${err.issues.length} problem(s); nothing was written. First: ${err.message.replace(/^[\w-]+: /, '')}${cutNote(err.issues.length)}`, issuesToErrors(err.issues.slice(0, MAX_LISTED_ERRORS), pointer));
  }
  if (err instanceof HTTPException && err.status < 500) return fromHttpException(err, c);
  const message = String((err as Error)?.message ?? err);
  if (message.includes(GUARD_FAILED)) return new ApiProblem('conflict', 'The cycle changed (another write or a change of phase) while this request was processed; nothing was written. Read it again and retry.');
  if (/UNIQUE constraint failed/.test(message)) return new ApiProblem('conflict', 'This already exists (a concurrent request created it first); nothing was written.');
  log?.({ requestId: c.get('requestId'), error: String(err), stack: (err as Error)?.stack }, 'error');
  return new ApiProblem('internal', 'An unexpected error occurred; it has been logged with this request id.');
}

/** hono's and its validators' client errors as problems, by their status: never a 500 for a client's error. */
function fromHttpException(err: HTTPException, c: Context<AppEnv>): ApiProblem {
  if (err.status === 400 && !err.res) return new ApiProblem('malformed-body', `The body could not be parsed: ${err.message || 'malformed'}.`);
  if (err.status === 415) {
    const given = c.req.header('content-type');
    return new ApiProblem('unsupported-media-type', `Content-Type ${given ? `"${given.slice(0, 100)}"` : '(none)'} is not accepted here: send a media type this operation lists, each parameter as name=value.`);
  }
  const type = (Object.keys(PROBLEM_TYPES) as ProblemType[]).find((t) => PROBLEM_TYPES[t].status === err.status && t !== 'internal');
  return new ApiProblem(type ?? 'invalid-request', err.message || PROBLEM_TYPES[type ?? 'invalid-request'].title);
}
