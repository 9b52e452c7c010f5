// Monte Carlo uncertainty of the ranking over the methodology's domain weights: each domain's
// weight (weighted mode) or maximum points (points mode) is perturbed within ±x %, renormalised
// to the same total, and the units re-ranked. Deterministic for a seed. Domain scores do not
// depend on the domains' weights, so each draw recombines precomputed domain values: the index is
// linear in the domain maxima (points) or a weighted mean of domain values (weighted).
import type { Evaluation } from './aggregate.js';
import type { CompiledMethodology } from './compile.js';
import { EngineError } from './errors.js';
import { snap } from './numbers.js';
import { mulberry32, normal } from './random.js';
import { competitionRanks } from './rank.js';
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
  /** pairs of ranked units whose 5–95 % rank intervals overlap: not distinguishable */
  indistinguishable: [string, string][];
  /** per domain: first-order share of rank variance explained by its weight (averaged over units) */
  sensitivity: Record<string, number>;
}

export function rankUncertainty(c: CompiledMethodology, units: Unit[], e: Evaluation, options: UncertaintyOptions): Uncertainty {
  const domains = c.nodes[0].children;
  const nU = units.length, nD = domains.length;
  const points = c.methodology.mode === 'points';
  const geometric = !points && c.nodes[0].aggregation === 'geometric';
  const base = domains.map((d) => (points ? c.nodes[d].max : c.nodes[d].weight));
  const total = base.reduce((s, w) => s + w, 0);
  // Points: each domain as a share of its max (×100), so that index = Σ w_d·share_ud / Σ w_d.
  const value = new Float64Array(nU * nD);
  for (let u = 0; u < nU; u++) {
    for (let k = 0; k < nD; k++) {
      const v = e.values[u * e.nNodes + domains[k]];
      value[u * nD + k] = points ? (Number.isNaN(v) ? 0 : (v / base[k]) * 100) : v;
    }
  }
  if (geometric && value.some((v) => v <= 0)) {
    throw new EngineError('invalid-computation', [{ node: c.nodes[0].code, message: 'geometric mean needs domain values > 0' }]);
  }
  const random = mulberry32(options.seed);
  const weights = new Float64Array(options.draws * nD);
  const ranks = new Int32Array(options.draws * nU);
  const index = new Float64Array(nU);
  const eligible = (u: number) => units[u].ranked;
  for (let draw = 0; draw < options.draws; draw++) {
    const w = perturbedWeights(base, total, options, random);
    weights.set(w, draw * nD);
    for (let u = 0; u < nU; u++) index[u] = weightedMean(value, u, nD, w, geometric);
    const r = competitionRanks(index, eligible);
    for (let u = 0; u < nU; u++) ranks[draw * nU + u] = r[u] ?? 0;
  }
  const nominal = competitionRanks(e.index, eligible);
  const perUnit = units.map((unit, u) => summariseRanks(unit.code, nominal[u], ranks, u, nU, options.draws));
  return {
    options, domains: domains.map((d) => c.nodes[d].code),
    units: perUnit,
    indistinguishable: overlaps(perUnit),
    sensitivity: Object.fromEntries(domains.map((d, k) => [c.nodes[d].code, firstOrderShare(weights, ranks, k, nD, nU, options.draws)])),
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
  return weights === 0 ? NaN : snap(geometric ? Math.exp(acc / weights) : acc / weights);
}

function summariseRanks(unit: string, rank: number | null, ranks: Int32Array, u: number, nU: number, draws: number): UnitUncertainty {
  if (rank === null) return { unit, rank, p5: null, p50: null, p95: null, keepsRank: 0 };
  const mine = new Int32Array(draws);
  let kept = 0;
  for (let d = 0; d < draws; d++) { mine[d] = ranks[d * nU + u]; if (mine[d] === rank) kept++; }
  mine.sort();
  const at = (q: number) => mine[Math.min(draws - 1, Math.max(0, Math.ceil(q * draws) - 1))];
  return { unit, rank, p5: at(0.05), p50: at(0.5), p95: at(0.95), keepsRank: snap(kept / draws) };
}

function overlaps(units: UnitUncertainty[]): [string, string][] {
  const ranked = units.filter((u) => u.rank !== null).sort((a, b) => a.rank! - b.rank! || a.unit.localeCompare(b.unit));
  const pairs: [string, string][] = [];
  for (let i = 0; i < ranked.length; i++) {
    for (let j = i + 1; j < ranked.length && ranked[j].p5! <= ranked[i].p95!; j++) {
      if (ranked[i].p5! <= ranked[j].p95!) pairs.push([ranked[i].unit, ranked[j].unit]);
    }
  }
  return pairs;
}

/**
 * First-order sensitivity of the ranks to one domain's weight: Var(E[rank | w_d]) / Var(rank),
 * estimated by binning the draws on w_d (20 equal-count bins), averaged over units weighted by
 * their rank variance. 0 when no unit's rank varies.
 */
function firstOrderShare(weights: Float64Array, ranks: Int32Array, k: number, nD: number, nU: number, draws: number): number {
  const bins = Math.max(1, Math.min(20, Math.floor(draws / 10)));
  const order = Array.from({ length: draws }, (_, d) => d).sort((a, b) => weights[a * nD + k] - weights[b * nD + k]);
  let explained = 0, totalVariance = 0;
  for (let u = 0; u < nU; u++) {
    let mean = 0;
    for (let d = 0; d < draws; d++) mean += ranks[d * nU + u];
    mean /= draws;
    let variance = 0;
    for (let d = 0; d < draws; d++) variance += (ranks[d * nU + u] - mean) ** 2;
    if (variance === 0) continue;
    let between = 0;
    for (let b = 0; b < bins; b++) {
      const from = Math.floor((b * draws) / bins), to = Math.floor(((b + 1) * draws) / bins);
      let binMean = 0;
      for (let i = from; i < to; i++) binMean += ranks[order[i] * nU + u];
      binMean /= to - from;
      between += (to - from) * (binMean - mean) ** 2;
    }
    explained += between;
    totalVariance += variance;
  }
  return totalVariance === 0 ? 0 : snap(explained / totalVariance);
}
