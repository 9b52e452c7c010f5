// How a page is answered: rendered once per (page, publication served, query) and kept in this
// process's memory, with an ETag of its bytes and the Cache-Control of the view it shows; an
// error as an HTML page in the reader's language with the JSON route's status.
import type { Context } from 'hono';
import { conditional, fnv1a, PRIVATE, weakEtag } from '../http/conditional.js';
import type { AppEnv } from '../http/env.js';
import { ApiProblem, PROBLEM_TYPES } from '../http/problem.js';
import { driverCache } from '../store/driver.js';
import { LABELS, type Lang } from './i18n.js';
import { html, Page } from './layout.js';
import { otherLanguage } from './paths.js';
import { CSS } from './style.js';

const HTML = 'text/html; charset=utf-8';

/** A page as bytes: encoded once when rendered, not on every request served from memory. */
export interface Rendered { body: Uint8Array<ArrayBuffer>; etag: string; cacheControl: string }

/**
 * A page to answer: the key that names everything it shows, its Cache-Control, and how to render
 * it. A download (an .svg, an .xlsx) says its type and file name; its bytes are named by the key.
 */
export interface PagePlan {
  key: string;
  cacheControl: string;
  render: () => string | Uint8Array<ArrayBuffer> | Promise<string | Uint8Array<ArrayBuffer>>;
  type?: string;
  /** a Content-Disposition: attachment with a file name */
  filename?: string;
}

/** Who may frame the answer: this site only, or any site (the embeddable chart). */
export type Framing = 'self' | 'any';

/** Answers a page: from memory when the same key was rendered, else rendered now; errors as pages. */
export async function servePage(c: Context<AppEnv>, lang: Lang, plan: () => Promise<PagePlan>, framing: Framing = 'self'): Promise<Response> {
  c.header('content-security-policy', await pagePolicy(framing));
  try {
    const { key, cacheControl, render, type = HTML, filename } = await plan();
    const cache = driverCache<string, Rendered>(c.get('driver'), 'web-pages', 200);
    let page = cache.get(key);
    if (!page) {
      const body = await render();
      // Bytes (a spreadsheet) are not hashed: the key names everything they hold.
      const etag = typeof body === 'string' ? weakEtag('page', fnv1a(body), body.length) : weakEtag('file', fnv1a(key), body.length);
      cache.set(key, (page = { body: typeof body === 'string' ? new TextEncoder().encode(body) : body, etag, cacheControl }));
    }
    if (filename) c.header('content-disposition', `attachment; filename="${filename.replace(/[^A-Za-z0-9.-]+/g, '_')}"`);
    return conditional(c, page.etag, cacheControl) ?? c.body(page.body, 200, { 'content-type': type });
  } catch (err) {
    if (!(err instanceof ApiProblem)) throw err;
    return errorPage(c, lang, err);
  }
}

/** A problem only pages raise, worded in the reader's language (the JSON routes' are in English). */
export class PageProblem extends ApiProblem {
  constructor(readonly lang: Lang, ...args: ConstructorParameters<typeof ApiProblem>) {
    super(...args);
  }
}

/** The JSON route's problem as a page: same status, the detail in English as the API words it, or in the reader's language. */
function errorPage(c: Context<AppEnv>, lang: Lang, problem: ApiProblem): Response {
  const t = LABELS[lang];
  const status = PROBLEM_TYPES[problem.type].status;
  const title = status === 404 ? t.notFound : status === 400 ? t.badRequest : t.error;
  const path = new URL(c.req.url).pathname;
  const page = html(
    <Page lang={lang} title={title} alternate={otherLanguage(path, lang)}>
      <h1>{title}</h1>
      <p lang={problem instanceof PageProblem ? problem.lang : 'en'} data-problem={problem.type}>{problem.detail}</p>
      <p><a href={`/${lang}`}>{t.backToRanking}</a></p>
    </Page>,
  );
  c.header('cache-control', PRIVATE);
  return c.body(page, status as 400, { 'content-type': HTML });
}

let styleHash: Promise<string> | undefined;

/** The pages load nothing and run nothing; forms submit to this origin only; only the embed may be framed elsewhere. */
async function pagePolicy(framing: Framing): Promise<string> {
  const hash = await (styleHash ??= (async () => {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(CSS)));
    return btoa(String.fromCharCode(...digest));
  })());
  return `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'self'; frame-ancestors ${framing === 'any' ? '*' : "'self'"}`;
}
