// The schemas of POST /v1/compute's additions to the weighted mode: panel scores (a year per row),
// uncertainty over the methodology's choices, variance-based sensitivity, and the pipeline record.
import { z } from '@hono/zod-openapi';
import { Aggregation, BUDGETS, Imputation, Normalisation, ScoreInput, Treatment } from '../../engine/index.js';

const n = (x: number) => x.toLocaleString('en');

export const Year = z.number().int().min(1900).max(2200);

export const PanelScoreIn = ScoreInput.extend({
  year: Year.optional().describe('panel data: the year of this value; a row without one belongs to the year computed'),
});

const alternatives = <T extends z.ZodType>(of: T, what: string) => z.array(of).min(1).max(8).optional().describe(what);

export const ChoiceSpaceIn = z.object({
  weights: z.object({
    perturbation: z.number().min(0).max(0.95).default(0.2).describe('every weight below the root varies within ±perturbation (the means renormalise them)'),
    distribution: z.enum(['uniform', 'normal']).default('uniform').describe('normal: σ = perturbation / 2'),
  }).strict().optional(),
  normalisation: alternatives(Normalisation, 'alternatives for every leaf\'s normalisation'),
  aggregation: alternatives(Aggregation, 'alternatives for every inner node\'s mean; geometric, harmonic and p < 0 need every normalisation alternative to give values > 0'),
  imputation: alternatives(z.union([Imputation, z.literal(false)]), 'alternatives for the imputation; false: none'),
  treatment: alternatives(z.union([Treatment, z.literal(false)]), 'alternatives for every leaf\'s outlier treatment; false: none'),
}).strict().refine((s) => Object.keys(s).length > 0, 'declare at least one choice (weights, normalisation, aggregation, imputation, treatment)');

const CHOICE_LIMITS = `at most ${n(BUDGETS.draws)} runs, ${n(BUDGETS.drawUnits)} runs × units, ${n(BUDGETS.choiceCells)} runs × units × nodes and ${n(BUDGETS.combinationCells)} combinations (imputation × treatment × normalisation alternatives) × units × nodes (422)`;

export const ChoicesIn = z.object({
  choices: ChoiceSpaceIn,
  draws: z.number().int().min(1).max(BUDGETS.draws).default(1000).describe(`Monte Carlo draws, each picking one alternative of every choice at random; ${CHOICE_LIMITS}`),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
}).strict().openapi('ChoiceUncertaintyIn', { description: 'weighted mode: Monte Carlo uncertainty over the methodology\'s choices, sampled together' });

export const SensitivityIn = z.object({
  choices: ChoiceSpaceIn,
  n: z.number().int().min(10).max(5000).default(500).describe(`Saltelli base sample N: N × (inputs + 2) runs, at most ${n(BUDGETS.sensitivityRuns)}; ${CHOICE_LIMITS}`),
  bootstrap: z.number().int().min(0).max(1000).default(100).describe('bootstrap resamples for the 5–95 % intervals; 0: none'),
  weightSets: z.number().int().min(2).max(1000).default(100).describe('weights as one input: this many perturbed weight sets, the input picking one (COINr\'s Nrep)'),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
}).strict().openapi('SensitivityIn', { description: 'weighted mode: variance-based sensitivity of the ranking to each declared choice (COINr\'s get_sensitivity, SA_type = "SA")' });

const RankInterval = z.object({
  unit: z.string(), rank: z.number().int().nullable(), p5: z.number().int().nullable(), p50: z.number().int().nullable(), p95: z.number().int().nullable(),
  keepsRank: z.number().describe('share of draws in which the unit keeps its rank, 0–1'),
});
const ChoiceName = z.enum(['weights', 'normalisation', 'aggregation', 'imputation', 'treatment']);

export const ChoiceUncertaintyOut = z.object({
  options: z.object({ draws: z.number().int(), seed: z.number().int(), choices: z.record(z.string(), z.unknown()).describe('the choices as declared, with defaults') }),
  inputs: z.array(z.object({ input: ChoiceName, draws: z.array(z.number().int()).describe('draws that took each alternative, in the order declared (weights: all draws)') })),
  units: z.array(RankInterval).describe('rank intervals over the draws, per unit'),
  indistinguishable: z.array(z.tuple([z.string(), z.string()])).describe('pairs whose 5–95 % rank intervals overlap, in rank order (the first 10,000)'),
  indistinguishableTotal: z.number().int(),
  meanRankShift: z.number().describe('mean absolute shift from the nominal rank over draws and ranked units'),
}).openapi('ChoiceUncertainty');

const Interval = z.tuple([z.number(), z.number()]);
export const SensitivityOut = z.object({
  options: z.object({ n: z.number().int(), bootstrap: z.number().int(), weightSets: z.number().int(), seed: z.number().int(), choices: z.record(z.string(), z.unknown()) }),
  runs: z.number().int().describe('N × (inputs + 2)'),
  meanRankShift: z.number().describe('the output\'s mean: mean absolute rank shift from the nominal ranking'),
  variance: z.number().describe('the output\'s variance, which the indices share'),
  inputs: z.array(z.object({
    input: ChoiceName, alternatives: z.number().int().describe('0 for weights (continuous)'),
    first: z.number().describe('first-order index S_i (Jansen): the share of variance due to this choice alone; may fall slightly outside [0, 1] by sampling noise'),
    total: z.number().describe('total-order index ST_i (Jansen): with all its interactions'),
    firstInterval: Interval.optional().describe('bootstrap 5–95 %'),
    totalInterval: Interval.optional().describe('bootstrap 5–95 %'),
  })),
}).openapi('Sensitivity');

const ShapeCheck = z.object({
  skewness: z.number().nullable().describe('sample skewness (Excel, e1071 type 2); null below 3 values or for a constant indicator'),
  kurtosis: z.number().nullable().describe('sample excess kurtosis (Excel, e1071 type 2); null below 4 values or for a constant indicator'),
  passes: z.boolean().describe('false when |skewness| and kurtosis both reach the thresholds'),
});
export const PipelineOut = z.object({
  denomination: z.array(z.object({
    indicator: z.string(), by: z.string().describe('the unit attribute divided by'),
    cells: z.number().int().describe('values divided'),
    unknown: z.array(z.string()).describe('units whose value became missing: the attribute is absent'),
  })).optional(),
  screening: z.object({
    minAvailability: z.number(), kept: z.number().int().describe('units kept'),
    dropped: z.array(z.object({ unit: z.string(), availability: z.number().describe('share of leaves with a value'), reason: z.string() })),
  }).optional().describe('units dropped for too little data (they are absent from the results)'),
  imputation: z.object({
    method: Imputation.shape.method, by: z.string().optional(),
    year: Year.optional().describe('panel: the year computed'),
    cells: z.array(z.object({
      indicator: z.string(), unit: z.string(), value: z.number().describe('the raw value imputed'),
      method: Imputation.shape.method.describe('how this cell was filled'),
      from: z.array(Year).optional().describe('panel methods: the year(s) the value comes from'),
    })),
  }).optional(),
  treatment: z.array(z.object({
    indicator: z.string(),
    parameters: z.object({ skewness: z.number(), kurtosis: z.number(), winsoriseMax: z.number().int(), transform: z.enum(['log', 'logSkew', 'none']) }),
    before: ShapeCheck,
    action: z.enum(['none', 'winsorised', 'log', 'logNegative']).describe('none: passed; winsorised; log: log(x − min + shift); logNegative: −log(max + shift − x)'),
    winsorised: z.array(z.object({ unit: z.string(), side: z.enum(['high', 'low']), from: z.number(), to: z.number() })),
    transform: z.object({ min: z.number(), max: z.number(), shift: z.number() }).optional().describe('the log transform\'s parameters (of the original values)'),
    after: ShapeCheck,
  })).optional().describe('every treated leaf, in the methodology\'s order'),
}).openapi('PipelineRecord', { description: 'What the methodology\'s data-treatment steps did, in their order (denominate, screen, impute, treat), before normalisation: enough to trace and regenerate every value' });
