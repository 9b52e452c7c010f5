// From the document's nodes (nested, flat or both) to the tree in pre-order: each node placed under
// its parent, with its depth and where it is in the document. Explicit stacks, no recursion: a
// document's depth is bounded by the budget, never by the call stack.
import type { CompiledNode, Path } from './compile.js';
import type { IssueList } from './errors.js';
import type { Methodology, NodeInput } from './model.js';

/** A node of the document with its resolved parent and where it is (the node itself is not copied). */
interface FlatNode { code: string; parent: string | null; path: Path; input: NodeInput }

/**
 * Accepts nodes nested (children) or flat (parent), or both mixed; each remembers where it was.
 * Depth-first in document order with an explicit stack (no recursion: depth is bounded by the
 * budget, not by the call stack).
 */
export function flatten(nodes: NodeInput[], issues: IssueList): FlatNode[] {
  const out: FlatNode[] = [];
  const stack: { node: NodeInput; parentCode: string | undefined; path: Path }[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) stack.push({ node: nodes[i], parentCode: undefined, path: ['nodes', i] });
  while (stack.length) {
    const { node, parentCode, path } = stack.pop()!;
    if (parentCode != null && node.parent != null && node.parent !== parentCode) {
      issues.add({ node: node.code, path: [...path, 'parent'], message: `nested under ${parentCode} but names parent ${node.parent}` });
    }
    out.push({ code: node.code, parent: node.parent ?? parentCode ?? null, path, input: node });
    const children = node.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], parentCode: node.code, path: [...path, 'children', i] });
  }
  return out;
}

/** The tree from the flat list: codes unique, exactly one root, every parent known, none in a cycle of parents. */
export function buildTree(m: Methodology, flat: FlatNode[], issues: IssueList): CompiledNode[] {
  const byCode = new Map<string, FlatNode>();
  for (const node of flat) {
    if (byCode.has(node.code)) issues.add({ node: node.code, path: [...node.path, 'code'], message: `duplicate code ${node.code}` });
    else byCode.set(node.code, node);
  }
  const roots = [...byCode.values()].filter((n) => n.parent == null);
  for (const node of byCode.values()) {
    if (node.parent != null && !byCode.has(node.parent)) {
      issues.add({ node: node.code, path: [...node.path, 'parent'], message: `parent ${node.parent} does not exist` });
    }
  }
  if (roots.length !== 1) {
    issues.add({ path: ['nodes'], message: `a methodology has exactly one root node; found ${roots.length}${roots.length ? ` (${roots.map((r) => r.code).join(', ')})` : ''}` });
    return [];
  }
  // Appended in place: copying a growing list per child made a flat tree quadratic (20,000 leaves: 13 s).
  // The root is filed under null, which is no node's code: it is no one's child.
  const childrenOf = new Map<string | null, FlatNode[]>();
  for (const node of byCode.values()) {
    const siblings = childrenOf.get(node.parent);
    if (siblings) siblings.push(node);
    else childrenOf.set(node.parent, [node]);
  }
  const nodes = placeInPreOrder(m, roots[0], childrenOf);
  const reached = new Set(nodes.map((n) => n.code));
  for (const [code, node] of byCode) {
    // Not reached from the root (which is): in a cycle or below one, unless its parent is missing (reported above).
    if (reached.has(code) || !byCode.has(node.parent!)) continue;
    issues.add({ node: code, path: [...node.path, 'parent'], message: `node ${code} is in a cycle of parents (not reachable from the root)` });
  }
  return nodes;
}

/** The tree in pre-order (a parent before its children, siblings in document order), with an explicit stack. */
function placeInPreOrder(m: Methodology, root: FlatNode, childrenOf: Map<string | null, FlatNode[]>): CompiledNode[] {
  const nodes: CompiledNode[] = [];
  const stack: { node: FlatNode; parent: number; depth: number }[] = [{ node: root, parent: -1, depth: 0 }];
  while (stack.length) {
    const { node, parent, depth } = stack.pop()!;
    const index = nodes.length;
    nodes.push(makeNode(m, node, index, parent, depth));
    if (parent >= 0) nodes[parent].children.push(index);
    const children = childrenOf.get(node.code) ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], parent: index, depth: depth + 1 });
  }
  return nodes;
}

function makeNode(m: Methodology, flat: FlatNode, index: number, parent: number, depth: number): CompiledNode {
  const n = flat.input;
  const sources = n.source === undefined ? [] : Array.isArray(n.source) ? n.source : [n.source];
  return {
    index, code: n.code, parent, depth, children: [], name: n.name,
    max: n.max ?? NaN, weight: n.weight ?? 1, direction: n.direction ?? 1, sources,
    rule: n.rule ?? null,
    normalisation: n.normalisation ?? m.normalisation ?? { method: 'minmax', min: 0, max: 100 },
    aggregation: n.aggregation ?? m.aggregation,
    availabilityThreshold: n.availabilityThreshold ?? m.availabilityThreshold ?? 0,
    provenance: n.provenance, path: flat.path,
    denominator: n.denominator, treatment: n.treatment === false ? null : n.treatment ?? m.treatment ?? null,
  };
}
