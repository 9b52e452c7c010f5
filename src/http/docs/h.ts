// hono/jsx without JSX syntax: `h(tag, props, ...children)` builds the same nodes a .tsx file
// would, with no compiler setting (tsconfig has no "jsx" option, and the pragma alone does not
// type-check). Text and attribute values are escaped by hono; only `raw` inserts markup.
import { jsx, type Child } from 'hono/jsx';

export type { Child };
export type Props = Record<string, unknown> | null;
export const h = (tag: string, props: Props, ...children: Child[]) => jsx(tag, props, ...children);

/** A node tree as a string: every component here is synchronous, so toString() is a string. */
export const renderToString = (node: Child): string => String(node);

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const asObject = (v: unknown): Record<string, unknown> => (isObject(v) ? v : {});
export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const asString = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** An HTML id from any text: fragment-safe characters only. */
export const slug = (text: string) => text.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';

/**
 * OpenAPI descriptions are CommonMark; without a Markdown library (and without raw HTML from
 * the document) they are shown as paragraphs, with `code` spans and bare line breaks kept.
 */
export function prose(text: unknown, attributes: Props = null): Child {
  const value = asString(text);
  if (!value) return null;
  const paragraphs = value.trim().split(/\n\s*\n/);
  return paragraphs.map((p) => h('p', attributes, ...inline(p)));
}

export function inline(text: string): Child[] {
  return text.split(/(`[^`]+`)/).map((part, i) => (i % 2 === 1 ? h('code', null, part.slice(1, -1)) : part));
}

/** JSON as it is printed in an example block; long values are cut so the page stays printable. */
export function exampleText(value: unknown, maxLines = 40): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    text = String(value);
  }
  const lines = text.split('\n');
  return lines.length <= maxLines ? text : `${lines.slice(0, maxLines).join('\n')}\n… (${lines.length - maxLines} more lines in /openapi.json)`;
}

export { raw } from 'hono/html';
