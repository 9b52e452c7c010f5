// Turns a methodology document (flat or nested nodes) into a validated tree with resolved
// maxima, rules and defaults, laid out in arrays so that computing a cycle is plain loops.
import { BUDGETS, type Limits } from './budgets.js';
import { IssueList, type Issue } from './errors.js';
import { findReservedKey } from './hygiene.js';
import { snap } from './numbers.js';
import { measureMethodology } from './shape.js';
import { buildTree, flatten } from './tree.js';
import {
  DEFAULT_GROUPS, MethodologyInput, type Methodology, type Normalisation, type Provenance, type ScoringRule, type Treatment, type Aggregation,
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
  aggregation: Aggregation;
  availabilityThreshold: number;
  provenance?: Provenance;
  /** weighted mode, leaves: the unit attribute the raw value is divided by */
  denominator?: string;
  /** weighted mode, leaves: the outlier treatment that applies (the node's, else the methodology's), or none */
  treatment: Treatment | null;
  /** where the node is in the document (JSON Pointer segments): ['nodes', 1] or ['nodes', 0, 'children', 2] */
  path: Path;
}

export type Path = (string | number)[];

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
/** Largest sum of maxima: sums are snapped to 9 decimals (× 1e9), which must stay finite. */
const MAX_SUM = 1e299;

/**
 * Validates any JSON value as a methodology and compiles it, in time linear in its nodes; throws
 * EngineError naming every problem, or a BudgetError (before anything else) for a document with
 * more nodes or levels than the limits (the budgets unless a caller, such as a benchmark, raises them).
 */
export function compileMethodology(input: unknown, limits: Partial<Limits> = BUDGETS): CompiledMethodology {
  const issues = new IssueList();
  measureMethodology(input, limits);
  const reserved = findReservedKey(input);
  if (reserved) {
    issues.add({ path: reserved, message: 'the key __proto__ is not allowed (a reserved name)' });
    issues.throwIfAny('invalid-methodology');
  }
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
  checkPipeline(methodology, nodes, issues);
  issues.throwIfAny('invalid-methodology');
  const groups = [...(methodology.groups ?? DEFAULT_GROUPS)].sort((a, b) => b.min - a.min);
  return { methodology, nodes, groups, ...layout(nodes) };
}

/** The tree as flat arrays for the hot loops, in one pass over the nodes (plus one for the children). */
function layout(nodes: CompiledNode[]): Omit<CompiledMethodology, 'methodology' | 'nodes' | 'groups'> {
  const n = nodes.length;
  const childStart = new Int32Array(n + 1);
  const max = new Float64Array(n), weight = new Float64Array(n), availabilityThreshold = new Float64Array(n);
  const snapped = new Uint8Array(n);
  const leaves: number[] = [], inner: number[] = [];
  const byCode = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const node = nodes[i];
    childStart[i + 1] = childStart[i] + node.children.length;
    (node.children.length === 0 ? leaves : inner).push(i);
    byCode.set(node.code, i);
    max[i] = node.max; weight[i] = node.weight; availabilityThreshold[i] = node.availabilityThreshold;
    snapped[i] = node.depth <= 1 ? 1 : 0;
  }
  const childIndex = new Int32Array(childStart[n]);
  for (let i = 0; i < n; i++) childIndex.set(nodes[i].children, childStart[i]);
  return {
    leaves, byCode, childStart, childIndex, innerNodes: Int32Array.from(inner.reverse()),
    snapped, max, weight, availabilityThreshold,
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

/** The code of the deepest node on a path into the input (a schema issue's path runs through values that are there). */
function nodeCodeAt(input: unknown, path: PropertyKey[]): string | undefined {
  let cursor: any = input;
  let code: string | undefined;
  for (const key of path) {
    // Stryker disable next-line OptionalChaining: only the last step of a path may be missing (a required field), never one before it
    cursor = cursor?.[key];
    if (typeof cursor?.code === 'string') code = cursor.code;
  }
  return code;
}

/**
 * Points mode: leaves declare max; parents sum their children (and must match a declared max). A sum
 * is reported where it goes wrong only: above a leaf without max it is unknown, above an overflow too.
 */
function resolvePoints(m: Methodology, nodes: CompiledNode[], issues: IssueList): void {
  // nodes whose sum overflowed, or is above one that did: reported once, at the lowest
  const overflowed = new Uint8Array(nodes.length);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    if (node.children.length === 0) {
      if (!(node.max >= 0)) issues.add({ node: node.code, path: [...node.path, 'max'], message: 'a leaf needs max ≥ 0 in points mode', value: node.max });
      continue;
    }
    if (node.children.some((c) => overflowed[c])) {
      overflowed[i] = 1;
      continue;
    }
    const sum = node.children.reduce((s, c) => s + nodes[c].max, 0);
    if (Number.isNaN(sum)) continue; // a leaf without max below (reported there): the sum is unknown
    if (Math.abs(sum) > MAX_SUM) {
      // 1e308 + 1e308 is Infinity, and every index would silently read 0: refused, naming the node.
      issues.add({ node: node.code, path: node.path, message: `the children's max sum to ${sum}, beyond what can be computed (at most ${MAX_SUM})` });
      overflowed[i] = 1;
      continue;
    }
    // A derived max is published (0.1 + 0.2 must read 0.3): snapped like every sum.
    if (Number.isNaN(node.max)) node.max = snap(sum);
    else if (!near(sum, node.max)) {
      issues.add({ node: node.code, path: [...node.path, 'max'], message: `children's max sum to ${snap(sum)}, not the node's max ${node.max}` });
    }
  }
  const root = nodes[0];
  if (overflowed[0] || Number.isNaN(root.max)) return; // reported below the root
  if (m.total !== undefined && !near(root.max, m.total)) {
    issues.add({ node: root.code, path: ['total'], message: `total is ${snap(root.max)}, not the declared total ${m.total}` });
  }
  if (root.max <= 0) issues.add({ node: root.code, path: [...root.path, 'max'], message: 'the total maximum must be > 0' });
}

function checkWeights(nodes: CompiledNode[], issues: IssueList): void {
  for (const node of nodes) {
    if (node.parent >= 0 && !(node.weight > 0)) {
      issues.add({ node: node.code, path: [...node.path, 'weight'], message: `weight must be > 0, got ${node.weight}`, value: node.weight });
    }
    // Weighted means divide by the sum of the weights: Infinity would make every value NaN (missing).
    const sum = node.children.reduce((s, c) => s + nodes[c].weight, 0);
    if (!Number.isFinite(sum)) {
      issues.add({ node: node.code, path: node.path, message: `the weights of the children of ${node.code} sum to ${sum}: not a finite number` });
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
      // A band in shares earns at most the max; without a max (NaN), the leaf is refused below.
      if ((band.points ?? 0) > node.max + TOLERANCE) {
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

/** Denomination, screening, imputation and treatment act on raw values: weighted mode only, and on leaves. */
function checkPipeline(m: Methodology, nodes: CompiledNode[], issues: IssueList): void {
  if (m.mode === 'points') {
    for (const key of ['screening', 'imputation', 'treatment'] as const) {
      if (m[key]) issues.add({ path: [key], message: `${key} applies to raw values: weighted mode only (points mode scores leaves by their rules)` });
    }
  }
  for (const node of nodes) {
    const declared = (['denominator', 'treatment'] as const).filter((key) => nodeDeclares(m, node, key));
    for (const key of declared) {
      if (m.mode === 'points') issues.add({ node: node.code, path: [...node.path, key], message: `${key} applies to raw values: weighted mode only` });
      else if (node.children.length > 0) issues.add({ node: node.code, path: [...node.path, key], message: `only leaves have a ${key}` });
    }
  }
}

/** Whether the document itself gives the node this key (a treatment may be inherited from the methodology). */
function nodeDeclares(m: Methodology, node: CompiledNode, key: 'denominator' | 'treatment'): boolean {
  if (key === 'denominator') return node.denominator !== undefined;
  return node.treatment !== (m.treatment ?? null);
}

function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}
