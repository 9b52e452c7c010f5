// docsPage(): the API reference as one server-rendered HTML page, from the OpenAPI document the
// app serves. No script and no external resource (works offline and on an intranet), one inline
// stylesheet, landmarks, headings in order and a table of contents.
import { components, schemaAnchor, type RenderContext } from './context.js';
import { asArray, asObject, asString, h, prose, raw, renderToString, slug, type Child } from './h.js';
import { labelsFor, type Labels } from './labels.js';
import { collectOperations, methodBadge, operationSection, type OperationEntry } from './operation.js';
import { referrers, type Referrer } from './refs.js';
import { schemaBlock } from './schema.js';
import { STYLE } from './style.js';

export interface DocsPageOptions {
  /** where the JSON contract is served, linked from the page */
  contractUrl?: string;
  /** the language the contract's descriptions are written in (default 'en'), marked where it differs from the page's */
  contractLang?: string;
}

interface TagGroup {
  id: string;
  name: string;
  tag: Record<string, unknown>;
  entries: OperationEntry[];
  /** operations rendered under an earlier tag, linked from here */
  elsewhere: OperationEntry[];
}

export function docsPage(doc: object, lang = 'en', options: DocsPageOptions = {}): string {
  const { lang: pageLang, t } = labelsFor(lang);
  const d = asObject(doc);
  const schemas = asObject(asObject(d.components).schemas);
  const contractLang = options.contractLang ?? 'en';
  const ctx: RenderContext = { doc: d, t, schemaNames: new Set(Object.keys(schemas)), textLang: contractLang === pageLang ? null : { lang: contractLang } };
  const used = new Set<string>();
  const operations = collectOperations(ctx, d.paths, used);
  const webhooks = collectOperations(ctx, d.webhooks, used);
  const groups = groupByTag(d, operations, t);
  const usedBy = referrers(ctx, [
    ...[...operations, ...webhooks].map((o) => ({ href: `#${o.id}`, label: `${o.method.toUpperCase()} ${o.path}`, value: o.op })),
    ...Object.entries(schemas).map(([name, value]) => ({ href: `#${schemaAnchor(name)}`, label: name, value })),
  ]);
  const info = asObject(d.info);
  const title = asString(info.title) ?? 'API';
  const contractUrl = options.contractUrl ?? '/openapi.json';
  const page = h('html', { lang: pageLang },
    h('head', null,
      h('meta', { charset: 'utf-8' }),
      h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      h('title', null, `${title} — reference`),
      asString(info.description) ? h('meta', { name: 'description', content: info.description as string }) : null,
      h('style', null, raw(STYLE))),
    h('body', null,
      h('a', { class: 'skip', href: '#main' }, t.skip),
      h('header', null, h('h1', null, title, asString(info.version) ? h('span', { class: 'version' }, info.version as string) : null), prose(info.summary, ctx.textLang)),
      toc(groups, webhooks, Object.keys(schemas), t),
      h('main', { id: 'main' },
        overview(d, ctx, contractUrl),
        ...groups.map((g) => tagSection(g, ctx)),
        webhooks.length ? h('section', { id: 'webhooks', 'aria-labelledby': 'webhooks-h' }, h('h2', { id: 'webhooks-h' }, t.webhooks), ...webhooks.map((o) => operationSection(o, ctx))) : null,
        schemasSection(schemas, ctx, usedBy)),
      h('footer', null, h('p', null, `${t.generated} `, h('a', { href: contractUrl }, h('code', null, contractUrl)), ` · OpenAPI ${asString(d.openapi) ?? '?'} · ${title} ${asString(info.version) ?? ''}`))));
  return `<!doctype html>${renderToString(page)}`;
}

/** Declared tags in their order, then tags only operations name, then untagged operations. */
export function groupByTag(d: Record<string, unknown>, operations: OperationEntry[], t: Labels): TagGroup[] {
  const groups = new Map<string, TagGroup>();
  const add = (name: string, tag: Record<string, unknown>) => groups.get(name) ?? groups.set(name, { id: `tag-${slug(name)}`, name, tag, entries: [], elsewhere: [] }).get(name)!;
  for (const tag of asArray(d.tags)) if (asString(asObject(tag).name)) add(asObject(tag).name as string, asObject(tag));
  for (const entry of operations) {
    const names = asArray(entry.op.tags).filter((n): n is string => typeof n === 'string');
    if (!names.length) names.push(t.otherOperations);
    names.forEach((name, i) => add(name, {})[i === 0 ? 'entries' : 'elsewhere'].push(entry));
  }
  return [...groups.values()].filter((g) => g.entries.length || g.elsewhere.length || asString(g.tag.description));
}

function toc(groups: TagGroup[], webhooks: OperationEntry[], schemaNames: string[], t: Labels): Child {
  const opItem = (o: OperationEntry) => h('li', null, h('a', { href: `#${o.id}` }, methodBadge(o.method), ' ', h('code', null, o.path)));
  const list = (items: Child[]) => (items.length ? h('ol', null, ...items) : null);
  return h('nav', { class: 'toc', 'aria-labelledby': 'toc-h' },
    h('h2', { id: 'toc-h' }, t.contents),
    h('ol', null,
      h('li', null, h('a', { href: '#overview' }, t.overview)),
      ...groups.map((g) => h('li', null, h('a', { href: `#${g.id}` }, g.name), list(g.entries.map(opItem)))),
      webhooks.length ? h('li', null, h('a', { href: '#webhooks' }, t.webhooks), list(webhooks.map(opItem))) : null,
      schemaNames.length ? h('li', null, h('a', { href: '#schemas' }, t.schemas), list(schemaNames.map((n) => h('li', null, h('a', { href: `#${schemaAnchor(n)}` }, n))))) : null));
}

function overview(d: Record<string, unknown>, ctx: RenderContext, contractUrl: string): Child {
  const { t } = ctx;
  const info = asObject(d.info);
  const docs = asObject(d.externalDocs);
  return h('section', { id: 'overview', 'aria-labelledby': 'overview-h' },
    h('h2', { id: 'overview-h' }, t.overview),
    prose(info.description, ctx.textLang),
    h('dl', { class: 'meta' },
      asString(info.version) ? [h('dt', null, t.version), h('dd', null, info.version as string)] : null,
      licence(info.license, t),
      contact(info.contact, t),
      asString(info.termsOfService) ? [h('dt', null, t.terms), h('dd', null, link(info.termsOfService as string))] : null),
    asString(docs.url) ? h('p', null, link(docs.url as string, asString(docs.description))) : null,
    h('h3', null, t.contract),
    h('p', null, `${t.contractText} `, h('a', { href: contractUrl }, h('code', null, contractUrl))),
    servers(d.servers, ctx),
    securitySchemes(ctx));
}

const link = (href: string, text?: string) => h('a', { href }, text ?? href);

function licence(value: unknown, t: Labels): Child {
  const l = asObject(value);
  if (!asString(l.name)) return null;
  const id = asString(l.identifier);
  return [h('dt', null, t.licence), h('dd', null, asString(l.url) ? link(l.url as string, l.name as string) : (l.name as string), id && id !== l.name ? [' (', h('code', null, id), ')'] : null)];
}

function contact(value: unknown, t: Labels): Child {
  const c = asObject(value);
  const parts: Child[] = [asString(c.name), asString(c.email) && link(`mailto:${c.email}`, c.email as string), asString(c.url) && link(c.url as string)].filter(Boolean);
  return parts.length ? [h('dt', null, t.contact), h('dd', null, ...parts.flatMap((p, i) => (i ? [' · ', p] : [p])))] : null;
}

/** Server URLs as text, not links: a reader copies them; the page loads nothing from them. */
function servers(value: unknown, ctx: RenderContext): Child {
  const list = asArray(value).map(asObject).filter((s) => asString(s.url));
  if (!list.length) return null;
  return [h('h3', null, ctx.t.servers), h('ul', null, ...list.map((s) => h('li', null, h('code', null, s.url as string), asString(s.description) ? [' — ', h('span', ctx.textLang, s.description as string)] : null,
    variables(s.variables, ctx))))];
}

function variables(value: unknown, ctx: RenderContext): Child {
  const entries = Object.entries(asObject(value));
  return entries.length ? h('ul', null, ...entries.map(([name, v]) => h('li', null, h('code', null, `{${name}}`), ` = ${String(asObject(v).default ?? '')}`, prose(asObject(v).description, ctx.textLang)))) : null;
}

function securitySchemes(ctx: RenderContext): Child {
  const schemes = Object.entries(components(ctx, 'securitySchemes'));
  if (!schemes.length) return null;
  const { t } = ctx;
  return [h('h3', null, t.authentication), ...schemes.map(([name, raw]) => {
    const s = asObject(raw);
    const facts = (['type', 'scheme', 'bearerFormat', 'in', 'name', 'openIdConnectUrl'] as const).filter((k) => asString(s[k]));
    return h('section', { id: `security-${slug(name)}`, 'aria-labelledby': `security-${slug(name)}-h` },
      h('h4', { id: `security-${slug(name)}-h` }, h('code', null, name)),
      h('dl', { class: 'meta' }, ...facts.map((k) => [h('dt', null, k), h('dd', null, h('code', null, s[k] as string))])),
      prose(s.description, ctx.textLang),
      Object.keys(asObject(s.flows)).length ? h('pre', null, h('code', null, JSON.stringify(s.flows, null, 2))) : null);
  })];
}

function tagSection(g: TagGroup, ctx: RenderContext): Child {
  const docs = asObject(g.tag.externalDocs);
  return h('section', { id: g.id, 'aria-labelledby': `${g.id}-h` },
    h('h2', { id: `${g.id}-h` }, g.name),
    prose(g.tag.description, ctx.textLang),
    asString(docs.url) ? h('p', null, link(docs.url as string, asString(docs.description))) : null,
    ...g.entries.map((o) => operationSection(o, ctx)),
    g.elsewhere.length ? h('p', null, `${ctx.t.seeAlso}: `, ...g.elsewhere.flatMap((o, i) => [i ? ', ' : '', h('a', { href: `#${o.id}` }, `${o.method.toUpperCase()} ${o.path}`)])) : null);
}

function schemasSection(schemas: Record<string, unknown>, ctx: RenderContext, usedBy: Map<string, Referrer[]>): Child {
  const names = Object.keys(schemas);
  if (!names.length) return null;
  return h('section', { id: 'schemas', 'aria-labelledby': 'schemas-h' },
    h('h2', { id: 'schemas-h' }, ctx.t.schemas),
    ...names.map((name) => {
      const id = schemaAnchor(name);
      const refs = (usedBy.get(name) ?? []).filter((r) => r.href !== `#${id}`);
      return h('section', { class: 'schema', id, 'aria-labelledby': `${id}-h` },
        h('h3', { id: `${id}-h` }, h('code', null, name)),
        schemaBlock(schemas[name], ctx),
        refs.length ? h('p', { class: 'usedby' }, `${ctx.t.usedBy}: `, ...refs.flatMap((r, i) => [i ? ', ' : '', h('a', { href: r.href }, r.label)])) : null);
    }));
}
