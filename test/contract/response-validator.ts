// Checks one response against a contract: its status is declared for the operation (or `default`),
// its body matches the schema declared for that status and content type, and its required headers
// are there (every declared header that is there matches its schema). Runs on Node and in workerd.
import { METHODS, pathMatcher, resolve, type Contract, type ResponseObject } from './contract.js';
import { schemaValidator } from './json-schema.js';

/**
 * Routes served beside the contract, not described by it (the home page, the docs page and the
 * contract itself), with the types of their pages. Any other path outside the contract must be a
 * 404 problem.
 */
const DOCUMENTATION: Record<string, string[]> = { '/': ['text/html', 'application/json'], '/docs': ['text/html'], '/openapi.json': ['application/json'] };

export interface Exchange { method: string; url: URL; requestHeaders: Headers; response: Response }

/** A function that lists what in a response the contract does not allow (empty when it conforms). */
export function contractChecker(doc: Contract): (exchange: Exchange) => Promise<string[]> {
  const schemaErrors = schemaValidator(doc);
  const matchPath = pathMatcher(doc);
  const problem: ResponseObject = { content: { 'application/problem+json': { schema: doc.components?.schemas?.Problem ?? {} } } };

  async function check({ method, url, requestHeaders, response }: Exchange): Promise<string[]> {
    const verb = method.toLowerCase();
    // A CORS preflight is answered by the CORS layer for any path: transport, not an operation.
    if (verb === 'options' && requestHeaders.has('access-control-request-method')) return [];
    const path = matchPath(url.pathname);
    if (!path) return outsideContract(verb, url.pathname, response);
    const item = doc.paths[path];
    const operation = item[verb] ?? (verb === 'head' ? item.get : undefined);
    if (!operation) return wrongMethod(item, response);
    const status = String(response.status);
    const declared = operation.responses[status] ?? operation.responses[`${status[0]}XX`] ?? operation.responses.default;
    if (!declared) return [`status ${status} is not declared (declared: ${Object.keys(operation.responses).join(', ')})`];
    return responseMismatches(resolve(doc, declared), response, verb === 'head');
  }

  async function outsideContract(verb: string, pathname: string, response: Response): Promise<string[]> {
    const documentation = DOCUMENTATION[pathname];
    if (documentation && (verb === 'get' || verb === 'head')) {
      // its page, a revalidation, or a problem as on every route (a bad key, the rate limit, an Accept it cannot serve)
      if (response.status >= 400) return responseMismatches(problem, response, verb === 'head');
      if (response.status === 304) return responseMismatches({}, response, true);
      const type = mediaType(response);
      return response.status === 200 && type && documentation.includes(type) ? [] : [`200 (${documentation.join(' or ')}) or 304 expected from a documentation route`];
    }
    if (response.status !== 404) return [`no path of the contract matches: 404 expected, got ${response.status}`];
    return responseMismatches(problem, response, verb === 'head');
  }

  /** A known path, a method it does not have: 405 with `Allow` naming the methods it has (RFC 9110). */
  async function wrongMethod(item: Record<string, unknown>, response: Response): Promise<string[]> {
    const allowed = METHODS.filter((m) => item[m]).map((m) => m.toUpperCase());
    if (response.status !== 405) return [`the path has no such method (it has ${allowed.join(', ')}): 405 expected, got ${response.status}`];
    const allow = (response.headers.get('allow') ?? '').split(',').map((m) => m.trim().toUpperCase());
    const missing = allowed.filter((m) => !allow.includes(m));
    return [...(missing.length ? [`the Allow header lacks ${missing.join(', ')}`] : []), ...await responseMismatches(problem, response, false)];
  }

  async function responseMismatches(declared: ResponseObject, response: Response, head: boolean): Promise<string[]> {
    return [...headerMismatches(declared, response.headers), ...await bodyMismatches(declared, response, head)];
  }

  /** A header the contract marks `required` must be there; any declared header that is there must match its schema. */
  function headerMismatches(declared: ResponseObject, headers: Headers): string[] {
    return Object.entries(declared.headers ?? {}).flatMap(([name, ref]) => {
      if (name.toLowerCase() === 'content-type') return []; // OpenAPI ignores a declared Content-Type
      const header = resolve(doc, ref);
      const value = headers.get(name);
      if (value === null) return header.required ? [`header ${name} is required but missing`] : [];
      const errors = header.schema ? schemaErrors(headerValue(value, header.schema), header.schema) : [];
      return errors.length ? [`header ${name} does not match its schema: ${errors.join(' | ')}`] : [];
    });
  }

  async function bodyMismatches(declared: ResponseObject, response: Response, head: boolean): Promise<string[]> {
    const type = mediaType(response);
    const text = head ? '' : await response.clone().text();
    const content = declared.content ?? {};
    if (Object.keys(content).length === 0) {
      if (text) return [`a body (${type ?? 'no Content-Type'}) where the contract declares none`];
      return type ? [`Content-Type ${type} on a response the contract declares without content`] : [];
    }
    if (!type) return [`no Content-Type (declared: ${Object.keys(content).join(', ')})`];
    const media = content[type] ?? content[`${type.split('/')[0]}/*`] ?? content['*/*'];
    if (!media) return [`Content-Type ${type} is not declared (declared: ${Object.keys(content).join(', ')})`];
    if (head || !isJson(type)) return [];
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [`the ${type} body is not JSON: ${JSON.stringify(text.slice(0, 80))}`];
    }
    const errors = media.schema ? schemaErrors(body, media.schema) : [];
    return errors.length ? [`the ${type} body does not match its schema:${errors.map((e) => `\n      ${e}`).join('')}`] : [];
  }

  return check;
}

/** Header values are text: a header declared as a number is compared as the number it spells. */
function headerValue(value: string, schema: { type?: unknown }): unknown {
  const numeric = schema.type === 'integer' || schema.type === 'number';
  return numeric && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
}

const mediaType = (response: Response) => response.headers.get('content-type')?.split(';')[0].trim().toLowerCase();
const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');
