// Turns a methodology document (flat or nested nodes) into a validated tree with resolved
// maxima, rules and defaults, laid out in arrays so that computing a cycle is plain loops.
import { IssueList, type Issue } from './errors.js';
import { snap } from './numbers.js';
import {
  DEFAULT_GROUPS, MethodologyInput, type Methodology, type NodeInput, type Normalisation,
  type Provenance, type ScoringRule,
} from './model.js';

export interface CompiledNode {
  index: number;
  code: string;
  parent: number; // -1 for the root
  depth: number;
  children: number[];
  name?: { vi: string; en: string };
  max: number; // points mode: resolved maximum; weighted mode: NaN
  weight: number;
  direction: 1 | -1;
  sources: string[];
  rule: ScoringRule | null;
  normalisation: Normalisation;
  aggregation: 'arithmetic' | 'geometric';
  availabilityThreshold: number;
  provenance?: Provenance;
  /** where the node is in the document (JSON Pointer segments): ['nodes', 1] or ['nodes', 0, 'children', 2] */
  path: Path;
}

type Path = (string | number)[];

export interface CompiledMethodology {
  methodology: Methodology;
  /** Pre-order: a parent always comes before its children; nodes[0] is the root. */
  nodes: CompiledNode[];
  leaves: number[];
  byCode: Map<string, number>;
  groups: { code: string; min: number }[];
  /** children in compressed form for the hot loops: node i's children are childIndex[childStart[i] .. childStart[i+1]) */
  childStart: Int32Array;
  childIndex: Int32Array;
  /** nodes with children, children before parents */
  innerNodes: Int32Array;
  /** 1 for the nodes whose sums are snapped to 9 decimals (the root and the domains, which are ranked) */
  snapped: Uint8Array;
  /** per node, for the hot loops */
  max: Float64Array;
  weight: Float64Array;
  availabilityThreshold: Float64Array;
}

const TOLERANCE = 1e-9;

/** Validates any JSON value as a methodology and compiles it; throws EngineError naming every problem. */
export function compileMethodology(input: unknown): CompiledMethodology {
  const issues = new IssueList();
  const parsed = MethodologyInput.safeParse(input);
  if (!parsed.success) {
    for (const i of parsed.error.issues) schemaIssues(input, i).forEach((issue) => issues.add(issue));
    issues.throwIfAny('invalid-methodology');
  }
  const methodology = parsed.data!;
  const flat = flatten(methodology.nodes, issues);
  const nodes = buildTree(methodology, flat, issues);
  issues.throwIfAny('invalid-methodology');
  if (methodology.mode === 'points') resolvePoints(methodology, nodes, issues);
  else checkWeights(nodes, issues);
  checkRules(methodology, nodes, issues);
  issues.throwIfAny('invalid-methodology');
  const groups = [...(methodology.groups ?? DEFAULT_GROUPS)].sort((a, b) => b.min - a.min);
  const childStart = new Int32Array(nodes.length + 1);
  nodes.forEach((n, i) => { childStart[i + 1] = childStart[i] + n.children.length; });
  return {
    methodology, nodes,
    leaves: nodes.filter((n) => n.children.length === 0).map((n) => n.index),
    byCode: new Map(nodes.map((n) => [n.code, n.index])),
    groups, childStart, childIndex: Int32Array.from(nodes.flatMap((n) => n.children)),
    innerNodes: Int32Array.from(nodes.filter((n) => n.children.length > 0).map((n) => n.index).reverse()),
    snapped: Uint8Array.from(nodes, (n) => (n.depth <= 1 ? 1 : 0)),
    max: Float64Array.from(nodes, (n) => n.max),
    weight: Float64Array.from(nodes, (n) => n.weight),
    availabilityThreshold: Float64Array.from(nodes, (n) => n.availabilityThreshold),
  };
}

/** A zod issue as engine issues: an unknown key is named, one issue per key, its path ending at the key. */
function schemaIssues(input: unknown, i: { path: PropertyKey[]; message: string; code?: string; keys?: string[] }): Issue[] {
  const path = i.path as Path;
  if (i.code === 'unrecognized_keys' && i.keys?.length) {
    return i.keys.map((key) => ({ message: `unknown field ${key}`, path: [...path, key], node: nodeCodeAt(input, path) }));
  }
  return [{ message: i.message, path, node: nodeCodeAt(input, path) }];
}

function nodeCodeAt(input: unknown, path: PropertyKey[]): string | undefined {
  let cursor: any = input;
  let code: string | undefined;
  for (const key of path) {
    if (cursor == null || typeof cursor !== 'object') break;
    cursor = cursor[key as any];
    if (cursor && typeof cursor === 'object' && typeof cursor.code === 'string') code = cursor.code;
  }
  return code;
}

type FlatNode = Omit<NodeInput, 'children'> & { position: number; path: Path };

/** Accepts nodes nested (children) or flat (parent), or both mixed; each remembers where it was. */
function flatten(nodes: NodeInput[], issues: IssueList): FlatNode[] {
  const out: FlatNode[] = [];
  const visit = (node: NodeInput, parentCode: string | null | undefined, path: Path) => {
    const { children, ...rest } = node;
    if (parentCode != null && rest.parent != null && rest.parent !== parentCode) {
      issues.add({ node: rest.code, path: [...path, 'parent'], message: `nested under ${parentCode} but names parent ${rest.parent}` });
    }
    out.push({ ...rest, parent: rest.parent ?? parentCode ?? null, position: out.length, path });
    children?.forEach((child, i) => visit(child, rest.code, [...path, 'children', i]));
  };
  nodes.forEach((node, i) => visit(node, undefined, ['nodes', i]));
  return out;
}

function buildTree(m: Methodology, flat: FlatNode[], issues: IssueList): CompiledNode[] {
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
  const childrenOf = new Map<string, FlatNode[]>();
  for (const node of byCode.values()) {
    if (node.parent != null) childrenOf.set(node.parent, [...(childrenOf.get(node.parent) ?? []), node]);
  }
  const nodes: CompiledNode[] = [];
  const place = (flatNode: FlatNode, parent: number, depth: number) => {
    const index = nodes.length;
    nodes.push(makeNode(m, flatNode, index, parent, depth));
    if (parent >= 0) nodes[parent].children.push(index);
    for (const child of childrenOf.get(flatNode.code) ?? []) place(child, index, depth + 1);
  };
  place(roots[0], -1, 0);
  const reached = new Set(nodes.map((n) => n.code));
  const unreached = [...byCode.keys()].filter((code) => !reached.has(code) && byCode.get(code)!.parent != null
    && byCode.has(byCode.get(code)!.parent!));
  for (const code of unreached) {
    issues.add({ node: code, path: [...byCode.get(code)!.path, 'parent'], message: `node ${code} is in a cycle of parents (not reachable from the root)` });
  }
  return nodes;
}

function makeNode(m: Methodology, n: FlatNode, index: number, parent: number, depth: number): CompiledNode {
  const sources = n.source === undefined ? [] : Array.isArray(n.source) ? n.source : [n.source];
  return {
    index, code: n.code, parent, depth, children: [], name: n.name,
    max: n.max ?? NaN, weight: n.weight ?? 1, direction: n.direction ?? 1, sources,
    rule: n.rule ?? null,
    normalisation: n.normalisation ?? m.normalisation ?? { method: 'minmax', min: 0, max: 100 },
    aggregation: n.aggregation ?? m.aggregation,
    availabilityThreshold: n.availabilityThreshold ?? m.availabilityThreshold ?? 0,
    provenance: n.provenance, path: n.path,
  };
}

/** Points mode: leaves declare max; parents sum their children (and must match a declared max). */
function resolvePoints(m: Methodology, nodes: CompiledNode[], issues: IssueList): void {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    if (node.children.length === 0) {
      if (!(node.max >= 0)) issues.add({ node: node.code, path: [...node.path, 'max'], message: 'a leaf needs max ≥ 0 in points mode', value: node.max });
      continue;
    }
    const sum = node.children.reduce((s, c) => s + nodes[c].max, 0);
    // A derived max is published (0.1 + 0.2 must read 0.3): snapped like every sum.
    if (Number.isNaN(node.max)) node.max = snap(sum);
    else if (!near(sum, node.max)) {
      issues.add({ node: node.code, path: [...node.path, 'max'], message: `children's max sum to ${snap(sum)}, not the node's max ${node.max}` });
    }
  }
  const root = nodes[0];
  if (m.total !== undefined && !near(root.max, m.total)) {
    issues.add({ node: root.code, path: ['total'], message: `total is ${snap(root.max)}, not the declared total ${m.total}` });
  }
  if (!(root.max > 0)) issues.add({ node: root.code, path: [...root.path, 'max'], message: 'the total maximum must be > 0' });
}

function checkWeights(nodes: CompiledNode[], issues: IssueList): void {
  for (const node of nodes) {
    if (node.parent >= 0 && !(node.weight > 0)) {
      issues.add({ node: node.code, path: [...node.path, 'weight'], message: `weight must be > 0, got ${node.weight}`, value: node.weight });
    }
  }
}

function checkRules(m: Methodology, nodes: CompiledNode[], issues: IssueList): void {
  for (const node of nodes) {
    const rulePath = [...node.path, 'rule'];
    if (node.children.length > 0) {
      if (node.rule) issues.add({ node: node.code, path: rulePath, message: 'only leaves have a scoring rule' });
      continue;
    }
    // A rule inherited from defaultRule is pointed at there: that is where it is written.
    const inherited = !node.rule && m.mode === 'points';
    if (m.mode === 'points') node.rule ??= m.defaultRule;
    if (m.mode === 'points' && !node.rule) issues.add({ node: node.code, path: rulePath, message: 'leaf without a scoring rule' });
    if (node.rule) checkRule(node, node.rule, inherited ? ['defaultRule'] : rulePath, issues);
  }
}

function checkRule(node: CompiledNode, rule: ScoringRule, rulePath: Path, issues: IssueList): void {
  const add = (message: string, ...at: Path) => issues.add({ node: node.code, path: [...rulePath, ...at], message });
  if (rule.type === 'bands') {
    for (let i = 1; i < rule.bands.length; i++) {
      if (!(rule.bands[i].min < rule.bands[i - 1].min)) add('bands must be ordered by min, highest first', 'bands', i, 'min');
    }
    rule.bands.forEach((band, i) => {
      if (band.points !== undefined && Number.isFinite(node.max) && band.points > node.max + TOLERANCE) {
        add(`band points ${band.points} exceed max ${node.max}`, 'bands', i, 'points');
      }
    });
  }
  if (rule.type === 'linear' && rule.worst === rule.best) add('linear rule needs worst ≠ best', 'best');
  if (rule.type === 'survey' && new Set(rule.options.map((o) => o.code)).size !== rule.options.length) {
    add('survey option codes must be unique', 'options');
  }
  if (rule.type !== 'points' && !Number.isFinite(node.max)) {
    issues.add({ node: node.code, path: [...node.path, 'max'], message: `rule ${rule.type} needs the leaf's max` });
  }
}

function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}
