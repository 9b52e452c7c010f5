// The size and depth of a methodology document, measured before anything reads it
// (src/engine/shape.ts): the budgets may be reached but not exceeded, depth counts both nesting and
// chains of parents, and nothing about the document's shape is trusted.
import { describe, expect, it } from 'vitest';
import { BUDGETS, BudgetError, measureMethodology } from '../../src/engine/index.js';

const UNBOUNDED = { methodologyNodes: Number.MAX_SAFE_INTEGER, methodologyDepth: Number.MAX_SAFE_INTEGER };

/** A root C0 and a chain of `length` nodes below it, each the parent of the next (flat form). */
const chain = (length: number) => ({
  nodes: [{ code: 'C0' }, ...Array.from({ length }, (_, i) => ({ code: `C${i + 1}`, parent: `C${i}` }))],
});
/** The same written nested: N0 › N1 › … › N<depth>. */
function nested(depth: number) {
  let node: Record<string, unknown> = { code: `N${depth}` };
  for (let d = depth - 1; d >= 0; d--) node = { code: `N${d}`, children: [node] };
  return { nodes: [node] };
}
/** A root and `leaves` leaves below it: leaves + 1 nodes. */
const flat = (leaves: number) => ({ nodes: [{ code: 'R' }, ...Array.from({ length: leaves }, (_, i) => ({ code: `L${i}`, parent: 'R' }))] });

function budgetErrorOf(f: () => unknown): BudgetError {
  try { f(); } catch (e) {
    if (e instanceof BudgetError) return e;
    throw e;
  }
  throw new Error('expected a BudgetError');
}

describe('the node budget may be reached, not exceeded', () => {
  it(`${BUDGETS.methodologyNodes} nodes are measured; one more is refused at /nodes, counting stopped at the first excess`, () => {
    expect(measureMethodology(flat(BUDGETS.methodologyNodes - 1)).nodes).toBe(BUDGETS.methodologyNodes);
    const e = budgetErrorOf(() => measureMethodology(flat(BUDGETS.methodologyNodes + 50)));
    expect([e.budget, e.actual, e.limit, e.pointer()]).toEqual(['methodologyNodes', BUDGETS.methodologyNodes + 1, BUDGETS.methodologyNodes, '/nodes']);
  });

  it('a caller\'s limit replaces the budget, nested children counted as nodes', () => {
    const three = { nodes: [{ code: 'R', children: [{ code: 'a' }, { code: 'b' }] }] };
    expect(measureMethodology(three, { methodologyNodes: 3 })).toEqual({ nodes: 3, depth: 1 });
    expect(budgetErrorOf(() => measureMethodology(three, { methodologyNodes: 2 })).actual).toBe(3);
  });
});

describe('the depth budget may be reached, not exceeded, by nesting or by a chain of parents', () => {
  it(`nested ${BUDGETS.methodologyDepth} levels deep is measured; one more is refused at the node too deep`, () => {
    expect(measureMethodology(nested(BUDGETS.methodologyDepth))).toEqual({ nodes: BUDGETS.methodologyDepth + 1, depth: BUDGETS.methodologyDepth });
    const e = budgetErrorOf(() => measureMethodology(nested(BUDGETS.methodologyDepth + 1)));
    expect([e.budget, e.actual, e.limit]).toEqual(['methodologyDepth', BUDGETS.methodologyDepth + 1, BUDGETS.methodologyDepth]);
    expect(e.pointer()).toBe(`/nodes/0${'/children/0'.repeat(BUDGETS.methodologyDepth + 1)}`);
  });

  it(`a chain of ${BUDGETS.methodologyDepth} parents is measured; one more is refused at the first node too deep, named`, () => {
    expect(measureMethodology(chain(BUDGETS.methodologyDepth))).toEqual({ nodes: BUDGETS.methodologyDepth + 1, depth: BUDGETS.methodologyDepth });
    const e = budgetErrorOf(() => measureMethodology(chain(BUDGETS.methodologyDepth + 5)));
    expect([e.budget, e.actual, e.limit, e.pointer()]).toEqual(['methodologyDepth', 21, 20, '/nodes/21']);
    expect(e.issues[0].message).toBe('levels below the root (node C21, by its chain of parents): 21, more than the limit of 20 (budget methodologyDepth)');
  });

  it('a chain listed bottom first is refused at the same node (depth is by the chain, not by the order of the list)', () => {
    const reversed = { nodes: [...chain(BUDGETS.methodologyDepth + 5).nodes].reverse() };
    const e = budgetErrorOf(() => measureMethodology(reversed));
    expect(e.issues[0].message).toMatch(/node C21, by its chain of parents/);
    expect(e.pointer()).toBe(`/nodes/${reversed.nodes.findIndex((n) => n.code === 'C21')}`);
  });

  it('a caller\'s depth limit replaces the budget, for nesting and for chains alike', () => {
    expect(measureMethodology(chain(3), { methodologyDepth: 3 }).depth).toBe(3);
    expect(budgetErrorOf(() => measureMethodology(chain(4), { methodologyDepth: 3 })).actual).toBe(4);
    expect(measureMethodology(nested(3), { methodologyDepth: 3 }).depth).toBe(3);
    expect(budgetErrorOf(() => measureMethodology(nested(4), { methodologyDepth: 3 })).actual).toBe(4);
  });

  it('a limit given for nodes only leaves the depth budget in force', () => {
    expect(budgetErrorOf(() => measureMethodology(chain(BUDGETS.methodologyDepth + 1), { methodologyNodes: 100 })).budget).toBe('methodologyDepth');
    expect(budgetErrorOf(() => measureMethodology(nested(BUDGETS.methodologyDepth + 1), { methodologyNodes: 100 })).budget).toBe('methodologyDepth');
  });
});

describe('depth is the deeper of nesting and the chain of parents', () => {
  it('a node nested under a flat node is one level below it', () => {
    // R ← A (flat); A › B › C (nested): C is 3 below R, though nested only 2 deep
    expect(measureMethodology({ nodes: [{ code: 'R' }, { code: 'A', parent: 'R', children: [{ code: 'B', children: [{ code: 'C' }] }] }] }))
      .toEqual({ nodes: 4, depth: 3 });
  });

  it('a node nested under one node but naming another parent is below the one it names', () => {
    // R › x, naming parent y; y ← R: x is 2 below R
    expect(measureMethodology({ nodes: [{ code: 'R', children: [{ code: 'x', parent: 'y' }] }, { code: 'y', parent: 'R' }] }).depth).toBe(2);
  });

  it('a parent that is not a string is ignored: the enclosing node is the parent', () => {
    expect(measureMethodology({ nodes: [{ code: 'R', children: [{ code: 'a', children: [{ code: 'b', parent: 7 }] }] }] }).depth).toBe(2);
  });

  it('nesting counts even where codes are missing (no chain can be followed)', () => {
    expect(measureMethodology({ nodes: [{ code: 5, children: [{ children: [{ code: 'x' }] }] }] })).toEqual({ nodes: 3, depth: 2 });
  });

  it('a node without a code, or not an object, is counted but is no one\'s parent', () => {
    expect(measureMethodology({ nodes: [5, null, { parent: 'R' }, { code: 'R' }, { code: 'a', parent: 'R' }] })).toEqual({ nodes: 5, depth: 1 });
  });

  it('of duplicate codes, the first is the parent its code names', () => {
    // R ← a ← b, then a second a under b: the first a (under R) is the one b hangs from, so b is 2 deep
    expect(measureMethodology({ nodes: [{ code: 'R' }, { code: 'a', parent: 'R' }, { code: 'b', parent: 'a' }, { code: 'a', parent: 'b' }] }).depth).toBe(2);
  });

  it('a cycle of parents ends the chain; an unknown parent starts one', () => {
    expect(measureMethodology({ nodes: [{ code: 'R' }, { code: 'a', parent: 'b' }, { code: 'b', parent: 'a' }] }).depth).toBe(1);
    expect(measureMethodology({ nodes: [{ code: 'a', parent: 'ghost' }, { code: 'b', parent: 'a' }] }).depth).toBe(1);
  });
});

describe('the document\'s shape is not trusted', () => {
  it.each([null, undefined, 3, 'nodes', [], [{ code: 'R' }], {}, { nodes: 'R' }, { nodes: { 0: { code: 'R' } } }])('%j has no nodes', (input) => {
    expect(measureMethodology(input)).toEqual({ nodes: 0, depth: 0 });
  });

  it('children that are not a list are no children', () => {
    expect(measureMethodology({ nodes: [{ code: 'R', children: 'a' }, { code: 'S', children: { 0: { code: 'x' } } }] })).toEqual({ nodes: 2, depth: 0 });
  });

  // No clock here (timings belong in `npm run bench`): each depth computed once measures this chain in
  // a second or two, where walking each chain to the root (5 billion steps) outlasts the test's timeout.
  it('a parent chain of 100,000 is measured, each depth computed once', () => {
    expect(measureMethodology(chain(100_000), UNBOUNDED)).toEqual({ nodes: 100_001, depth: 100_000 });
  });
});
