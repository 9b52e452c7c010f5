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
