// From leaf values to every node's value for every unit, in plain loops over typed arrays laid
// out unit by unit. Points mode sums points up the tree; weighted mode normalises leaves and
// takes weighted means. This is the hot path of ranking and of uncertainty analysis.
import type { CompiledMethodology } from './compile.js';
import { EngineError } from './errors.js';
import { exponentOf, meanName, refusedValue } from './means.js';
import { normalise } from './normalise.js';
import { snap } from './numbers.js';
import type { ScoreMatrix } from './scores.js';

export interface Evaluation {
  nUnits: number;
  nNodes: number;
  /** nUnits × nNodes: points (points mode) or normalised/aggregated value (weighted); NaN = missing */
  values: Float64Array;
  /** nUnits × nNodes: leaves below each node that had no value / whose value was imputed;
   *  empty (read as 0) when no value was missing or imputed, the usual case */
  missing: Int32Array;
  imputed: Int32Array;
  /** per unit: the index (points: % of the total; weighted: the root's value) */
  index: Float64Array;
}

/** Optional overrides for what-if and uncertainty work: per-node max (points) or weight (weighted). */
export interface EvaluationOverrides { max?: Float64Array; weight?: Float64Array }

const NO_COUNTS = new Int32Array(0);

function allocateCounts(e: Evaluation): void {
  if (e.missing !== NO_COUNTS) return;
  e.missing = new Int32Array(e.nUnits * e.nNodes);
  e.imputed = new Int32Array(e.nUnits * e.nNodes);
}

export function evaluate(c: CompiledMethodology, m: ScoreMatrix, overrides: EvaluationOverrides = {}): Evaluation {
  const nUnits = m.units.length;
  const nNodes = c.nodes.length;
  const e: Evaluation = {
    nUnits, nNodes,
    values: new Float64Array(nUnits * nNodes),
    missing: NO_COUNTS,
    imputed: NO_COUNTS,
    index: new Float64Array(nUnits),
  };
  const flagged = fillLeaves(c, m, e);
  const points = c.methodology.mode === 'points';
  const max = overrides.max ?? c.max;
  if (points) {
    scaleLeaves(c, e, overrides.max);
    sumPoints(c, e, max);
  } else weightedMeans(c, m, e, overrides.weight ?? c.weight);
  // Stryker disable next-line ConditionalExpression: unflagged, the counts are NO_COUNTS (length 0), where writes do nothing
  if (flagged) countUp(c, e);
  // Stryker disable next-line EqualityOperator: one step past the end only reads and writes outside typed arrays, where reads give undefined and writes do nothing
  for (let u = 0; u < nUnits; u++) {
    const v = e.values[u * nNodes];
    e.index[u] = points ? snap((v / max[0]) * 100) : v;
  }
  return e;
}

/**
 * Writes leaf values into the node matrix, applying the missing-data rule (and, in weighted
 * mode, normalisation). Returns whether any value was missing or imputed.
 */
function fillLeaves(c: CompiledMethodology, m: ScoreMatrix, e: Evaluation): boolean {
  const { nUnits, nNodes } = e;
  const nLeaves = m.leafNodes.length;
  const rule = c.methodology.missing;
  const weighted = c.methodology.mode === 'weighted';
  // Stryker disable next-line BooleanLiteral: flagged with nothing missing only sends countUp over the empty NO_COUNTS, where writes do nothing
  let flagged = false;
  // Stryker disable next-line ConditionalExpression,BlockStatement: the general path gives the fast path's values and counts (missing zero or skip, no normalisation in points mode): the fast path only saves time
  if (!weighted && rule !== 'impute') {
    // Fast path of the official rule: copy points, missing → 0 (zero) or NaN (skip).
    const slots = m.leafNodes; // packed small integers read as fast as an Int32Array, and need no copy
    const missing = copyLeaves(m.values, e.values, slots, nUnits, nLeaves, nNodes, rule === 'zero' ? 0 : NaN);
    // Stryker disable next-line BooleanLiteral: flagged with nothing missing only sends countUp over the empty NO_COUNTS, where writes do nothing
    if (missing === 0) return false;
    allocateCounts(e);
    // Stryker disable next-line EqualityOperator: one step past the end only reads and writes outside typed arrays, where reads give undefined and writes do nothing
    for (let u = 0; u < nUnits; u++) {
      // Stryker disable next-line EqualityOperator: one step past the end only reads and writes outside typed arrays, where reads give undefined and writes do nothing
      for (let s = 0; s < nLeaves; s++) if (Number.isNaN(m.values[u * nLeaves + s])) e.missing[u * nNodes + slots[s]] = 1;
    }
    return true;
  }
  const column = new Float64Array(nUnits);
  for (let s = 0; s < nLeaves; s++) {
    const node = c.nodes[m.leafNodes[s]];
    // Stryker disable next-line EqualityOperator: one step past the end only reads and writes outside typed arrays, where reads give undefined and writes do nothing
    for (let u = 0; u < nUnits; u++) column[u] = m.values[u * nLeaves + s];
    // cells the pipeline imputed (scores.ts: applyPipeline) count as imputed, as the rule's do
    const missing = column.map((v, u) => (Number.isNaN(v) || m.imputed?.[u * nLeaves + s] ? 1 : 0));
    const imputedFlags = rule === 'impute' ? imputeColumn(column, m.units, c.methodology.imputeBy) : null;
    const final = weighted ? normalise(column, node.normalisation, node.direction, node.code) : column;
    // Stryker disable next-line EqualityOperator: one step past the end only reads and writes outside typed arrays, where reads give undefined and writes do nothing
    for (let u = 0; u < nUnits; u++) {
      const cell = u * nNodes + node.index;
      let v = final[u];
      if (missing[u]) {
        flagged = true;
        allocateCounts(e);
        if (imputedFlags?.[u] || m.imputed?.[u * nLeaves + s]) e.imputed[cell] = 1;
        else { e.missing[cell] = 1; if (rule === 'zero') v = 0; }
      }
      e.values[cell] = v;
    }
  }
  return flagged;
}

/** A plain numeric loop (kept apart so that it optimises well): returns how many values were missing. */
function copyLeaves(source: Float64Array, values: Float64Array, slots: number[], nUnits: number, nLeaves: number, nNodes: number, fill: number): number {
  let missing = 0;
  // Stryker disable next-line EqualityOperator: one step past the end only reads and writes outside typed arrays, where reads give undefined and writes do nothing
  for (let u = 0; u < nUnits; u++) {
    const row = u * nLeaves, base = u * nNodes;
    // Stryker disable next-line EqualityOperator: one step past a row reads the next unit's first leaf, whose missing value is counted in its own row anyway, and writes nowhere (its slot is undefined)
    for (let s = 0; s < nLeaves; s++) {
      const v = source[row + s];
      if (v === v) values[base + slots[s]] = v;
      else {
        values[base + slots[s]] = fill;
        // Stryker disable next-line UpdateOperator: only whether the count is 0 is read, and a count that falls from 0 is not 0
        missing++;
      }
    }
  }
  return missing;
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
    // a group is in `sums` only once one of its units has a value
    if (Number.isNaN(column[u]) && acc) { column[u] = acc.sum / acc.n; flags[u] = 1; }
  });
  return flags;
}

/** Leaves scored against an overridden max keep their share of the original max. */
function scaleLeaves(c: CompiledMethodology, e: Evaluation, max: Float64Array | undefined): void {
  if (!max) return; // no override: every factor would be 1
  for (const leaf of c.leaves) {
    // A leaf worth nothing has no share to scale: its points stay 0 (0 × 8 / 0 would be NaN).
    if (c.nodes[leaf].max === 0) continue;
    const factor = max[leaf] / c.nodes[leaf].max;
    // Stryker disable next-line EqualityOperator: one step past the end only reads and writes outside typed arrays, where reads give undefined and writes do nothing
    for (let u = 0; u < e.nUnits; u++) e.values[u * e.nNodes + leaf] *= factor;
  }
}


/**
 * The sums under the official rule (no missing child, no threshold), node by node across all units:
 * the inner loops run over the units, long and regular, with independent additions (unit by unit
 * they were as short and irregular as the tree). Two children per pass halve the reads and writes
 * of the running sums. The order of addition is a plain sum's (0, then each child in turn:
 * (s + a) + b), so every sum is bit for bit the same.
 */
function plainSums(values: Float64Array, nUnits: number, nNodes: number, innerNodes: Int32Array, childStart: Int32Array, childIndex: Int32Array, exact: Uint8Array): void {
  const end = nUnits * nNodes;
  // Stryker disable next-line EqualityOperator: one node past the last is undefined: its loops do not run and its flag reads undefined
  for (let n = 0; n < innerNodes.length; n++) {
    const i = innerNodes[n];
    // inner nodes are still 0 in the fresh matrix: only leaves have been written
    for (let k = childStart[i], to = childStart[i + 1]; k < to; k += 2) {
      const a = childIndex[k] - i; // children as offsets from the node's cell
      if (k + 1 === to) {
        // Stryker disable next-line EqualityOperator: one step past the end only reads and writes outside typed arrays, where reads give undefined and writes do nothing
        for (let cell = i; cell < end; cell += nNodes) values[cell] += values[cell + a];
      } else {
        const b = childIndex[k + 1] - i;
        // Stryker disable next-line EqualityOperator: one step past the end only reads and writes outside typed arrays, where reads give undefined and writes do nothing
        for (let cell = i; cell < end; cell += nNodes) values[cell] = values[cell] + values[cell + a] + values[cell + b];
      }
    }
    // Stryker disable next-line EqualityOperator: one step past the end only reads and writes outside typed arrays, where reads give undefined and writes do nothing
    if (exact[i]) for (let cell = i; cell < end; cell += nNodes) values[cell] = snap(values[cell]);
  }
}

function sumPoints(c: CompiledMethodology, e: Evaluation, max: Float64Array): void {
  const { nUnits, nNodes, values } = e;
  const { childStart, childIndex, innerNodes } = c;
  // Ties matter where ranks are taken (the index and the domains): snapping those sums removes the
  // binary noise accumulated below them, so lower sums need no snapping (deeper ranks snap in results.ts).
  const exact = c.snapped;
  const skip = c.methodology.missing === 'skip';
  const threshold = c.availabilityThreshold;
  // Missing zero (the official rule) never meets a missing child, so no threshold can make a node
  // missing there: a plain sum suffices.
  if (c.methodology.missing === 'zero') {
    plainSums(values, nUnits, nNodes, innerNodes, childStart, childIndex, exact);
    return;
  }
  // Stryker disable next-line EqualityOperator: one step past the end only reads and writes outside typed arrays, where reads give undefined and writes do nothing
  for (let u = 0; u < nUnits; u++) {
    const base = u * nNodes;
    // Stryker disable next-line EqualityOperator: one node past the last is undefined: no child, a NaN written at an index that is not one
    for (let n = 0; n < innerNodes.length; n++) {
      const i = innerNodes[n];
      const from = childStart[i], to = childStart[i + 1];
      let sum = 0;
      let availableMax = 0, available = 0;
      for (let k = from; k < to; k++) {
        const v = values[base + childIndex[k]];
        if (v !== v) continue;
        sum += v; availableMax += max[childIndex[k]]; available++;
      }
      const enough = available > 0 && available >= threshold[i] * (to - from);
      // Children with data all worth 0 (a leaf's max may be 0) give no share to scale: their sum, 0.
      values[base + i] = !enough ? NaN : snap(skip && availableMax > 0 && available < to - from ? (sum / availableMax) * max[i] : sum);
    }
  }
}

function weightedMeans(c: CompiledMethodology, m: ScoreMatrix, e: Evaluation, weight: Float64Array): void {
  const { nUnits, nNodes, values } = e;
  const { childStart, childIndex } = c;
  // Stryker disable next-line EqualityOperator: one step past the end only reads and writes outside typed arrays, where reads give undefined and writes do nothing (and a NaN mean throws nothing)
  for (let u = 0; u < nUnits; u++) {
    const base = u * nNodes;
    for (let n = 0; n < c.innerNodes.length; n++) {
      const i = c.innerNodes[n];
      const from = childStart[i], to = childStart[i + 1];
      const node = c.nodes[i];
      const p = exponentOf(node.aggregation); // 1 arithmetic, 0 geometric, −1 harmonic, or a power mean's
      let acc = 0, weights = 0, available = 0;
      for (let k = from; k < to; k++) {
        const child = childIndex[k];
        const v = values[base + child];
        if (v !== v) continue;
        // Stryker disable next-line ConditionalExpression: the arithmetic mean's fast path: refusedValue(1, v) is null for every v
        const refused = p === 1 ? null : refusedValue(p, v);
        if (refused) {
          throw new EngineError('invalid-computation', [{ unit: m.units[u].code, node: node.code, message: `${meanName(p)} mean ${refused}; child ${c.nodes[child].code} is ${v} (choose a normalisation with a positive range)` }]);
        }
        // Stryker disable next-line ConditionalExpression: the arithmetic mean's fast path: v ** 1 is v
        acc += p === 1 ? weight[child] * v
          : p === 0 ? weight[child] * Math.log(v) : weight[child] * v ** p;
        weights += weight[child]; available++;
      }
      const enough = available >= node.availabilityThreshold * (to - from) &&
        // Stryker disable next-line ConditionalExpression,EqualityOperator: with no child available every mean is 0 / 0 (or its power), NaN, as for a missing node
        available > 0;
      const mean = !enough ? NaN : powerMean(p, acc, weights);
      // Values near ±1.8e308 overflow a weighted sum: refused, never published as a missing value.
      if (mean === Infinity || mean === -Infinity) {
        throw new EngineError('invalid-computation', [{ unit: m.units[u].code, node: node.code, message: 'the weighted mean of the children overflows (values too large to combine)' }]);
      }
      values[base + i] = mean;
    }
  }
}

/** The mean from its sums: acc is Σ w·x^p (Σ w·ln x for the geometric, p = 0), weights Σ w. */
function powerMean(p: number, acc: number, weights: number): number {
  // Stryker disable next-line ConditionalExpression: the arithmetic mean's fast path: (acc / weights) ** (1 / 1) is acc / weights
  if (p === 1) return acc / weights;
  return p === 0 ? Math.exp(acc / weights) : (acc / weights) ** (1 / p);
}

/** Sums the leaves' missing and imputed flags up the tree (only when some leaf was flagged). */
function countUp(c: CompiledMethodology, e: Evaluation): void {
  const { childStart, childIndex } = c;
  // Stryker disable next-line EqualityOperator: one step past the end only reads and writes outside typed arrays, where reads give undefined and writes do nothing
  for (let u = 0; u < e.nUnits; u++) {
    const base = u * e.nNodes;
    // Stryker disable next-line ArithmeticOperator: the node indexes past the last have no children (childStart ends there), so their loops do not run
    for (let i = e.nNodes - 1; i >= 0; i--) {
      for (let k = childStart[i]; k < childStart[i + 1]; k++) {
        e.missing[base + i] += e.missing[base + childIndex[k]];
        e.imputed[base + i] += e.imputed[base + childIndex[k]];
      }
    }
  }
}
