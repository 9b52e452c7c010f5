// Monte Carlo uncertainty over the methodology's choices, sampled together: every draw perturbs
// the weights (if declared) and picks one alternative of each declared choice at random, then
// ranks the units. Rank intervals (p5, p50, p95) per unit as rankUncertainty gives them for the
// domain weights. Deterministic for a seed.
import type { CompiledMethodology } from './compile.js';
import { ChoiceModel, declaredChoices, pickFrom, type ChoiceName, type ChoiceSpace } from './choices.js';
import type { RawData } from './panel-scores.js';
import { mulberry32 } from './random.js';
import { overlaps, summariseRanks, type UnitUncertainty } from './uncertainty.js';

export interface ChoiceUncertaintyOptions { draws: number; seed: number; choices: ChoiceSpace }

export interface ChoiceUncertainty {
  options: ChoiceUncertaintyOptions;
  /** the choices sampled, and how many draws took each alternative */
  inputs: { input: ChoiceName; draws: number[] }[];
  units: UnitUncertainty[];
  indistinguishable: [string, string][];
  indistinguishableTotal: number;
  /** per unit, then averaged: mean absolute shift from the nominal rank over the draws */
  meanRankShift: number;
}

export function choiceUncertainty(c: CompiledMethodology, raw: RawData, options: ChoiceUncertaintyOptions): ChoiceUncertainty {
  const model = new ChoiceModel(c, raw, options.choices);
  return drawChoices(model, options);
}

/** The draws over a model already built (the bench reuses one). */
export function drawChoices(model: ChoiceModel, options: ChoiceUncertaintyOptions): ChoiceUncertainty {
  const choices = declaredChoices(options.choices);
  const nU = model.units.length;
  const random = mulberry32(options.seed);
  const ranks = new Int32Array(options.draws * nU);
  const taken = choices.map((ch) => new Array<number>(ch.alternatives).fill(0));
  const x = new Float64Array(choices.length);
  let shift = 0, ranked = 0;
  for (let d = 0; d < options.draws; d++) {
    // Stryker disable next-line EqualityOperator: one more number drawn past the end: another stream of the same law, which the seed still reproduces
    for (let k = 0; k < x.length; k++) x[k] = random();
    const pick = pickFrom(choices, x);
    const weights = options.choices.weights;
    if (weights) pick.weight = model.perturbedWeights(weights, random);
    // Stryker disable next-line ConditionalExpression,StringLiteral: the weights' count is never read (their draws are reported as the total), and writing it changes nothing else
    choices.forEach((ch, k) => { if (ch.name !== 'weights') taken[k][pick[ch.name]]++; });
    const row = model.ranks(pick, ranks.subarray(d * nU, (d + 1) * nU));
    for (let u = 0; u < nU; u++) {
      if (row[u] === 0 || model.nominalRanks[u] === 0) continue;
      shift += Math.abs(row[u] - model.nominalRanks[u]); ranked++;
    }
  }
  const units = model.units.map((unit, u) => summariseRanks(unit.code, model.nominalRanks[u] || null, ranks, u, nU, options.draws));
  const pairs = overlaps(units);
  return {
    options,
    inputs: choices.map((ch, k) => ({ input: ch.name, draws: ch.name === 'weights' ? [options.draws] : taken[k] })),
    units, indistinguishable: pairs.listed, indistinguishableTotal: pairs.total,
    meanRankShift: ranked === 0 ? 0 : shift / ranked,
  };
}
