// What every workspace page and form shares: the signed-in person (or a redirect to sign-in), the
// refusal of forms posted from another site or without their session's token, and the page response.
// A screen of the workspace (self-assessment, appraisal, the secretariat's) is built on these three.
import type { Context } from 'hono';
import type { AppEnv } from '../../http/env.js';
import type { AuthGuard } from '../../http/rate-limit.js';
import { constantTimeEqual } from '../../store/crypto.js';
import type { Lang } from '../i18n.js';
import { html } from '../layout.js';
import { formToken, sessionOf, type Session } from './session.js';

export interface WorkspaceOptions {
  adminToken: (c: Context<AppEnv>) => string | undefined;
  /** failed sign-ins count against the address as failed API authentications do */
  guard: AuthGuard;
}

export const workspacePath = (lang: Lang, rest = '') => `/${lang}/workspace${rest}`;
/**
 * The route pattern of a cycle's workspace pages. One pattern for every route under it: hono's
 * RegExpRouter refuses one parameter with two patterns, and a single refusal sends every request of
 * the app (API included) through its slower TrieRouter.
 */
export const cycleRoute = (lang: Lang, rest = '') => workspacePath(lang, `/cycles/:year{[0-9]{4}}/:unitType{[a-z]{1,20}}${rest}`);
export const isWorkspacePath = (path: string) => /^\/(vi|en)\/workspace(\/|$)/.test(path);

/**
 * The person signed in, with the actor set on the context so that the API's own checks
 * (authorizePhase, authorizeWriter, the audit's writeContext) apply to them; or a 303 to sign-in.
 */
export async function signedIn(c: Context<AppEnv>, options: WorkspaceOptions, lang: Lang): Promise<Session | Response> {
  const session = await sessionOf(c, options.adminToken(c));
  if (!session) return c.redirect(workspacePath(lang, '/sign-in'), 303);
  c.set('actor', session.actor);
  return session;
}

export type PostedForm = Record<string, string | string[]>;

/**
 * A signed-in form post: sent from this site, by a live session, carrying that session's token.
 * Otherwise `refused` says why (forged: 403 page; signedOut: redirect to sign-in), before anything is read or written.
 */
export async function postedForm(c: Context<AppEnv>, options: WorkspaceOptions):
  Promise<{ session: Session; form: PostedForm; token: string } | { refused: 'forged' | 'signed-out' }> {
  if (!fromThisSite(c)) return { refused: 'forged' };
  const session = await sessionOf(c, options.adminToken(c));
  if (!session) return { refused: 'signed-out' };
  const form = await c.req.parseBody({ all: true }) as Record<string, string | string[] | File | File[]>;
  const token = await formToken(session);
  // Stryker disable next-line StringLiteral: a form without a token compared as '' or as any other text is refused all the same
  const sent = String(form.token ?? '');
  if (!constantTimeEqual(sent, token)) return { refused: 'forged' };
  c.set('actor', session.actor);
  return { session, form: textOnly(form), token };
}

/** Files are read by the screens that take them (c.req.parseBody again); a form's text fields are strings. */
function textOnly(form: Record<string, unknown>): PostedForm {
  const out: PostedForm = {};
  for (const [k, v] of Object.entries(form)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return out;
}

/**
 * A form posted from another site is refused: browsers name the sending origin (Origin) or say
 * whether it was this site (Sec-Fetch-Site) on every POST. Origin is "null" where the referrer policy
 * hides it; Sec-Fetch-Site then decides. A request that sends neither is not a browser's form, and
 * cannot carry the SameSite=Strict session cookie from another site either.
 */
export function fromThisSite(c: Context): boolean {
  const origin = c.req.header('origin');
  const site = c.req.header('sec-fetch-site');
  if (origin !== undefined && origin !== 'null') return URL.canParse(origin) && new URL(origin).host === (c.req.header('host') ?? new URL(c.req.url).host);
  if (origin === 'null') return site === 'same-origin';
  return site === undefined || site === 'same-origin';
}

export type PageStatus = 200 | 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429;

/** Workspace pages are the person's own: never stored by a cache. (Their Referrer-Policy is set in app.ts.) */
export function page(c: Context, status: PageStatus, body: unknown) {
  c.header('cache-control', 'no-store');
  return c.body(html(body as never), status, { 'content-type': 'text/html; charset=utf-8' });
}
