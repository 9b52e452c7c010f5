// Monte Carlo uncertainty of the ranking over the methodology's domain weights: each domain's
// weight (weighted mode) or maximum points (points mode) is perturbed within ±x %, renormalised
// to the same total, and the units re-ranked. Deterministic for a seed. Domain scores do not
// depend on the domains' weights, so each draw recombines precomputed domain values: the index is
// linear in the domain maxima (points) or a weighted mean of domain values (weighted).
import type { Evaluation } from './aggregate.js';
import type { CompiledMethodology } from './compile.js';
import { EngineError } from './errors.js';
import { exponentOf, meanName } from './means.js';
import { snap } from './numbers.js';
import { mulberry32, normal } from './random.js';
import { competitionRanks, competitionRanksInto } from './rank.js';
import type { Unit } from './scores.js';

export interface UncertaintyOptions {
  draws: number;
  /** relative half-width: 0.2 perturbs each domain weight within ±20 % */
  perturbation: number;
  distribution: 'uniform' | 'normal';
  seed: number;
}

export interface UnitUncertainty {
  unit: string;
  rank: number | null;
  p5: number | null;
  p50: number | null;
  p95: number | null;
  /** share of draws in which the unit keeps its nominal rank */
  keepsRank: number;
}

export interface Uncertainty {
  options: UncertaintyOptions;
  domains: string[];
  units: UnitUncertainty[];
  /** pairs of ranked units whose 5–95 % rank intervals overlap: not distinguishable (the first MAX_PAIRS, by rank) */
  indistinguishable: [string, string][];
  /** how many such pairs there are in all (more than listed when beyond MAX_PAIRS) */
  indistinguishableTotal: number;
  /** per domain: first-order share of rank variance explained by its weight (averaged over units) */
  sensitivity: Record<string, number>;
}

/**
 * Overlapping pairs can number n(n − 1)/2 (a cycle of 10,000 tied units: 50 million): the list
 * stops at this many, in rank order, and the total says how many there are.
 */
export const MAX_PAIRS = 10_000;

export function rankUncertainty(c: CompiledMethodology, units: Unit[], e: Evaluation, options: UncertaintyOptions): Uncertainty {
  const domains = c.nodes[0].children;
  const nU = units.length, nD = domains.length;
  const points = c.methodology.mode === 'points';
  // The draws re-weight the root's arithmetic (p = 1, however written) or geometric mean below; other means are not re-weighted here.
  const p = exponentOf(c.nodes[0].aggregation);
  const geometric = !points && p === 0;
  if (!points && !geometric && p !== 1) throw new EngineError('invalid-computation', [{ node: c.nodes[0].code, message: `uncertainty analysis re-weights a root that takes an arithmetic or geometric mean, not a ${meanName(p)} mean` }]);
  const base = domains.map((d) => (points ? c.nodes[d].max : c.nodes[d].weight));
  const total = base.reduce((s, w) => s + w, 0);
  // Points: each domain as a share of its max (×100), so that index = Σ w_d·share_ud / Σ w_d. A
  // domain without a value counts 0 points, except under 'skip', where the root renormalises over
  // the domains with a value, as the weighted mean does (NaN is skipped). A geometric root has
  // only values > 0 here: evaluate refuses the others.
  const missingIsZero = points && c.methodology.missing !== 'skip';
  const value = new Float64Array(nU * nD);
  for (let u = 0; u < nU; u++) {
    for (let k = 0; k < nD; k++) {
      const v = e.values[u * e.nNodes + domains[k]];
      value[u * nD + k] = missingIsZero && Number.isNaN(v) ? 0 : points ? (v / base[k]) * 100 : v;
    }
  }
  const random = mulberry32(options.seed);
  const weights = new Float64Array(options.draws * nD);
  const ranks = new Int32Array(options.draws * nU);
  const index = new Float64Array(nU);
  // A unit without an index (too few domains with data) has none under any weights either.
  const eligible = (u: number) => units[u].ranked && Number.isFinite(e.index[u]);
  const mask = Uint8Array.from(units, (_, u) => (eligible(u) ? 1 : 0));
  const sorted = new Float64Array(nU);
  for (let draw = 0; draw < options.draws; draw++) {
    const w = perturbedWeights(base, total, options, random);
    weights.set(w, draw * nD);
    for (let u = 0; u < nU; u++) index[u] = weightedMean(value, u, nD, w, geometric);
    competitionRanksInto(index, mask, ranks.subarray(draw * nU, (draw + 1) * nU), sorted); // 0: not ranked
  }
  const nominal = competitionRanks(e.index, eligible);
  const perUnit = units.map((unit, u) => summariseRanks(unit.code, nominal[u], ranks, u, nU, options.draws));
  const pairs = overlaps(perUnit);
  const moments = rankMoments(ranks, nU, options.draws);
  return {
    options, domains: domains.map((d) => c.nodes[d].code),
    units: perUnit,
    indistinguishable: pairs.listed, indistinguishableTotal: pairs.total,
    sensitivity: Object.fromEntries(domains.map((d, k) => [c.nodes[d].code, firstOrderShare(weights, ranks, k, nD, nU, options.draws, moments)])),
  };
}

function perturbedWeights(base: number[], total: number, o: UncertaintyOptions, random: () => number): Float64Array {
  const w = Float64Array.from(base, (b) => {
    // normal: σ = perturbation / 2, so that ±perturbation is the 95 % range; never below 1 % of the weight
    const shock = o.distribution === 'uniform' ? (2 * random() - 1) * o.perturbation : Math.max(-0.99, (normal(random) * o.perturbation) / 2);
    return b * (1 + shock);
  });
  const sum = w.reduce((s, x) => s + x, 0);
  for (let k = 0; k < w.length; k++) w[k] = (w[k] * total) / sum;
  return w;
}

/** Weighted (arithmetic or geometric) mean over the domains with a value, snapped like the engine's. */
function weightedMean(value: Float64Array, u: number, nD: number, w: Float64Array, geometric: boolean): number {
  let acc = 0, weights = 0;
  for (let k = 0; k < nD; k++) {
    const v = value[u * nD + k];
    if (v !== v) continue;
    acc += geometric ? w[k] * Math.log(v) : w[k] * v;
    weights += w[k];
  }
  return snap(geometric ? Math.exp(acc / weights) : acc / weights); // no domain with a value: 0 / 0, NaN
}

export function summariseRanks(unit: string, rank: number | null, ranks: Int32Array, u: number, nU: number, draws: number): UnitUncertainty {
  if (rank === null) return { unit, rank, p5: null, p50: null, p95: null, keepsRank: 0 };
  // A draw's rank is 0 … nU (0: not ranked): counted rather than sorted (10,000 draws of 3,321 units: 10× less work).
  const count = new Int32Array(nU + 1);
  for (let d = 0; d < draws; d++) count[ranks[d * nU + u]]++;
  // nearest rank: the ⌈q·draws⌉-th smallest, within 1 … draws for 0 < q < 1
  const at = (q: number) => {
    const k = Math.ceil(q * draws);
    let r = 0;
    for (let seen = count[0]; seen < k; seen += count[++r]);
    return r;
  };
  return { unit, rank, p5: at(0.05), p50: at(0.5), p95: at(0.95), keepsRank: snap(count[rank] / draws) };
}

export function overlaps(units: UnitUncertainty[]): { listed: [string, string][]; total: number } {
  const ranked = units.filter((u) => u.rank !== null).sort((a, b) => a.rank! - b.rank! || a.unit.localeCompare(b.unit));
  // Intervals need not follow the nominal ranks (a volatile unit far down can reach the top): a
  // unit's scan stops only where no later unit's p5 reaches its p95, the lowest p5 from there on.
  const lowestFrom = ranked.map((u) => u.p5!);
  // Stryker disable next-line EqualityOperator,ArithmeticOperator: starting at n or ending at −1 writes no position (NaN there only means no early stop)
  for (let j = lowestFrom.length - 1; j > 0; j--) {
    lowestFrom[j - 1] = Math.min(lowestFrom[j - 1], lowestFrom[j]);
  }
  const listed: [string, string][] = [];
  let total = 0;
  for (let i = 0; i < ranked.length; i++) {
    const { p5, p95 } = ranked[i];
    for (let j = i + 1; j < ranked.length; j++) {
      // Stryker disable next-line ConditionalExpression: never stopping early only scans more; the check below keeps the same pairs
      if (lowestFrom[j] > p95!) break;
      if (ranked[j].p5! > p95! || p5! > ranked[j].p95!) continue;
      if (total++ < MAX_PAIRS) listed.push([ranked[i].unit, ranked[j].unit]);
    }
  }
  return { listed, total };
}

/** Each unit's mean and variance (sum of squared deviations) of its rank over the draws, summed in draw order. */
function rankMoments(ranks: Int32Array, nU: number, draws: number): { mean: Float64Array; variance: Float64Array } {
  const mean = new Float64Array(nU), variance = new Float64Array(nU);
  // Draw by draw, units inside: the ranks are read in the order they are stored.
  for (let d = 0; d < draws; d++) for (let u = 0, row = d * nU; u < nU; u++) mean[u] += ranks[row + u];
  for (let u = 0; u < nU; u++) mean[u] /= draws;
  for (let d = 0; d < draws; d++) for (let u = 0, row = d * nU; u < nU; u++) variance[u] += (ranks[row + u] - mean[u]) ** 2;
  return { mean, variance };
}

/**
 * First-order sensitivity of the ranks to one domain's weight: Var(E[rank | w_d]) / Var(rank),
 * estimated by binning the draws on w_d (20 equal-count bins), averaged over units weighted by
 * their rank variance. 0 when no unit's rank varies. The units' moments do not depend on the
 * domain: computed once (rankMoments), each domain costs one pass over the ranks.
 */
function firstOrderShare(weights: Float64Array, ranks: Int32Array, k: number, nD: number, nU: number, draws: number, moments: ReturnType<typeof rankMoments>): number {
  const bins = Math.max(1, Math.min(20, Math.floor(draws / 10)));
  const { binOf, size } = equalCountBins(weights, k, nD, draws, bins);
  // per bin, per unit: a draw adds its row of ranks to its bin's row (both read and written in order)
  const binSum = new Float64Array(bins * nU);
  for (let d = 0; d < draws; d++) {
    const sums = binOf[d] * nU;
    for (let u = 0, row = d * nU; u < nU; u++) binSum[sums + u] += ranks[row + u];
  }
  let explained = 0, totalVariance = 0;
  // a unit whose rank never varies (or is never ranked) adds 0 to both sums
  for (let u = 0; u < nU; u++) {
    let between = 0;
    for (let b = 0; b < bins; b++) between += size[b] * (binSum[b * nU + u] / size[b] - moments.mean[u]) ** 2;
    explained += between;
    totalVariance += moments.variance[u];
  }
  return totalVariance === 0 ? 0 : snap(explained / totalVariance);
}

/**
 * Each draw's bin when the draws are ordered by the domain's weight and cut into `bins` runs of
 * equal count (run b: positions ⌊b·draws/bins⌋ …), ties kept in draw order as a stable sort would.
 * The weights are sorted natively (a typed array, no comparator), and each draw finds its
 * position by bisection: far cheaper than sorting indices through a callback per domain.
 */
function equalCountBins(weights: Float64Array, k: number, nD: number, draws: number, bins: number): { binOf: Uint8Array; size: Int32Array } {
  const sorted = new Float64Array(draws);
  for (let d = 0; d < draws; d++) sorted[d] = weights[d * nD + k];
  sorted.sort();
  const binOf = new Uint8Array(draws);
  const size = new Int32Array(bins);
  const seen = new Map<number, number>(); // how many draws of each weight already placed
  for (let d = 0; d < draws; d++) {
    const w = weights[d * nD + k];
    let lo = 0, hi = draws; // first position holding w
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < w) lo = mid + 1; else hi = mid;
    }
    // tied weights (all shocks floored) take the positions from lo on, in draw order
    const tie = seen.get(w) ?? 0;
    seen.set(w, tie + 1);
    const position = lo + tie;
    // the last b with ⌊b·draws/bins⌋ ≤ position; position < draws keeps b < bins
    const b = Math.floor(((position + 1) * bins - 1) / draws);
    binOf[d] = b;
    size[b]++;
  }
  return { binOf, size };
}
