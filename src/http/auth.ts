// Authentication (Bearer API keys, constant-time checks) and the role checks routes call.
import type { Context, MiddlewareHandler } from 'hono';
import { constantTimeEqual, sha256Hex } from '../store/crypto.js';
import type { Driver } from '../store/driver.js';
import { checkKey, type KeyRow } from '../store/keys.js';
import type { Actor, AppEnv, Role } from './env.js';
import { ApiProblem } from './problem.js';
import type { AuthGuard } from './rate-limit.js';

export const PUBLIC: Actor = { keyId: 'public', role: 'public', unit: null };
export const ENV_ADMIN_KEY = 'env-admin';
/** The bootstrap admin (PAR_ADMIN_TOKEN): no stored key. */
export const ADMIN_ACTOR: Actor = { keyId: ENV_ADMIN_KEY, role: 'admin', unit: null };

const challenge = { 'www-authenticate': 'Bearer realm="par-index"' };

const UNGUARDED: AuthGuard = { beforeKey: async () => {}, failed: async () => {} };

/**
 * Sets the actor: the public without a key; 401 for a malformed, unknown or revoked key. A request
 * presenting a key goes through the guard first (429 once its address spent its budget), and a
 * failed authentication counts against the address, so that keys cannot be guessed without limit.
 */
export function authenticate(adminToken: (c: Context<AppEnv>) => string | undefined, guard: AuthGuard = UNGUARDED): MiddlewareHandler<AppEnv> {
  // the admin token is fixed per process or isolate: hashed once, not on every request
  let admin: { token: string; hash: Promise<string> } | undefined;
  // Stryker disable next-line ConditionalExpression: hashing the token again on every request gives the same hash (the cache only saves work)
  const adminHash = (token: string) => (admin?.token === token ? admin : (admin = { token, hash: sha256Hex(token) })).hash;
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (header === undefined) { c.set('actor', PUBLIC); return next(); }
    await guard.beforeKey(c);
    const refuse = async (detail: string) => {
      await guard.failed(c);
      return new ApiProblem('unauthorized', detail, undefined, challenge);
    };
    const token = /^Bearer ([\x21-\x7e]+)$/i.exec(header)?.[1];
    if (!token) throw await refuse('The Authorization header must be "Bearer <key>".');
    const check = await identify(c.get('driver'), token, adminToken(c), adminHash);
    if (!check.ok) {
      const detail = check.reason === 'malformed' ? 'The key is not a PAR Index API key (par_<id>_<secret>).'
        : check.reason === 'revoked' ? 'This key has been revoked.' : 'Unknown key.';
      throw await refuse(detail);
    }
    c.set('actor', check.actor);
    return next();
  };
}

/** The actor of a stored key. */
export const keyActor = (row: KeyRow): Actor => ({ keyId: row.id, role: row.role as Role, unit: row.unit });

export type Identified = { ok: true; actor: Actor; /** the stored key; none for the bootstrap admin */ row?: KeyRow } | { ok: false; reason: 'malformed' | 'unknown' | 'revoked' };

/**
 * Who a token is: the bootstrap admin (PAR_ADMIN_TOKEN) or the holder of a stored key, else why not.
 * One check for the API's Bearer header and the workspace's sign-in.
 */
export async function identify(d: Driver, token: string, adminKey: string | undefined, adminHash: (token: string) => Promise<string> = sha256Hex): Promise<Identified> {
  // Stryker disable next-line ConditionalExpression: without a token the hash compared is that of '' (TextEncoder), which no Bearer token (1+ characters) has
  if (adminKey && constantTimeEqual(await sha256Hex(token), await adminHash(adminKey))) return { ok: true, actor: ADMIN_ACTOR };
  const check = await checkKey(d, token);
  return check.ok ? { ok: true, actor: keyActor(check.row), row: check.row } : check;
}

/** 401 for the public, with the Bearer challenge: whatever follows needs a key. */
export function requireKey(c: Context<AppEnv>): Actor {
  const actor = c.get('actor');
  if (actor.role === 'public') throw new ApiProblem('unauthorized', 'This needs an API key: Authorization: Bearer <key>.', undefined, challenge);
  return actor;
}

/** 401 for the public, 403 for a key of another role. */
export function requireRole(c: Context<AppEnv>, ...roles: Role[]): Actor {
  const actor = requireKey(c);
  if (!roles.includes(actor.role)) throw new ApiProblem('forbidden', `This needs the role ${roles.join(' or ')}; your key has the role ${actor.role}.`);
  return actor;
}

/** Admins and appraisers see every draft; a unit key sees its own unit's. */
export function seesDraftsOf(actor: Actor, unit?: string): boolean {
  if (actor.role === 'admin' || actor.role === 'appraiser') return true;
  // Defence in depth: a unit's drafts are seen by a unit key naming that very unit, never "the drafts of no unit".
  // Stryker disable next-line ConditionalExpression,LogicalOperator: redundant with actor.unit === unit while only unit keys name a unit (null otherwise; rules-access-keys)
  const mayOwn = actor.role === 'unit' && unit !== undefined;
  return mayOwn && actor.unit === unit;
}

/** requireRole as route middleware, so that it runs before the body is validated. */
export function roleGuard(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => { requireRole(c, ...roles); await next(); };
}
