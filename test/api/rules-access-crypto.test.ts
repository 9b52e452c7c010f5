// Rules of the secrets code (issue 12): digests are SHA-256 as any other implementation computes
// them (node:crypto is the independent oracle), canonical JSON is one text per value at any depth
// (a plain recursive writer is the oracle), tokens are base64url without padding, and key ids are
// shaped as keys are checked.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, randomToken, sha256, sha256Field, sha256Hex } from '../../src/store/crypto.js';
import { isKeyShaped, writerRoles } from '../../src/store/keys.js';
import type { Driver } from '../../src/store/driver.js';

const nodeHex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('a digest is SHA-256 of the UTF-8 text', () => {
  it('gives the FIPS 180-2 known answers', async () => {
    // "abc" has bytes below 0x10 in its digest (…03 61 a3 96 17 7a 9c b4 10 ff 61 f2 00 15 ad): each written as two digits
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect([...await sha256('abc')].slice(0, 3)).toEqual([0xba, 0x78, 0x16]);
  });

  it('agrees with node:crypto on any text, Vietnamese included', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ unit: 'grapheme' }), async (text) => {
      expect(await sha256Hex(text)).toBe(nodeHex(text));
    }), { numRuns: 50 });
    expect(await sha256Hex('Chỉ số cải cách hành chính')).toBe(nodeHex('Chỉ số cải cách hành chính'));
  });

  it('is written as an RFC 9530 field: sha-256=:<base64 of the 32 bytes>:', async () => {
    // RFC 9530 §B.1's example body {"hello": "world"} with a final newline
    expect(await sha256Field('{"hello": "world"}\n')).toBe('sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:');
    expect(await sha256Field('Điểm')).toBe(`sha-256=:${createHash('sha256').update('Điểm').digest('base64')}:`);
  });
});

/** The oracle: JSON with object keys sorted by UTF-16 code units, written by plain recursion over JSON.parse's output. */
function sortedJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${sortedJson(o[k])}`).join(',')}}`;
}
/** value nested `depth` times, alternating an object of several members and an array of several items. */
function nested(depth: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) {
    v = i % 2
      ? [i, v, undefined, () => 1, 'x']
      : { z: i, [`k${i % 3}`]: v, a: [NaN, -0, null], f: undefined, '10': new Date(i * 1000), '2': 'é\n"' };
  }
  return v;
}

describe('canonical JSON is one text per value, however deep', () => {
  it('matches a sorted-key JSON writer on arbitrary JSON values (fast-check)', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      expect(canonicalJson(value)).toBe(sortedJson(JSON.parse(JSON.stringify(value))));
    }), { numRuns: 200 });
  });

  it('writes a value past 256 levels exactly as a shallow one: commas, members, items, omitted and non-finite values', () => {
    for (const depth of [255, 256, 257, 258, 300, 301]) {
      const value = nested(depth, { b: [1, 2, 3], a: 'leaf', c: { y: undefined, x: true } });
      // JSON.stringify itself is fine at a few hundred levels; it writes undefined items and functions as null, NaN as null
      expect(canonicalJson(value), `depth ${depth}`).toBe(sortedJson(JSON.parse(JSON.stringify(value))));
    }
  });

  it('writes a document nested 100,000 deep (where a recursive writer overflows the stack) as its plain text', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 50_000; i++) deep = { k: [deep] };
    expect(canonicalJson(deep)).toBe(`${'{"k":['.repeat(50_000)}1${']}'.repeat(50_000)}`);
  });

  it('calls toJSON first, as JSON.stringify does, functions included, and omits what it answers when that has no JSON form', () => {
    const named = Object.assign(() => 1, { toJSON: () => 'x' });
    const gone = { toJSON: () => undefined };
    const value = { f: named, g: gone, d: new Date(0), list: [named, gone, new Date(0)], n: null };
    expect(canonicalJson(value)).toBe('{"d":"1970-01-01T00:00:00.000Z","f":"x","list":["x",null,"1970-01-01T00:00:00.000Z"],"n":null}');
    expect(canonicalJson(value)).toBe(sortedJson(JSON.parse(JSON.stringify(value))));
    expect(canonicalJson(named)).toBe(JSON.stringify(named));
    const deep = nested(300, value);
    expect(canonicalJson(deep)).toBe(sortedJson(JSON.parse(JSON.stringify(deep))));
  });

  it('refuses a BigInt (no JSON form) at any depth', () => {
    expect(() => canonicalJson({ n: 1n })).toThrow(/BigInt/);
    expect(() => canonicalJson(nested(300, 1n))).toThrow(/BigInt/);
  });

  it('writes a symbol or function at the top as null, as a member leaves it out', () => {
    expect(canonicalJson(Symbol('s'))).toBe('null');
    expect(canonicalJson({ s: Symbol('s'), f: () => 1, n: 1 })).toBe('{"n":1}');
    const deep = nested(300, Symbol('s'));
    expect(canonicalJson(deep)).toBe(sortedJson(JSON.parse(JSON.stringify(deep))));
  });
});

describe('a random token is base64url without padding', () => {
  it('has 4 characters per 3 bytes (rounded up), only A-Z a-z 0-9 - _, and never repeats', () => {
    const tokens = Array.from({ length: 300 }, () => randomToken(32));
    // 32 bytes: 43 characters; in 300 tokens, + and / (each 1/64 of characters) would appear almost surely
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokens.join('')).toMatch(/-/);
    expect(tokens.join('')).toMatch(/_/);
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(randomToken(3)).toMatch(/^[A-Za-z0-9_-]{4}$/);
    expect(randomToken(1)).toMatch(/^[A-Za-z0-9_-]{2}$/);
  });
});

describe('a key is par_<10 lowercase letters or digits>_<43 base64url characters>', () => {
  const secret = 'A'.repeat(20) + '-_' + 'z9'.repeat(10) + 'b';
  it('accepts exactly that shape', () => {
    expect(secret).toHaveLength(43);
    expect(isKeyShaped(`par_abc123xyz0_${secret}`)).toBe(true);
    for (const bad of [`par_abc123xyz_${secret}`, `par_abc123xyz00_${secret}`, `par_ABC123XYZ0_${secret}`, `par_abc123xyz0_${secret}A`,
      `par_abc123xyz0_${secret.slice(1)}`, `par_abc123xyz0_${secret.slice(1)}+`, `xpar_abc123xyz0_${secret}`, `PAR_abc123xyz0_${secret}`, `par_abc123xyz0-${secret}`]) {
      expect(isKeyShaped(bad), bad).toBe(false);
    }
  });
});

describe('the writer of a public answer is named by role, never by key id', () => {
  /** A driver whose database may not be read: writerRoles must not need it. */
  const unread = { db: { select: () => { throw new Error('api_keys read'); } } } as unknown as Driver;
  const keys = (rows: { id: string; role: string }[]) => {
    let reads = 0;
    const d = { db: { select: () => ({ from: async () => { reads++; return rows; } }) } } as unknown as Driver;
    return { d, reads: () => reads };
  };

  it('maps roles to themselves and the built-in writers to theirs without reading api_keys', async () => {
    const roleOf = await writerRoles(unread, ['admin', 'appraiser', 'unit', 'system', 'unknown', 'env-admin', 'seed']);
    expect(['admin', 'appraiser', 'unit', 'system', 'unknown', 'env-admin', 'seed'].map(roleOf)).toEqual(['admin', 'appraiser', 'unit', 'system', 'unknown', 'admin', 'system']);
  });

  it('reads api_keys once for key ids, and names an id it does not know unknown', async () => {
    const { d, reads } = keys([{ id: 'abc123xyz0', role: 'unit' }, { id: 'k2', role: 'appraiser' }]);
    const roleOf = await writerRoles(d, ['seed', 'abc123xyz0', 'admin', 'k2']);
    expect(reads()).toBe(1);
    expect(['abc123xyz0', 'k2', 'gone', 'seed', 'env-admin', 'unit'].map(roleOf)).toEqual(['unit', 'appraiser', 'unknown', 'system', 'admin', 'unit']);
  });
});
