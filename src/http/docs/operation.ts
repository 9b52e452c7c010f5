// One operation: method and path, summary, operationId, who may call it (its security), its
// description, parameters, request body and every response with headers, media types,
// schemas and examples. Parts the document leaves out are left out of the page.
import { components, deref, type RenderContext } from './context.js';
import { asArray, asObject, asString, exampleText, h, isObject, prose, slug, type Child } from './h.js';
import { facts, schemaBlock, structure, typeLabel } from './schema.js';

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface OperationEntry {
  id: string;
  method: string;
  path: string;
  op: Record<string, unknown>;
  parameters: Record<string, unknown>[];
}

/** Every operation of a `paths` (or `webhooks`) map, in document order, each with a unique id. */
export function collectOperations(ctx: RenderContext, paths: unknown, used: Set<string>): OperationEntry[] {
  const out: OperationEntry[] = [];
  for (const [path, rawItem] of Object.entries(asObject(paths))) {
    const item = deref(ctx, rawItem);
    for (const method of METHODS) {
      if (!isObject(item[method])) continue;
      const op = item[method] as Record<string, unknown>;
      const base = typeof op.operationId === 'string' ? `op-${slug(op.operationId)}` : `op-${method}-${slug(path)}`;
      let id = base;
      for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
      used.add(id);
      out.push({ id, method, path, op, parameters: mergeParameters(ctx, item.parameters, op.parameters) });
    }
  }
  return out;
}

/** Path-level parameters apply to each operation unless it redefines the same name and place. */
function mergeParameters(ctx: RenderContext, shared: unknown, own: unknown): Record<string, unknown>[] {
  const byKey = new Map<string, Record<string, unknown>>();
  for (const raw of [...asArray(shared), ...asArray(own)]) {
    const p = deref(ctx, raw);
    if (Object.keys(p).length) byKey.set(`${p.in}:${p.name}`, p);
  }
  return [...byKey.values()];
}

export const methodBadge = (method: string) => h('span', { class: `method m-${method}` }, method.toUpperCase());

export function operationSection(entry: OperationEntry, ctx: RenderContext): Child {
  const { id, method, path, op } = entry;
  const { t } = ctx;
  return h('section', { class: 'op', id, 'aria-labelledby': `${id}-h` },
    h('h3', { id: `${id}-h` }, methodBadge(method), ' ', h('code', { class: 'path' }, path)),
    asString(op.summary) ? h('p', { class: 'summary', ...ctx.textLang }, op.summary as string) : null,
    h('dl', { class: 'meta' },
      typeof op.operationId === 'string' ? [h('dt', null, t.operationId), h('dd', null, h('code', null, op.operationId))] : null,
      h('dt', null, t.access), h('dd', null, access(op, ctx)),
      op.deprecated === true ? [h('dt', null, t.deprecated), h('dd', null, '✓')] : null),
    prose(op.description, ctx.textLang),
    parametersPart(entry, ctx),
    requestBodyPart(op, ctx),
    responsesPart(entry, ctx));
}

/** The operation's security, else the document's: public, a scheme, or alternatives. */
function access(op: Record<string, unknown>, ctx: RenderContext): Child {
  const { t } = ctx;
  const security = Array.isArray(op.security) ? op.security : Array.isArray(ctx.doc.security) ? ctx.doc.security : undefined;
  if (!security) return t.notDeclared;
  if (security.length === 0) return t.public;
  const schemes = components(ctx, 'securitySchemes');
  const alternatives = security.map((requirement) => {
    const entries = Object.entries(asObject(requirement));
    if (!entries.length) return t.public;
    return entries.map(([name, scopes], i) => [
      i ? ` ${t.and} ` : '',
      name in schemes ? h('a', { href: `#security-${slug(name)}` }, h('code', null, name)) : h('code', null, name),
      asArray(scopes).length ? ` (${asArray(scopes).join(', ')})` : '',
    ]);
  });
  return alternatives.map((a, i) => [i ? `; ${t.or} ` : '', a]);
}

function parametersPart({ id, parameters }: OperationEntry, ctx: RenderContext): Child {
  if (!parameters.length) return null;
  const { t } = ctx;
  return [
    h('h4', { id: `${id}-parameters` }, t.parameters),
    h('table', { class: 'params' },
      h('thead', null, h('tr', null, ...[t.name, t.in, t.type, t.description].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, ...parameters.map((p) => parameterRow(p, ctx)))),
  ];
}

function parameterRow(p: Record<string, unknown>, ctx: RenderContext): Child {
  const schema = p.schema ?? asObject(Object.values(asObject(p.content))[0]).schema;
  return h('tr', null,
    h('th', { scope: 'row' }, h('code', null, String(p.name ?? '')), p.required === true ? [' ', h('span', { class: 'req' }, ctx.t.required)] : null,
      p.deprecated === true ? [' ', h('span', { class: 'dep' }, ctx.t.deprecated)] : null),
    h('td', null, String(p.in ?? '')),
    h('td', null, typeLabel(schema, ctx)),
    h('td', null, prose(p.description, ctx.textLang), isObject(schema) && schema.description !== p.description ? prose(schema.description, ctx.textLang) : null,
      facts(schema, ctx), examples(p, ctx), structure(schema, ctx, 1, [])));
}

function requestBodyPart(op: Record<string, unknown>, ctx: RenderContext): Child {
  if (op.requestBody === undefined) return null;
  const body = deref(ctx, op.requestBody);
  const { t } = ctx;
  return [
    h('h4', null, t.requestBody, body.required === true ? [' ', h('span', { class: 'req' }, t.required)] : null),
    prose(body.description, ctx.textLang),
    content(body.content, ctx, 'h5'),
  ];
}

function responsesPart({ id, op }: OperationEntry, ctx: RenderContext): Child {
  const responses = Object.entries(asObject(op.responses));
  if (!responses.length) return null;
  const shown: ShownHeaders = new Map();
  return [h('h4', null, ctx.t.responses), ...responses.map(([status, raw]) => responsePart(id, status, deref(ctx, raw), ctx, shown))];
}

/** Headers already described for this operation (name and definition → the status that shows them). */
type ShownHeaders = Map<string, string>;

function responsePart(id: string, status: string, r: Record<string, unknown>, ctx: RenderContext, shown: ShownHeaders): Child {
  const description = asString(r.description);
  const short = description && description.length <= 100 && !description.includes('\n');
  const kind = /^[1-5]/.test(status) ? status[0] : 'd';
  return h('div', { class: 'response', id: `${id}-${slug(status)}` },
    h('h5', null, h('span', { class: `status s${kind}` }, status), short ? ` ${description}` : null),
    short ? null : prose(description, ctx.textLang),
    headersPart(id, status, r.headers, ctx, shown),
    content(r.content, ctx, 'h6'));
}

/**
 * A table of the response's headers; one described identically under an earlier status of the
 * same operation (x-request-id, the rate-limit headers…) is only named, with a link to it.
 */
function headersPart(id: string, status: string, headers: unknown, ctx: RenderContext, shown: ShownHeaders): Child {
  const fresh: [string, Record<string, unknown>][] = [];
  const repeated: [string, string][] = [];
  for (const [name, raw] of Object.entries(asObject(headers))) {
    const header = deref(ctx, raw);
    const key = `${name.toLowerCase()} ${stableJson(header)}`;
    const first = shown.get(key);
    if (first) repeated.push([name, first]);
    else (shown.set(key, status), fresh.push([name, header]));
  }
  return [
    fresh.length ? headersTable(fresh, ctx) : null,
    repeated.length ? h('p', { class: 'also' }, `${ctx.t.headers}: `, ...repeated.flatMap(([name, first], i) => [
      i ? ', ' : '', h('a', { href: `#${id}-${slug(first)}` }, h('code', null, name)), ` (${first})`])) : null,
  ];
}

const stableJson = (value: unknown) => {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(Math.random());
  }
};

function headersTable(rows: [string, Record<string, unknown>][], ctx: RenderContext): Child {
  const { t } = ctx;
  return h('table', { class: 'headers' },
    h('caption', null, t.headers),
    h('thead', null, h('tr', null, ...[t.name, t.type, t.description].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, ...rows.map(([name, header]) => h('tr', null,
      h('th', { scope: 'row' }, h('code', null, name), header.required === true ? [' ', h('span', { class: 'req' }, t.required)] : null),
      h('td', null, typeLabel(header.schema, ctx)),
      h('td', null, prose(header.description, ctx.textLang), facts(header.schema, ctx), examples(header, ctx))))));
}

/** Each media type with its schema and examples; `tag` is the heading level below the caller's. */
function content(map: unknown, ctx: RenderContext, tag: 'h5' | 'h6'): Child {
  const media = Object.entries(asObject(map));
  if (!media.length) return h('p', { class: 'note' }, ctx.t.noBody);
  return media.map(([type, raw]) => {
    const m = asObject(raw);
    return h('div', { class: 'media' }, h(tag, null, h('code', null, type)), m.schema === undefined ? null : schemaBlock(m.schema, ctx), examples(m, ctx));
  });
}

/** `example` and `examples` (Example objects, possibly `$ref`s) of a parameter, header or media type. */
function examples(holder: Record<string, unknown>, ctx: RenderContext): Child {
  const out: Child[] = [];
  if ('example' in holder) out.push(exampleFigure(ctx, ctx.t.example, holder.example));
  for (const [name, raw] of Object.entries(asObject(holder.examples))) {
    const e = deref(ctx, raw);
    const caption = [ctx.t.example, `: ${asString(e.summary) ?? name}`].join('');
    if ('value' in e) out.push(exampleFigure(ctx, caption, e.value, e.description));
    else if (typeof e.externalValue === 'string') out.push(h('p', null, `${caption}: `, h('code', null, e.externalValue)));
  }
  return out;
}

const exampleFigure = (ctx: RenderContext, caption: string, value: unknown, description?: unknown) =>
  h('figure', { class: 'example' }, h('figcaption', null, caption), prose(description, ctx.textLang), h('pre', null, h('code', null, exampleText(value))));
