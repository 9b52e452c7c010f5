// A JSON Schema (OpenAPI 3.1, or 3.0 with `nullable`) as readable HTML: a one-line type with
// `$ref` links to the component's anchor, facts (enum, constraints, default, examples) and,
// for inline objects, arrays and unions, nested tables. A `$ref` is linked, never expanded, so
// a schema that refers to itself cannot loop; inline nesting stops at MAX_DEPTH, and an object
// met again inside itself (a cyclic JS object) is named as recursive.
import { schemaAnchor, schemaRefName, type RenderContext } from './context.js';
import { asArray, asObject, exampleText, h, isObject, prose, type Child } from './h.js';

const MAX_DEPTH = 6;
const COMPOSITIONS = ['oneOf', 'anyOf', 'allOf'] as const;

export function refLink(ref: string, ctx: RenderContext): Child {
  const name = schemaRefName(ref);
  if (name === undefined) return h('code', null, ref);
  return ctx.schemaNames.has(name) ? h('a', { href: `#${schemaAnchor(name)}` }, h('code', null, name)) : h('code', null, name);
}

const join = (parts: Child[], separator: string): Child[] => parts.flatMap((p, i) => (i === 0 ? [p] : [separator, p]));

/** The type on one line: `string (date)`, `array of Cycle`, `integer | null`, `A | B`. */
export function typeLabel(s: unknown, ctx: RenderContext, depth = 0): Child {
  if (!isObject(s) || Object.keys(s).length === 0 || depth > MAX_DEPTH) return s === false ? 'never' : ctx.t.any;
  if (typeof s.$ref === 'string') return refLink(s.$ref, ctx);
  if ('const' in s) return code(s.const);
  if (asArray(s.enum).length === 1) return code(asArray(s.enum)[0]);
  for (const kw of COMPOSITIONS) {
    const variants = asArray(s[kw]);
    if (variants.length) return join(variants.map((v) => typeLabel(v, ctx, depth + 1)), kw === 'allOf' ? ' & ' : ' | ');
  }
  const labels: Child[] = typesOf(s).map((type) => typeWord(type, s, ctx, depth));
  if (s.nullable === true) labels.push('null');
  return labels.length ? join(labels, ' | ') : ctx.t.any;
}

function typesOf(s: Record<string, unknown>): string[] {
  if (Array.isArray(s.type)) return s.type.filter((t): t is string => typeof t === 'string');
  if (typeof s.type === 'string') return [s.type];
  if (s.properties || s.additionalProperties !== undefined) return ['object'];
  if (s.items) return ['array'];
  const first = asArray(s.enum)[0];
  return first === undefined ? [] : [first === null ? 'null' : typeof first];
}

function typeWord(type: string, s: Record<string, unknown>, ctx: RenderContext, depth: number): Child {
  if (type === 'array') return [ctx.t.arrayOf, ' ', typeLabel(s.items, ctx, depth + 1)];
  const extra = s.additionalProperties;
  if (type === 'object' && !s.properties && (isObject(extra) || extra === true)) return [ctx.t.mapOf, ' ', typeLabel(extra, ctx, depth + 1)];
  return typeof s.format === 'string' && type !== 'null' ? `${type} (${s.format})` : type;
}

/** A value inline, as JSON (a string keeps its quotes, so `"1"` and `1` differ). */
const code = (value: unknown) => h('code', null, compactJson(value));

function compactJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function constraints(s: Record<string, unknown>): string[] {
  const out: string[] = [];
  const num = (key: string, text: (v: unknown) => string) => (typeof s[key] === 'number' ? out.push(text(s[key])) : 0);
  num('minimum', (v) => (s.exclusiveMinimum === true ? `> ${v}` : `≥ ${v}`));
  num('exclusiveMinimum', (v) => `> ${v}`);
  num('maximum', (v) => (s.exclusiveMaximum === true ? `< ${v}` : `≤ ${v}`));
  num('exclusiveMaximum', (v) => `< ${v}`);
  num('multipleOf', (v) => `multiple of ${v}`);
  num('minLength', (v) => `length ≥ ${v}`);
  num('maxLength', (v) => `length ≤ ${v}`);
  num('minItems', (v) => `items ≥ ${v}`);
  num('maxItems', (v) => `items ≤ ${v}`);
  num('minProperties', (v) => `properties ≥ ${v}`);
  num('maxProperties', (v) => `properties ≤ ${v}`);
  if (s.uniqueItems === true) out.push('unique items');
  return out;
}

function exampleBlock(label: string, value: unknown): Child {
  const text = exampleText(value);
  return text.includes('\n') || text.length > 60 ? [h('span', null, `${label}:`), h('pre', null, h('code', null, text))] : [`${label}: `, h('code', null, text)];
}

/** Enum values, constraints, pattern, default, examples and flags, as a short list. */
export function facts(s: unknown, ctx: RenderContext): Child {
  if (!isObject(s)) return null;
  const { t } = ctx;
  const items: Child[] = [];
  const values = asArray(s.enum);
  if (values.length) items.push([`${t.values}: `, join(values.map(code), ', ')]);
  const limits = constraints(s);
  if (limits.length) items.push(`${t.constraints}: ${limits.join(', ')}`);
  if (typeof s.pattern === 'string') items.push(['pattern: ', h('code', null, s.pattern)]);
  if ('default' in s) items.push([`${t.default}: `, code(s.default)]);
  if ('example' in s) items.push(exampleBlock(t.example, s.example));
  for (const example of asArray(s.examples)) items.push(exampleBlock(t.example, example));
  const discriminator = asObject(s.discriminator).propertyName;
  if (typeof discriminator === 'string') items.push(['discriminator: ', h('code', null, discriminator)]);
  for (const [flag, word] of [['deprecated', t.deprecated], ['readOnly', t.readOnly], ['writeOnly', t.writeOnly]] as const) if (s[flag] === true) items.push(word);
  if (s.additionalProperties === false) items.push(t.noOtherKeys);
  return items.length ? h('ul', { class: 'facts' }, ...items.map((i) => h('li', null, i))) : null;
}

/** Type line, description, facts and nested structure: what a schema says, in that order. */
export function schemaBlock(s: unknown, ctx: RenderContext, depth = 0, ancestors: object[] = []): Child {
  return [
    h('p', { class: 'type' }, h('span', { class: 'k' }, `${ctx.t.type}: `), typeLabel(s, ctx)),
    isObject(s) ? prose(s.description, ctx.textLang) : null,
    facts(s, ctx),
    structure(s, ctx, depth, ancestors),
  ];
}

/** Nested tables for inline objects, array items and unions; nothing for `$ref`s and scalars. */
export function structure(s: unknown, ctx: RenderContext, depth: number, ancestors: object[]): Child[] {
  if (!isObject(s) || typeof s.$ref === 'string') return [];
  if (ancestors.includes(s)) return [h('p', { class: 'note' }, ctx.t.recursive)];
  if (depth > MAX_DEPTH) return [h('p', { class: 'note' }, ctx.t.tooDeep)];
  const inner = [...ancestors, s];
  const out: Child[] = [];
  if (isObject(s.properties) || isObject(s.patternProperties)) out.push(propertiesTable(s, ctx, depth, inner));
  else if (isObject(s.additionalProperties)) out.push(...structure(s.additionalProperties, ctx, depth + 1, inner));
  const items = structure(s.items, ctx, depth + 1, inner);
  if (items.length) out.push(h('p', { class: 'k' }, `${ctx.t.items}:`), ...items);
  for (const kw of COMPOSITIONS) {
    const variants = asArray(s[kw]);
    // `A | null` or `1 | -1`: the type line says it all
    if (variants.every(saidByTypeLine)) continue;
    out.push(h('p', { class: 'k' }, `${ctx.t[kw]}:`), h('ol', { class: 'variants' }, ...variants.map((v) => variant(v, ctx, depth + 1, inner))));
  }
  return out;
}

const TYPE_LINE_KEYS = new Set(['$ref', 'type', 'const', 'format', 'nullable', 'title']);
const saidByTypeLine = (v: unknown) => isObject(v) && Object.keys(v).every((k) => TYPE_LINE_KEYS.has(k) || (k === 'enum' && asArray(v.enum).length === 1));

function variant(v: unknown, ctx: RenderContext, depth: number, ancestors: object[]): Child {
  const title = variantTitle(v);
  return h('li', null, title ? h('p', { class: 'variant' }, h('strong', null, title)) : null, schemaBlock(v, ctx, depth, ancestors));
}

/** A union member's name: its title, or the property that tells it apart (`type = "cap"`). */
function variantTitle(v: unknown): string | undefined {
  const s = asObject(v);
  if (typeof s.title === 'string') return s.title;
  for (const [key, p] of Object.entries(asObject(s.properties))) {
    const prop = asObject(p);
    const values = 'const' in prop ? [prop.const] : asArray(prop.enum);
    if (values.length === 1) return `${key} = ${compactJson(values[0])}`;
  }
  return undefined;
}

function propertiesTable(s: Record<string, unknown>, ctx: RenderContext, depth: number, ancestors: object[]): Child {
  const { t } = ctx;
  const required = new Set(asArray(s.required));
  const rows = Object.entries(asObject(s.properties)).map(([name, p]) => propertyRow(h('code', null, name), required.has(name), p, ctx, depth, ancestors));
  for (const [pattern, p] of Object.entries(asObject(s.patternProperties))) rows.push(propertyRow(h('code', null, `/${pattern}/`), false, p, ctx, depth, ancestors));
  if (isObject(s.additionalProperties) && s.properties) rows.push(propertyRow(h('em', null, t.anyKeys), false, s.additionalProperties, ctx, depth, ancestors));
  return h('table', { class: 'props' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, t.property), h('th', { scope: 'col' }, t.type), h('th', { scope: 'col' }, t.description))),
    h('tbody', null, ...rows));
}

function propertyRow(name: Child, required: boolean, p: unknown, ctx: RenderContext, depth: number, ancestors: object[]): Child {
  return h('tr', null,
    h('th', { scope: 'row' }, name, required ? [' ', h('span', { class: 'req' }, ctx.t.required)] : null),
    h('td', null, typeLabel(p, ctx)),
    h('td', null, isObject(p) ? prose(p.description, ctx.textLang) : null, facts(p, ctx), structure(p, ctx, depth + 1, ancestors)));
}
