// The committed contract (openapi/openapi.json) as data the tests can query: its operations, and
// which path of it a request reaches. Imported, not read from disk, so it works inside workerd.
import committed from '../../openapi/openapi.json';

export interface HeaderObject { required?: boolean; schema?: object; $ref?: string }
export interface MediaTypeObject { schema?: object }
export interface ResponseObject { description?: string; headers?: Record<string, HeaderObject>; content?: Record<string, MediaTypeObject>; $ref?: string }
export interface OperationObject { operationId?: string; responses: Record<string, ResponseObject> }
export interface Contract {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, object>; headers?: Record<string, HeaderObject>; responses?: Record<string, ResponseObject> };
}

export const contract = committed as unknown as Contract;

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface Operation { method: string; path: string; id: string; operation: OperationObject }

/** Every operation of a contract, named by operationId (or `METHOD path` while it has none). */
export function operations(doc: Contract = contract): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((method) => ({
    method, path, operation: item[method], id: item[method].operationId ?? `${method.toUpperCase()} ${path}`,
  })));
}

/** Finds the path of a contract a request path reaches: the most literal template that matches, as a router would. */
export function pathMatcher(doc: Contract = contract): (pathname: string) => string | undefined {
  const templates = Object.keys(doc.paths).map((path) => ({
    path,
    pattern: new RegExp(`^${path.split(/\{[^}]+\}/).map(escapeRegExp).join('[^/]+')}$`),
    literals: path.replace(/\{[^}]+\}/g, '').length,
  }));
  return (pathname) => {
    let best: (typeof templates)[number] | undefined;
    for (const t of templates) if (t.pattern.test(pathname) && (!best || t.literals > best.literals)) best = t;
    return best?.path;
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Follows a local `$ref` (`#/components/...`) of a response or header object. */
export function resolve<T extends { $ref?: string }>(doc: Contract, object: T): T {
  if (!object.$ref) return object;
  const target = object.$ref.replace(/^#\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
  if (!target) throw new Error(`The contract has no ${object.$ref}`);
  return resolve(doc, target as T);
}
