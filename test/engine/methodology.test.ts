// The methodology is validated at load, with messages that name the node.
import { describe, expect, it } from 'vitest';
import { compileMethodology, EngineError } from '../../src/engine/index.js';

const points = (nodes: unknown[], extra: object = {}) => ({ id: 'x', mode: 'points', missing: 'zero', nodes, ...extra });

function messages(input: unknown): string[] {
  try { compileMethodology(input); } catch (e) {
    if (e instanceof EngineError) return e.issues.map((i) => `${i.node ?? '-'}: ${i.message}`);
    throw e;
  }
  return [];
}

describe('methodology validation', () => {
  it('accepts the issue\'s points example (flat, rule defaulting to points) and derives nothing wrong', () => {
    const c = compileMethodology(points([{ code: 'PAR', max: 100 }, { code: 'A', parent: 'PAR', max: 68.5, source: 'appraisal' }, { code: 'S', parent: 'PAR', max: 31.5, source: 'survey' }]));
    expect(c.nodes.map((n) => [n.code, n.max, n.depth])).toEqual([['PAR', 100, 0], ['A', 68.5, 1], ['S', 31.5, 1]]);
    expect(c.nodes[1].rule).toEqual({ type: 'points' });
  });

  it('accepts nested nodes and derives a parent\'s max from its children', () => {
    const c = compileMethodology(points([{ code: 'R', children: [{ code: '1', children: [{ code: '1.1', max: 2 }, { code: '1.2', max: 0.5 }] }, { code: '2', max: 7.5 }] }], { total: 10 }));
    expect(c.nodes.map((n) => `${n.code}:${n.max}`)).toEqual(['R:10', '1:2.5', '1.1:2', '1.2:0.5', '2:7.5']);
    expect(c.leaves.map((i) => c.nodes[i].code)).toEqual(['1.1', '1.2', '2']);
  });

  it('names duplicates, missing parents, wrong sums, a wrong total, leaves without a rule', () => {
    expect(messages(points([{ code: 'R' }, { code: '1', parent: 'R', max: 1 }, { code: '1', parent: 'R', max: 2 }]))).toEqual(['1: duplicate code 1']);
    expect(messages(points([{ code: 'R' }, { code: '1', parent: 'Q', max: 1 }]))).toContain('1: parent Q does not exist');
    expect(messages(points([{ code: 'R', max: 10 }, { code: '1', parent: 'R', max: 4 }, { code: '2', parent: 'R', max: 5 }])))
      .toEqual(["R: children's max sum to 9, not the node's max 10"]);
    expect(messages(points([{ code: 'R' }, { code: '1', parent: 'R', max: 99 }], { total: 100 }))).toEqual(['R: total is 99, not the declared total 100']);
    expect(messages(points([{ code: 'R' }, { code: '1', parent: 'R', max: 1 }], { defaultRule: null }))).toEqual(['1: leaf without a scoring rule']);
    expect(messages(points([{ code: 'R' }, { code: '1', parent: 'R' }]))).toContain('1: a leaf needs max ≥ 0 in points mode');
  });

  it('names cycles and multiple roots', () => {
    expect(messages(points([{ code: 'R' }, { code: '1', parent: 'R', max: 1 }, { code: 'a', parent: 'b', max: 1 }, { code: 'b', parent: 'a' }])))
      .toEqual(['a: node a is in a cycle of parents (not reachable from the root)', 'b: node b is in a cycle of parents (not reachable from the root)']);
    expect(messages(points([{ code: 'R' }, { code: 'Q' }]))).toEqual(['-: a methodology has exactly one root node; found 2 (R, Q)']);
  });

  it('rejects weights ≤ 0 in weighted mode, naming the node', () => {
    expect(messages({ id: 'w', mode: 'weighted', missing: 'skip', nodes: [{ code: 'I' }, { code: 'a', parent: 'I', weight: 0 }, { code: 'b', parent: 'I', weight: -1 }] }))
      .toEqual(['a: weight must be > 0, got 0', 'b: weight must be > 0, got -1']);
  });

  it('reports schema errors with the node they are in', () => {
    const m = messages(points([{ code: 'R' }, { code: '1', parent: 'R', max: 'ten' }]));
    expect(m).toHaveLength(1);
    expect(m[0]).toMatch(/^1: /);
    expect(messages({ id: 'x', mode: 'sum', missing: 'zero', nodes: [{ code: 'R' }] })[0]).toMatch(/^-: Invalid option/);
  });

  it('checks rules against the leaf: ordered bands, band points within max, distinct goal-posts', () => {
    expect(messages(points([{ code: 'R' }, { code: '1', parent: 'R', max: 1, rule: { type: 'bands', bands: [{ min: 50, points: 1 }, { min: 80, points: 2 }] } }])))
      .toEqual(['1: bands must be ordered by min, highest first', '1: band points 2 exceed max 1']);
    expect(messages(points([{ code: 'R' }, { code: '1', parent: 'R', max: 1, rule: { type: 'linear', worst: 3, best: 3 } }])))
      .toEqual(['1: linear rule needs worst ≠ best']);
  });
});
