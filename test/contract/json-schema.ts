// JSON Schema 2020-12 (OpenAPI 3.1's dialect) validation of values against the schemas of a
// contract, with @cfworker/json-schema: no eval or new Function, so it runs inside workerd too.
import { dereference, initialBaseURI, schemaArrayKeyword, schemaKeyword, schemaMapKeyword, validate, type Schema } from '@cfworker/json-schema';
import type { Contract } from './contract.js';

/** A function that lists why a value does not match a schema of the contract (empty when it does). */
export function schemaValidator(doc: Contract): (instance: unknown, schema: object) => string[] {
  // The component schemas indexed by JSON pointer, so that `#/components/schemas/…` refs resolve.
  const components = Object.fromEntries(Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) => [name, schemaOnly(schema)]));
  const lookup = dereference({ components: { schemas: components } } as Schema);
  const prepared = new WeakMap<object, Schema>();
  let inline = 0;
  const prepare = (schema: object): Schema => {
    let ready = prepared.get(schema);
    if (!ready) {
      ready = schemaOnly(schema);
      dereference(ready, lookup, initialBaseURI, `/x-checked/${inline++}`);
      prepared.set(schema, ready);
    }
    return ready;
  };

  /** The first five errors that say what is wrong (not those that only say an inner part failed). */
  return (instance, schema) => {
    const { valid, errors } = validate(instance, prepare(schema), '2020-12', lookup, false);
    if (valid) return [];
    // Inside an anyOf/oneOf that failed, each branch's own errors say little: the alternative's error stands for them.
    const alternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => `${e.keywordLocation}/`);
    const telling = errors.filter((e) => !WRAPPERS.has(e.keyword) && !alternatives.some((a) => e.keywordLocation.startsWith(a)));
    return (telling.length ? telling : errors).slice(0, 5).map((e) => {
      const pointer = e.instanceLocation.replace(/^#/, '');
      return `${pointer || '/'} = ${preview(valueAt(instance, pointer))}: ${e.error}`;
    });
  };
}

/** Keywords whose error only repeats that a subschema failed (which has its own error). */
const WRAPPERS = new Set(['properties', 'patternProperties', 'items', 'prefixItems', 'additionalItems', '$ref', 'allOf', 'dependentSchemas', 'unevaluatedItems']);

/** Annotations, which do not validate; the validator would take an example's `id` for a schema id. */
const ANNOTATIONS = new Set(['example', 'examples', 'description', 'title', 'discriminator', 'xml', 'externalDocs', 'id']);

/** A copy of a schema with only the keywords that validate. */
function schemaOnly(schema: unknown): Schema {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return schema as Schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key) || key.startsWith('x-')) continue;
    if (schemaMapKeyword[key]) out[key] = Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, schemaOnly(v)]));
    else if (schemaArrayKeyword[key] && Array.isArray(value)) out[key] = value.map(schemaOnly);
    else if (schemaKeyword[key]) out[key] = schemaOnly(value);
    else out[key] = value;
  }
  return out as Schema;
}

function valueAt(instance: unknown, pointer: string): unknown {
  return pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], instance);
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
