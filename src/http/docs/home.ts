// GET /: what this service is and where to go next — the reference, the contract, the health
// check, and a tour of the operations (linked into the reference), all taken from the contract.
import { asObject, asString, h, prose, raw, renderToString, type Child } from './h.js';
import { labelsFor } from './labels.js';
import { collectOperations, methodBadge } from './operation.js';
import { groupByTag } from './page.js';
import { STYLE } from './style.js';

export const SERVICE_NAME = 'Chỉ số cải cách hành chính (PAR INDEX)';
export const LINKS = { docs: '/docs', openapi: '/openapi.json', health: '/health' } as const;

export interface HomeJson {
  name: string;
  version: string;
  docs: string;
  openapi: string;
  health: string;
}

/** The JSON answer of GET / (Accept: application/json). */
export function homeJson(doc: object): HomeJson {
  return { name: SERVICE_NAME, version: asString(asObject(asObject(doc).info).version) ?? '', ...LINKS };
}

export function homePage(doc: object): string {
  const { t } = labelsFor('en');
  const d = asObject(doc);
  const info = asObject(d.info);
  const ctx = { doc: d, t, schemaNames: new Set<string>(), textLang: null };
  const groups = groupByTag(d, collectOperations(ctx, d.paths, new Set()), t);
  const page = h('html', { lang: 'en' },
    h('head', null,
      h('meta', { charset: 'utf-8' }),
      h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      h('title', null, SERVICE_NAME),
      h('style', null, raw(STYLE))),
    h('body', null,
      h('header', null, h('h1', { lang: 'vi' }, SERVICE_NAME),
        h('p', null, asString(info.title) ?? 'API', asString(info.version) ? ` — version ${info.version}` : null)),
      h('main', { id: 'main' },
        prose(info.description),
        h('nav', { 'aria-labelledby': 'start-h' },
          h('h2', { id: 'start-h' }, 'Start here'),
          h('ul', null,
            h('li', null, h('a', { href: LINKS.docs }, 'API reference'), ': every operation, parameter, response and schema, on one page that works offline.'),
            h('li', null, h('a', { href: LINKS.openapi }, 'The contract'), ` (OpenAPI ${asString(d.openapi) ?? '3.1'}): generate a typed client from it (e.g. openapi-typescript) or validate traffic against it.`),
            h('li', null, h('a', { href: LINKS.health }, 'Health'), ': whether the service and its database answer.'))),
        h('section', { 'aria-labelledby': 'tour-h' },
          h('h2', { id: 'tour-h' }, 'A tour of the API'),
          h('p', null, 'Reads of published results need no key; writes and drafts need ', h('code', null, 'Authorization: Bearer <key>'), '. Each line links to its reference.'),
          ...groups.map((g) => [h('h3', null, g.name), h('ul', { class: 'tour' }, ...g.entries.map(tourLine))]))),
      h('footer', null, h('p', null, 'Machine-readable: ', h('code', null, 'curl -H "Accept: application/json" /'), ' answers the same links as JSON.'))));
  return `<!doctype html>${renderToString(page)}`;
}

function tourLine(o: { id: string; method: string; path: string; op: Record<string, unknown> }): Child {
  return h('li', null, h('a', { href: `${LINKS.docs}#${o.id}` }, methodBadge(o.method), ' ', h('code', null, o.path)), asString(o.op.summary) ? ` — ${o.op.summary}` : null);
}
