// The size and depth of a methodology document, measured before anything else reads it: schema
// validation recurses through nested children and would overflow the stack on a document nested
// 1,000 deep, and every later step is linear in the nodes. Iterative, and it trusts nothing of
// the document's shape (the schema reports what is wrong with it afterwards).
import { BUDGETS, BudgetError, within, type Limits } from './budgets.js';

type Path = (string | number)[];

export interface MethodologyShape {
  nodes: number;
  /** levels below the root, by nesting or by parent chain (the deeper of the two) */
  depth: number;
}

/** A node as found in the document: where it is, its code and its parent (named, or the enclosing node's). */
interface Found {
  key: number; up: Found | null; nest: number; code?: string; parent?: string;
  /** levels below the root by the chain of parents, once known; the walk that last passed (to stop at a cycle) */
  depth?: number; walk?: number;
}

/**
 * Counts the nodes and measures the depth of a raw methodology document; throws a BudgetError
 * naming the node (JSON Pointer) past the node or depth budget. Stops counting at the first excess.
 */
export function measureMethodology(input: unknown, limits: Partial<Limits> = BUDGETS): MethodologyShape {
  const top = isRecord(input) && Array.isArray(input.nodes) ? input.nodes : [];
  const maxDepth = limits.methodologyDepth ?? BUDGETS.methodologyDepth;
  const found: Found[] = [];
  const stack: { node: unknown; at: Found }[] = [];
  let deepestNest = 0;
  for (let i = top.length - 1; i >= 0; i--) stack.push({ node: top[i], at: { key: i, up: null, nest: 0 } });
  while (stack.length) {
    const { node, at } = stack.pop()!;
    within('methodologyNodes', found.length + 1, 'nodes in the methodology', ['nodes'], limits);
    within('methodologyDepth', at.nest, 'levels of nesting below the root', pathOf(at), { methodologyDepth: maxDepth });
    found.push(at);
    deepestNest = Math.max(deepestNest, at.nest);
    if (!isRecord(node)) continue;
    if (typeof node.code === 'string') at.code = node.code;
    const enclosing = at.up?.code;
    at.parent = typeof node.parent === 'string' ? node.parent : enclosing;
    const children = Array.isArray(node.children) ? node.children : [];
    for (let k = children.length - 1; k >= 0; k--) stack.push({ node: children[k], at: { key: k, up: at, nest: at.nest + 1 } });
  }
  return { nodes: found.length, depth: Math.max(deepestNest, chainDepth(found, maxDepth)) };
}

/**
 * The longest chain of parents, each node's depth computed once (memoised from the top down).
 * A cycle or an unknown parent ends a chain: the compiler reports those. Of duplicate codes, the
 * first is the parent its code names (the compiler reports the others).
 */
function chainDepth(found: Found[], maxDepth: number): number {
  // Keyed by code only: a node without a code is no one's parent (a root's parent is undefined).
  const byCode = new Map<string | undefined, Found>();
  for (const f of found) if (f.code !== undefined && !byCode.has(f.code)) byCode.set(f.code, f);
  let deepest = 0;
  found.forEach((f, walk) => {
    // Up the parents to a node of known depth, to no parent, or back to a node of this walk (a cycle).
    const chain: Found[] = [];
    let at = byCode.get(f.code);
    while (at && at.depth === undefined && at.walk !== walk) {
      at.walk = walk;
      chain.push(at);
      at = byCode.get(at.parent);
    }
    let depth = at?.depth ?? -1;
    for (const node of chain.reverse()) {
      node.depth = ++depth;
      if (depth > maxDepth) {
        throw new BudgetError('methodologyDepth', depth, maxDepth, `levels below the root (node ${node.code}, by its chain of parents)`, pathOf(node));
      }
      deepest = Math.max(deepest, depth);
    }
  });
  return deepest;
}

function pathOf(at: Found): Path {
  const keys: number[] = [];
  for (let f: Found | null = at; f; f = f.up) keys.push(f.key);
  const path: Path = ['nodes', keys.pop()!];
  while (keys.length) path.push('children', keys.pop()!);
  return path;
}

/** An object whose fields may be read (an array has none of the fields read here: it reads as a record without them). */
function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object';
}
