// Points mode sums against an independent oracle (issue 12): every node of every unit, in random
// trees of one to three levels below the root, under the official rule (missing zero: a plain sum,
// snapped only where ranks are taken: the root and the domains) and under missing skip (the share
// of the available children scaled to the node's max, every sum snapped). Plus the counts of
// missing leaves and the evaluation against an overridden max.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMethodology, evaluate, prepareScores } from '../../src/engine/index.js';

/** 9 decimals, half up: the precision sums are compared at (written here, not imported). */
const snap9 = (x: number) => Math.round(x * 1e9) / 1e9;

interface Node { code: string; depth: number; max: number; children: Node[] }

// A domain is a list of items; an item is a leaf (its max) or a sub-domain (its leaves' maxima).
const leafMax = fc.constantFrom(0, 0.1, 0.2, 0.3, 0.7, 1, 2.5, 7);
const item = fc.oneof(leafMax, fc.array(leafMax, { minLength: 1, maxLength: 3 }));
const shape = fc.array(fc.array(item, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 });

/** The tree, its maxima derived as compile derives them (a sum of the children's, snapped). */
function tree(domains: (number | number[])[][]): Node {
  let n = 0;
  const leaf = (max: number, depth: number): Node => ({ code: `L${n++}`, depth, max, children: [] });
  const inner = (depth: number, children: Node[]): Node => ({
    code: depth === 0 ? 'R' : `N${n++}`, depth, children, max: snap9(children.reduce((s, c) => s + c.max, 0)),
  });
  return inner(0, domains.map((items) => inner(1, items.map((it) => (typeof it === 'number' ? leaf(it, 2) : inner(2, it.map((m) => leaf(m, 3))))))));
}

function* walk(node: Node): Generator<Node> {
  yield node;
  for (const c of node.children) yield* walk(c);
}

function methodology(root: Node, missing: 'zero' | 'skip') {
  const nodes = [...walk(root)].map((node) => ({
    code: node.code,
    ...(node !== root && { parent: parentOf(root, node)!.code }),
    ...(node.children.length === 0 && { max: node.max }),
  }));
  return { id: 'sums', mode: 'points', missing, nodes };
}

function parentOf(root: Node, child: Node): Node | undefined {
  for (const node of walk(root)) if (node.children.includes(child)) return node;
  return undefined;
}

/** The oracle: each node's points from its leaves' (NaN = missing), in the order of the children. */
function oracle(node: Node, leaf: Map<string, number>, missing: 'zero' | 'skip'): number {
  if (node.children.length === 0) {
    const v = leaf.get(node.code) ?? NaN;
    return Number.isNaN(v) && missing === 'zero' ? 0 : v;
  }
  let sum = 0, availableMax = 0, available = 0;
  for (const c of node.children) {
    const v = oracle(c, leaf, missing);
    if (Number.isNaN(v)) continue;
    sum = sum + v; availableMax += c.max; available++;
  }
  if (missing === 'zero') return node.depth <= 1 ? snap9(sum) : sum;
  if (available === 0) return NaN;
  return snap9(available < node.children.length && availableMax > 0 ? (sum / availableMax) * node.max : sum);
}

const missingLeaves = (node: Node, leaf: Map<string, number>): number =>
  node.children.length === 0 ? (leaf.has(node.code) ? 0 : 1) : node.children.reduce((s, c) => s + missingLeaves(c, leaf), 0);

// Per unit and leaf: a tenth of the leaf's max (0 to 10 tenths), or no score.
const scoresFor = (root: Node) => {
  const leaves = [...walk(root)].filter((n) => n.children.length === 0);
  return fc.array(fc.array(fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }), { minLength: leaves.length, maxLength: leaves.length }), { minLength: 1, maxLength: 3 })
    .map((units) => units.map((tenths) => new Map(leaves.flatMap((l, i) => (tenths[i] === undefined ? [] : [[l.code, Math.min(l.max, (l.max * tenths[i]!) / 10)] as const])))));
};

describe('points mode sums', () => {
  for (const missing of ['zero', 'skip'] as const) {
    it(`every node of every unit is the oracle's sum, bit for bit, and counts its missing leaves (missing ${missing})`, () => {
      const cases = shape.map(tree).filter((root) => root.max > 0).chain((root) => fc.tuple(fc.constant(root), scoresFor(root)));
      fc.assert(fc.property(cases, ([root, units]) => {
        const c = compileMethodology(methodology(root, missing));
        const scores = units.flatMap((leaf, u) => [...leaf].map(([indicator, value]) => ({ unit: `U${u}`, indicator, value })));
        const e = evaluate(c, prepareScores(c, scores, units.map((_, u) => ({ code: `U${u}` }))));
        units.forEach((leaf, u) => {
          for (const node of walk(root)) {
            const cell = u * e.nNodes + c.byCode.get(node.code)!;
            expect(e.values[cell], `${node.code} of U${u}`).toBe(oracle(node, leaf, missing));
            expect(e.missing[cell] ?? 0, `missing below ${node.code} of U${u}`).toBe(missingLeaves(node, leaf));
          }
          expect(e.index[u]).toBe(snap9((oracle(root, leaf, missing) / root.max) * 100));
        });
      }), { numRuns: 150 });
    });
  }

  it('under the official rule a sum below the domains keeps its binary noise (it is snapped where published)', () => {
    // R ─ D ─ S ─ a (0.1), b (0.2): S = 0.1 + 0.2 = 0.30000000000000004, D and R snapped to 0.3
    const c = compileMethodology({
      id: 'noise', mode: 'points', missing: 'zero', nodes: [
        { code: 'R' }, { code: 'D', parent: 'R' }, { code: 'S', parent: 'D' },
        { code: 'a', parent: 'S', max: 1 }, { code: 'b', parent: 'S', max: 1 },
      ],
    });
    const e = evaluate(c, prepareScores(c, [{ unit: 'U', indicator: 'a', value: 0.1 }, { unit: 'U', indicator: 'b', value: 0.2 }]));
    expect(['R', 'D', 'S'].map((code) => e.values[c.byCode.get(code)!])).toEqual([0.3, 0.3, 0.1 + 0.2]);
  });
});

describe('an overridden max', () => {
  it('a leaf worth nothing stays at 0 points (it has no share to scale), whatever the other maxima', () => {
    // R ─ a (0), b (4): b 2 of 4 scored against 8 is 4; a stays 0, not 0 × 8 / 0
    for (const missing of ['zero', 'skip']) {
      const c = compileMethodology({ id: 'o', mode: 'points', missing, nodes: [{ code: 'R' }, { code: 'a', parent: 'R', max: 0 }, { code: 'b', parent: 'R', max: 4 }] });
      const [root, a, b] = ['R', 'a', 'b'].map((code) => c.byCode.get(code)!);
      const max = Float64Array.from(c.max);
      max[b] = 8; max[root] = 8;
      const e = evaluate(c, prepareScores(c, [{ unit: 'U', indicator: 'a', value: 0 }, { unit: 'U', indicator: 'b', value: 2 }]), { max });
      expect([e.values[a], e.values[b], e.values[root], e.index[0]], missing).toEqual([0, 4, 4, 50]);
    }
  });
});
