// Workspace sessions: a signed cookie, never the key. The cookie names the key's id and an expiry,
// signed (HMAC-SHA-256) with the hash of the key's own secret, which only the server holds. So a
// session needs no table of its own, works across processes and Worker isolates, and ends with its
// key: a revoked key fails the lookup, and a key issued again under the same id has another hash.
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import type { Context } from 'hono';
import { ADMIN_ACTOR, ENV_ADMIN_KEY, identify, keyActor } from '../../http/auth.js';
import type { Actor, AppEnv } from '../../http/env.js';
import { constantTimeEqual, sha256Hex } from '../../store/crypto.js';
import { keyById } from '../../store/keys.js';

/** A session lasts a working day. */
export const SESSION_SECONDS = 8 * 60 * 60;
const FORMAT = 'v1';

const COOKIE = 'par-session';
/** Over HTTPS the cookie is Secure and named `__Host-` (Path=/, no Domain: no other host can set it). */
// Statements, not ?:, so that each Stryker directive below leads the node it marks (one before `?` leads none).
const cookieOptions = (c: Context) => {
  // Stryker disable next-line BooleanLiteral: hono's setCookie makes a __Host- cookie Secure whatever `secure` says
  if (new URL(c.req.url).protocol === 'https:') return { secure: true, prefix: 'host' as const };
  // Stryker disable next-line ObjectLiteral: without `secure` a cookie is not Secure (hono's default), as with secure: false
  return { secure: false };
};

async function hmac(secretHash: string, text: string): Promise<string> {
  // Stryker disable next-line BooleanLiteral: the key is never exported: extractable or not, it signs the same
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secretHash), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text)));
  // Stryker disable next-line Regex: an HMAC-SHA-256 is 32 bytes, whose base64 ends in exactly one '=' (=+$, =$ and =+ remove the same)
  return btoa(String.fromCharCode(...mac)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The person a key names (the API's own check) and the server-side hash a session is signed with; null for a key refused. */
export async function actorOfKey(c: Context<AppEnv>, token: string, adminToken: string | undefined): Promise<{ actor: Actor; secretHash: string } | null> {
  const who = await identify(c.get('driver'), token, adminToken);
  if (!who.ok) return null;
  return { actor: who.actor, secretHash: who.row ? who.row.secretHash : await adminSecret(adminToken!) };
}

/** The bootstrap admin has no stored key: its sessions are signed with a hash of its token. */
const adminSecret = (adminToken: string) => sha256Hex(`session:${adminToken}`);

/** Starts a session: HttpOnly, SameSite=Strict, Secure over HTTPS, expiring. */
export async function startSession(c: Context<AppEnv>, keyId: string, secretHash: string, now = Date.now()): Promise<void> {
  const expires = now + SESSION_SECONDS * 1000;
  const payload = `${FORMAT}.${keyId}.${expires}`;
  setCookie(c, COOKIE, `${payload}.${await hmac(secretHash, payload)}`, { httpOnly: true, sameSite: 'Strict', path: '/', maxAge: SESSION_SECONDS, ...cookieOptions(c) });
}

export function endSession(c: Context<AppEnv>): void {
  deleteCookie(c, COOKIE, { path: '/', ...cookieOptions(c) });
}

export interface Session { actor: Actor; /** the cookie's signature: what the forms' anti-forgery token is derived from */ signature: string; secretHash: string }

/** The session the request carries, if its signature holds, it has not expired and its key is still valid. */
export async function sessionOf(c: Context<AppEnv>, adminToken: string | undefined, now = Date.now()): Promise<Session | null> {
  const { prefix } = cookieOptions(c) as { prefix?: 'host' };
  const raw = getCookie(c, COOKIE, prefix);
  const m = raw && /^v1\.([a-z0-9-]{1,40})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(raw);
  if (!m) return null;
  const [, keyId, expires, signature] = m;
  if (Number(expires) <= now) return null;
  const holder = keyId === ENV_ADMIN_KEY
    ? (adminToken ? { actor: ADMIN_ACTOR, secretHash: await adminSecret(adminToken) } : null)
    : await activeKey(c, keyId);
  if (!holder || !constantTimeEqual(signature, await hmac(holder.secretHash, `${FORMAT}.${keyId}.${expires}`))) return null;
  return { ...holder, signature };
}

async function activeKey(c: Context<AppEnv>, id: string): Promise<{ actor: Actor; secretHash: string } | null> {
  const row = await keyById(c.get('driver'), id);
  if (!row || row.revokedAt) return null;
  return { actor: keyActor(row), secretHash: row.secretHash };
}

/** The anti-forgery token of a session's forms: derived from it, so it changes with every sign-in. */
export const formToken = (s: Session) => hmac(s.secretHash, `form:${s.signature}`);
