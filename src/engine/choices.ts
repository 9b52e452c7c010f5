// The methodology's choices as uncertain inputs: weights (perturbed), normalisation, aggregation,
// imputation and treatment (each a set of alternatives). A run picks one of each and ranks the
// units. Runs repeat few distinct combinations, so each step is computed once per combination it
// depends on: the pipeline per (imputation, treatment), the normalised leaves per (that,
// normalisation); a run then only takes the weighted means up the tree (tens of microseconds on
// COINr's ASEM, where a whole evaluation takes a millisecond).
import { evaluate } from './aggregate.js';
import type { CompiledMethodology } from './compile.js';
import { EngineError } from './errors.js';
import { exponentOf, meanName, refusedValue } from './means.js';
import type { Aggregation, Imputation, Normalisation, Treatment } from './model.js';
import type { RawData } from './panel-scores.js';
import { applyPipeline } from './pipeline.js';
import { normal } from './random.js';
import { competitionRanks } from './rank.js';
import type { ScoreMatrix } from './scores.js';

export interface WeightNoise {
  /** relative half-width: 0.2 moves every weight below the root within ±20 % */
  perturbation: number;
  distribution: 'uniform' | 'normal';
}

/** Each declared choice and its alternatives; a choice left out keeps the methodology's own. */
export interface ChoiceSpace {
  weights?: WeightNoise;
  /** replaces every leaf's normalisation */
  normalisation?: Normalisation[];
  /** replaces every inner node's mean */
  aggregation?: Aggregation[];
  /** replaces the methodology's imputation; false: none */
  imputation?: (Imputation | false)[];
  /** replaces every leaf's outlier treatment; false: none */
  treatment?: (Treatment | false)[];
}

export type ChoiceName = 'weights' | 'normalisation' | 'aggregation' | 'imputation' | 'treatment';
export const CHOICE_ORDER: ChoiceName[] = ['weights', 'normalisation', 'aggregation', 'imputation', 'treatment'];

/** One run's picks: an index into each declared choice's alternatives (−1: the methodology's own); weights as given. */
export interface Pick { normalisation: number; aggregation: number; imputation: number; treatment: number; weight?: Float64Array }

/** The declared choices, in CHOICE_ORDER, with how many alternatives each has (weights: continuous, 0). */
export function declaredChoices(space: ChoiceSpace): { name: ChoiceName; alternatives: number }[] {
  return CHOICE_ORDER.filter((name) => space[name] !== undefined)
    .map((name) => ({ name, alternatives: name === 'weights' ? 0 : (space[name] as unknown[]).length }));
}

export class ChoiceModel {
  readonly units: ScoreMatrix['units'];
  readonly nominalRanks: Int32Array;
  private readonly pipelines = new Map<string, ScoreMatrix>();
  private readonly leaves = new Map<string, Float64Array>();
  private readonly exponentsBy = new Map<number, Float64Array>();
  private readonly work: Float64Array;
  private readonly index: Float64Array;
  private readonly nNodes: number;

  constructor(readonly c: CompiledMethodology, readonly raw: RawData, readonly space: ChoiceSpace) {
    if (c.methodology.mode !== 'weighted') throw new EngineError('invalid-computation', [{ message: 'uncertainty over choices and sensitivity analysis need the weighted mode: points mode has no normalisation or means to choose' }]);
    const nominal = applyPipeline(c, raw.matrix, raw.panel);
    this.units = nominal.units;
    this.nNodes = c.nodes.length;
    this.work = new Float64Array(this.units.length * this.nNodes);
    this.index = new Float64Array(this.units.length);
    this.pipelines.set('-1/-1', nominal);
    const { index } = evaluate(c, nominal);
    this.nominalRanks = toRanks(competitionRanks(index, (u) => this.eligible(u, index)));
  }

  private eligible(u: number, index: Float64Array): boolean {
    return this.units[u].ranked && Number.isFinite(index[u]);
  }

  /** The ranks of one run (0: not ranked), written into `out`. */
  ranks(pick: Pick, out: Int32Array): Int32Array {
    const cells = this.leafCells(pick.imputation, pick.treatment, pick.normalisation);
    const index = this.aggregate(cells, pick.weight ?? this.c.weight, pick.aggregation);
    const r = competitionRanks(index, (u) => this.eligible(u, index));
    // Stryker disable next-line EqualityOperator: one step past the end writes outside out, which does nothing
    for (let u = 0; u < r.length; u++) out[u] = r[u] ?? 0;
    return out;
  }

  /** Perturbed weights for every node below the root (uniform, or normal with σ = perturbation / 2, never below 1 % of the weight). */
  perturbedWeights(noise: WeightNoise, random: () => number): Float64Array {
    const w = Float64Array.from(this.c.weight);
    for (let i = 1; i < w.length; i++) {
      const shock = noise.distribution === 'uniform' ? (2 * random() - 1) * noise.perturbation : Math.max(-0.99, (normal(random) * noise.perturbation) / 2);
      w[i] *= 1 + shock;
    }
    return w;
  }

  /** How many distinct pipelines and normalised leaf sets were computed: the expensive work. */
  get combinations(): { pipelines: number; normalisations: number } {
    return { pipelines: this.pipelines.size, normalisations: this.leaves.size };
  }

  private pipeline(imputation: number, treatment: number): ScoreMatrix {
    const key = `${imputation}/${treatment}`;
    let m = this.pipelines.get(key);
    // Stryker disable next-line ConditionalExpression: the cache only saves time: computed again, the pipeline is the same
    if (!m) {
      m = applyPipeline(this.variant({ imputation, treatment }), this.raw.matrix, this.raw.panel);
      this.pipelines.set(key, m);
    }
    return m;
  }

  /** Units × nodes with the leaves normalised (missing rule applied); inner nodes are filled per run. */
  private leafCells(imputation: number, treatment: number, normalisation: number): Float64Array {
    const key = `${imputation}/${treatment}/${normalisation}`;
    let cells = this.leaves.get(key);
    // Stryker disable next-line ConditionalExpression: the cache only saves time: computed again, the leaves are the same
    if (!cells) {
      // arithmetic means here: only the leaves are read, and another mean could refuse values the run's mean accepts
      cells = evaluate(this.variant({ normalisation, arithmetic: true }), this.pipeline(imputation, treatment)).values;
      this.leaves.set(key, cells);
    }
    return cells;
  }

  /** The methodology with the picked alternatives in place of its own. */
  private variant(p: { imputation?: number; treatment?: number; normalisation?: number; arithmetic?: boolean }): CompiledMethodology {
    const s = this.space;
    const imputation = pickOf(s.imputation, p.imputation);
    const treatment = pickOf(s.treatment, p.treatment);
    const normalisation = pickOf(s.normalisation, p.normalisation);
    const m = this.c.methodology;
    // Stryker disable next-line ConditionalExpression,BooleanLiteral: an imputation of false imputes nothing, as none does
    const methodology = imputation === undefined ? m : { ...m, imputation: imputation === false ? undefined : imputation };
    const nodes = this.c.nodes.map((node) => {
      if (node.children.length > 0) return p.arithmetic ? { ...node, aggregation: 'arithmetic' as const } : node;
      return {
        ...node,
        ...(normalisation !== undefined && { normalisation }),
        // Stryker disable next-line ConditionalExpression,BooleanLiteral: a treatment of false treats nothing, as null does
        ...(treatment !== undefined && { treatment: treatment === false ? null : treatment }),
      };
    });
    return { ...this.c, methodology, nodes };
  }

  /** Each inner node's exponent under an aggregation alternative (−1: the nodes' own), computed once. */
  private exponents(aggregation: number): Float64Array {
    let p = this.exponentsBy.get(aggregation);
    // Stryker disable next-line ConditionalExpression: the cache only saves time: computed again, the exponents are the same
    if (!p) {
      const chosen = pickOf(this.space.aggregation, aggregation);
      p = Float64Array.from(this.c.nodes, (node) => exponentOf(chosen ?? node.aggregation));
      this.exponentsBy.set(aggregation, p);
    }
    return p;
  }

  /** The weighted (power) means up the tree, as evaluate takes them; returns the index per unit. */
  private aggregate(leaves: Float64Array, weight: Float64Array, aggregation: number): Float64Array {
    const { c, work, nNodes, index } = this;
    const exponent = this.exponents(aggregation);
    const { childStart, childIndex, innerNodes, availabilityThreshold } = c;
    work.set(leaves);
    // Stryker disable next-line EqualityOperator: one step past the end reads undefined (no child is NaN or refused) and writes outside the arrays
    for (let u = 0, base = 0; u < this.units.length; u++, base += nNodes) {
      // Stryker disable next-line EqualityOperator: one step past the end has no children and writes to work[NaN], which does nothing
      for (let n = 0; n < innerNodes.length; n++) {
        const i = innerNodes[n];
        const p = exponent[i];
        let acc = 0, weights = 0, available = 0;
        const from = childStart[i], to = childStart[i + 1];
        for (let k = from; k < to; k++) {
          const child = childIndex[k];
          const v = work[base + child];
          if (v !== v) continue;
          if (p === 1) acc += weight[child] * v;
          else {
            if (p <= 0 ? v <= 0 : v < 0) refuse(p, v, this.units[u].code, c.nodes[i].code, c.nodes[child].code);
            acc += p === 0 ? weight[child] * Math.log(v) : weight[child] * v ** p;
          }
          weights += weight[child]; available++;
        }
        // Stryker disable next-line ConditionalExpression,EqualityOperator: with no child available the mean is 0 / 0, NaN all the same
        const some = available > 0;
        const enough = some && available >= availabilityThreshold[i] * (to - from);
        work[base + i] = enough ? fromAverage(acc / weights, p) : NaN;
      }
      index[u] = work[base];
    }
    return index;
  }
}

/** The power mean of exponent p from the weighted average of x^p (of log x for p = 0). */
function fromAverage(average: number, p: number): number {
  // Stryker disable next-line ConditionalExpression: x ** (1 / 1) is x: the arithmetic shortcut gives the power mean's value
  if (p === 1) return average;
  return p === 0 ? Math.exp(average) : average ** (1 / p);
}

function refuse(p: number, v: number, unit: string, node: string, child: string): never {
  const refused = refusedValue(p, v);
  throw new EngineError('invalid-computation', [{ unit, node, message: `${meanName(p)} mean ${refused}; child ${child} is ${v} under one of the alternatives (choose normalisations with a positive range for this mean)` }]);
}

/** The picked alternative; −1 (the methodology's own) and no pick read undefined. */
// Stryker disable next-line UnaryOperator: a choice left out of a variant is one its step never reads (the pipeline reads no normalisation, the leaves no imputation or treatment)
function pickOf<T>(alternatives: T[] | undefined, at = -1): T | undefined {
  return alternatives?.[at];
}

function toRanks(r: (number | null)[]): Int32Array {
  return Int32Array.from(r, (x) => x ?? 0);
}

/** The pick for inputs in [0, 1): each discrete choice's alternative ⌊u · n⌋; weights from the sets given. */
export function pickFrom(choices: { name: ChoiceName; alternatives: number }[], x: ArrayLike<number>, weightSets?: Float64Array[]): Pick {
  const pick: Pick = { normalisation: -1, aggregation: -1, imputation: -1, treatment: -1 };
  choices.forEach(({ name, alternatives }, k) => {
    if (name === 'weights') {
      if (weightSets) pick.weight = weightSets[alternativeAt(x[k], weightSets.length)];
    } else pick[name] = alternativeAt(x[k], alternatives);
  });
  return pick;
}

/** Alternative ⌊x · n⌋ of n for an input in [0, 1). */
function alternativeAt(x: number, n: number): number {
  const at = Math.floor(x * n);
  // Stryker disable next-line ArithmeticOperator: inputs are below 1, so ⌊x · n⌋ ≤ n − 1: the bound only guards x = 1
  return Math.min(n - 1, at);
}
