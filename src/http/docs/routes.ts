// GET / and GET /docs as a small Hono app the API mounts at its root. Each page is rendered
// once per process (or isolate), on first request, and served from memory with an ETag.
import { Hono, type Context } from 'hono';
import { conditional, REVALIDATE, weakEtag } from '../conditional.js';
import { ApiProblem, problemResponse } from '../problem.js';
import { homeJson, homePage, LINKS } from './home.js';
import { preferredType } from './negotiate.js';
import { docsPage } from './page.js';
import { STYLE } from './style.js';

interface Rendered {
  body: string;
  type: string;
  etag: string;
  headers: Record<string, string>;
}

export interface DocsRoutesOptions {
  /** language of the reference's own words: 'en' (default) or 'vi' */
  lang?: string;
}

export function docsRoutes(getDoc: () => object, options: DocsRoutesOptions = {}) {
  const docs = once(() => render(HTML, docsPage(getDoc(), options.lang, { contractUrl: LINKS.openapi })));
  const homeHtml = once(() => render(HTML, homePage(getDoc())));
  const homeJsonText = once(() => render('application/json', JSON.stringify(homeJson(getDoc()))));
  const app = new Hono();
  app.get(LINKS.docs, async (c) => {
    if (!preferredType(c.req.header('accept'), ['text/html'])) return notAcceptable(c, ['text/html']);
    return serve(c, await docs());
  });
  app.get('/', async (c) => {
    c.header('vary', 'Accept', { append: true });
    const type = preferredType(c.req.header('accept'), ['text/html', 'application/json']);
    if (!type) return notAcceptable(c, ['text/html', 'application/json']);
    return serve(c, await (type === 'application/json' ? homeJsonText() : homeHtml()));
  });
  return app;
}

/** A lazily computed value, computed at most once (a failed computation is retried). */
function once<T>(compute: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= compute().catch((err) => {
    value = undefined;
    throw err;
  }));
}

const HTML = 'text/html; charset=utf-8';

async function render(type: string, body: string): Promise<Rendered> {
  const hex = [...(await sha256(body)).slice(0, 12)].map((b) => b.toString(16).padStart(2, '0')).join('');
  const headers: Record<string, string> = type === HTML ? { 'content-security-policy': await pagePolicy() } : {};
  return { body, type, etag: weakEtag(hex), headers };
}

const sha256 = async (text: string) => new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));

/** The pages load nothing and run nothing: the browser enforces it (only the inline stylesheet applies). */
const pagePolicy = once(async () => {
  const styleHash = btoa(String.fromCharCode(...(await sha256(STYLE))));
  return `default-src 'none'; style-src 'sha256-${styleHash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'`;
});

function serve(c: Context, page: Rendered): Response {
  for (const [name, value] of Object.entries(page.headers)) c.header(name, value);
  return conditional(c, page.etag, REVALIDATE) ?? c.body(page.body, 200, { 'content-type': page.type });
}

function notAcceptable(c: Context, offered: string[]): Response {
  return problemResponse(c, new ApiProblem('not-acceptable', `This page is served as ${offered.join(' or ')} only, which the Accept header does not allow.`));
}
