// Compiling a methodology (src/engine/compile.ts, tree.ts): the tree laid out for the hot loops, the
// defaults each node inherits, the maxima summed and checked (within a relative tolerance of 1e-9,
// below 1e299), and every problem named at its node and path.
import { describe, expect, it } from 'vitest';
import { compileMethodology, DEFAULT_GROUPS, EngineError, type Issue } from '../../src/engine/index.js';

const points = (nodes: unknown[], extra: object = {}) => ({ id: 'x', mode: 'points', missing: 'zero', nodes, ...extra });
const weighted = (nodes: unknown[], extra: object = {}) => ({ id: 'w', mode: 'weighted', missing: 'skip', nodes, ...extra });

function issuesOf(input: unknown): Issue[] {
  try { compileMethodology(input); } catch (e) {
    if (e instanceof EngineError) return e.issues;
    throw e;
  }
  throw new Error('expected the methodology to be refused');
}
const described = (input: unknown) => issuesOf(input).map((i) => `${i.node ?? '-'} ${(i.path ?? []).join('/')}: ${i.message}`);

// R › D1 › (a 2, b 3); R › D2 › c 5, written flat in pre-order: indexes R 0, D1 1, a 2, b 3, D2 4, c 5.
const tree = points([
  { code: 'R' }, { code: 'D1', parent: 'R' }, { code: 'a', parent: 'D1', max: 2 }, { code: 'b', parent: 'D1', max: 3 },
  { code: 'D2', parent: 'R' }, { code: 'c', parent: 'D2', max: 5 },
]);

describe('the tree is laid out in pre-order arrays for the hot loops', () => {
  const c = compileMethodology(tree);

  it('parents, depths and children by index', () => {
    expect(c.nodes.map((n) => [n.code, n.parent, n.depth, n.children])).toEqual([
      ['R', -1, 0, [1, 4]], ['D1', 0, 1, [2, 3]], ['a', 1, 2, []], ['b', 1, 2, []], ['D2', 0, 1, [5]], ['c', 4, 2, []],
    ]);
    expect(c.nodes.map((n) => n.index)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('children in compressed form: node i\'s are childIndex[childStart[i] .. childStart[i + 1])', () => {
    expect([...c.childStart]).toEqual([0, 2, 4, 4, 4, 5, 5]);
    expect([...c.childIndex]).toEqual([1, 4, 2, 3, 5]);
  });

  it('leaves in pre-order; inner nodes children before parents', () => {
    expect(c.leaves).toEqual([2, 3, 5]);
    expect([...c.innerNodes]).toEqual([4, 1, 0]);
  });

  it('the root and the domains (depth ≤ 1) are snapped; deeper nodes are not', () => {
    expect([...c.snapped]).toEqual([1, 1, 0, 0, 1, 0]);
  });

  it('per-node maxima (summed up the tree), weights and thresholds; codes to indexes', () => {
    expect([...c.max]).toEqual([10, 5, 2, 3, 5, 5]);
    expect([...c.weight]).toEqual([1, 1, 1, 1, 1, 1]);
    expect([...c.availabilityThreshold]).toEqual([0, 0, 0, 0, 0, 0]);
    expect([...c.byCode]).toEqual([['R', 0], ['D1', 1], ['a', 2], ['b', 3], ['D2', 4], ['c', 5]]);
  });
});

describe('what a node inherits', () => {
  it('weighted mode: weight 1, direction +1, min-max to [0, 100], arithmetic, threshold 0, no rule and no max', () => {
    const [, leaf] = compileMethodology(weighted([{ code: 'R' }, { code: 'a', parent: 'R' }])).nodes;
    expect(leaf).toMatchObject({
      weight: 1, direction: 1, sources: [], rule: null, aggregation: 'arithmetic', availabilityThreshold: 0,
      normalisation: { method: 'minmax', min: 0, max: 100 },
    });
    expect(leaf.max).toBeNaN();
  });

  it('a node\'s own settings win over the methodology\'s, which win over the defaults', () => {
    const c = compileMethodology(weighted([
      { code: 'R', aggregation: 'arithmetic' },
      { code: 'a', parent: 'R', weight: 2, direction: -1, source: 'survey', normalisation: { method: 'rank' }, aggregation: 'arithmetic', availabilityThreshold: 0.25 },
      { code: 'b', parent: 'R', source: ['appraisal', 'self'], provenance: { status: 'official', document: 'QĐ 1' }, name: { vi: 'Bê', en: 'Bee' } },
    ], { normalisation: { method: 'zscore' }, aggregation: 'geometric', availabilityThreshold: 0.5 }));
    const [root, a, b] = c.nodes;
    expect(root.aggregation).toBe('arithmetic');
    expect(a).toMatchObject({ weight: 2, direction: -1, sources: ['survey'], normalisation: { method: 'rank' }, aggregation: 'arithmetic', availabilityThreshold: 0.25 });
    expect(b).toMatchObject({
      weight: 1, direction: 1, sources: ['appraisal', 'self'], normalisation: { method: 'zscore', mean: 0, sd: 1 }, aggregation: 'geometric',
      availabilityThreshold: 0.5, provenance: { status: 'official', document: 'QĐ 1' }, name: { vi: 'Bê', en: 'Bee' },
    });
    expect([...c.weight]).toEqual([1, 2, 1]);
    expect([...c.availabilityThreshold]).toEqual([0.5, 0.25, 0.5]);
  });

  it('points mode: a leaf without a rule takes defaultRule; one with a rule keeps it', () => {
    const c = compileMethodology(points([{ code: 'R' }, { code: 'a', parent: 'R', max: 1 }, { code: 'b', parent: 'R', max: 1, rule: { type: 'binary' } }], { defaultRule: { type: 'proportional', target: 50 } }));
    expect(c.nodes.map((n) => n.rule)).toEqual([null, { type: 'proportional', target: 50, cap: true }, { type: 'binary' }]);
  });

  it('weighted mode: defaultRule is not given to leaves (they are normalised, not scored)', () => {
    expect(compileMethodology(weighted([{ code: 'R' }, { code: 'a', parent: 'R' }])).nodes[1].rule).toBeNull();
  });

  it('groups: the document\'s, highest threshold first; by default A ≥ 90, B ≥ 80, C ≥ 70, D', () => {
    expect(compileMethodology(points([{ code: 'R', max: 1 }], { groups: [{ code: 'low', min: 0 }, { code: 'top', min: 50 }, { code: 'mid', min: 20 }] })).groups.map((g) => g.code))
      .toEqual(['top', 'mid', 'low']);
    expect(compileMethodology(points([{ code: 'R', max: 1 }])).groups).toEqual(DEFAULT_GROUPS);
  });
});

describe('points mode: maxima add up the tree', () => {
  it('a derived max is snapped to 9 decimals: 0.1 + 0.2 is 0.3', () => {
    expect(compileMethodology(points([{ code: 'R' }, { code: 'a', parent: 'R', max: 0.1 }, { code: 'b', parent: 'R', max: 0.2 }])).nodes[0].max).toBe(0.3);
  });

  it('a declared max equal to the sum within a relative 1e-9 is taken; further off, refused', () => {
    // 100 vs 100.00000005: off by 5e-10 of 100; vs 100.000001: off by 1e-8 of 100
    expect(() => compileMethodology(points([{ code: 'R', max: 100 }, { code: 'a', parent: 'R', max: 100.00000005 }]))).not.toThrow();
    expect(described(points([{ code: 'R', max: 100 }, { code: 'a', parent: 'R', max: 100.000001 }])))
      .toEqual(["R nodes/0/max: children's max sum to 100.000001, not the node's max 100"]);
    // large maxima: 1e12 vs 1e12 + 100 is off by 1e-10 of it
    expect(() => compileMethodology(points([{ code: 'R', max: 1e12 }, { code: 'a', parent: 'R', max: 1e12 + 100 }]))).not.toThrow();
    // below 1, the tolerance is 1e-9 absolute: 0.5 vs 0.5 + 5e-10 is taken, 0.5 + 1e-8 is not
    expect(() => compileMethodology(points([{ code: 'R', max: 0.5 }, { code: 'a', parent: 'R', max: 0.5 + 5e-10 }]))).not.toThrow();
    expect(issuesOf(points([{ code: 'R', max: 0.5 }, { code: 'a', parent: 'R', max: 0.5 + 1e-8 }]))).toHaveLength(1);
  });

  it('the declared total is checked against the root within the same tolerance', () => {
    expect(() => compileMethodology(points([{ code: 'R' }, { code: 'a', parent: 'R', max: 100 }], { total: 100.00000005 }))).not.toThrow();
    expect(described(points([{ code: 'R' }, { code: 'a', parent: 'R', max: 100 }], { total: 100.001 })))
      .toEqual(['R total: total is 100, not the declared total 100.001']);
  });

  it('a leaf needs max ≥ 0: 0 is taken (as long as the total is positive), a negative one is refused with its value', () => {
    expect(compileMethodology(points([{ code: 'R' }, { code: 'a', parent: 'R', max: 0 }, { code: 'b', parent: 'R', max: 1 }])).nodes[0].max).toBe(1);
    expect(issuesOf(points([{ code: 'R' }, { code: 'a', parent: 'R', max: -1 }, { code: 'b', parent: 'R', max: 2 }])))
      .toEqual([{ node: 'a', path: ['nodes', 1, 'max'], message: 'a leaf needs max ≥ 0 in points mode', value: -1 }]);
  });

  it('a leaf without max is named once: not again as a sum, a declared max, a total or a total maximum that is not a number', () => {
    expect(described(points([{ code: 'R' }, { code: 'a', parent: 'R' }, { code: 'b', parent: 'R', max: 1 }], { total: 2 })))
      .toEqual(['a nodes/1/max: a leaf needs max ≥ 0 in points mode']);
    expect(described(points([{ code: 'R' }, { code: 'D', parent: 'R', max: 3 }, { code: 'a', parent: 'D' }, { code: 'b', parent: 'R', max: 1 }], { total: 4 })))
      .toEqual(['a nodes/2/max: a leaf needs max ≥ 0 in points mode']);
  });

  it('the total maximum must be positive: leaves all at 0 are refused at the root', () => {
    expect(described(points([{ code: 'R' }, { code: 'a', parent: 'R', max: 0 }])))
      .toEqual(['R nodes/0/max: the total maximum must be > 0']);
  });

  it('a sum up to 1e299 is taken; beyond, refused once, at the lowest node whose children overflow', () => {
    expect(compileMethodology(points([{ code: 'R' }, { code: 'a', parent: 'R', max: 5e298 }, { code: 'b', parent: 'R', max: 5e298 }])).nodes[0].max).toBe(1e299);
    expect(described(points([{ code: 'R', max: 7, children: [{ code: 'D', children: [{ code: 'a', max: 6e298 }, { code: 'b', max: 6e298 }] }, { code: 'E', max: 1 }] }], { total: 5 })))
      .toEqual(["D nodes/0/children/0: the children's max sum to 1.2e+299, beyond what can be computed (at most 1e+299)"]);
    expect(described(points([{ code: 'R' }, { code: 'a', parent: 'R', max: -6e299 }, { code: 'b', parent: 'R', max: 1 }])))
      .toContain("R nodes/0: the children's max sum to -6e+299, beyond what can be computed (at most 1e+299)");
  });
});

describe('weighted mode: weights', () => {
  it('the root\'s weight is not a sibling weight and is not checked; a child\'s must be > 0', () => {
    expect(() => compileMethodology(weighted([{ code: 'R', weight: 0 }, { code: 'a', parent: 'R', weight: 0.5 }]))).not.toThrow();
    expect(issuesOf(weighted([{ code: 'R' }, { code: 'D', parent: 'R' }, { code: 'a', parent: 'D', weight: -2 }])))
      .toEqual([{ node: 'a', path: ['nodes', 2, 'weight'], message: 'weight must be > 0, got -2', value: -2 }]);
  });

  it('weights summing to a finite number are taken, however large', () => {
    expect(() => compileMethodology(weighted([{ code: 'R' }, { code: 'a', parent: 'R', weight: 8e307 }, { code: 'b', parent: 'R', weight: 8e307 }]))).not.toThrow();
  });

  it('a leaf in weighted mode needs no max, and is given no rule by default', () => {
    const c = compileMethodology(weighted([{ code: 'R' }, { code: 'a', parent: 'R' }], { defaultRule: { type: 'binary' } }));
    expect(c.nodes[1].rule).toBeNull();
  });

  it('a rule written on a weighted leaf is checked: any rule but points needs the leaf\'s max', () => {
    expect(described(weighted([{ code: 'R' }, { code: 'a', parent: 'R', rule: { type: 'binary' } }])))
      .toEqual(["a nodes/1/max: rule binary needs the leaf's max"]);
    expect(() => compileMethodology(weighted([{ code: 'R' }, { code: 'a', parent: 'R', rule: { type: 'points' } }]))).not.toThrow();
    // band points are not compared with a max that is not there: the missing max is the one problem
    expect(described(weighted([{ code: 'R' }, { code: 'a', parent: 'R', rule: { type: 'bands', bands: [{ min: 0, points: 5 }] } }])))
      .toEqual(["a nodes/1/max: rule bands needs the leaf's max"]);
  });
});

describe('rules are checked against their leaf', () => {
  const leaf = (rule: unknown, max = 10) => points([{ code: 'R' }, { code: 'a', parent: 'R', max, rule }]);

  it('bands strictly decreasing by min: an equal min is refused at the second band', () => {
    expect(described(leaf({ type: 'bands', bands: [{ min: 80, share: 1 }, { min: 80, share: 0.5 }, { min: 0, share: 0 }] })))
      .toEqual(['a nodes/1/rule/bands/1/min: bands must be ordered by min, highest first']);
    expect(() => compileMethodology(leaf({ type: 'bands', bands: [{ min: 80, share: 1 }, { min: 50, share: 0.5 }, { min: 0, share: 0 }] }))).not.toThrow();
  });

  it('every band out of order is named, the last one included', () => {
    expect(described(leaf({ type: 'bands', bands: [{ min: 50, share: 1 }, { min: 60, share: 0.5 }, { min: 70, share: 0 }] })))
      .toEqual(['a nodes/1/rule/bands/1/min: bands must be ordered by min, highest first', 'a nodes/1/rule/bands/2/min: bands must be ordered by min, highest first']);
  });

  it('band points up to the leaf\'s max (within 1e-9) are taken; above, each band refused', () => {
    expect(() => compileMethodology(leaf({ type: 'bands', bands: [{ min: 50, points: 10 + 1e-10 }, { min: 0, points: 10 }] }))).not.toThrow();
    expect(described(leaf({ type: 'bands', bands: [{ min: 50, points: 10.5 }, { min: 0, points: 11 }] })))
      .toEqual(['a nodes/1/rule/bands/0/points: band points 10.5 exceed max 10', 'a nodes/1/rule/bands/1/points: band points 11 exceed max 10']);
  });

  it('survey option codes are unique', () => {
    expect(described(leaf({ type: 'survey', options: [{ code: 'A', value: 1 }, { code: 'B', value: 0.5 }, { code: 'A', value: 0 }] })))
      .toEqual(['a nodes/1/rule/options: survey option codes must be unique']);
    expect(() => compileMethodology(leaf({ type: 'survey', options: [{ code: 'A', value: 1 }, { code: 'B', value: 0 }] }))).not.toThrow();
  });

  it('linear goal-posts must differ', () => {
    expect(() => compileMethodology(leaf({ type: 'linear', worst: 10, best: 0 }))).not.toThrow();
  });

  it('an inherited rule is checked and pointed at defaultRule, once per leaf', () => {
    expect(described(points([{ code: 'R' }, { code: 'a', parent: 'R', max: 1 }, { code: 'b', parent: 'R', max: 1 }], { defaultRule: { type: 'bands', bands: [{ min: 0, points: 2 }] } })))
      .toEqual(['a defaultRule/bands/0/points: band points 2 exceed max 1', 'b defaultRule/bands/0/points: band points 2 exceed max 1']);
  });
});

describe('schema problems name the node they are in', () => {
  it('each unknown key is its own issue, at the key', () => {
    expect(issuesOf(points([{ code: 'R' }, { code: 'a', parent: 'R', max: 1, foo: 1, bar: 2 }])).map((i) => [i.node, i.path, i.message]))
      .toEqual([['a', ['nodes', 1, 'foo'], 'unknown field foo'], ['a', ['nodes', 1, 'bar'], 'unknown field bar']]);
  });

  it('a problem in a nested node names the deepest node on its path', () => {
    expect(issuesOf(points([{ code: 'R', children: [{ code: 'D', children: [{ code: 'x', max: 'ten' }] }] }]))[0])
      .toMatchObject({ node: 'x', path: ['nodes', 0, 'children', 0, 'children', 0, 'max'] });
  });

  it('a node is named only by a code that is a string; a problem of the document names none', () => {
    expect(issuesOf(points([{ code: 'R' }, { code: 5, parent: 'R', max: 1 }]))[0]).toMatchObject({ node: undefined, path: ['nodes', 1, 'code'] });
    expect(issuesOf(points([{ code: 'R', max: 1 }], { rounding: 'two' }))[0]).toMatchObject({ node: undefined, path: ['rounding'] });
    // a required field missing: the path ends at a value that is not there
    expect(issuesOf({ id: 'x', missing: 'zero', nodes: [{ code: 'R', max: 1 }] })).toEqual([expect.objectContaining({ node: undefined, path: ['mode'] })]);
    expect(issuesOf(points([{ code: 'R' }, { parent: 'R', max: 1 }]))).toEqual([expect.objectContaining({ node: undefined, path: ['nodes', 1, 'code'] })]);
  });

  it('a document that is not an object is one issue, at the document', () => {
    expect(issuesOf(null)).toEqual([expect.objectContaining({ path: [], node: undefined })]);
    expect(issuesOf('methodology')).toEqual([expect.objectContaining({ path: [], node: undefined })]);
  });

  it('a key __proto__ is refused before the schema reads the document, and alone', () => {
    const input = JSON.parse('{"id":"x","mode":"points","missing":"zero","rounding":"two","nodes":[{"code":"R","__proto__":{}}]}');
    expect(issuesOf(input)).toEqual([{ path: ['nodes', 0, '__proto__'], message: 'the key __proto__ is not allowed (a reserved name)' }]);
  });

  it('structural problems are reported together with the rules\' only once the tree is whole', () => {
    // a duplicate code stops before sums and rules are checked: one issue, not a cascade
    expect(described(points([{ code: 'R', max: 5 }, { code: 'a', parent: 'R', max: 1 }, { code: 'a', parent: 'R', max: 1 }])))
      .toEqual(['a nodes/2/code: duplicate code a']);
  });
});

describe('the tree: one root, known parents, no cycles, nesting and parents agreeing', () => {
  it('nodes that all name a parent leave no root: found 0, without a list', () => {
    expect(described(points([{ code: 'a', parent: 'b', max: 1 }, { code: 'b', parent: 'a' }])))
      .toEqual(['- nodes: a methodology has exactly one root node; found 0']);
  });

  it('a missing parent is named once, not again as a cycle', () => {
    expect(described(points([{ code: 'R' }, { code: 'a', parent: 'R', max: 1 }, { code: 'b', parent: 'Q', max: 1 }])))
      .toEqual(['b nodes/2/parent: parent Q does not exist']);
  });

  it('a node below a cycle is not reachable either, and is named with it', () => {
    expect(described(points([{ code: 'R' }, { code: 'a', parent: 'R', max: 1 }, { code: 'x', parent: 'y' }, { code: 'y', parent: 'x' }, { code: 'z', parent: 'x', max: 1 }])).map((d) => d.split(':')[0]))
      .toEqual(['x nodes/2/parent', 'y nodes/3/parent', 'z nodes/4/parent']);
  });

  it('a nested node may repeat its enclosing node as parent, or name none (null)', () => {
    const c = compileMethodology(points([{ code: 'R', children: [{ code: 'a', parent: 'R', max: 1 }, { code: 'b', parent: null, max: 2 }] }]));
    expect(c.nodes.map((n) => [n.code, n.parent])).toEqual([['R', -1], ['a', 0], ['b', 0]]);
  });

  it('a nested node naming another parent is placed under the one it names, and the disagreement reported', () => {
    expect(described(points([{ code: 'R', children: [{ code: 'a', max: 1 }] }, { code: 'S', parent: 'R', children: [{ code: 'b', parent: 'a', max: 1 }] }])))
      .toEqual(['b nodes/1/children/0/parent: nested under S but names parent a']);
  });

  it('children in document order, each remembering where it was written', () => {
    const c = compileMethodology(points([{ code: 'R', children: [{ code: 'a', max: 1 }] }, { code: 'b', parent: 'R', max: 1 }, { code: 'c', parent: 'R', max: 1 }]));
    expect(c.nodes.map((n) => [n.code, n.path])).toEqual([['R', ['nodes', 0]], ['a', ['nodes', 0, 'children', 0]], ['b', ['nodes', 1]], ['c', ['nodes', 2]]]);
  });

  it('a duplicate root code is a duplicate, and the first root stands', () => {
    expect(described(points([{ code: 'R' }, { code: 'a', parent: 'R', max: 1 }, { code: 'R' }])))
      .toEqual(['R nodes/2/code: duplicate code R']);
  });
});

describe('a band gives either points or share', () => {
  const banded = (band: object) => points([{ code: 'R' }, { code: 'a', parent: 'R', max: 10, rule: { type: 'bands', bands: [band] } }]);

  it('points alone, or share alone, is taken', () => {
    expect(() => compileMethodology(banded({ min: 0, points: 4 }))).not.toThrow();
    expect(() => compileMethodology(banded({ min: 0, share: 0.4 }))).not.toThrow();
  });

  it('both, or neither, is refused at the band', () => {
    for (const band of [{ min: 0, points: 4, share: 0.4 }, { min: 0 }]) {
      expect(described(banded(band))).toEqual(['a nodes/1/rule/bands/0: a band gives either points or share']);
    }
  });
});
