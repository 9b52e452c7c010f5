// The hot paths against the plain algorithms they replaced, bit for bit: sums of the official rule
// (node by node across units, two children per pass) and competition ranks (native sort + bisection).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMethodology, competitionRanks, evaluate, prepareScores, snap as engineSnap, type CompiledMethodology, type NodeInput } from '../../src/engine/index.js';

/**
 * The rule the engine's snap implements (src/engine/numbers.ts: sums snapped to 9 decimals), written
 * again here so that a broken production snap cannot break the code and its oracle together.
 */
const snap = (x: number): number => Math.round(x * 1e9) / 1e9;

/** Unit by unit, each node's children added in order from 0; the root and the domains snapped. */
function referenceSums(c: CompiledMethodology, leafValues: (u: number, node: number) => number, nUnits: number): Float64Array {
  const n = c.nodes.length;
  const values = new Float64Array(nUnits * n);
  for (let u = 0; u < nUnits; u++) {
    for (let i = n - 1; i >= 0; i--) {
      const node = c.nodes[i];
      if (node.children.length === 0) { values[u * n + i] = leafValues(u, i); continue; }
      let sum = 0;
      for (const child of node.children) sum += values[u * n + child];
      values[u * n + i] = node.depth <= 1 ? snap(sum) : sum;
    }
  }
  return values;
}

/** The previous ranking: indices sorted by value through a callback, ties share the first rank. */
function referenceRanks(values: ArrayLike<number>, eligible: (i: number) => boolean): (number | null)[] {
  const order: number[] = [];
  for (let i = 0; i < values.length; i++) if (eligible(i) && Number.isFinite(values[i])) order.push(i);
  order.sort((a, b) => values[b] - values[a]);
  const ranks: (number | null)[] = new Array(values.length).fill(null);
  order.forEach((i, k) => { ranks[i] = k > 0 && values[order[k - 1]] === values[i] ? ranks[order[k - 1]] : k + 1; });
  return ranks;
}

/** A tree of 1–4 levels below the root, 1–5 children per node (odd counts exercise the single-child pass). */
const tree: fc.Arbitrary<NodeInput> = fc.letrec<{ node: NodeInput }>((t) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: 1, max: 40 }).map((q) => ({ max: q / 10 }) as NodeInput),
    fc.array(t('node'), { minLength: 1, maxLength: 5 }).map((children) => ({ children }) as NodeInput),
  ),
})).node;

function numbered(node: NodeInput, code: string): NodeInput {
  return { ...node, code, ...(node.children && { children: node.children.map((c, i) => numbered(c, `${code}.${i + 1}`)) }) };
}

const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).every((x, i) => Object.is(x, b[i])) && a.length === b.length;

describe('the oracle\'s snap', () => {
  it('is the engine\'s rule, by known answers: equal totals tie whatever the order of addition', () => {
    for (const [x, snapped] of [[0.1 + 0.2, 0.3], [92.8 - 92.4, 0.4], [1e-10, 0], [2.0000000004, 2], [2.0000000006, 2.000000001], [-0.30000000000000004, -0.3], [123456.7890123454, 123456.789012345]]) {
      expect([snap(x), engineSnap(x)], String(x)).toEqual([snapped, snapped]);
    }
  });
});

describe('official rule sums', () => {
  it('equal unit-by-unit sums bit for bit, with decimals, missing values and max overrides', () => {
    fc.assert(fc.property(
      fc.array(tree, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 9 }), fc.integer(), fc.boolean(),
      (domains, nUnits, seed, override) => {
        const c = compileMethodology({ id: 'f', mode: 'points', missing: 'zero', nodes: [{ code: 'R', children: domains.map((d, i) => numbered(d, `${i + 1}`)) }] });
        const units = Array.from({ length: nUnits }, (_, u) => ({ code: `U${u}` }));
        // decimals whose binary sums carry noise, some rows left out (missing → 0)
        const value = (u: number, leaf: number) => Math.abs((seed ^ (u * 7919 + leaf * 104729)) % 11) / 10 * c.nodes[leaf].max;
        const scores = units.flatMap((unit, u) => c.leaves.filter((leaf) => (u + leaf + seed) % 5 !== 0)
          .map((leaf) => ({ unit: unit.code, indicator: c.nodes[leaf].code, value: snap(value(u, leaf)) })));
        const m = prepareScores(c, scores, units);
        const max = override ? c.max.map((x, i) => x * (1 + (i % 3) / 10)) : c.max;
        const e = evaluate(c, m, override ? { max } : {});
        const slot = new Map(c.leaves.map((leaf, s) => [leaf, s]));
        const expected = referenceSums(c, (u, leaf) => {
          const v = m.values[u * c.leaves.length + slot.get(leaf)!];
          const filled = Number.isNaN(v) ? 0 : v;
          const factor = max[leaf] / c.nodes[leaf].max;
          return factor !== 1 ? filled * factor : filled;
        }, nUnits);
        expect(sameBits(e.values, expected)).toBe(true);
        expect(sameBits(e.index, Array.from({ length: nUnits }, (_, u) => snap((expected[u * c.nodes.length] / max[0]) * 100)))).toBe(true);
      },
    ), { numRuns: 300 });
  });
});

describe('competition ranks', () => {
  const value = fc.oneof(
    fc.integer({ min: -4, max: 4 }).map((k) => k / 2),
    fc.constantFrom(0, -0, NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, 89.996, 90.004),
    fc.double(),
  );
  it('equal the ranks of a sort by value, with ties, ±0, non-finite values and ineligible entries', () => {
    fc.assert(fc.property(fc.array(fc.tuple(value, fc.boolean()), { maxLength: 40 }), fc.boolean(), (entries, typed) => {
      const values = typed ? Float64Array.from(entries, ([v]) => v) : entries.map(([v]) => v);
      const eligible = (i: number) => entries[i][1];
      expect(competitionRanks(values, eligible)).toEqual(referenceRanks(values, eligible));
      expect(competitionRanks(values)).toEqual(referenceRanks(values, () => true));
    }), { numRuns: 1000 });
  });
});
