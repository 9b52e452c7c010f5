// Conditional reads (RFC 9110 §13.1.2): If-None-Match with weak comparison, lists and "*".
import type { Context } from 'hono';

/** Cache-Control of data that never changes (a published revision, a methodology version). */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Cache-Control of the latest publication or reference data: public, revalidated after a while. */
export const REVALIDATE = 'public, max-age=60, must-revalidate';
/** Cache-Control of drafts and anything read with a key: never in a shared cache. */
export const PRIVATE = 'private, no-cache';

/** Whether an If-None-Match header matches the ETag, by weak comparison (W/ prefixes ignored). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === wanted);
}

/**
 * Sets the validators of a read; answers 304 (no body, no Content-Type) when the client's copy
 * is current, else undefined and the caller builds the 200.
 */
export function conditional(c: Context, etag: string, cacheControl: string): Response | undefined {
  c.header('etag', etag);
  // An answer to a request with a key never goes into a shared cache.
  c.header('cache-control', c.req.header('authorization') ? cacheControl.replace(/^public\b/, 'private') : cacheControl);
  if (!etagMatches(c.req.header('if-none-match'), etag)) return undefined;
  c.header('content-type', undefined);
  return c.body(null, 304);
}

/** A weak ETag from parts that identify a representation (never from the client's query text). */
export function weakEtag(...parts: (string | number)[]): string {
  return `W/"${parts.join('.').replace(/[^\w.:-]/g, '_')}"`;
}

/** A short, stable hash of a text (FNV-1a, 32 bits): an ETag that names a representation without echoing it. */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/** An answer validated by its own text: for answers whose changes have no version number of their own. */
export function textConditional(c: Context, text: string, type: string, cacheControl: string): Response {
  return conditional(c, weakEtag('body', fnv1a(text), text.length), cacheControl) ?? c.body(text, 200, { 'content-type': type });
}

export function jsonConditional(c: Context, body: unknown, cacheControl: string): Response {
  return textConditional(c, JSON.stringify(body), 'application/json', cacheControl);
}
