// Cross-cutting request handling: request ids, body limits, content types.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { rateLimiter } from 'hono-rate-limiter';
import { getConnInfo } from './conn-info.js';
import type { AppEnv } from './env.js';
import { ApiProblem } from './problem.js';

export const requestId: MiddlewareHandler<AppEnv> = async (c, next) => {
  const given = c.req.header('x-request-id');
  const id = given && /^[\w.-]{1,100}$/.test(given) ? given : crypto.randomUUID();
  c.set('requestId', id);
  // Set before the handler, so that the response is built with it rather than copied to add it.
  c.header('x-request-id', id);
  await next();
  if (!c.res.headers.has('x-request-id')) c.res.headers.set('x-request-id', id);
};

export const MiB = 1024 * 1024;

export function limitBody(maxSize: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize,
    onError: () => { throw new ApiProblem('payload-too-large', `The request body exceeds the limit of ${maxSize / MiB} MiB.`); },
  });
}

/** Whether an Accept header admits one of the given media types (q=0 excludes; no header admits all). */
export function accepts(accept: string | undefined, types: string[]): boolean {
  if (!accept?.trim()) return true;
  return accept.split(',').some((part) => {
    const [range, ...params] = part.trim().toLowerCase().split(';').map((x) => x.trim());
    if (params.some((p) => /^q=0(\.0*)?$/.test(p))) return false;
    const [type, subtype] = range.split('/');
    return types.some((t) => {
      const [tt, ts] = t.split('/');
      return (type === '*' || type === tt) && (subtype === '*' || subtype === ts);
    });
  });
}

/** 406 when the client accepts none of what the route answers (its problems aside). */
export function negotiate(types: string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!accepts(c.req.header('accept'), types)) {
      throw new ApiProblem('not-acceptable', `This route answers ${types.join(' or ')}; the Accept header (${c.req.header('accept')}) admits none of them.`);
    }
    await next();
  };
}

/** 415 unless the body is one of the given media types. */
export function requireMediaType(...types: string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const given = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (!types.includes(given)) {
      throw new ApiProblem('unsupported-media-type', `Content-Type ${given || '(none)'} is not accepted here; send ${types.join(' or ')}.`);
    }
    await next();
  };
}

/**
 * A rate limit per key (or per client address for the public), answered 429 with Retry-After.
 * Built on the first request: its memory store starts a timer, which Workers refuse at start-up.
 */
export function rateLimit(limitOf: (c: Context<AppEnv>) => number): MiddlewareHandler<AppEnv> {
  let limiter: MiddlewareHandler<AppEnv> | undefined;
  return (c, next) => {
    const perMinute = limitOf(c);
    limiter ??= rateLimiter<AppEnv>({
      windowMs: 60_000, limit: perMinute, standardHeaders: 'draft-7',
      // A revalidation answered 304 is given back: polling cheaply with an ETag costs nothing.
      skipSuccessfulRequests: true, requestWasSuccessful: (ctx) => ctx.res.status === 304,
      keyGenerator: (ctx) => {
        const actor = ctx.get('actor');
        return actor && actor.role !== 'public' ? `key:${actor.keyId}` : `ip:${getConnInfo(ctx)}`;
      },
      handler: (ctx) => {
        throw new ApiProblem('rate-limited', `More than ${perMinute} requests in a minute; retry after the time in Retry-After.`, undefined, { 'retry-after': ctx.res.headers.get('retry-after') ?? '60' });
      },
    }) as unknown as MiddlewareHandler<AppEnv>;
    return limiter(c, next);
  };
}
