// Cross-cutting request handling: request ids, body limits, content types.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from './env.js';
import { ApiProblem } from './problem.js';

export const requestId: MiddlewareHandler<AppEnv> = async (c, next) => {
  const given = c.req.header('x-request-id');
  const id = given && /^[\w.-]{1,100}$/.test(given) ? given : crypto.randomUUID();
  c.set('requestId', id);
  await next();
  c.header('x-request-id', id);
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
