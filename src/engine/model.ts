// The methodology as data: zod schemas that validate a methodology document and give its types.
// Structural checks that need the whole tree (parents, sums, cycles) live in compile.ts.
// Every object is strict: a misspelt key (`normalization`) is an error, not a silently ignored
// setting. `.meta({ id })` names the schemas that the HTTP contract publishes as components
// (zod's own registry: the engine stays free of any HTTP library); it must be the last call of
// a chain, since a derived schema does not inherit the id.
import { z } from 'zod';
import { codeProblem, MAX_CODE_LENGTH, MAX_NAME_LENGTH, MAX_NOTE_LENGTH, textProblem } from './hygiene.js';

/** A code or id (node, unit, source, option, group): 1–100 characters, NFC, printable, not __proto__, constructor or prototype. */
export const Code = z.string().min(1).max(MAX_CODE_LENGTH).superRefine((s, ctx) => {
  const problem = codeProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
/** A name or title: one line of NFC text without control or bidirectional characters, at most 500 characters. */
export const Text = (min = 0) => z.string().min(min).max(MAX_NAME_LENGTH).superRefine((s, ctx) => {
  const problem = textProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
/** Free text that may span lines (line feeds allowed), at most 20,000 characters. */
export const Note = () => z.string().max(MAX_NOTE_LENGTH).superRefine((s, ctx) => {
  const problem = textProblem(s, true);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const LocalisedName = z.object({
  vi: Text(1).describe('Vietnamese name, exact (NFC, with diacritics)'),
  en: Text(1).describe('English label'),
}).strict().meta({ id: 'LocalisedName', description: 'a name in Vietnamese and English' });

export const Provenance = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('official'),
    document: Text(1).describe('the official document the number comes from'),
  }).strict().meta({ id: 'OfficialProvenance' }),
  z.object({
    status: z.literal('provisional'),
    note: Note().optional().describe('why, and what is assumed'),
  }).strict().meta({ id: 'ProvisionalProvenance' }),
]).meta({ id: 'Provenance', description: 'Where a number comes from: an official document, or provisional (not found in an official source)' });

const finite = z.number().finite();

export const SurveyOption = z.object({
  code: Code.describe('the answer option, e.g. A'),
  value: finite.min(0).max(1).describe('share of the maximum that this answer earns (0–1)'),
}).strict().meta({ id: 'SurveyOption' });

export const DEFAULT_SURVEY_OPTIONS = [
  { code: 'A', value: 1 }, { code: 'B', value: 0.6 }, { code: 'C', value: 0.2 }, { code: 'D', value: 0 },
];

export const Band = z.object({
  min: finite.describe('lower bound of the band (inclusive), in the unit of the input value'),
  points: finite.min(0).optional().describe('points earned in this band (index points; at most the leaf\'s max)'),
  share: finite.min(0).max(1).optional().describe('share of the leaf\'s max earned in this band (0–1), instead of points'),
}).strict().refine((b) => (b.points === undefined) !== (b.share === undefined), 'a band gives either points or share')
  .meta({ id: 'ScoreBand', description: 'a band gives either points or share, not both' });

const rules = {
  points: z.object({ type: z.literal('points') }).strict()
    .meta({ id: 'PointsRule', description: 'the value is the points, 0 ≤ value ≤ max' }),
  binary: z.object({ type: z.literal('binary') }).strict()
    .meta({ id: 'BinaryRule', description: '1 (done) → max, 0 → 0' }),
  bands: z.object({
    type: z.literal('bands'),
    bands: z.array(Band).min(1).max(100).describe('thresholds, highest first; the first band whose min ≤ value applies'),
    range: z.tuple([finite, finite]).optional().describe('valid input range [lowest, highest], default [0, 100]'),
  }).strict().meta({ id: 'BandsRule', description: 'points by bands of the input value' }),
  proportional: z.object({
    type: z.literal('proportional'),
    target: finite.positive().describe('the value that earns the max'),
    cap: z.boolean().default(true)
      .describe('default true: achieved above target earns the max; false: a value above target is an error'),
  }).strict().meta({ id: 'ProportionalRule', description: 'max × value / target' }),
  linear: z.object({
    type: z.literal('linear'),
    worst: finite.describe('the value that earns 0'),
    best: finite.describe('the value that earns the max (may be below worst: lower is better)'),
    cap: z.boolean().default(false)
      .describe('default false: a value beyond the goal-posts is an error; true: it is clamped to them'),
  }).strict().meta({ id: 'LinearRule', description: 'max × (value − worst) / (best − worst)' }),
  survey: z.object({
    type: z.literal('survey'),
    options: z.array(SurveyOption).min(1).max(100).default(DEFAULT_SURVEY_OPTIONS)
      .describe('answer options and the share of max each earns; default A 1, B 0.6, C 0.2, D 0'),
  }).strict().meta({ id: 'SurveyRule', description: 'value: counts or shares per answer option, e.g. {"A": 120, "B": 30}; max × the weighted mean of the options\' values' }),
};

export const ScoringRule = z.discriminatedUnion('type', [
  rules.points, rules.binary, rules.bands, rules.proportional, rules.linear, rules.survey,
]).meta({ id: 'ScoringRule', description: 'how a leaf\'s input value becomes points (points mode), chosen by type' });

export const Normalisation = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('minmax'),
    min: finite.default(0).describe('what the worst unit of the cycle gets'),
    max: finite.default(100).describe('what the best unit of the cycle gets'),
  }).strict().meta({ id: 'MinMaxNormalisation', description: 'rescaled between the worst and best units of the cycle onto [min, max]; a constant indicator gives every unit the middle' }),
  z.object({
    method: z.literal('zscore'),
    mean: finite.default(0).describe('what a unit at the cycle\'s mean gets'),
    sd: finite.positive().default(1).describe('what one (sample) standard deviation of the cycle is worth'),
  }).strict().meta({ id: 'ZScoreNormalisation', description: 'mean + sd × z, z the standard score over the units of the cycle' }),
  z.object({
    method: z.literal('goalposts'),
    lower: finite.describe('the lower goal-post (the worst value when direction is +1)'),
    upper: finite.describe('the upper goal-post (the best value when direction is +1)'),
    scale: finite.positive().default(100).describe('what a value at the best goal-post gets'),
  }).strict().meta({ id: 'GoalpostsNormalisation', description: 'scale × the position of the value between fixed goal-posts, clamped to [0, scale]' }),
  z.object({ method: z.literal('rank') }).strict()
    .meta({ id: 'RankNormalisation', description: 'fractional rank (ties averaged), 1 = lowest' }),
  z.object({ method: z.literal('percentile') }).strict()
    .meta({ id: 'PercentileNormalisation', description: 'percentile rank in [0, 100]' }),
  z.object({ method: z.literal('none') }).strict()
    .meta({ id: 'NoNormalisation', description: 'the value as it is' }),
  z.object({
    method: z.literal('distanceToTarget'),
    target: finite.describe('the value to reach (in the indicator\'s unit; a low value when direction is −1)'),
    cap: z.boolean().default(true).describe('default true: beyond the target scores the scale; false: above it'),
    scale: finite.positive().default(100).describe('what reaching the target is worth'),
  }).strict().meta({ id: 'DistanceToTargetNormalisation', description: 'COINr n_dist2targ: scale × (x − worst) / (target − worst), worst the cycle\'s lowest value (direction +1) or highest (−1)' }),
  z.object({
    method: z.literal('distanceToMax'),
    scale: finite.positive().default(100).describe('what the best unit gets'),
  }).strict().meta({ id: 'DistanceToMaxNormalisation', description: 'COINr n_dist2max: scale × (1 − (best − x) / (best − worst)); a constant indicator is refused' }),
  z.object({
    method: z.literal('fractionOfMax'),
    scale: finite.positive().default(100).describe('what the best unit gets'),
  }).strict().meta({ id: 'FractionOfMaxNormalisation', description: 'COINr n_fracmax: scale × x / max, x oriented by the direction (× −1 when lower is better); a maximum of 0 is refused' }),
  z.object({ method: z.literal('borda') }).strict()
    .meta({ id: 'BordaNormalisation', description: 'COINr n_borda: Borda score, the number of units with a worse value (rank − 1, ties taking the lowest rank)' }),
]).meta({ id: 'Normalisation', description: 'weighted mode: how a leaf\'s values are put on a common scale, chosen by method' });

export const Aggregation = z.union([
  z.enum(['arithmetic', 'geometric', 'harmonic']),
  z.object({
    method: z.literal('power'),
    p: finite.min(-100).max(100).refine((p) => p !== 0, 'p = 0 is the geometric mean: write geometric').describe('the exponent: 1 arithmetic, −1 harmonic, 2 quadratic …'),
  }).strict().meta({ id: 'PowerMean', description: 'weighted generalised (power) mean (Σ w·x^p / Σ w)^(1/p)' }),
]).meta({ id: 'Aggregation', description: 'weighted mode: how a node combines its children: weighted arithmetic, geometric or harmonic mean, or the generalised (power) mean of exponent p; geometric, harmonic and p < 0 need values > 0, other p values ≥ 0' });
export const MissingRule = z.enum(['zero', 'skip', 'impute'])
  .meta({ id: 'MissingDataRule', description: 'a missing value counts as zero, is skipped (weights of the others renormalised), or is imputed with the mean of the unit\'s group (imputeBy)' });
export const Mode = z.enum(['points', 'weighted'])
  .meta({ id: 'MethodologyMode', description: 'points: leaves earn points that add up to the total; weighted: normalised values combined by weights' });

export const Imputation = z.object({
  method: z.enum(['mean', 'median', 'groupMean', 'groupMedian', 'latest', 'interpolate'])
    .describe('mean or median of the units with a value, or of those sharing the unit\'s group (groupMean, groupMedian); for a panel (scores by year): latest, the unit\'s latest earlier year with a value; interpolate, linear between the nearest years with a value around it (the nearest one\'s value outside them)'),
  by: Code.optional().describe('groupMean, groupMedian: the unit attribute that forms the groups, e.g. region'),
}).strict().refine((i) => !i.method.startsWith('group') || i.by !== undefined, { message: 'a group method names the attribute that forms the groups (by)', path: ['by'] })
  .meta({ id: 'Imputation', description: 'weighted mode: how missing raw values are filled, after denomination and before treatment; every filled cell is listed in the result (pipeline.imputation). A unit without the attribute, or whose group has no value, stays missing (then the missing rule applies).' });

export const Screening = z.object({
  minAvailability: finite.min(0).max(1).describe('share of the leaves (0–1) a unit must have a value for, after denomination and before imputation'),
}).strict().meta({ id: 'Screening', description: 'weighted mode: units with too little data are dropped before imputation (COINr\'s Screen), each listed in the result with its availability (pipeline.screening)' });

export const Treatment = z.object({
  skewness: finite.positive().default(2).describe('absolute sample skewness (Excel, e1071 type 2) from which an indicator may fail'),
  kurtosis: finite.default(3.5).describe('sample excess kurtosis (Excel, e1071 type 2) from which an indicator may fail; it fails when both are reached'),
  winsoriseMax: z.number().int().min(0).max(1000).default(5).describe('most points winsorised per indicator (the extreme value takes the next one\'s, on the side of the skew, one step at a time)'),
  transform: z.enum(['log', 'logSkew', 'none']).default('log')
    .describe('if winsorising up to the maximum does not pass: log: log(x − min + 0.01 (max − min)) of the original values (COINr\'s log_CT, its default); logSkew: the same for positive skew, −log(max + 0.01 (max − min) − x) for negative skew (COINr\'s log_CT_plus); none: keep the winsorised values'),
}).strict().meta({ id: 'Treatment', description: 'weighted mode: outlier treatment of each indicator\'s raw values, before normalisation, by COINr\'s default rule; every point changed is listed in the result (pipeline.treatment)' });

export const GroupThreshold = z.object({
  code: Code.describe('the group, e.g. A'),
  min: finite.describe('lowest index (index points) of the group'),
}).strict().meta({ id: 'GroupThreshold', description: 'an index ≥ min falls in this group; below the lowest threshold, the lowest group' });
export const DEFAULT_GROUPS = [
  { code: 'A', min: 90 }, { code: 'B', min: 80 }, { code: 'C', min: 70 }, { code: 'D', min: 0 },
];

const nodeFields = {
  code: Code.describe('the node\'s code, unique in the methodology: 1, 1.2, 1.2.3 …'),
  parent: Code.nullish().describe('flat form: code of the parent node (none for the root)'),
  name: LocalisedName.optional(),
  max: finite.optional().describe('points mode: the maximum points (index points); a parent\'s max, if given, must equal the sum of its children\'s'),
  weight: finite.optional().describe('weighted mode: weight among siblings (relative, > 0; default 1)'),
  direction: z.union([z.literal(1), z.literal(-1)]).optional().describe('leaves: +1 higher is better (default), −1 lower is better'),
  source: z.union([Code, z.array(Code).min(1).max(16)]).optional()
    .describe('leaves: the score source(s) in order of precedence (appraisal, survey, self …)'),
  rule: ScoringRule.optional(),
  normalisation: Normalisation.optional(),
  aggregation: Aggregation.optional(),
  availabilityThreshold: finite.min(0).max(1).optional()
    .describe('share of children with data (0–1) below which this node is missing'),
  denominator: Code.optional().describe('weighted mode, leaves: the unit attribute (a number, e.g. population) the raw value is divided by, before imputation'),
  treatment: z.union([Treatment, z.literal(false)]).optional()
    .describe('weighted mode, leaves: this indicator\'s outlier treatment, instead of the methodology\'s; false: none'),
  provenance: Provenance.optional(),
};

type NodeFields = z.ZodObject<typeof nodeFields>;
export type NodeInput = z.output<NodeFields> & { children?: NodeInput[] };
/** What a document may say of a node, before defaults (the request body's type). */
export type NodeDocument = z.input<NodeFields> & { children?: NodeDocument[] };
export const NodeInput: z.ZodType<NodeInput, NodeDocument> = z.object({
  ...nodeFields,
  children: z.array(z.lazy(() => NodeInput)).optional().describe('nested form: the node\'s children (alternative to parent)'),
}).strict().meta({ id: 'MethodologyNode', description: 'a node of the methodology tree: the root (the index), a domain, a criterion … a leaf (an indicator that receives scores)' });

export const LegalDocument = z.object({
  document: Text(1).describe('number of the legal document, e.g. Quyết định 876/QĐ-BNV'),
  date: z.iso.date().optional().describe('date of signature'),
  title: Text().optional(),
}).strict().meta({ id: 'LegalDocument', description: 'a legal document the methodology is based on' });

/** A small valid methodology: the contract's example of a document (pure data). */
export const EXAMPLE_METHODOLOGY = {
  id: 'example-index', version: 1, name: { vi: 'Chỉ số mẫu', en: 'Example index' }, unitType: 'province', years: [2026],
  legalBasis: [{ document: 'Quyết định 876/QĐ-BNV', date: '2022-11-10' }],
  mode: 'points' as const, missing: 'zero' as const, total: 10, rounding: 2,
  nodes: [
    { code: 'R', name: { vi: 'Chỉ số', en: 'Index' } },
    { code: '1', parent: 'R', max: 6, source: 'appraisal', rule: { type: 'proportional' as const, target: 100 }, provenance: { status: 'official' as const, document: 'Quyết định 876/QĐ-BNV' } },
    { code: '2', parent: 'R', max: 4, source: 'survey', rule: { type: 'survey' as const }, provenance: { status: 'provisional' as const, note: 'values of the answer options assumed' } },
  ],
};

export const MethodologyInput = z.object({
  id: z.string().min(1).max(MAX_CODE_LENGTH).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash, underscore')
    .describe('the methodology\'s id, stable across its versions'),
  version: z.number().int().positive().default(1).describe('versions are immutable: a change is a new version'),
  name: LocalisedName.optional(),
  unitType: Code.default('generic').describe('the kind of unit it ranks, e.g. province or ministry'),
  years: z.array(z.number().int().min(1900).max(2200)).max(300).default([]).describe('the years (cycles) it applies to'),
  legalBasis: z.array(LegalDocument).max(100).default([]),
  mode: Mode,
  missing: MissingRule,
  imputeBy: Code.default('region').describe('impute: the unit attribute that forms groups'),
  total: finite.positive().optional().describe('points mode: declared total (checked against the root)'),
  groups: z.array(GroupThreshold).min(1).max(100).optional().describe('the groups of the index; default A ≥ 90, B ≥ 80, C ≥ 70, D'),
  rounding: z.number().int().min(0).max(10).default(2).describe('decimals shown when results are displayed (computation is unrounded)'),
  normalisation: Normalisation.optional().describe('weighted mode: default for leaves'),
  aggregation: Aggregation.default('arithmetic').describe('how a node combines its children unless it says otherwise (weighted mode)'),
  availabilityThreshold: finite.min(0).max(1).optional().describe('default of the nodes\' availabilityThreshold (0–1)'),
  screening: Screening.optional().describe('weighted mode: drop units below a data-availability threshold'),
  imputation: Imputation.optional().describe('weighted mode: fill missing raw values before treatment and normalisation'),
  treatment: Treatment.optional().describe('weighted mode: outlier treatment of every leaf (unless a leaf says otherwise)'),
  defaultRule: ScoringRule.nullable().default({ type: 'points' })
    .describe('points mode: rule of a leaf that names none; null requires a rule on every leaf'),
  notes: Note().optional(),
  nodes: z.array(NodeInput).min(1).describe('the tree: flat (each node names its parent), nested (children), or both'),
}).strict().meta({
  id: 'MethodologyDocument',
  description: 'A methodology version as data: the tree of nodes, their maxima (points mode) or weights (weighted mode), scoring rules, normalisation, aggregation, missing-data rule and groups. Unknown keys are refused. Codes and ids (node, source, option, group, unit type): 1–100 characters, NFC, without control or bidirectional characters, not __proto__, constructor or prototype. Names and titles: one line of NFC text, at most 500 characters; notes may span lines. The sums of the maxima and of the weights under each node must be finite.',
  examples: [EXAMPLE_METHODOLOGY],
});

export type MethodologyInput = z.input<typeof MethodologyInput>;
export type Methodology = z.output<typeof MethodologyInput>;
export type ScoringRule = z.output<typeof ScoringRule>;
export type Normalisation = z.output<typeof Normalisation>;
export type Provenance = z.output<typeof Provenance>;
export type Imputation = z.output<typeof Imputation>;
export type Treatment = z.output<typeof Treatment>;
export type Aggregation = z.output<typeof Aggregation>;

export const ScoreValue = z.union([
  finite,
  z.record(Code, finite.min(0)).describe('survey: counts or shares per answer option'),
], { error: 'value must be a finite number, or survey answers per option such as {"A": 12, "B": 3}' });
export const ScoreInput = z.object({
  unit: Code,
  indicator: Code,
  source: Code.optional(),
  value: ScoreValue.nullable(),
});
export type ScoreInput = z.infer<typeof ScoreInput>;
export type ScoreValue = z.infer<typeof ScoreValue>;

export const UnitInput = z.object({
  code: Code,
  ranked: z.boolean().default(true),
  attributes: z.record(Code, Text().nullable()).default({}),
});
export type UnitInput = z.input<typeof UnitInput>;
