// createApp(): the whole API, independent of the runtime. Each entry point passes a function
// that gives the database driver for a request (better-sqlite3 on Node, D1 on Workers).
import { OpenAPIHono } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { EngineError } from '../engine/index.js';
import { GUARD_FAILED, type Driver } from '../store/driver.js';
import type { AppEnv } from './env.js';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { authenticate } from './auth.js';
import { rateLimit, requestId } from './middleware.js';
import { ApiProblem, issuesToErrors, problemResponse } from './problem.js';
import { mountRoutes } from './routes/index.js';

export interface AppOptions {
  driver: (c: Context<AppEnv>) => Driver | Promise<Driver>;
  /** the bootstrap admin key (PAR_ADMIN_TOKEN): an environment variable on Node, a secret on Workers */
  adminToken?: (c: Context<AppEnv>) => string | undefined;
  /** origins allowed by CORS (PAR_CORS_ORIGINS, comma-separated); none by default */
  corsOrigins?: (c: Context<AppEnv>) => string[];
  /** requests per minute per key and per client address (default 600); per process or isolate */
  rateLimit?: (c: Context<AppEnv>) => number;
  /** log line per request (Node: stdout); none in tests */
  log?: (line: Record<string, unknown>) => void;
}

export const API_INFO = {
  title: 'PAR Index API',
  version: '0.1.0',
  description: 'Vietnam\'s Public Administration Reform Index (Chỉ số cải cách hành chính): methodologies, units and their lineage, scores, results, rankings and statistics.',
};

export function createApp(options: AppOptions) {
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', requestId);
  app.use('*', secureHeaders());
  const corsHandler = cors({ origin: (origin, c) => ((options.corsOrigins?.(c) ?? []).includes(origin) ? origin : null), exposeHeaders: ['etag', 'x-request-id', 'retry-after'] });
  // CORS only concerns cross-origin requests; others skip it (it would copy every response to add headers).
  app.use('*', (c, next) => (c.req.header('origin') ? corsHandler(c, next) : (c.header('vary', 'Origin'), next())));
  app.use('*', async (c, next) => {
    const started = Date.now();
    c.set('driver', await options.driver(c));
    await next();
    options.log?.({ requestId: c.get('requestId'), actor: c.get('actor')?.keyId, method: c.req.method, path: c.req.path, status: c.res.status, ms: Date.now() - started });
  });
  app.use('*', authenticate(options.adminToken ?? (() => undefined)));
  app.use('*', rateLimit(options.rateLimit ?? (() => 600)));
  mountRoutes(app);
  app.doc31('/openapi.json', { openapi: '3.1.0', info: API_INFO });
  app.get('/docs', Scalar({ url: '/openapi.json', pageTitle: 'PAR Index API' }));
  app.notFound((c) => problemResponse(c, new ApiProblem('not-found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`)));
  app.onError((err, c) => problemResponse(c, toProblem(err, options.log, c)));
  return app;
}

export type App = ReturnType<typeof createApp>;

function toProblem(err: unknown, log: AppOptions['log'], c: Context<AppEnv>): ApiProblem {
  if (err instanceof ApiProblem) return err;
  if (err instanceof EngineError) {
    const type = err.kind === 'invalid-scores' ? 'invalid-scores' : err.kind === 'invalid-methodology' ? 'invalid-methodology' : 'computation-failed';
    const pointer = err.kind === 'invalid-methodology' ? '/methodology' : '/scores';
    return new ApiProblem(type, `${err.issues.length} problem(s); nothing was written. First: ${err.message.replace(/^[\w-]+: /, '')}`, issuesToErrors(err.issues, pointer));
  }
  if (err instanceof HTTPException) {
    if (err.res) return new ApiProblem(err.status === 429 ? 'rate-limited' : 'invalid-request', err.message || 'Rejected.');
    if (err.status === 400) return new ApiProblem('malformed-body', `The body could not be parsed: ${err.message || 'malformed'}.`);
    if (err.status === 413) return new ApiProblem('payload-too-large', err.message);
  }
  const message = String((err as Error)?.message ?? err);
  if (message.includes(GUARD_FAILED)) return new ApiProblem('conflict', 'The cycle changed (another write or a change of phase) while this request was processed; nothing was written. Read it again and retry.');
  if (/UNIQUE constraint failed/.test(message)) return new ApiProblem('conflict', 'This already exists (a concurrent request created it first); nothing was written.');
  log?.({ requestId: c.get('requestId'), error: String(err), stack: (err as Error)?.stack });
  return new ApiProblem('internal', 'An unexpected error occurred; it has been logged with this request id.');
}
