// Input hygiene (issue 11): codes and names that display as they read and key objects safely,
// bounded ids, and sums that stay finite. Each refusal is an engine error with a path.
import { describe, expect, it } from 'vitest';
import {
  compileMethodology, computeCycle, EngineError, findReservedKey, jsonPointer, prepareScores, scoreRows, type Issue,
} from '../../src/engine/index.js';

const points = (nodes: unknown[], extra: object = {}) => ({ id: 'x', mode: 'points', missing: 'zero', nodes, ...extra });
const weighted = (nodes: unknown[], extra: object = {}) => ({ id: 'w', mode: 'weighted', missing: 'skip', nodes, ...extra });

function refusal(f: () => unknown): EngineError {
  try { f(); } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error('expected an EngineError');
}
const pointers = (issues: Issue[]) => issues.map((i) => (i.path ? jsonPointer(i.path) : '(none)'));

describe('reserved names', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('a survey option named %s is refused at its code', (code) => {
    const e = refusal(() => compileMethodology(points([{ code: 'R' }, { code: 's', parent: 'R', max: 1, rule: { type: 'survey', options: [{ code, value: 1 }] } }])));
    expect(e.kind).toBe('invalid-methodology');
    expect(pointers(e.issues)).toEqual(['/nodes/1/rule/options/0/code']);
    expect(e.issues[0].message).toMatch(/reserved name/);
  });

  it('a node code __proto__ is refused (results are keyed by code: it would vanish from them)', () => {
    const e = refusal(() => compileMethodology(points([{ code: 'R' }, { code: '__proto__', parent: 'R', max: 1 }])));
    expect(pointers(e.issues)).toEqual(['/nodes/1/code']);
  });

  it('a key __proto__ anywhere in the document is refused where it is (JSON.parse keeps it; validation drops it)', () => {
    const input = JSON.parse('{"id":"x","mode":"points","missing":"zero","nodes":[{"code":"R"},{"code":"a","parent":"R","max":1,"__proto__":{"max":5}}]}');
    const e = refusal(() => compileMethodology(input));
    expect(pointers(e.issues)).toEqual(['/nodes/1/__proto__']);
    expect(findReservedKey(JSON.parse('[{"a":[1,{"b":{"__proto__":1}}]}]'))).toEqual([0, 'a', 1, 'b', '__proto__']);
    expect(findReservedKey({ constructor: 1, a: [{ prototype: 2 }] })).toBeNull();
  });

  it('survey answers with an own key __proto__ (a stored or raw value) are an unknown option, never silently dropped', () => {
    const c = compileMethodology(points([{ code: 'R' }, { code: 's', parent: 'R', max: 4, rule: { type: 'survey' } }]));
    const value = JSON.parse('{"A": 3, "__proto__": 100}');
    const e = refusal(() => scoreRows(c, [{ unit: 'U', indicator: 's', value }]));
    expect(e.kind).toBe('invalid-scores');
    expect(e.issues[0].message).toMatch(/unknown answer option __proto__/);
  });
});

describe('sums that are not finite numbers are refused, naming the node', () => {
  it('weights 1e308 + 1e308 (weighted mode): the parent whose children\'s weights overflow', () => {
    const e = refusal(() => compileMethodology(weighted([{ code: 'R' }, { code: 'a', parent: 'R', weight: 1e308 }, { code: 'b', parent: 'R', weight: 1e308 }])));
    expect(e.issues).toEqual([expect.objectContaining({ node: 'R', path: ['nodes', 0], message: expect.stringMatching(/weights of the children of R sum to Infinity/) })]);
  });

  it('maxima 1e308 + 1e308 (points mode): the parent, not an index of 0 for everyone', () => {
    const e = refusal(() => compileMethodology(points([{ code: 'R', children: [{ code: 'a', max: 1e308 }, { code: 'b', max: 1e308 }] }])));
    expect(e.issues).toEqual([expect.objectContaining({ node: 'R', path: ['nodes', 0], message: expect.stringMatching(/children's max sum to Infinity/) })]);
  });

  it('values that overflow a weighted mean are a computation error naming the unit and node, not a missing index', () => {
    const m = compileMethodology(weighted([{ code: 'R' }, { code: 'a', parent: 'R' }, { code: 'b', parent: 'R' }], { normalisation: { method: 'none' } }));
    const scores = [{ unit: 'U', indicator: 'a', value: 1.5e308 }, { unit: 'U', indicator: 'b', value: 1.5e308 }];
    const e = refusal(() => computeCycle({ methodology: m, scores }));
    expect(e.kind).toBe('invalid-computation');
    expect(e.issues[0]).toMatchObject({ unit: 'U', node: 'R' });
  });

  it('a z-score of values whose mean overflows is a computation error, not NaN read as missing', () => {
    const m = compileMethodology(weighted([{ code: 'R' }, { code: 'a', parent: 'R' }], { normalisation: { method: 'zscore' } }));
    const scores = [{ unit: 'U', indicator: 'a', value: 1.5e308 }, { unit: 'V', indicator: 'a', value: 1.6e308 }];
    expect(refusal(() => computeCycle({ methodology: m, scores })).issues[0].message).toMatch(/too large for a z-score/);
  });
});

describe('names display as they read; codes and ids are bounded', () => {
  const named = (name: unknown, extra: object = {}) => points([{ code: 'R' }, { code: 'a', parent: 'R', max: 1 }], { name, ...extra });

  it.each([
    ['NFD', 'Ha\u0300 No\u0323i', /NFC/],
    ['a right-to-left override (U+202E)', 'Chi\u0309 so\u0302\u0301 \u202Eevil', /bidirectional control: U\+202E/],
    ['a first-strong isolate (U+2068)', 'x\u2068y', /bidirectional control: U\+2068/],
    ['a control character', 'a\u0007b', /control character: U\+0007/],
    ['a line feed in one-line text', 'a\nb', /control character: U\+000A/],
  ])('a methodology name with %s is refused at /name/vi', (_, vi, message) => {
    const e = refusal(() => compileMethodology(named({ vi: vi.normalize('NFD') === vi ? vi : vi, en: 'x' })));
    expect(e.issues.map((i) => [jsonPointer(i.path!), i.message])).toEqual([['/name/vi', expect.stringMatching(message)]]);
  });

  it('names in NFC with Vietnamese diacritics, and multi-line notes, are taken', () => {
    expect(() => compileMethodology(named({ vi: 'Chỉ số cải cách hành chính', en: 'PAR Index' }, { notes: 'line one\nline two' }))).not.toThrow();
    const e = refusal(() => compileMethodology(named({ vi: 'x', en: 'x' }, { notes: 'ok\u202Enot ok' })));
    expect(pointers(e.issues)).toEqual(['/notes']);
  });

  it('unit types, node names and provenance notes follow the same rules', () => {
    const e = refusal(() => compileMethodology(points([
      { code: 'R', name: { vi: 'x\u202Dy', en: 'x' } },
      { code: 'a', parent: 'R', max: 1, provenance: { status: 'provisional', note: 'a\u2066b' } },
    ], { unitType: 'prov\u202Eince' })));
    expect(pointers(e.issues).sort()).toEqual(['/nodes/0/name/vi', '/nodes/1/provenance/note', '/unitType']);
  });

  it('ids and codes are at most 100 characters: a methodology id, a node code, a unit code', () => {
    const long = 'x'.repeat(101);
    expect(pointers(refusal(() => compileMethodology(points([{ code: 'R', max: 1 }], { id: long }))).issues)).toEqual(['/id']);
    expect(pointers(refusal(() => compileMethodology(points([{ code: 'R' }, { code: long, parent: 'R', max: 1 }]))).issues)).toEqual(['/nodes/1/code']);
    expect(() => compileMethodology(points([{ code: 'R' }, { code: long.slice(1), parent: 'R', max: 1 }], { id: long.slice(1) }))).not.toThrow();
  });

  it('the bounded lists of a document: bands, survey options, groups, sources', () => {
    const many = <T>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));
    const e = refusal(() => compileMethodology(points([
      { code: 'R' },
      { code: 'b', parent: 'R', max: 1, rule: { type: 'bands', bands: many(101, (i) => ({ min: 101 - i, share: 0.5 })) } },
      { code: 's', parent: 'R', max: 1, source: many(17, (i) => `s${i}`), rule: { type: 'survey', options: many(101, (i) => ({ code: `o${i}`, value: 0.5 })) } },
    ], { groups: many(101, (i) => ({ code: `g${i}`, min: i })) })));
    expect(pointers(e.issues).sort()).toEqual(['/groups', '/nodes/1/rule/bands', '/nodes/2/rule/options', '/nodes/2/source']);
  });

  it('a unit and its scores at the engine: raw (unvalidated) values still meet the rules of the rules', () => {
    const c = compileMethodology(points([{ code: 'R' }, { code: 'a', parent: 'R', max: 1 }]));
    expect(prepareScores(c, [{ unit: 'U', indicator: 'a', value: 1 }]).values[0]).toBe(1);
  });
});
