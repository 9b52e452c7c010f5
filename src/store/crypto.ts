// Hashing, canonical JSON and comparison for secrets, with Web Crypto (Node and Workers alike).
export async function sha256Hex(text: string): Promise<string> {
  return [...await sha256(text)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** An RFC 9530 digest field value (Content-Digest, Repr-Digest): sha-256=:<base64>: */
export async function sha256Field(text: string): Promise<string> {
  return `sha-256=:${btoa(String.fromCharCode(...await sha256(text)))}:`;
}

/**
 * The canonical JSON of a value (RFC 8785, JCS, for the values JSON.stringify can write): object
 * keys sorted by UTF-16 code units at every depth, no whitespace, numbers and strings exactly as
 * JSON.stringify writes them (its shortest round-trip numbers and escapes are JCS's). Like
 * JSON.stringify, undefined members are left out, and undefined array items and non-finite
 * numbers become null, so that a value and JSON.parse(JSON.stringify(value)) have one canonical
 * form. Recursive while shallow (fast); past 256 levels the rest is written with an explicit
 * stack, so a document nested thousands deep cannot overflow the call stack.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out, 0);
  return out.join('');
}

const DEEP = 256;

function write(input: unknown, out: string[], depth: number): void {
  const v = toJson(input);
  if (v === null || typeof v !== 'object') { out.push(scalar(v)); return; }
  // Stryker disable next-line EqualityOperator,ConditionalExpression: writeDeep writes the same text as this recursion at any depth (tested past 256); the threshold only picks the faster
  if (depth > DEEP) { writeDeep(v, out); return; }
  if (Array.isArray(v)) {
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(',');
      write(arrayItem(v[i]), out, depth + 1);
    }
    out.push(']');
    return;
  }
  const keys = memberKeys(v as Record<string, unknown>);
  out.push('{');
  for (let i = 0; i < keys.length; i++) {
    out.push(i > 0 ? ',' : '', JSON.stringify(keys[i]), ':');
    write((v as Record<string, unknown>)[keys[i]], out, depth + 1);
  }
  out.push('}');
}

/** Text written as is (punctuation between values), on the explicit stack of writeDeep. */
class Raw { constructor(readonly text: string) {} }

function writeDeep(value: object, out: string[]): void {
  const todo: unknown[] = [value];
  while (todo.length) {
    const item = todo.pop();
    if (item instanceof Raw) { out.push(item.text); continue; }
    const v = toJson(item);
    if (v === null || typeof v !== 'object') { out.push(scalar(v)); continue; }
    if (Array.isArray(v)) {
      out.push('[');
      todo.push(new Raw(']'));
      for (let i = v.length - 1; i >= 0; i--) {
        todo.push(arrayItem(v[i]));
        if (i > 0) todo.push(new Raw(','));
      }
      continue;
    }
    const keys = memberKeys(v as Record<string, unknown>);
    out.push('{');
    todo.push(new Raw('}'));
    for (let i = keys.length - 1; i >= 0; i--) todo.push((v as Record<string, unknown>)[keys[i]], new Raw(`${i > 0 ? ',' : ''}${JSON.stringify(keys[i])}:`));
  }
}

// As JSON.stringify: an object's toJSON (a function's too) is called first, and the value it
// answers decides whether a member or item is omitted.
const hasToJson = (v: unknown) => (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function';
const toJson = (v: unknown): unknown => (hasToJson(v) ? (v as { toJSON(): unknown }).toJSON() : v);
const omitted = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';
const arrayItem = (v: unknown) => (omitted(toJson(v)) ? null : v);
const memberKeys = (v: Record<string, unknown>) => Object.keys(v).filter((k) => !omitted(toJson(v[k]))).sort();

function scalar(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'null';
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (typeof v === 'bigint') throw new TypeError('canonicalJson: a BigInt has no JSON form');
  return 'null';
}

/** Compares two strings in time that depends only on their length, not on where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

export function randomToken(bytes: number): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  // btoa writes = only as trailing padding: every = goes
  return btoa(String.fromCharCode(...raw)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '');
}
