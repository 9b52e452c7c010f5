// From an evaluation to the result rows third parties read: per unit the index, rank, group,
// every node's points, % and rank, and how many values were missing or imputed.
import type { Evaluation } from './aggregate.js';
import type { CompiledMethodology } from './compile.js';
import { snap } from './numbers.js';
import { competitionRanks, groupOf } from './rank.js';
import type { Unit } from './scores.js';

export interface NodeResult {
  points?: number | null;
  max?: number;
  percent?: number | null;
  value?: number | null;
  rank?: number | null;
  missing: number;
  imputed: number;
}

/** What a node is compared on: its % of max (points mode), else its value (weighted mode). */
export function nodeMetric(n: Pick<NodeResult, 'percent' | 'value'> | undefined): number | null {
  return n?.percent ?? n?.value ?? null;
}

export interface UnitResult {
  unit: string;
  ranked: boolean;
  attributes: Record<string, string | null>;
  index: number | null;
  rank: number | null;
  /** rank among the units sharing an attribute (e.g. region) */
  rankWithin: Record<string, number | null>;
  group: string | null;
  missing: number;
  imputed: number;
  nodes: Record<string, NodeResult>;
}

export interface ResultOptions {
  /** nodes down to this depth get ranks (0 = only the index; 1 = domains) */
  rankDepth?: number;
  /** unit attributes to rank within (default: region) */
  rankWithin?: string[];
}

/** A value as published: null when missing, snapped (sums below the domains and rule outputs are not snapped in evaluation). */
const finiteOrNull = (v: number) => (Number.isFinite(v) ? snap(v) : null);

export function buildResults(c: CompiledMethodology, units: Unit[], e: Evaluation, options: ResultOptions = {}): UnitResult[] {
  const rankDepth = options.rankDepth ?? 1;
  const rankWithin = options.rankWithin ?? ['region'];
  const eligible = (u: number) => units[u].ranked;
  const indexRanks = competitionRanks(e.index, eligible);
  const nodeRanks = new Map<number, (number | null)[]>();
  for (const node of c.nodes) {
    // Sums below the domains are not snapped in evaluation: snap them here before comparing.
    if (node.depth > 0 && node.depth <= rankDepth) nodeRanks.set(node.index, competitionRanks(column(e, node.index).map(snap), eligible));
  }
  const withinRanks = rankWithin.map((attribute) => ({ attribute, ranks: ranksWithin(units, e.index, attribute) }));
  const points = c.methodology.mode === 'points';
  // A loop, not units.map(callback): the callback fell into a deoptimisation loop in about one
  // process in five (1,400–1,800 bailouts in 900 cycles of 63 units); none in 30 since.
  const out: UnitResult[] = [];
  for (let u = 0; u < units.length; u++) {
    const unit = units[u];
    const base = u * e.nNodes;
    const nodes: Record<string, NodeResult> = {};
    for (const node of c.nodes) {
      // Built as literals of one shape each (no spreads): this runs once per unit and node.
      const cell = base + node.index;
      const v = finiteOrNull(e.values[cell]);
      const missing = e.missing[cell] ?? 0, imputed = e.imputed[cell] ?? 0;
      const ranks = nodeRanks.get(node.index);
      let result: NodeResult;
      if (points) {
        const percent = v === null ? null : snap((v / node.max) * 100);
        result = ranks ? { points: v, max: node.max, percent, rank: ranks[u], missing, imputed } : { points: v, max: node.max, percent, missing, imputed };
      } else {
        result = ranks ? { value: v, rank: ranks[u], missing, imputed } : { value: v, missing, imputed };
      }
      nodes[node.code] = result;
    }
    const index = finiteOrNull(e.index[u]);
    out.push({
      unit: unit.code, ranked: unit.ranked, attributes: unit.attributes,
      index, rank: indexRanks[u],
      rankWithin: Object.fromEntries(withinRanks.map(({ attribute, ranks }) => [attribute, ranks[u]])),
      group: groupOf(index, c.groups),
      missing: e.missing[base] ?? 0, imputed: e.imputed[base] ?? 0, nodes,
    });
  }
  return out;
}

export function column(e: Evaluation, node: number): Float64Array {
  const out = new Float64Array(e.nUnits);
  // Stryker disable next-line EqualityOperator: one step past the end reads undefined and writes outside the typed array, which does nothing
  for (let u = 0; u < e.nUnits; u++) out[u] = e.values[u * e.nNodes + node];
  return out;
}

function ranksWithin(units: Unit[], index: Float64Array, attribute: string): (number | null)[] {
  const out: (number | null)[] = new Array(units.length).fill(null);
  const members = new Map<string, number[]>();
  units.forEach((unit, u) => {
    const key = unit.attributes[attribute];
    if (key == null) return;
    // Appended in place: copying the group per member was quadratic in the units of one region.
    const group = members.get(key);
    if (group) group.push(u);
    else members.set(key, [u]);
  });
  for (const group of members.values()) {
    const ranks = competitionRanks(group.map((u) => index[u]), (k) => units[group[k]].ranked);
    group.forEach((u, k) => { out[u] = ranks[k]; });
  }
  return out;
}
