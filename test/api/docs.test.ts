// The self-hosted reference (/docs) and home page (/): rendered from the committed contract and
// from small documents that exercise recursion, odd inputs and every part an operation can have.
import { describe, expect, it } from 'vitest';
import contract from '../../openapi/openapi.json';
import { docsPage, docsRoutes, homeJson, homePage, SERVICE_NAME } from '../../src/http/docs/index.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const VOID = new Set(['meta', 'link', 'br', 'hr', 'img', 'input', 'col', 'area', 'base', 'wbr', 'source', 'track', 'embed']);
/** Elements that may only sit in the given parents, and elements a <p> cannot contain. */
const PARENTS: Record<string, string[]> = { li: ['ul', 'ol'], tr: ['thead', 'tbody', 'table'], td: ['tr'], th: ['tr'], dt: ['dl'], dd: ['dl'], thead: ['table'], tbody: ['table'], caption: ['table'], figcaption: ['figure'] };
const BLOCKS = new Set(['p', 'div', 'table', 'ul', 'ol', 'dl', 'pre', 'section', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'nav', 'header', 'footer', 'main']);

/** Nesting errors of an HTML string (unclosed, misclosed, misplaced elements); [] when well formed. */
function nestingErrors(html: string): string[] {
  const errors: string[] = [];
  const stack: string[] = [];
  const body = html.replace(/^<!doctype html>/i, '').replace(/<style>[^<]*<\/style>/, '<style></style>');
  for (const [, close, name] of body.matchAll(/<(\/?)([a-zA-Z][\w-]*)(?:\s[^>]*)?>/g)) {
    const tag = name.toLowerCase();
    if (VOID.has(tag)) continue;
    if (close) {
      const open = stack.pop();
      if (open !== tag) errors.push(`</${tag}> closes <${open}>`);
      continue;
    }
    const parent = stack.at(-1) ?? '';
    if (PARENTS[tag] && !PARENTS[tag].includes(parent)) errors.push(`<${tag}> inside <${parent}>`);
    if (parent === 'p' && BLOCKS.has(tag)) errors.push(`<${tag}> inside <p>`);
    stack.push(tag);
  }
  if (stack.length) errors.push(`unclosed: ${stack.join(' > ')}`);
  return errors;
}

const ids = (html: string) => [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
const headingLevels = (html: string) => [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
const operations = (doc: any) => Object.entries(doc.paths).flatMap(([path, item]: [string, any]) =>
  METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })));

/** Every way a page could make a browser fetch or run something: none is allowed. */
function resourceLoads(html: string): string[] {
  const found = [...html.matchAll(/<script\b|<link\b|<iframe\b|<object\b|<embed\b|<img\b|\ssrc=|\ssrcset=|@import|url\(/gi)].map((m) => m[0]);
  // href is for navigation only: on <a>, never on an element that loads what it names
  for (const [, tag] of html.matchAll(/<(\w+)[^>]*\shref="/g)) if (tag !== 'a') found.push(`<${tag} href>`);
  return found;
}

describe('docsPage of the committed contract', () => {
  const html = docsPage(contract);

  it('is one well-formed HTML page with a language, landmarks and headings in order', () => {
    expect(html.startsWith('<!doctype html><html lang="en">')).toBe(true);
    expect(nestingErrors(html)).toEqual([]);
    for (const landmark of ['<header', '<nav', '<main', '<footer']) expect(html).toContain(landmark);
    const levels = headingLevels(html);
    expect(levels.filter((l) => l === 1)).toHaveLength(1);
    expect(levels[0]).toBe(1);
    levels.forEach((level, i) => expect(level - (levels[i - 1] ?? 0), `heading ${i}: h${levels[i - 1]} then h${level}`).toBeLessThanOrEqual(1));
  });

  it('loads no script, stylesheet or other resource', () => {
    expect(resourceLoads(html)).toEqual([]);
    expect(html).toContain('<style>');
  });

  it('has unique anchors, and every link inside the page lands on one', () => {
    const all = ids(html);
    expect(new Set(all).size).toBe(all.length);
    const targets = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    expect(targets.filter((t) => !all.includes(t))).toEqual([]);
  });

  it('shows every operation, with its anchor, its responses and its parameters', () => {
    const ops = operations(contract);
    expect(ops.length).toBeGreaterThan(20);
    expect(html.match(/<section class="op"/g)).toHaveLength(ops.length);
    for (const { path, method, op } of ops) {
      const heading = new RegExp(`<h3 id="(op-[^"]+)-h"><span class="method m-${method}">${method.toUpperCase()}</span> <code class="path">${path.replace(/[{}]/g, '\\$&')}</code></h3>`);
      const anchor = html.match(heading)?.[1];
      expect(anchor, `${method} ${path}`).toBeDefined();
      if (op.operationId) expect(anchor).toBe(`op-${op.operationId}`);
      for (const status of Object.keys(op.responses)) expect(html, `${method} ${path} ${status}`).toContain(`id="${anchor}-${status}"`);
      for (const p of op.parameters ?? []) if (p.name) expect(html).toContain(`<code>${p.name}</code>`);
    }
  });

  it('shows every component schema under #schema-Name, listed in the contents', () => {
    const names = Object.keys(contract.components.schemas);
    expect(names.length).toBeGreaterThan(30);
    for (const name of names) {
      expect(html).toContain(`<section class="schema" id="schema-${name}"`);
      expect(html).toContain(`<a href="#schema-${name}">${name}</a>`);
    }
  });

  it('links a $ref to its schema and marks required properties', () => {
    const results = html.slice(html.indexOf('id="schema-Results"'), html.indexOf('id="schema-RevisionRef"'));
    expect(results).toContain('<a href="#schema-Cycle"><code>Cycle</code></a>');
    expect(results).toMatch(/<code>domains<\/code> <span class="req">required<\/span><\/th><td>array of <a href="#schema-Domain">/);
  });

  it('speaks Vietnamese when asked, and English for a language it does not have', () => {
    const vi = docsPage(contract, 'vi');
    expect(vi.startsWith('<!doctype html><html lang="vi">')).toBe(true);
    expect(vi).toContain('Mục lục');
    expect(vi).toContain('<p lang="en">Vietnam');
    expect(docsPage(contract, 'fr')).toContain('<html lang="en">');
  });
});

describe('docsPage of other documents', () => {
  const node: any = {
    type: 'object',
    required: ['code'],
    properties: {
      code: { type: 'string', description: 'the node code' },
      children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
      parent: { anyOf: [{ $ref: '#/components/schemas/Node' }, { type: 'null' }] },
      rule: {
        oneOf: [
          { type: 'object', properties: { type: { const: 'cap' }, max: { type: 'number', minimum: 0 } }, required: ['type'] },
          { type: 'object', properties: { type: { const: 'proportional' }, cap: { type: 'boolean', default: true } } },
        ],
      },
    },
  };
  const cyclic: any = { type: 'object', properties: { name: { type: 'string' } } };
  cyclic.properties.self = cyclic;
  const doc = {
    openapi: '3.1.0',
    info: { title: 'T', version: '1', license: { name: 'MIT', identifier: 'MIT' }, contact: { name: 'Team', email: 'team@example.org' } },
    servers: [{ url: 'https://api.example.org', description: 'production' }],
    tags: [{ name: 'Trees', description: 'Recursive things' }],
    components: {
      schemas: { Node: node, Cyclic: cyclic },
      securitySchemes: { bearerKey: { type: 'http', scheme: 'bearer', description: 'an API key' } },
      parameters: { loopA: { $ref: '#/components/parameters/loopB' }, loopB: { $ref: '#/components/parameters/loopA' } },
    },
    paths: {
      '/nodes/{code}': {
        parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string', example: 'PAR' } }],
        get: {
          operationId: 'getNode', tags: ['Trees'], security: [], summary: 'A node and its subtree',
          parameters: [{ $ref: '#/components/parameters/loopA' }, { name: 'depth', in: 'query', schema: { type: 'integer', enum: [1, 2] } }],
          responses: {
            200: {
              description: 'The node',
              headers: { ETag: { description: 'a validator', required: true, schema: { type: 'string' } } },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' }, examples: { leaf: { summary: 'a leaf', value: { code: 'A' } } } } },
            },
            304: { description: 'Not modified', headers: { ETag: { description: 'a validator', required: true, schema: { type: 'string' } } } },
            404: { $ref: '#/components/responses/Missing' },
          },
        },
        put: { operationId: 'putNode', security: [{ bearerKey: [] }], requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } }, responses: { 204: { description: 'Stored' } } },
      },
    },
  };

  it('renders a schema that refers to itself as links, and an inline cycle once, with valid nesting', () => {
    const html = docsPage(doc);
    expect(nestingErrors(html)).toEqual([]);
    const section = html.slice(html.indexOf('id="schema-Node"'), html.indexOf('id="schema-Cyclic"'));
    expect(section).toContain('array of <a href="#schema-Node"><code>Node</code></a>');
    expect(section).toContain('<a href="#schema-Node"><code>Node</code></a> | null');
    expect(section).toContain('type = &quot;cap&quot;');
    expect(section).toContain('Default: <code>true</code>');
    expect(html).toContain('refers to itself');
  });

  it('shows security, parameters, headers, examples and bodies where the document has them', () => {
    const html = docsPage(doc);
    const get = html.slice(html.indexOf('id="op-getNode"'), html.indexOf('id="op-putNode"'));
    expect(get).toContain('<dt>Operation id</dt><dd><code>getNode</code></dd>');
    expect(get).toContain('public: no key needed');
    expect(get).toContain('<code>code</code> <span class="req">required</span>');
    expect(get).toContain('Example: <code>PAR</code>');
    expect(get).toContain('Values: <code>1</code>, <code>2</code>');
    expect(get).toContain('<code>ETag</code> <span class="req">required</span>');
    expect(get).toContain('Example: a leaf');
    expect(get).toContain('No body.');
    expect(get).toContain('<p class="also">Headers: <a href="#op-getNode-200"><code>ETag</code></a> (200)</p>');
    expect(html).toContain('<a href="#security-bearerKey"><code>bearerKey</code></a>');
    expect(html).toContain('<code>https://api.example.org</code>');
    expect(html).toContain('<a href="mailto:team@example.org">team@example.org</a>');
    expect(resourceLoads(html)).toEqual([]);
  });

  it('never fails on a partial or odd document', () => {
    const odd = {
      info: 'nope', tags: 'nope', paths: { '/x': { get: null, post: { tags: [1], responses: { 200: { $ref: '#/nowhere' }, 201: 'text' }, parameters: [null, 3] } } },
      components: { schemas: { A: 5, B: null, C: { type: ['string', 'null'], format: 'date' }, 'D E': { items: { items: { items: { items: { items: { items: { items: { items: {} } } } } } } } } } },
    };
    for (const input of [{}, odd, { paths: null, components: null }]) {
      const html = docsPage(input);
      expect(nestingErrors(html)).toEqual([]);
    }
    expect(docsPage(odd)).toContain('string (date) | null');
  });
});

describe('homePage and homeJson', () => {
  it('names the service and links the reference, the contract and the health check', () => {
    expect(homeJson(contract)).toEqual({ name: 'Chỉ số cải cách hành chính (PAR INDEX)', version: contract.info.version, docs: '/docs', openapi: '/openapi.json', health: '/health' });
    const html = homePage(contract);
    expect(SERVICE_NAME.normalize('NFC')).toBe(SERVICE_NAME);
    expect(html).toContain(`<h1 lang="vi">${SERVICE_NAME}</h1>`);
    for (const href of ['/docs', '/openapi.json', '/health']) expect(html).toContain(`href="${href}"`);
    expect(html).toContain('href="/docs#op-');
    expect(nestingErrors(html)).toEqual([]);
    expect(resourceLoads(html)).toEqual([]);
  });
});

describe('docsRoutes', () => {
  const mounted = () => {
    let calls = 0;
    const app = docsRoutes(() => (calls++, contract));
    return { app, calls: () => calls };
  };

  it('serves /docs from memory with an ETag, a policy that forbids scripts, and 304 on revalidation', async () => {
    const { app, calls } = mounted();
    const first = await app.request('/docs');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(first.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-[\w+/=]+'/);
    expect(first.headers.get('cache-control')).toMatch(/^public/);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"/);
    expect(await first.text()).toBe(docsPage(contract, 'en', { contractUrl: '/openapi.json' }));
    const again = await app.request('/docs', { headers: { 'if-none-match': `"other", ${etag.slice(2)}` } });
    expect(again.status).toBe(304);
    expect(again.headers.get('content-type')).toBeNull();
    expect(await again.text()).toBe('');
    expect(calls()).toBe(1);
  });

  it('answers / as HTML or JSON by Accept, and 406 for what it cannot serve', async () => {
    const { app } = mounted();
    const html = await app.request('/', { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('vary')).toContain('Accept');
    const data = await app.request('/', { headers: { accept: 'application/json' } });
    expect(await data.json()).toEqual(homeJson(contract));
    expect(data.headers.get('etag')).not.toBe(html.headers.get('etag'));
    const refused = await app.request('/', { headers: { accept: 'image/png' } });
    expect(refused.status).toBe(406);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect((await app.request('/docs', { headers: { accept: 'application/json' } })).status).toBe(406);
  });
});
