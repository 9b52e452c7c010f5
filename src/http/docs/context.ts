// What every part of the page needs: the document, the words, and `$ref` resolution that
// never loops (a chain of references is followed a bounded number of times).
import { asObject, isObject, slug } from './h.js';
import type { Labels } from './labels.js';

export interface RenderContext {
  doc: Record<string, unknown>;
  t: Labels;
  /** component schema names that have a section (and so an anchor) on the page */
  schemaNames: Set<string>;
  /** `{ lang }` for the contract's own text when it differs from the page's language, else null */
  textLang: { lang: string } | null;
}

export const SCHEMA_REF = '#/components/schemas/';
export const schemaAnchor = (name: string) => `schema-${slug(name)}`;

/** The component a schema `$ref` names (also for a pointer into one), or undefined. */
export function schemaRefName(ref: string): string | undefined {
  if (!ref.startsWith(SCHEMA_REF)) return undefined;
  return decodePointerToken(ref.slice(SCHEMA_REF.length).split('/')[0]);
}

const decodePointerToken = (token: string) => {
  try {
    return decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
  } catch {
    return token;
  }
};

/** A local JSON pointer (`#/components/...`) into the document, or undefined. */
export function pointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = doc;
  for (const token of ref.slice(1).split('/').slice(1)) {
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[decodePointerToken(token)];
  }
  return node;
}

/** A parameter, response, body, header or example: `$ref`s followed (at most 8), else {}. */
export function deref(ctx: RenderContext, value: unknown): Record<string, unknown> {
  let node = value;
  for (let hops = 0; isObject(node) && typeof node.$ref === 'string' && hops < 8; hops++) node = pointer(ctx.doc, node.$ref);
  return isObject(node) && typeof node.$ref !== 'string' ? node : {};
}

export const components = (ctx: RenderContext, kind: string) => asObject(asObject(ctx.doc.components)[kind]);
