// A methodology document is strict (a misspelt key is an error, not an ignored setting) and every
// problem says where it is: a path into the document, for schema and structural checks alike.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileMethodology, EngineError, EXAMPLE_METHODOLOGY, jsonPointer, MethodologyInput, ScoringRule, type Issue } from '../../src/engine/index.js';

const points = (nodes: unknown[], extra: object = {}) => ({ id: 'x', mode: 'points', missing: 'zero', nodes, ...extra });

function issuesOf(input: unknown): Issue[] {
  try { compileMethodology(input); } catch (e) {
    if (e instanceof EngineError) return e.issues;
    throw e;
  }
  throw new Error('expected the methodology to be refused');
}

/** Each issue as "pointer: message". */
const located = (input: unknown) => issuesOf(input).map((i) => `${i.path ? jsonPointer(i.path) : '(none)'}: ${i.message}`);

describe('unknown keys are refused, named and located', () => {
  it('a misspelt key on a node (normalization) names the key and its node', () => {
    const input = { id: 'w', mode: 'weighted', missing: 'skip', nodes: [{ code: 'R' }, { code: 'a', parent: 'R', normalization: { method: 'rank' } }] };
    expect(issuesOf(input)).toEqual([expect.objectContaining({ node: 'a', path: ['nodes', 1, 'normalization'], message: 'unknown field normalization' })]);
  });

  it('at every depth: the document, a nested child, its rule, a band, a provenance', () => {
    const input = points([{
      code: 'R', children: [
        { code: '1', max: 1 },
        { code: '2', max: 2, rule: { type: 'proportional', target: 5, capped: true } },
        { code: '3', max: 2, rule: { type: 'bands', bands: [{ min: 0, share: 1, note: 'x' }] }, provenance: { status: 'official', document: 'QĐ 1', page: 3 } },
      ],
    }], { rounding: 2, roundTo: 1 });
    expect(located(input).sort()).toEqual([
      '/nodes/0/children/1/rule/capped: unknown field capped',
      '/nodes/0/children/2/provenance/page: unknown field page',
      '/nodes/0/children/2/rule/bands/0/note: unknown field note',
      '/roundTo: unknown field roundTo',
    ]);
  });

  it('an unknown method or rule type points at the discriminator', () => {
    const input = { id: 'w', mode: 'weighted', missing: 'skip', nodes: [{ code: 'R' }, { code: 'a', parent: 'R', normalisation: { method: 'min-max' } }] };
    expect(issuesOf(input)).toEqual([expect.objectContaining({ node: 'a', path: ['nodes', 1, 'normalisation', 'method'] })]);
  });
});

describe('structural problems point at the node and the field they name', () => {
  it('duplicate code, missing parent, a parent named against the nesting', () => {
    expect(located(points([{ code: 'R' }, { code: '1', parent: 'R', max: 1 }, { code: '1', parent: 'R', max: 2 }])))
      .toEqual(['/nodes/2/code: duplicate code 1']);
    expect(located(points([{ code: 'R' }, { code: '1', parent: 'Q', max: 1 }]))).toContain('/nodes/1/parent: parent Q does not exist');
    expect(located(points([{ code: 'R', children: [{ code: '1', max: 1 }, { code: '2', parent: 'X', max: 1 }] }, { code: 'X', parent: 'R', max: 1 }])))
      .toEqual(['/nodes/0/children/1/parent: nested under R but names parent X']);
  });

  it('nested form: the path runs through children', () => {
    expect(located(points([{ code: 'R', children: [{ code: '1', children: [{ code: '1.1', max: 1 }, { code: '1.1', max: 2 }] }] }])))
      .toEqual(['/nodes/0/children/0/children/1/code: duplicate code 1.1']);
  });

  it('sums, total, roots and cycles', () => {
    expect(located(points([{ code: 'R', max: 10 }, { code: '1', parent: 'R', max: 4 }, { code: '2', parent: 'R', max: 5 }])))
      .toEqual(["/nodes/0/max: children's max sum to 9, not the node's max 10"]);
    expect(located(points([{ code: 'R' }, { code: '1', parent: 'R', max: 99 }], { total: 100 }))).toEqual(['/total: total is 99, not the declared total 100']);
    expect(located(points([{ code: 'R' }, { code: 'Q' }]))).toEqual(['/nodes: a methodology has exactly one root node; found 2 (R, Q)']);
    expect(located(points([{ code: 'R' }, { code: '1', parent: 'R', max: 1 }, { code: 'a', parent: 'b', max: 1 }, { code: 'b', parent: 'a' }])))
      .toEqual(['/nodes/2/parent: node a is in a cycle of parents (not reachable from the root)', '/nodes/3/parent: node b is in a cycle of parents (not reachable from the root)']);
  });

  it('rules: on the leaf where written, in defaultRule where inherited', () => {
    expect(located(points([{ code: 'R' }, { code: '1', parent: 'R', max: 1, rule: { type: 'bands', bands: [{ min: 80, points: 1 }, { min: 50, points: 2 }] } }])))
      .toEqual(['/nodes/1/rule/bands/1/points: band points 2 exceed max 1']);
    expect(located(points([{ code: 'R' }, { code: '1', parent: 'R', max: 1 }], { defaultRule: { type: 'linear', worst: 3, best: 3 } })))
      .toEqual(['/defaultRule/best: linear rule needs worst ≠ best']);
    expect(located(points([{ code: 'R', rule: { type: 'binary' } }, { code: '1', parent: 'R', max: 1 }]))).toEqual(['/nodes/0/rule: only leaves have a scoring rule']);
    expect(located({ id: 'w', mode: 'weighted', missing: 'skip', nodes: [{ code: 'I' }, { code: 'a', parent: 'I', weight: 0 }] })).toEqual(['/nodes/1/weight: weight must be > 0, got 0']);
  });

  it('JSON Pointers escape ~ and / (RFC 6901)', () => {
    expect(jsonPointer(['nodes', 0, 'a/b~c'], '/methodology')).toBe('/methodology/nodes/0/a~1b~0c');
    expect(jsonPointer([])).toBe('');
  });
});

describe('the document schema', () => {
  it('shows the defaults: proportional caps unless it says cap: false; linear does not', () => {
    // Each rule type is a named definition (the contract's components come from the same names).
    const json = z.toJSONSchema(ScoringRule, { io: 'input' }) as { $defs: Record<string, { properties: Record<string, { default?: unknown; description?: string }> }> };
    expect(json.$defs.ProportionalRule.properties.cap).toMatchObject({ default: true, description: expect.stringMatching(/^default true: achieved above target earns the max/) });
    expect(json.$defs.LinearRule.properties.cap.default).toBe(false);
    expect(ScoringRule.parse({ type: 'proportional', target: 10 })).toEqual({ type: 'proportional', target: 10, cap: true });
  });

  it('accepts every stored methodology and the contract\'s example', () => {
    const dir = new URL('../../data/methodologies/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const document = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
      expect(MethodologyInput.safeParse(document).error?.issues, file).toBeUndefined();
      expect(() => compileMethodology(document), file).not.toThrow();
    }
    expect(compileMethodology(EXAMPLE_METHODOLOGY).leaves).toHaveLength(2);
  });
});
