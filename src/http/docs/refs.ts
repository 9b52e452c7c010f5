// "Used by" for each component schema: the operations and schemas whose text names it through
// `$ref`, directly or through a shared parameter, response or body.
import { pointer, schemaRefName, type RenderContext } from './context.js';
import { isObject } from './h.js';

/** Schema names a value refers to; non-schema local refs are followed once each. */
export function schemaRefsIn(value: unknown, ctx: RenderContext): Set<string> {
  const names = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (isObject(node) && typeof node.$ref === 'string') {
      const name = schemaRefName(node.$ref);
      if (name !== undefined) names.add(name);
      else if (!seen.has(node.$ref)) (seen.add(node.$ref), walk(pointer(ctx.doc, node.$ref)));
    }
    for (const child of Object.values(node)) walk(child);
  };
  walk(value);
  return names;
}

export interface Referrer {
  href: string;
  label: string;
}

/** For each schema name, who refers to it, in page order (operations first, then schemas). */
export function referrers(ctx: RenderContext, sources: { href: string; label: string; value: unknown }[]): Map<string, Referrer[]> {
  const map = new Map<string, Referrer[]>();
  for (const { href, label, value } of sources) {
    for (const name of schemaRefsIn(value, ctx)) {
      const list = map.get(name) ?? [];
      if (!list.some((r) => r.href === href)) list.push({ href, label });
      map.set(name, list);
    }
  }
  return map;
}
