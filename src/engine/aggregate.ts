// From leaf values to every node's value for every unit, in plain loops over typed arrays.
// Points mode sums points up the tree; weighted mode normalises leaves and takes weighted means.
import type { CompiledMethodology } from './compile.js';
import { EngineError } from './errors.js';
import { normalise } from './normalise.js';
import type { ScoreMatrix } from './scores.js';

export interface Evaluation {
  nUnits: number;
  nNodes: number;
  /** nUnits × nNodes: points (points mode) or normalised/aggregated value (weighted); NaN = missing */
  values: Float64Array;
  /** nUnits × nNodes: leaves below each node that had no value / whose value was imputed */
  missing: Int32Array;
  imputed: Int32Array;
  /** per unit: the index (points: % of the total; weighted: the root's value) */
  index: Float64Array;
}

/** Optional overrides for what-if and uncertainty work: per-node max (points) or weight (weighted). */
export interface EvaluationOverrides { max?: Float64Array; weight?: Float64Array }

export function evaluate(c: CompiledMethodology, m: ScoreMatrix, overrides: EvaluationOverrides = {}): Evaluation {
  const nUnits = m.units.length;
  const nNodes = c.nodes.length;
  const e: Evaluation = {
    nUnits, nNodes,
    values: new Float64Array(nUnits * nNodes).fill(NaN),
    missing: new Int32Array(nUnits * nNodes),
    imputed: new Int32Array(nUnits * nNodes),
    index: new Float64Array(nUnits).fill(NaN),
  };
  fillLeaves(c, m, e);
  if (c.methodology.mode === 'points') sumPoints(c, e, overrides.max);
  else weightedMeans(c, m, e, overrides.weight);
  const root = c.nodes[0];
  for (let u = 0; u < nUnits; u++) {
    const v = e.values[u * nNodes];
    e.index[u] = c.methodology.mode === 'points' ? (v / (overrides.max?.[0] ?? root.max)) * 100 : v;
  }
  return e;
}

/** Writes leaf values into the node matrix, applying the missing-data rule (and normalisation). */
function fillLeaves(c: CompiledMethodology, m: ScoreMatrix, e: Evaluation): void {
  const { nUnits, nNodes } = e;
  const nLeaves = m.leafNodes.length;
  const rule = c.methodology.missing;
  const column = new Float64Array(nUnits);
  for (let s = 0; s < nLeaves; s++) {
    const node = c.nodes[m.leafNodes[s]];
    for (let u = 0; u < nUnits; u++) column[u] = m.values[u * nLeaves + s];
    const imputedFlags = rule === 'impute' ? imputeColumn(column, m.units, c.methodology.imputeBy) : null;
    const finalColumn = c.methodology.mode === 'weighted' ? normalise(column, node.normalisation, node.direction, node.code) : column;
    for (let u = 0; u < nUnits; u++) {
      const cell = u * nNodes + node.index;
      let v = finalColumn[u];
      if (Number.isNaN(column[u])) {
        e.missing[cell] = 1;
        if (rule === 'zero') v = 0;
      } else if (imputedFlags?.[u]) e.imputed[cell] = 1;
      e.values[cell] = v;
    }
  }
}

/** Replaces missing values with the mean of the unit's group (by attribute); marks what it filled. */
function imputeColumn(column: Float64Array, units: ScoreMatrix['units'], attribute: string): Uint8Array {
  const sums = new Map<string | null, { sum: number; n: number }>();
  units.forEach((unit, u) => {
    if (Number.isNaN(column[u])) return;
    const key = unit.attributes[attribute] ?? null;
    const acc = sums.get(key) ?? { sum: 0, n: 0 };
    acc.sum += column[u]; acc.n++;
    sums.set(key, acc);
  });
  const flags = new Uint8Array(column.length);
  units.forEach((unit, u) => {
    const acc = sums.get(unit.attributes[attribute] ?? null);
    if (Number.isNaN(column[u]) && acc && acc.n > 0) { column[u] = acc.sum / acc.n; flags[u] = 1; }
  });
  return flags;
}

function sumPoints(c: CompiledMethodology, e: Evaluation, maxOverride: Float64Array | undefined): void {
  const { nUnits, nNodes, values } = e;
  const skip = c.methodology.missing === 'skip';
  const maxOf = (i: number) => maxOverride?.[i] ?? c.nodes[i].max;
  // Leaves scaled to an overridden max keep their share of the original max.
  if (maxOverride) {
    for (const leaf of c.leaves) {
      const factor = maxOverride[leaf] / c.nodes[leaf].max;
      if (factor !== 1) for (let u = 0; u < nUnits; u++) values[u * nNodes + leaf] *= factor;
    }
  }
  for (let i = nNodes - 1; i >= 0; i--) {
    const node = c.nodes[i];
    if (node.children.length === 0) continue;
    for (let u = 0; u < nUnits; u++) {
      const base = u * nNodes;
      let sum = 0, availableMax = 0, available = 0;
      for (const child of node.children) {
        const v = values[base + child];
        e.missing[base + i] += e.missing[base + child];
        e.imputed[base + i] += e.imputed[base + child];
        if (Number.isNaN(v)) continue;
        sum += v; availableMax += maxOf(child); available++;
      }
      const enough = available > 0 && available / node.children.length >= node.availabilityThreshold;
      values[base + i] = !enough ? NaN : skip && availableMax > 0 ? (sum / availableMax) * maxOf(i) : sum;
    }
  }
}

function weightedMeans(c: CompiledMethodology, m: ScoreMatrix, e: Evaluation, weightOverride: Float64Array | undefined): void {
  const { nUnits, nNodes, values } = e;
  for (let i = nNodes - 1; i >= 0; i--) {
    const node = c.nodes[i];
    if (node.children.length === 0) continue;
    const geometric = node.aggregation === 'geometric';
    for (let u = 0; u < nUnits; u++) {
      const base = u * nNodes;
      let acc = 0, weights = 0, available = 0;
      for (const child of node.children) {
        const v = values[base + child];
        e.missing[base + i] += e.missing[base + child];
        e.imputed[base + i] += e.imputed[base + child];
        if (Number.isNaN(v)) continue;
        const w = weightOverride?.[child] ?? c.nodes[child].weight;
        if (geometric && v <= 0) {
          throw new EngineError('invalid-computation', [{ unit: m.units[u].code, node: node.code, message: `geometric mean needs values > 0; child ${c.nodes[child].code} is ${v} (choose a normalisation with a positive range)` }]);
        }
        acc += geometric ? w * Math.log(v) : w * v;
        weights += w; available++;
      }
      const enough = available > 0 && available / node.children.length >= node.availabilityThreshold;
      values[base + i] = !enough ? NaN : geometric ? Math.exp(acc / weights) : acc / weights;
    }
  }
}
