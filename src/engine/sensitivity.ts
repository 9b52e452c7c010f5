// Variance-based sensitivity (COINr's get_sensitivity, SA_type = "SA"): a Saltelli design of
// N(k + 2) runs over k inputs uniform on [0, 1), first-order and total-order indices by Jansen's
// estimators, and their bootstrap 5–95 % intervals (COINr's q5/q95). The model is any function of
// the inputs; for an index, the mean absolute rank shift from the nominal ranking under the picked
// choices (choiceSensitivity).
import type { CompiledMethodology } from './compile.js';
import { ChoiceModel, declaredChoices, pickFrom, type ChoiceName, type ChoiceSpace } from './choices.js';
import type { RawData } from './panel-scores.js';
import { mulberry32 } from './random.js';

export interface InputIndices {
  /** first order S_i: share of the output variance due to input i alone */
  first: number;
  /** total order ST_i: share due to i with all its interactions */
  total: number;
  /** bootstrap 5–95 % intervals; absent without bootstrap */
  firstInterval?: [number, number];
  totalInterval?: [number, number];
}

/** mean and variance: of the output over the A and B runs */
export interface Sensitivity { runs: number; mean: number; variance: number; inputs: InputIndices[] }

export interface SaltelliOptions { n: number; seed: number; bootstrap: number }

/**
 * Runs the model over the Saltelli design (A, B and A with column i from B, i = 1 … k, N rows each)
 * and estimates the indices. The model reads its inputs from the array it is given, which is reused.
 */
export function saltelli(model: (x: Float64Array) => number, k: number, o: SaltelliOptions): Sensitivity {
  const { n } = o;
  const random = mulberry32(o.seed);
  const a = new Float64Array(n * k), b = new Float64Array(n * k);
  // Stryker disable next-line EqualityOperator: one step past the end writes outside A and B, and the stream is not read afterwards
  for (let j = 0; j < n * k; j++) { a[j] = random(); b[j] = random(); }
  const yA = new Float64Array(n), yB = new Float64Array(n), yAB = new Float64Array(n * k);
  const x = new Float64Array(k);
  for (let r = 0; r < n; r++) {
    x.set(a.subarray(r * k, (r + 1) * k)); yA[r] = model(x);
    x.set(b.subarray(r * k, (r + 1) * k)); yB[r] = model(x);
    // Stryker disable next-line EqualityOperator: one step past the end runs the (pure) model once more and writes outside x and yAB
    for (let i = 0; i < k; i++) {
      x.set(a.subarray(r * k, (r + 1) * k)); x[i] = b[r * k + i];
      yAB[i * n + r] = model(x);
    }
  }
  return jansen(yA, yB, yAB, k, o);
}

/** Jansen's estimators from the runs (yAB: input by input, N each), with bootstrap intervals. */
export function jansen(yA: Float64Array, yB: Float64Array, yAB: Float64Array, k: number, o: SaltelliOptions): Sensitivity {
  const n = yA.length;
  const rows = Int32Array.from({ length: n }, (_, r) => r);
  const point = estimate(yA, yB, yAB, k, rows);
  const inputs: InputIndices[] = point.first.map((first, i) => ({ first, total: point.total[i] }));
  if (o.bootstrap > 0) {
    const random = mulberry32(o.seed ^ 0x5bd1e995);
    const firsts = inputs.map(() => new Float64Array(o.bootstrap)), totals = inputs.map(() => new Float64Array(o.bootstrap));
    // Stryker disable next-line EqualityOperator: one more resample, written outside the arrays of estimates
    for (let s = 0; s < o.bootstrap; s++) {
      // Stryker disable next-line EqualityOperator: one more number drawn past the end: another stream of the same law, which the seed still reproduces
      for (let r = 0; r < n; r++) rows[r] = Math.floor(random() * n);
      const e = estimate(yA, yB, yAB, k, rows);
      for (let i = 0; i < k; i++) { firsts[i][s] = e.first[i]; totals[i][s] = e.total[i]; }
    }
    inputs.forEach((input, i) => {
      input.firstInterval = [quantile(firsts[i], 0.05), quantile(firsts[i], 0.95)];
      input.totalInterval = [quantile(totals[i], 0.05), quantile(totals[i], 0.95)];
    });
  }
  return { runs: n * (k + 2), mean: point.mean, variance: point.variance, inputs };
}

/**
 * V = var(yA ∪ yB) (sample variance, as R's var); S_i = (V − Σ(yB − yAB_i)² / 2N) / V;
 * ST_i = Σ(yA − yAB_i)² / (2N V), over the rows given (all, or a bootstrap resample).
 * A model that does not vary has no variance to share: 0 for every index.
 */
function estimate(yA: Float64Array, yB: Float64Array, yAB: Float64Array, k: number, rows: Int32Array): { mean: number; variance: number; first: number[]; total: number[] } {
  const n = rows.length, N = yA.length;
  let mean = 0;
  for (const r of rows) mean += yA[r] + yB[r];
  mean /= 2 * n;
  let ss = 0;
  for (const r of rows) ss += (yA[r] - mean) ** 2 + (yB[r] - mean) ** 2;
  const variance = ss / (2 * n - 1);
  const first: number[] = [], total: number[] = [];
  for (let i = 0; i < k; i++) {
    let dB = 0, dA = 0;
    for (const r of rows) {
      const y = yAB[i * N + r];
      dB += (yB[r] - y) ** 2; dA += (yA[r] - y) ** 2;
    }
    first.push(variance === 0 ? 0 : (variance - dB / (2 * n)) / variance);
    total.push(variance === 0 ? 0 : dA / (2 * n) / variance);
  }
  return { mean, variance, first, total };
}

/** R's quantile type 7 (its default): linear between order statistics. Sorts its argument. */
export function quantile(xs: Float64Array, q: number): number {
  xs.sort();
  const h = (xs.length - 1) * q, lo = Math.floor(h);
  return lo + 1 < xs.length ? xs[lo] + (h - lo) * (xs[lo + 1] - xs[lo]) : xs[lo];
}

export interface ChoiceSensitivityOptions extends SaltelliOptions {
  choices: ChoiceSpace;
  /** weights as one input: this many perturbed weight sets, the input picking one (COINr's Nrep) */
  weightSets: number;
}

export interface ChoiceSensitivity {
  options: ChoiceSensitivityOptions;
  runs: number;
  /** variance of the output: the mean absolute rank shift from the nominal ranking */
  variance: number;
  /** mean of the output over the design's A and B runs */
  meanRankShift: number;
  inputs: ({ input: ChoiceName; alternatives: number } & InputIndices)[];
}

/** The sensitivity of the ranking to each declared choice (at least one). */
export function choiceSensitivity(c: CompiledMethodology, raw: RawData, options: ChoiceSensitivityOptions): ChoiceSensitivity {
  return sensitivityOf(new ChoiceModel(c, raw, options.choices), options);
}

/** The design over a model already built (the bench reuses one). */
export function sensitivityOf(model: ChoiceModel, options: ChoiceSensitivityOptions): ChoiceSensitivity {
  const choices = declaredChoices(options.choices);
  const random = mulberry32(options.seed ^ 0x9e3779b9);
  const noise = options.choices.weights;
  const weightSets = noise ? Array.from({ length: options.weightSets }, () => model.perturbedWeights(noise, random)) : undefined;
  const ranks = new Int32Array(model.units.length);
  const result = saltelli((x) => meanShift(model.ranks(pickFrom(choices, x, weightSets), ranks), model.nominalRanks), choices.length, options);
  return {
    options, runs: result.runs, variance: result.variance, meanRankShift: result.mean,
    inputs: choices.map((ch, i) => ({ input: ch.name, alternatives: ch.alternatives, ...result.inputs[i] })),
  };
}

/** Mean absolute rank shift over the units ranked in both (0 when none is). */
function meanShift(ranks: Int32Array, nominal: Int32Array): number {
  let shift = 0, n = 0;
  for (let u = 0; u < ranks.length; u++) {
    if (ranks[u] === 0 || nominal[u] === 0) continue;
    shift += Math.abs(ranks[u] - nominal[u]); n++;
  }
  return n === 0 ? 0 : shift / n;
}
