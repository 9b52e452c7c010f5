// Cross-cutting request handling: request ids, body limits, content types, content negotiation.
import type { Context, MiddlewareHandler } from 'hono';
import { announcesBody } from './conn-info.js';
import type { AppEnv } from './env.js';
import { findReservedKey, jsonPointer } from '../engine/index.js';
import { ApiProblem } from './problem.js';

/**
 * The request id is always the server's own: the log and the audit record it, so a client cannot
 * make its writes look like another request's. A well-formed x-request-id the client sent is kept
 * apart, echoed as x-client-request-id and logged beside it, to correlate with the client's traces.
 */
export const requestId: MiddlewareHandler<AppEnv> = async (c, next) => {
  const id = crypto.randomUUID();
  const given = c.req.header('x-request-id');
  const client = given && /^[\w.:-]{1,100}$/.test(given) ? given : undefined;
  c.set('requestId', id);
  c.set('clientRequestId', client);
  // Set before the handler, so that the response is built with them rather than copied to add them.
  c.header('x-request-id', id);
  if (client) c.header('x-client-request-id', client);
  await next();
  if (!c.res.headers.has('x-request-id')) c.res.headers.set('x-request-id', id);
};

export const KiB = 1024;
export const MiB = 1024 * KiB;
/** The body limit of a route that declares none: small JSON (a cycle, a status change, a key). */
export const DEFAULT_BODY_LIMIT = 16 * KiB;

const size = (bytes: number) => (bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / KiB} KiB`);
const tooLarge = (max: number) => new ApiProblem('payload-too-large', `The request body exceeds the limit of ${size(max)}.`);

/** The body length a request announces; undefined for chunks (or an unusable header). */
function declaredLength(c: Context): number | undefined {
  if (c.req.header('transfer-encoding') !== undefined) return undefined;
  const length = c.req.header('content-length');
  return length !== undefined && /^\d{1,15}$/.test(length.trim()) ? Number(length) : undefined;
}

/**
 * Declares a route's body limit, above or below the default. A body announcing more is refused here
 * (413) before anything reads it; a body sent in chunks is counted as it is read (boundBodies).
 */
export function limitBody(maxSize: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('bodyLimit', maxSize);
    if ((declaredLength(c) ?? 0) > maxSize) throw tooLarge(maxSize);
    await next();
  };
}

/**
 * Every request body is bounded, on every route: by DEFAULT_BODY_LIMIT unless the route declared
 * its own with limitBody. Nothing is read here (a route may refuse the request first, and its limit
 * is known only once its middleware ran): a body that may be too large is replaced by a stream that
 * checks the limit in force when it is read, announced length first, then bytes as they come, and
 * fails past it without buffering more than one chunk. (hono's bodyLimit buffers a body sent in
 * chunks up to the limit before the route runs, and @hono/node-server's c.req.json() reads any
 * length into memory.) Whatever the reader then throws, the answer is 413 (see bodyOverflow).
 */
export const boundBodies: MiddlewareHandler<AppEnv> = async (c, next) => {
  const declared = declaredLength(c);
  if (declared !== undefined ? declared <= DEFAULT_BODY_LIMIT : !hasBody(c)) return next();
  const source = c.req.raw;
  c.req.raw = new Request(source, { body: boundedStream(c, source, declared), duplex: 'half' } as RequestInit);
  await next();
};

/**
 * A body without a length: chunks, or a Request built in-process (app.request(), a service
 * binding), which has a body but no Content-Length. A GET's body is never looked at (on Node that
 * would build a Request per read).
 */
function hasBody(c: Context): boolean {
  if (announcesBody(c.req.raw.headers)) return true;
  return c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.raw.body !== null;
}

function boundedStream(c: Context<AppEnv>, source: Request, declared: number | undefined): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let read = 0;
  const overflow = (controller: ReadableStreamDefaultController<Uint8Array>, max: number) => {
    const problem = tooLarge(max);
    c.set('bodyOverflow', problem);
    controller.error(problem);
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const max = c.get('bodyLimit') ?? DEFAULT_BODY_LIMIT;
      if ((declared ?? 0) > max) return overflow(controller, max);
      reader ??= source.body!.getReader();
      const { done, value } = await reader.read();
      if (done) return controller.close();
      read += value.byteLength;
      if (read > max) return overflow(controller, max);
      controller.enqueue(value);
    },
    // The rest is left unread, not cancelled: on Node cancelling destroys the socket before the
    // answer is written (closeIfBodyUnread ends the connection after the answer instead).
    cancel() {},
  }, { highWaterMark: 0 });
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

const TOKEN = "[!#$%&'*+.^_`|~0-9a-z-]+";
const PARAMETER = new RegExp(`^${TOKEN}=(?:${TOKEN}|"(?:[^"\\\\]|\\\\.)*")$`, 'i');

/**
 * The media type of a Content-Type header, lower-cased; null when the header is malformed. Every
 * parameter must be name=value: a trailing ";" or a name without a value is refused, as the body
 * validator of @hono/zod-openapi refuses it (RFC 9110 tolerates an empty parameter; accepting it
 * here would only move the 415 one step later).
 */
export function mediaTypeOf(header: string): string | null {
  const [essence, ...parameters] = header.split(';');
  const type = essence.trim().toLowerCase();
  if (!new RegExp(`^${TOKEN}/${TOKEN}$`, 'i').test(type)) return null;
  return parameters.every((p) => PARAMETER.test(p.trim())) ? type : null;
}

/** 415 unless the body is one of the given media types, in a well-formed Content-Type. */
export function requireMediaType(...types: string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('content-type') ?? '';
    const given = mediaTypeOf(header);
    if (header && given === null) {
      throw new ApiProblem('unsupported-media-type', `Content-Type "${header.slice(0, 100)}" is malformed (each parameter is name=value, no trailing ";"); send ${types.join(' or ')}.`);
    }
    if (!given || !types.includes(given)) {
      throw new ApiProblem('unsupported-media-type', `Content-Type ${given || '(none)'} is not accepted here; send ${types.join(' or ')}.`);
    }
    await next();
  };
}

/**
 * 422 for a key __proto__ anywhere in a parsed JSON body: JSON.parse keeps it, but validation drops
 * it without a word (a survey answer {"__proto__": 5} would count as no answer).
 */
export function refuseReservedKey(body: unknown): void {
  const reserved = findReservedKey(body);
  if (!reserved) return;
  const pointer = jsonPointer(reserved);
  throw new ApiProblem('validation-failed', `The key __proto__ is not allowed (a reserved name), at ${pointer}; nothing was computed or written.`, [
    { pointer, field: '__proto__', message: 'the key __proto__ is not allowed (a reserved name)' },
  ]);
}
