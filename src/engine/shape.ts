// The size and depth of a methodology document, measured before anything else reads it: schema
// validation recurses through nested children and would overflow the stack on a document nested
// 1,000 deep, and every later step is linear in the nodes. Iterative, and it trusts nothing of
// the document's shape (the schema reports what is wrong with it afterwards).
import { BUDGETS, within, type Limits } from './budgets.js';

type Path = (string | number)[];

export interface MethodologyShape {
  nodes: number;
  /** levels below the root, by nesting or by parent chain (the deeper of the two) */
  depth: number;
}

/** A node as found in the document: where it is, its code and its parent (named, or the enclosing node's). */
interface Found { key: number; up: Found | null; nest: number; code?: string; parent?: string }

/**
 * Counts the nodes and measures the depth of a raw methodology document; throws a BudgetError
 * naming the node (JSON Pointer) past the node or depth budget. Stops counting at the first excess.
 */
export function measureMethodology(input: unknown, limits: Partial<Limits> = BUDGETS): MethodologyShape {
  const top = isRecord(input) && Array.isArray(input.nodes) ? input.nodes : [];
  const maxDepth = limits.methodologyDepth ?? BUDGETS.methodologyDepth;
  const found: Found[] = [];
  const stack: { node: unknown; at: Found }[] = [];
  for (let i = top.length - 1; i >= 0; i--) stack.push({ node: top[i], at: { key: i, up: null, nest: 0 } });
  while (stack.length) {
    const { node, at } = stack.pop()!;
    within('methodologyNodes', found.length + 1, 'nodes in the methodology', ['nodes'], limits);
    within('methodologyDepth', at.nest, 'levels of nesting below the root', pathOf(at), { methodologyDepth: maxDepth });
    found.push(at);
    if (!isRecord(node)) continue;
    if (typeof node.code === 'string') at.code = node.code;
    const enclosing = at.up?.code;
    at.parent = typeof node.parent === 'string' ? node.parent : enclosing;
    const children = Array.isArray(node.children) ? node.children : [];
    for (let k = children.length - 1; k >= 0; k--) stack.push({ node: children[k], at: { key: k, up: at, nest: at.nest + 1 } });
  }
  return { nodes: found.length, depth: chainDepth(found, maxDepth) };
}

/**
 * The longest chain of parents, each code's depth computed once (memoised from the top down).
 * A cycle or an unknown parent ends a chain: the compiler reports those.
 */
function chainDepth(found: Found[], maxDepth: number): number {
  const byCode = new Map<string, Found>();
  for (const f of found) if (f.code !== undefined && !byCode.has(f.code)) byCode.set(f.code, f);
  const depthOf = new Map<string, number>();
  const walk = new Map<string, number>();
  let deepest = 0;
  found.forEach((f, n) => {
    if (f.code === undefined || depthOf.has(f.code)) return;
    const chain: string[] = [];
    let code: string | undefined = f.code;
    while (code !== undefined && byCode.has(code) && !depthOf.has(code) && walk.get(code) !== n) {
      walk.set(code, n);
      chain.push(code);
      code = byCode.get(code)!.parent;
    }
    const base = code !== undefined && depthOf.has(code) ? depthOf.get(code)! : -1;
    for (let i = chain.length - 1, d = base + 1; i >= 0; i--, d++) {
      depthOf.set(chain[i], d);
      if (d > maxDepth) {
        const node = byCode.get(chain[i])!;
        within('methodologyDepth', d, `levels below the root (node ${chain[i]}, by its chain of parents)`, pathOf(node), { methodologyDepth: maxDepth });
      }
      deepest = Math.max(deepest, d);
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

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
